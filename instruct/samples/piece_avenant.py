"""The avenant to the convention-cadre as a PDF: its parts and annexes, and the diagnostic padded
with seeded sentences until the PDF has the pages asked for."""

from __future__ import annotations

import random
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from instruct.model.dossier import Avenant, Dossier, FicheAction
from instruct.samples.piece_pdf import (
    actions_table,
    area_ha,
    build_pdf,
    para,
    pdf_styles,
    perimetres_drawing,
    simple_table,
)
from instruct.samples.piece_text import (
    AVENANT_ANNEXES,
    AVENANT_PARTS,
    ROMAN,
    axes_of,
    date_fr,
    de_month,
    euros,
    fiche_paragraph,
    intercommunalite_nom,
    lower_first,
    month_fr,
    parties_lines,
    sentence,
    signature_lines,
    write_file,
)
from instruct.vocabulary import AXES_PIECES as AXES

# Sentences the diagnostic is padded with (pages=N): one list per axe, filled from a seeded generator.
PADDING = {
    1: [
        "Le centre ancien compte environ {logements} logements, dont {vacance} % sont vacants depuis plus de deux ans "
        "selon les fichiers fonciers.",
        "La part des logements construits avant 1949 atteint {ancien} % dans le périmètre d'étude, contre "
        "{ancien_epci} % à l'échelle de l'intercommunalité.",
        "Les repérages de terrain ont identifié {degrades} immeubles dégradés, dont {structurels} présentent des "
        "désordres structurels nécessitant une intervention rapide.",
        "La taille moyenne des ménages du centre-ville est de {menage} personnes ; les petits logements y sont "
        "surreprésentés et peu adaptés aux familles.",
        "Le parc locatif privé accueille une forte proportion de ménages modestes, dont {eligibles} % sont éligibles "
        "aux aides de l'Anah.",
        "Les copropriétés fragiles, au nombre de {coproprietes}, cumulent impayés de charges, absence de syndic et "
        "travaux de toiture différés.",
    ],
    2: [
        "Le linéaire commercial du centre-ville regroupe {cellules} cellules, dont {vacance} % sont vacantes, "
        "principalement dans les rues secondaires.",
        "Les commerces de bouche se maintiennent, mais l'équipement de la personne a perdu {enseignes} enseignes en "
        "dix ans au profit de la périphérie.",
        "Le marché hebdomadaire attire environ {visiteurs} visiteurs et constitue le principal moment d'animation du "
        "centre.",
        "Les zones commerciales périphériques totalisent {surface} m² de surface de vente, soit {ratio} fois la "
        "surface commerciale du centre-ville.",
        "Les loyers commerciaux, de {loyer} € le m² par an en moyenne, restent modérés mais les locaux sont souvent "
        "inadaptés aux normes d'accessibilité.",
    ],
    3: [
        "La gare est située à {gare} km du centre et la liaison piétonne entre les deux reste peu lisible et peu "
        "sécurisée.",
        "Le centre-ville offre {places} places de stationnement, dont {ventouses} % sont occupées par des voitures "
        "ventouses en journée.",
        "Le réseau de transport urbain dessert le centre toutes les {frequence} minutes en heure de pointe, moins "
        "souvent le samedi.",
        "Les aménagements cyclables sont discontinus : {cyclable} km de voies aménagées seulement sur l'ensemble de la "
        "commune.",
        "Le trafic de transit sur l'axe principal dépasse {trafic} véhicules par jour et pèse sur la qualité des "
        "espaces publics.",
    ],
    4: [
        "Le centre ancien conserve un patrimoine bâti remarquable, dont {monuments} édifices protégés au titre des "
        "monuments historiques.",
        "Les places et les rues du centre sont majoritairement dédiées à la voiture ; les espaces de séjour ombragés y "
        "sont rares.",
        "Les façades de {facades} immeubles du centre ancien nécessitent un ravalement, selon l'inventaire conduit par "
        "le service urbanisme.",
        "Les berges et les jardins publics, peu reliés entre eux, offrent un potentiel de promenade encore inexploité.",
        "Les entrées de ville présentent un paysage routier peu qualitatif qui dessert l'image du centre.",
    ],
    5: [
        "La médiathèque accueille {lecteurs} lecteurs inscrits dans des locaux devenus trop étroits et peu "
        "accessibles.",
        "Les services publics se sont progressivement déplacés vers la périphérie : {guichets} guichets ont quitté le "
        "centre depuis 2010.",
        "L'offre de santé du centre-ville repose sur {medecins} médecins généralistes, dont la moitié partira en "
        "retraite d'ici cinq ans.",
        "Les équipements sportifs et culturels du centre sont fréquentés par {usagers} usagers par semaine en moyenne.",
        "Une maison de services au public permettrait de regrouper l'accueil des administrations dans un lieu unique "
        "et central.",
    ],
}

# Placeholder -> (low, high, step, decimals) of the figures drawn for the padding.
PADDING_FIGURES = {
    "logements": (400, 2400, 10, 0),
    "vacance": (8, 24, 1, 0),
    "ancien": (35, 70, 1, 0),
    "ancien_epci": (15, 34, 1, 0),
    "degrades": (8, 60, 1, 0),
    "structurels": (2, 7, 1, 0),
    "menage": (16, 22, 1, 1),
    "eligibles": (30, 65, 1, 0),
    "coproprietes": (4, 25, 1, 0),
    "cellules": (120, 420, 1, 0),
    "enseignes": (6, 30, 1, 0),
    "visiteurs": (1500, 6000, 100, 0),
    "surface": (20000, 90000, 500, 0),
    "ratio": (25, 60, 1, 1),
    "loyer": (60, 180, 5, 0),
    "gare": (8, 25, 1, 1),
    "places": (300, 1500, 10, 0),
    "ventouses": (10, 30, 1, 0),
    "frequence": (10, 30, 5, 0),
    "cyclable": (20, 150, 1, 1),
    "trafic": (6000, 18000, 100, 0),
    "monuments": (2, 12, 1, 0),
    "facades": (15, 80, 1, 0),
    "lecteurs": (1500, 6000, 50, 0),
    "guichets": (2, 8, 1, 0),
    "medecins": (4, 14, 1, 0),
    "usagers": (600, 3500, 50, 0),
}


def _figure(rng: random.Random, low: int, high: int, step: int, decimals: int) -> str:
    value = rng.randrange(low, high + 1, step)
    if decimals:
        return f"{value / 10**decimals:.{decimals}f}".replace(".", ",")
    text = str(value)
    return text if value < 10000 else f"{text[:-3]} {text[-3:]}"


def padding_paragraphs(dossier: Dossier, count: int, seed: str) -> list[str]:
    """`count` diagnostic paragraphs, each three sentences about one axe, the same on every run."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        axe = n % 5 + 1
        sentences = rng.sample(PADDING[axe], k=3)
        values = {name: _figure(rng, *spec) for name, spec in PADDING_FIGURES.items()}
        text = " ".join(s.format(**values) for s in sentences)
        out.append(f"Constat complémentaire {n + 1} (axe {axe}, {lower_first(AXES[axe])}). {text}")
    return out


def avenant_of(dossier: Dossier, numero: int) -> Avenant | None:
    return next((a for a in (dossier.convention.avenants if dossier.convention else []) if a.numero == numero), None)


def _avenant_story(
    dossier: Dossier,
    avenant: Avenant | None,
    numero: int,
    omit_parts: frozenset[str],
    omit_signataires: frozenset[str],
    total_override: Decimal | None,
    padding: list[str],
) -> list:
    from reportlab.platypus import KeepTogether, Spacer

    st = pdf_styles()
    ville = dossier.collectivites.ville_centre.nom
    epci = intercommunalite_nom(dossier)
    cadre = dossier.convention.cadre if dossier.convention else None
    signataires = (
        (avenant.signataires if avenant and avenant.signataires else None)
        or (cadre.signataires if cadre else None)
        or []
    )
    fiches = list(dossier.fiches_actions)
    story: list = [
        para(f"Avenant n° {numero} à la convention-cadre Action Cœur de Ville de {ville}", st["title"]),
        para("valant convention d'opération de revitalisation de territoire (ORT)", st["subtitle"]),
        para("Les parties", st["heading"]),
    ]
    story += [
        para(line, st["line"])
        for line in parties_lines(dossier, signataires, omit_signataires, with_deliberations=False)
    ]
    signed = f", signée le {date_fr(cadre.date_signature)}," if cadre and cadre.date_signature else ""
    story.append(
        para(
            f"Le présent avenant complète la convention-cadre{signed} à l'issue de la phase d'initialisation. Il "
            f"arrête le projet de redynamisation du centre-ville de {ville} et vaut convention d'opération de "
            "revitalisation de territoire au sens de l'article L. 303-2 du code de la construction et de "
            "l'habitation.",
            st["body"],
        )
    )
    number = 0
    for code, heading in AVENANT_PARTS.items():
        if code in omit_parts:
            continue
        title = para(f"{ROMAN[number]}. {heading}", st["heading"])
        number += 1
        if code == "diagnostic_afom":
            story.append(title)
            story.append(
                para(
                    f"Le diagnostic a été conduit pendant la phase d'initialisation par la commune de {ville} et la "
                    f"{epci}, avec l'appui des partenaires. Il s'appuie sur les études engagées, les données "
                    "statistiques disponibles et les rencontres avec les habitants et les commerçants.",
                    st["body"],
                )
            )
            for axe in axes_of(dossier):
                story.append(para(f"Axe {axe.numero} – {AXES[axe.numero]}", st["subheading"]))
                story.append(
                    para(
                        sentence(axe.diagnostic)
                        if axe.diagnostic
                        else "Les éléments de diagnostic de cet axe sont en cours de consolidation.",
                        st["body"],
                    )
                )
            story += [para(text, st["body"]) for text in padding]
            story.append(para("Synthèse de l'analyse AFOM", st["subheading"]))
            diag = {a.numero: lower_first(a.diagnostic) for a in axes_of(dossier) if a.diagnostic}
            story += [
                para(
                    "Atouts : une ville-centre qui concentre emplois, services et équipements ; un patrimoine bâti de "
                    "qualité ; "
                    "une intercommunalité mobilisée aux côtés de la commune.",
                    st["body"],
                ),
                para(
                    "Faiblesses : "
                    + (" ; ".join(diag.values()) if diag else "une vacance résidentielle et commerciale élevée")
                    + ".",
                    st["body"],
                ),
                para(
                    "Opportunités : les financements du programme, la dynamique de l'opération de revitalisation de "
                    "territoire "
                    "et les projets privés qui se manifestent en centre-ville.",
                    st["body"],
                ),
                para(
                    "Menaces : la poursuite du développement commercial en périphérie et le vieillissement de la "
                    "population.",
                    st["body"],
                ),
            ]
        elif code == "objectifs_generaux_et_par_axe":
            story.append(title)
            story.append(
                para(
                    f"L'objectif général est de redonner au centre-ville de {ville} son rôle de cœur d'agglomération : "
                    "y habiter, y travailler, y consommer et s'y divertir.",
                    st["body"],
                )
            )
            for axe in axes_of(dossier):
                objectifs = " ; ".join(lower_first(o) for o in axe.objectifs) or "objectifs à préciser"
                story.append(para(f"Axe {axe.numero} – {AXES[axe.numero]} : {objectifs}.", st["body"]))
        elif code == "perimetres_intervention":
            story.append(title)
            per = dossier.perimetres
            if per and per.intervention:
                story.append(
                    para(
                        f"Le périmètre d'intervention couvre environ {area_ha(per.intervention):.0f} ha autour du "
                        "centre "
                        "historique ; il constitue le secteur d'intervention de l'opération de revitalisation de "
                        "territoire.",
                        st["body"],
                    )
                )
            else:
                story.append(
                    para("Le périmètre d'intervention sera précisé par délibération des collectivités.", st["body"])
                )
            for secteur in per.secteurs_prioritaires if per else []:
                story.append(
                    para(
                        f"Secteur prioritaire « {secteur.nom} » : environ {area_ha(secteur.geometrie):.0f} ha, où se "
                        "concentrent les actions sur l'habitat et le commerce.",
                        st["body"],
                    )
                )
            for secteur in dossier.ort.secteurs if dossier.ort else []:
                story.append(
                    para(
                        f"Secteur d'intervention de l'ORT « {secteur.nom} »"
                        f"{', centre-ville de la ville principale' if secteur.centre_ville else ''}.",
                        st["body"],
                    )
                )
        elif code == "plan_actions":
            story.append(title)
            story.append(
                para(
                    f"Le plan d'actions comprend {len(fiches)} actions, détaillées dans le tableau ci-dessous.",
                    st["body"],
                )
            )
            story.append(actions_table(fiches, st))
            story.append(Spacer(1, 6))
        elif code == "calendrier_general":
            story.append(title)
            dated = sorted((f for f in fiches if f.calendrier), key=lambda f: (f.calendrier.debut, f.id))
            if dated:
                first = min(f.calendrier.debut for f in dated)
                last = max(f.calendrier.fin for f in dated)
                story.append(
                    para(f"Le programme d'actions se déroule {de_month(first)} à {month_fr(last)}.", st["body"])
                )
            for f in dated:
                story.append(
                    para(
                        f"L'action {f.id} ({f.intitule or 'sans intitulé'}) se déroule {de_month(f.calendrier.debut)} "
                        f"à {month_fr(f.calendrier.fin)}.",
                        st["line"],
                    )
                )
        elif code == "budget_financement":
            budget = avenant.budget if avenant else None
            total = total_override if total_override is not None else (budget.total if budget else None)
            lines = [title, para("Le plan de financement du programme s'établit comme suit.", st["body"])]
            lines.append(
                para(
                    f"Montant total du plan d'actions : {euros(total) if total is not None else 'à déterminer'}",
                    st["line"],
                )
            )
            if budget and budget.part_cofinanceurs is not None:
                lines.append(para(f"Part des cofinanceurs : {euros(budget.part_cofinanceurs)}", st["line"]))
            if budget and budget.part_porteur is not None:
                lines.append(para(f"Part du porteur : {euros(budget.part_porteur)}", st["line"]))
            story.append(KeepTogether(lines))
            story.append(
                para(
                    "Les engagements des partenaires restent soumis à la décision de leurs instances, dans la limite "
                    "des crédits disponibles.",
                    st["body"],
                )
            )
    signature = signature_lines(dossier, signataires, omit_signataires, avenant.date_signature if avenant else None)
    story.append(Spacer(1, 10))
    story.append(KeepTogether([para(line, st["line"]) for line in signature]))
    annexe = 0
    for code, heading in AVENANT_ANNEXES.items():
        if code in omit_parts:
            continue
        annexe += 1
        story.append(para(f"Annexe {annexe} – {heading}", st["heading"]))
        story += _annex_body(code, dossier, fiches, st)
    return story


def _annex_body(code: str, dossier: Dossier, fiches: list[FicheAction], st: dict) -> list:
    ville = dossier.collectivites.ville_centre.nom
    if code == "annexe_livrables_etudes":
        etudes = [f for f in fiches if f.intitule and "tude" in f.intitule]
        out = [
            para(
                "Les études conduites pendant la phase d'initialisation ont donné lieu aux livrables suivants.",
                st["body"],
            )
        ]
        for f in etudes:
            out.append(
                para(
                    f"{f.intitule} ({f.maitre_ouvrage or 'maître d’ouvrage à désigner'}) : rapport de diagnostic, "
                    "programme d'actions chiffré et synthèse présentée en comité de projet.",
                    st["line"],
                )
            )
        out.append(
            para("Diagnostic transversal du centre-ville : rapport et cartographie des secteurs à enjeux.", st["line"])
        )
        return out
    if code == "annexe_document_presentation":
        return [
            para(
                f"Le projet de redynamisation du centre-ville de {ville} s'organise autour des cinq axes du programme. "
                "Il a été présenté aux habitants lors de réunions publiques et aux commerçants lors d'ateliers dédiés.",
                st["body"],
            )
        ]
    if code == "annexe_plan_perimetres":
        drawing = perimetres_drawing(dossier)
        return [drawing] if drawing is not None else [para("Plan en cours d'élaboration.", st["body"])]
    if code == "annexe_calendrier_detaille":
        rows = [["Action", "Début", "Fin"]] + [
            [f"{f.id} – {f.intitule or ''}", date_fr(f.calendrier.debut), date_fr(f.calendrier.fin)]
            for f in fiches
            if f.calendrier
        ]
        return [simple_table(rows, [261.9, 110, 110], st)]
    if code == "annexe_budget_detaille":
        totals: dict[str, Decimal] = {}
        for f in fiches:
            for fin in f.financement:
                totals[fin.financeur] = totals.get(fin.financeur, Decimal(0)) + fin.montant
        rows = [["Financeur", "Montant"]] + [[name, euros(amount)] for name, amount in totals.items()]
        rows.append(["Ensemble des financements", euros(sum(totals.values(), Decimal(0)))])
        return [simple_table(rows, [301.9, 180], st)]
    if code == "annexe_fiches_actions":
        out = []
        for f in fiches:
            out.append(para(f"Fiche action {f.id} – {f.intitule or 'sans intitulé'}", st["subheading"]))
            text = fiche_paragraph(f)
            extra = []
            if f.date_approbation_comite_projet:
                extra.append(f"Approuvée par le comité de projet le {date_fr(f.date_approbation_comite_projet)}.")
            if f.date_comite_regional:
                extra.append(f"Examinée par le comité régional le {date_fr(f.date_comite_regional)}.")
            out.append(para(" ".join([text] + extra), st["body"]))
        return out
    return []


def avenant_pdf(
    dossier: Dossier,
    path: str | Path,
    *,
    numero: int = 1,
    omit_parts: Iterable[str] = frozenset(),
    omit_signataires: Iterable[str] = frozenset(),
    total_override: Decimal | None = None,
    pages: int | None = None,
) -> Path:
    """Avenant n° `numero`; `pages=N` pads the diagnostic until the PDF has at least N pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    omit_parts, omit_signataires = frozenset(omit_parts), frozenset(omit_signataires)
    avenant = avenant_of(dossier, numero)
    ville = dossier.collectivites.ville_centre.nom
    title, subject = f"Avenant n° {numero} – Action Cœur de Ville – {ville}", "Avenant à la convention-cadre"

    def render(padding: list[str]) -> tuple[bytes, int]:
        story = _avenant_story(dossier, avenant, numero, omit_parts, omit_signataires, total_override, padding)
        return build_pdf(story, title, subject)

    data, count = render([])
    if pages and count < pages and "diagnostic_afom" not in omit_parts:
        seed = f"{dossier.id}-avenant-{numero}"
        pool = padding_paragraphs(dossier, 40, seed)
        frame_width, frame_height = A4[0] - 4 * cm, A4[1] - 4 * cm
        style = pdf_styles()["body"]
        height = sum(para(t, style).wrap(frame_width, frame_height)[1] + style.spaceAfter for t in pool) / len(pool)
        per_page = frame_height / height  # padding paragraphs per page, first estimate
        base = count
        needed = int((pages - base) * per_page) + 1
        data, count = render(padding_paragraphs(dossier, needed, seed))
        if count != pages and count > base:  # correct the estimate with the pages they actually took
            per_page = needed / (count - base)
            needed = int((pages - base) * per_page) + 1
            data, count = render(padding_paragraphs(dossier, needed, seed))
        while count < pages:
            needed += int(per_page) + 1
            data, count = render(padding_paragraphs(dossier, needed, seed))
    return write_file(path, data)
