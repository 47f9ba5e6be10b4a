"""A convention-cadre or an avenant of the « essais » corpus from its recipe: the heading
numbering, the names of the trame parts, the parties, the table of actions, the budget and the
signature block the recipe asks for, and the truth said from the same data."""

from __future__ import annotations

import datetime as dt

from instruct.samples.corpus.essais_actions import actions_table, actions_truth, programme, total
from instruct.samples.corpus.essais_model import (
    FICTIF_LINE,
    ORDINAL_WORDS,
    ROMAN,
    Element,
    Heading,
    PageBreak,
    Para,
    Piece,
    TextBox,
    amount,
    date_text,
    years_text,
)
from instruct.samples.corpus.essais_phrases import parties_block, signature_block
from instruct.samples.corpus.essais_towns import TOWNS, signers
from instruct.samples.corpus.truth import Verite

# The names of the same trame part, from the guide's to the clerks'.
SYNONYMES = {
    "parties": ["Les parties", "Désignation des parties", "Parties signataires"],
    "preambule_objectifs": ["Préambule", "Préambule et objectifs poursuivis", "Objectifs poursuivis"],
    "engagement_parties": [
        "Engagement général des parties",
        "Engagements des parties",
        "Engagements généraux des parties",
    ],
    "organisation_comite_projet": [
        "Organisation des collectivités et comité de projet",
        "Gouvernance : comité de projet",
        "Organisation des collectivités",
    ],
    "duree_evolution_fonctionnement": [
        "Durée, évolution et fonctionnement général de la convention",
        "Durée de la convention",
        "Durée, évolution et fonctionnement de la convention",
    ],
    "phase_initialisation": [
        "Phase d'initialisation",
        "Actions matures de la phase d'initialisation",
        "Programme d'actions de la phase d'initialisation",
    ],
    "suivi_evaluation": [
        "Modalités de suivi et d'évaluation",
        "Suivi et évaluation",
        "Suivi et évaluation du programme",
    ],
    "traitement_litiges": ["Traitement des litiges", "Règlement des litiges", "Litiges"],
    "annexe_fiches_matures": ["Fiches-actions matures", "Fiches actions matures", "Fiches action matures"],
    "diagnostic_afom": ["Diagnostic du territoire (analyse AFOM)", "Résultats du diagnostic", "Synthèse du diagnostic"],
    "objectifs_generaux_et_par_axe": [
        "Objectifs généraux et par axe",
        "Stratégie : objectifs généraux du projet",
        "Objectifs généraux du projet et par axe",
    ],
    "perimetres_intervention": [
        "Périmètres d'intervention",
        "Secteurs d'intervention de l'ORT",
        "Périmètre d'intervention",
    ],
    "plan_actions": ["Plan d'actions", "Programme d'actions", "Plan d'action"],
    "calendrier_general": ["Calendrier général", "Calendrier de mise en œuvre", "Calendrier général du projet"],
    "budget_financement": ["Budget et financement", "Maquette financière", "Plan de financement"],
    "annexe_livrables_etudes": ["Livrables des études", "Livrables des études réalisées", "Les livrables des études"],
    "annexe_document_presentation": [
        "Document de présentation du projet",
        "Document de présentation",
        "Document de présentation du projet urbain",
    ],
    "annexe_plan_perimetres": [
        "Plan des périmètres",
        "Plan des périmètres d'intervention",
        "Plan des périmètres de l'ORT",
    ],
    "annexe_calendrier_detaille": [
        "Calendrier détaillé",
        "Calendrier détaillé du projet",
        "Calendrier détaillé des opérations",
    ],
    "annexe_budget_detaille": ["Budget détaillé", "Budget détaillé du projet", "Budget détaillé par action"],
    "annexe_fiches_actions": ["Fiches-actions", "Fiches actions", "Fiches action"],
}
CONVENTION_BODY = [
    "preambule_objectifs",
    "engagement_parties",
    "organisation_comite_projet",
    "phase_initialisation",
    "duree_evolution_fonctionnement",
    "suivi_evaluation",
    "traitement_litiges",
]
AVENANT_BODY = [
    "diagnostic_afom",
    "objectifs_generaux_et_par_axe",
    "perimetres_intervention",
    "plan_actions",
    "calendrier_general",
    "budget_financement",
]
AVENANT_ANNEXES = [
    "annexe_livrables_etudes",
    "annexe_document_presentation",
    "annexe_plan_perimetres",
    "annexe_calendrier_detaille",
    "annexe_budget_detaille",
    "annexe_fiches_actions",
]


def number_label(form: str, n: int, sub: int = 0) -> str:
    """The label a heading numbering form gives the n-th part (sub: a sub-part)."""
    if sub:
        return {"decimal": f"{n}.{sub}", "roman_dot": f"{ROMAN[n - 1]}.{sub}."}.get(form, f"{n}.{sub}")
    return {
        "article_er": f"Article {'1er' if n == 1 else n} –",
        "article_premier": f"Article {'premier' if n == 1 else n} :",
        "ARTICLE": f"ARTICLE {n} :",
        "decimal": f"{n}.",
        "titre": f"TITRE {ROMAN[n - 1]} –",
        "roman_dot": f"{ROMAN[n - 1]}.",
        "roman": f"{ROMAN[n - 1]} –",
        "auto": f"Article {n}",
        "none": "",
    }[form]


def _body_text(code: str, town_name: str, interco: str) -> list[str]:
    texts = {
        "preambule_objectifs": [
            f"La ville de {town_name} connaît depuis vingt ans une perte d'habitants au profit de sa périphérie ; "
            "la vacance des logements et des commerces du centre ancien progresse.",
            "Le programme Action Cœur de Ville vise à conforter le rôle de centralité de la ville et à améliorer "
            "les conditions de vie dans son centre.",
        ],
        "engagement_parties": [
            "Les parties s'engagent à mobiliser leurs moyens, humains et financiers, au service du projet, "
            "dans le respect de leurs règles d'intervention.",
        ],
        "organisation_comite_projet": [
            f"Le projet est piloté par un comité de projet présidé par le maire de {town_name}, associant "
            f"le président de {interco}, le préfet ou son représentant et les partenaires financeurs.",
            "Un directeur de projet, placé auprès du maire, anime la démarche.",
        ],
        "suivi_evaluation": ["Un tableau de bord des indicateurs est présenté chaque année au comité de projet."],
        "traitement_litiges": [
            "Les litiges nés de l'exécution de la présente convention sont portés devant le tribunal administratif "
            "territorialement compétent, après une tentative de règlement amiable."
        ],
        "diagnostic_afom": [
            "Atouts : un patrimoine reconnu, une gare active. Faiblesses : une vacance commerciale de 14 %, un parc "
            "de logements anciens. Opportunités : des friches mutables. Menaces : la concurrence de la périphérie."
        ],
        "objectifs_generaux_et_par_axe": [
            "Ramener des habitants dans le centre, conforter le commerce, apaiser la circulation, mettre en valeur "
            "le patrimoine et les espaces publics, maintenir les services."
        ],
        "perimetres_intervention": [
            f"Le périmètre d'intervention couvre le centre ancien de {town_name} et le quartier de la gare ; "
            "deux secteurs prioritaires y sont délimités."
        ],
        "calendrier_general": [
            "Les premières opérations sont engagées dès la signature ; le programme s'achève en 2024."
        ],
        "annexe_livrables_etudes": [
            "Étude de programmation urbaine (rapport final) ; diagnostic commercial ; étude habitat."
        ],
        "annexe_document_presentation": ["Le document de présentation du projet est joint au présent avenant."],
        "annexe_plan_perimetres": ["Le plan des périmètres d'intervention est joint au présent avenant."],
        "annexe_calendrier_detaille": ["Le calendrier détaillé reprend, action par action, les dates d'engagement."],
        "annexe_budget_detaille": ["Le budget détaillé reprend, action par action, les financements sollicités."],
    }
    return texts.get(code, [])


def build(recipe: dict) -> Piece:
    """A convention-cadre (`kind` convention_cadre) or an avenant (`numero`) from its recipe."""
    seed = recipe["seed"]
    town = TOWNS[recipe["town"]]
    kind = recipe["kind"]
    signed = recipe.get("signed", dt.date(2018, 9 + seed % 4, 1 + (seed * 7) % 27))
    roles = recipe.get("roles", ["ville_centre", "intercommunalite", "prefet", "cdc", "action_logement", "anah"])
    people = signers(town, seed, roles, signed, ville_form=recipe.get("ville_form", "Commune"))
    numbering = recipe.get("numbering", "article_er")
    omit = set(recipe.get("omit", ()))
    rows = programme(town, seed, recipe.get("actions", 6), signed)
    header = recipe.get("table", "libelle")
    percent = header == "percent"
    grand = total(rows)
    total_row = recipe.get("total_row", "TOTAL")
    budget_sentence = recipe.get("budget_sentence", "")  # an amount form: the total said in a sentence
    duree = recipe.get("duree")  # (years, form)
    interco_name = next((s.named for s in people if s.role == "intercommunalite"), "l'intercommunalité")

    el: list[Element] = []
    if kind == "convention_cadre":
        title = recipe.get("title", "CONVENTION-CADRE PLURIANNUELLE « ACTION CŒUR DE VILLE »")
    else:
        title = recipe["avenant_title"]
    el.append(Para(title, bold=True, align="center", size=15))
    el.append(Para(f"{town.ville}", bold=True, align="center", size=13))
    if recipe.get("valant_ort"):
        el.append(
            Para("valant convention d'opération de revitalisation de territoire (ORT)", bold=True, align="center")
        )
    if recipe.get("textbox"):
        el.append(TextBox(f"Projet de territoire – {town.ville} – version soumise à signature"))
    el.append(Para(FICTIF_LINE, align="center", size=8))
    parties_els, parties_truth = parties_block(people, town, recipe.get("parties", {}))
    trame = ["parties"] if kind == "convention_cadre" else []
    n = 0
    variant = recipe.get("synonyms", seed)

    def heading(code: str, level: int = 1) -> Heading:
        nonlocal n
        n += 1
        titles = SYNONYMES[code]
        return Heading(titles[variant % len(titles)], level, number_label(numbering, n))

    if kind == "convention_cadre" and recipe.get("parties_heading", True):
        el.append(heading("parties"))
    elif kind == "avenant":  # the convention it amends, and its date: not the avenant's
        cadre = dt.date(2018, 1 + seed % 12, 2 + seed % 26)
        el.append(Para(f"Vu la convention-cadre Action Cœur de Ville signée le {date_text(cadre, 'long')} ;"))
        if seed % 2:
            el.append(Para("Il est convenu, entre les soussignés, de modifier la convention-cadre comme suit."))
    el += parties_els
    body = CONVENTION_BODY if kind == "convention_cadre" else AVENANT_BODY
    for code in body:
        if code in omit:
            continue
        trame.append(code)
        el.append(heading(code))
        for text in _body_text(code, town.ville, interco_name):
            el.append(Para(text, align="justify"))
        if code == "duree_evolution_fonctionnement" and duree:
            el.append(Para(years_text(*duree), align="justify"))
        if code == "budget_financement" and duree:
            el.append(Para(years_text(*duree, "La convention modifiée par le présent avenant"), align="justify"))
        if code in ("phase_initialisation", "plan_actions"):
            el.append(
                Para(
                    "Le tableau ci-dessous récapitule les actions, leur calendrier et leur coût prévisionnel.",
                    align="justify",
                )
            )
            if numbering == "decimal" and code == "plan_actions":
                el.append(Heading("Tableau des actions", 2, number_label(numbering, n, 1)))
            el.append(
                actions_table(
                    rows,
                    header,
                    axis_rows=recipe.get("axis_rows", False),
                    total_row=total_row,
                    date_form=recipe.get("table_dates", "month"),
                    ruled=recipe.get("ruled", True),
                    repeat_header=recipe.get("repeat_header", True),
                    cost_form=recipe.get("cost_form"),
                )
            )
            if percent:
                el.append(Para("Les parts sont données en pourcentage du coût total du programme."))
        if code == ("phase_initialisation" if kind == "convention_cadre" else "budget_financement") and budget_sentence:
            el.append(
                Para(
                    f"Le coût global du programme est estimé à {amount(grand, budget_sentence)}"
                    f"{' HT' if 'HT' not in amount(grand, budget_sentence) else ''}, hors frais d'ingénierie.",
                    align="justify",
                )
            )
    sig_els, sig_truth = signature_block(people, town, signed, recipe.get("signature", {}))
    el.append(Para(""))
    el += sig_els
    annexes = ["annexe_fiches_matures"] if kind == "convention_cadre" else AVENANT_ANNEXES
    annex_n = 0
    for code in annexes:
        if code in omit:
            continue
        trame.append(code)
        annex_n += 1
        titles = SYNONYMES[code]
        label = {"unnumbered": "Annexe –", "roman": f"ANNEXE {ROMAN[annex_n - 1]} :"}.get(
            recipe.get("annexes", "numbered"), f"Annexe {annex_n} –"
        )
        if recipe.get("annex_break", annex_n == 1):
            el.append(PageBreak())
        el.append(Heading(f"{label} {titles[variant % len(titles)]}", 1, ""))
        for text in _body_text(code, town.ville, interco_name):
            el.append(Para(text))
        if code in ("annexe_fiches_matures", "annexe_fiches_actions"):
            for r in rows[: recipe.get("fiches", 3)]:
                el.append(Heading(f"Fiche action – {r.intitule}", 2, ""))
                el.append(
                    Para(
                        f"Maître d'ouvrage : {r.maitre}. Axe {r.axe}. "
                        + recipe.get("fiche_text", "Description, objectifs et indicateurs de suivi de l'action.")
                    )
                )
                if recipe.get("fiche_pages"):
                    el += [Para(recipe["fiche_text_long"], align="justify") for _ in range(recipe["fiche_pages"])]
                    el.append(PageBreak())
    table_written = not ({"phase_initialisation", "plan_actions"} & omit)
    sentence_part = "phase_initialisation" if kind == "convention_cadre" else "budget_financement"
    said = (table_written and total_row and not percent) or (budget_sentence and sentence_part not in omit)
    stated_total = grand if said else None
    truth = Verite(
        fichier=recipe["name"],
        style=recipe["style"],
        type=kind,
        numero=recipe.get("numero"),
        parties=parties_truth,
        signataires=sig_truth,
        date_signature=None if recipe.get("signature", {}).get("sig_date") == "blank" else signed,
        trame=sorted(trame),
        actions=actions_truth(rows, percent) if table_written else None,
        budget_total=stated_total,
        duree_annees=duree[0] if duree else None,
    )
    return Piece(
        recipe["name"], title, el, truth, writer=recipe.get("writer", "docx"), options=recipe.get("options", {})
    )


def avenant_title(numero: int, form: str) -> str:
    return {
        "n°": f"Avenant n°{numero} à la convention-cadre Action Cœur de Ville",
        "N°": f"AVENANT N° {numero} À LA CONVENTION-CADRE ACTION CŒUR DE VILLE",
        "ordinal": f"{ORDINAL_WORDS[numero].capitalize()} avenant à la convention-cadre Action Cœur de Ville",
        "n° ": f"Avenant n° {numero} à la convention-cadre pluriannuelle « Action Cœur de Ville »",
    }[form]
