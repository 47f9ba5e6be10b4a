"""The avenants of the held-out corpus: one valant convention d'ORT, avenants de projet with the
whole trame and its annexes, simple avenants adding actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from instruct.samples.corpus.inedits_build import Article as A
from instruct.samples.corpus.inedits_build import Layout, actions_table, articles, total_of
from instruct.samples.corpus.inedits_model import PageBreak, Parties, Piece, Signatures, Title, money
from instruct.samples.corpus.inedits_towns import (
    ACTIONS,
    AL,
    ANAH,
    CALMEILLES,
    CDC,
    SAINT_ONDRAS,
    VIEUX_BREZAC,
    Org,
)
from instruct.samples.corpus.inedits_words import (
    fait_a,
    parties_entre,
    parties_prose,
    parties_soussignes,
    textes,
)

D = dt.date


def valeurs(town) -> dict:
    return {"ville": town.nom, "epci": town.sigle}


def budget_phrases(total: Decimal, cofin: Decimal, form: str) -> list[str]:
    return textes(
        "budget_financement",
        total=money(total, form),
        cofin=money(cofin, form),
        porteur=money(total - cofin, form),
    )


LIZAC = Org("autre_commune", "Commune de Lizac", "la", "Maire", "Odile FERRIÈRE", "Mme", deliberation=D(2019, 6, 24))
BREZAC_ORT = sorted(
    ACTIONS["brezac"]
    + [
        (1, "Opération de restauration immobilière rue des Tanneurs", "CABVL", 780_000, 2020, 2024),
        (2, "Dispositif d'aide à l'installation de commerces", "CABVL", 210_000, 2019, 2022),
        (4, "Aménagement du centre-bourg de Lizac", "Commune de Lizac", 640_000, 2020, 2021),
    ],
    key=lambda action: action[0],
)


def brezac_ort() -> Piece:
    """DOCX, avenant n° 1 valant convention d'ORT: another commune signs, « Secteurs d'intervention
    de l'ORT », « Programme d'actions » with a TOTAL row, « Maquette financière », annexes."""
    t = VIEUX_BREZAC
    ville = replace(t.ville, deliberation=D(2019, 6, 27))
    epci_ = replace(t.epci, deliberation=D(2019, 6, 20))
    orgs = [ville, epci_, LIZAC, t.prefet, CDC, AL, ANAH]
    total = total_of(BREZAC_ORT)
    table = actions_table(
        BREZAC_ORT,
        Layout(
            [["N°", "Libellé de l'action", "Maître d'ouvrage", "Coût HT", "Calendrier"]],
            ("id", "intitule", "mo", "cout", "periode"),
            form="ht",
            axes=True,
            total="TOTAL",
        ),
    )
    body = articles(
        [
            A(
                "Objet de l'avenant",
                None,
                [
                    "Le présent avenant a pour objet de compléter la convention-cadre signée le 12 octobre 2018 et "
                    "de la transformer en convention d'opération de revitalisation de territoire (ORT), au sens de "
                    "l'article L. 303-2 du code de la construction et de l'habitation."
                ],
            ),
            A("Résultats du diagnostic", "diagnostic_afom"),
            A("Objectifs généraux du projet et par axe", "objectifs_generaux_et_par_axe"),
            A("Secteurs d'intervention de l'ORT", "perimetres_intervention"),
            A("Programme d'actions", "plan_actions", extra=(table,)),
            A("Calendrier général", "calendrier_general"),
            A("Maquette financière", "budget_financement", budget_phrases(total, Decimal(4_650_000), "ht")),
            A("Dispositions inchangées", None, textes("inchange")),
        ],
        "article_er",
        valeurs(t),
    )
    annexes = articles(
        [
            A("Annexe 1 – Plan des périmètres d'intervention", "annexe_plan_perimetres", plain=True),
            A("Annexe 2 – Budget détaillé du projet", "annexe_budget_detaille", plain=True),
            A("Annexe 3 – Fiches-actions", "annexe_fiches_actions", plain=True),
        ],
        None,
        {},
    )
    day = D(2019, 7, 15)
    place, date_line = fait_a("Vieux-Brézac", day, "long", copies=8)
    return Piece(
        "inedit-10-vieux-brezac-avenant-1-ort.docx",
        "avenant",
        "DOCX, avenant n° 1 valant convention d'ORT, une autre commune signataire, « Secteurs d'intervention de "
        "l'ORT », « Programme d'actions » avec lignes d'axe et TOTAL, « Maquette financière », trois annexes",
        [
            Title(
                [
                    "AVENANT N° 1 À LA CONVENTION-CADRE ACTION CŒUR DE VILLE",
                    "VALANT CONVENTION D'OPÉRATION DE REVITALISATION DE TERRITOIRE",
                    "Vieux-Brézac – Lizac",
                ]
            ),
            Parties(orgs, parties_entre(orgs)),
            *body,
            Signatures(place, date_line, orgs, day, columns=2),
            PageBreak(),
            *annexes,
        ],
        "docx",
        numero=1,
        budget_total=total,
        running_header="Avenant n° 1 – ORT de Vieux-Brézac",
        options={"title": "Avenant 1 ORT Vieux-Brézac"},
    )


ONDRAS_NOUVELLES = [
    (2, "Création d'une halle de producteurs", "Ville", 650_000, 2020, 2021),
    (4, "Réhabilitation du lavoir de la rue Basse", "Ville", 180_000, 2020, 2020),
]


ONDRAS_AVANT = total_of(ACTIONS["ondras"])  # the convention-cadre's programme


def ondras_2() -> Piece:
    """Laid out line by line, « AVENANT N°2 », a simple avenant adding two actions, the total of
    the added actions in a sentence, three signers."""
    t = SAINT_ONDRAS
    orgs = [replace(t.ville, deliberation=D(2020, 3, 10)), replace(t.epci, deliberation=D(2020, 2, 27)), t.prefet]
    table = actions_table(
        ONDRAS_NOUVELLES,
        Layout(
            [["Action", "Porteur", "Montant", "Échéance"]],
            ("intitule", "mo", "cout", "fin"),
            form="dots",
            widths=(5, 2, 2, 1.4),
            ruled=False,
        ),
    )
    total = ONDRAS_AVANT + total_of(ONDRAS_NOUVELLES)
    body = articles(
        [
            A(
                "Objet",
                None,
                [
                    "Le présent avenant complète le plan d'actions de la convention-cadre du 1er octobre 2018 par "
                    "deux actions validées par le comité de projet du 14 janvier 2020."
                ],
            ),
            A(
                "Plan d'actions",
                "plan_actions",
                ["Le plan d'actions est complété des actions suivantes :"],
                extra=(table,),
            ),
            A(
                "Budget et financement",
                "budget_financement",
                [
                    f"Le coût des actions ajoutées s'élève à {money(total - ONDRAS_AVANT, 'ht')}, financé à "
                    "parts égales par la Ville et ses partenaires. Le coût total du programme est ainsi porté à "
                    f"{money(total, 'ht')}."
                ],
            ),
            A("Autres dispositions", None, textes("inchange")),
        ],
        "ARTICLE",
        valeurs(t),
    )
    day = D(2020, 3, 16)
    place, _ = fait_a("Saint-Ondras", day, "slash")
    return Piece(
        "inedit-11-saint-ondras-avenant-2.pdf",
        "avenant",
        "PDF mis en page ligne à ligne avec césures, avenant simple n° 2 ajoutant deux actions (tableau sans "
        "filets, montants 650.000 €), coût des ajouts dans une phrase, signatures sur trois colonnes",
        [
            Title(["AVENANT N°2", "à la convention-cadre Action Cœur de Ville de Saint-Ondras"]),
            Parties(orgs, parties_soussignes(orgs, 2)),
            *body,
            Signatures(place, None, orgs, day, columns=3),
        ],
        "canvas",
        numero=2,
        budget_total=total,
        running_header="Avenant n°2 – Saint-Ondras",
        options={"title": "Avenant 2 Saint-Ondras"},
    )


CALMEILLES_PLAN = [
    (1, "OPAH-RU du centre historique", "Calmeilles Métropole", 2_400_000, 2020, 2025),
    (1, "Résorption de l'habitat insalubre îlot Cordeliers", "Ville", 1_100_000, 2020, 2023),
    (2, "Foncière commerciale du centre-ville", "SEM Calmeilles Aménagement", 1_500_000, 2019, 2023),
    (2, "Marché de plein vent rénové", "Ville", 350_000, 2021, 2021),
    (3, "Parking relais des Tanneurs", "Calmeilles Métropole", 2_750_000, 2019, 2021),
    (4, "Réfection du cours Gambetta", "Ville", 3_200_000, 2020, 2022),
    (5, "Relocalisation du conservatoire au centre", "Ville", 4_800_000, 2020, 2024),
]


def calmeilles_1() -> Piece:
    """DOCX with automatic « 1. » numbering and Heading styles, converted by LibreOffice: the whole
    trame, thousands of euros under « Coût (k€ HT) », three annexes named differently."""
    t = CALMEILLES
    ville, epci_ = replace(t.ville, deliberation=D(2019, 11, 25)), replace(t.epci, deliberation=D(2019, 11, 29))
    orgs = [ville, epci_, t.prefet, CDC, AL, ANAH]
    total = total_of(CALMEILLES_PLAN)
    table = actions_table(
        CALMEILLES_PLAN,
        Layout(
            [["Axe / Action", "Maître d'ouvrage", "Coût (k€ HT)", "Début", "Fin"]],
            ("intitule", "mo", "cout", "debut", "fin"),
            form="kbare",
            axes=True,
            total="TOTAL",
        ),
    )
    body = articles(
        [
            A("Diagnostic du territoire (analyse AFOM)", "diagnostic_afom"),
            A("Objectifs généraux et déclinaison par axe", "objectifs_generaux_et_par_axe"),
            A("Périmètres d'intervention", "perimetres_intervention"),
            A("Plan d'actions pluriannuel", "plan_actions", extra=(table,)),
            A("Calendrier de mise en œuvre", "calendrier_general"),
            A("Budget et financement", "budget_financement", budget_phrases(total, Decimal(7_300_000), "m")),
        ],
        None,
        valeurs(t),
    )
    annexes = articles(
        [
            A("Annexe 1 – Livrables des études", "annexe_livrables_etudes", plain=True),
            A("Annexe 2 – Document de présentation du projet", "annexe_document_presentation", plain=True),
            A("Annexe 3 – Calendrier détaillé", "annexe_calendrier_detaille", plain=True),
        ],
        None,
        {},
    )
    day = D(2019, 12, 9)
    place, _ = fait_a("Calmeilles", day, "long")
    return Piece(
        "inedit-12-calmeilles-avenant-1.pdf",
        "avenant",
        "LibreOffice PDF d'un DOCX à styles Titre et numérotation automatique « 1. », trame complète, milliers "
        "d'euros sous « Coût (k€ HT) », budget en M€ dans une phrase, trois annexes",
        [
            Title(["Avenant n°1 à la convention-cadre Action Cœur de Ville", "Ville de Calmeilles"]),
            Parties(orgs, parties_prose(orgs, 2)),
            *body,
            Signatures(place, None, orgs, day, columns=2),
            PageBreak(),
            *annexes,
        ],
        "office",
        numero=1,
        budget_total=total,
        running_header="Calmeilles – avenant n°1",
        options={"auto": "decimal", "title": "Avenant 1 Calmeilles"},
    )
