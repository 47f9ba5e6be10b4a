"""The conventions-cadres of the held-out corpus, continued: Montvalir-sur-Lize, Castelnoir-en-Ternois,
Rochefaye-d'Anval, Vaudrenne-en-Corbière, Sainte-Aurelle."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from instruct.samples.corpus.inedits_build import Article as A
from instruct.samples.corpus.inedits_build import Layout, actions_table, articles, total_of
from instruct.samples.corpus.inedits_conventions import textes_objet, valeurs
from instruct.samples.corpus.inedits_model import PageBreak, Parties, Piece, Signatures, Title, money
from instruct.samples.corpus.inedits_towns import (
    AL,
    ANAH,
    BANQUE,
    CASTELNOIR,
    CCI,
    CDC,
    CMA,
    EPF,
    MONTVALIR,
    REGION,
    ROCHEFAYE,
    SAINTE_AURELLE,
    VAUDRENNE,
    sans_alias,
    sans_delib,
)
from instruct.samples.corpus.inedits_words import (
    duree_text,
    fait_a,
    parties_entre,
    parties_liste,
    parties_soussignes,
    vu_lines,
)

D = dt.date


MONTVALIR_ACTIONS = [
    (1, "OPAH-RU du centre ancien", "CUGM", 2_100_000, 2019, 2024),
    (1, "Recyclage de l'îlot Saint-Jacques", "EPF de la Lize", 1_800_000, 2019, 2023),
    (1, "Permis de louer sur le centre-ville", "Ville", 30_000, 2019, 2019),
    (1, "Aide aux primo-accédants dans l'ancien", "CUGM", 250_000, 2019, 2022),
    (2, "Manager de commerce", "Ville", 180_000, 2018, 2021),
    (2, "Boutique à l'essai rue de la République", "Ville", 60_000, 2019, 2020),
    (2, "Droit de préemption commercial : acquisitions", "Ville", 900_000, 2019, 2023),
    (2, "Réaménagement du marché couvert", "Ville", 2_300_000, 2020, 2022),
    (3, "Schéma directeur cyclable", "CUGM", 90_000, 2019, 2019),
    (3, "Pôle d'échanges multimodal", "CUGM", 3_400_000, 2019, 2023),
    (3, "Signalétique piétonne", "Ville", 120_000, 2020, 2020),
    (4, "Requalification des quais de la Lize", "Ville", 1_950_000, 2019, 2022),
    (4, "Restauration de l'église Saint-Pierre (tranche 1)", "Ville", 700_000, 2020, 2021),
    (4, "Végétalisation de la place d'Armes", "Ville", 420_000, 2020, 2021),
    (5, "Maison France Services en cœur de ville", "CUGM", 300_000, 2019, 2020),
]


def montvalir() -> Piece:
    """platypus PDF, « 1. » and « 1.1 », amounts in k€ under a heading wrapped on two lines, a long
    ruled table running onto the next page without its header, the total in a sentence (M€)."""
    t = MONTVALIR
    orgs = [t.ville, t.epci, t.prefet, CDC, AL, ANAH, EPF]
    total = total_of(MONTVALIR_ACTIONS)
    assert total == Decimal("14600000")
    table = actions_table(
        MONTVALIR_ACTIONS,
        Layout(
            [["N°", "Intitulé de l'action", "Maître d'ouvrage", "Montant\nprévisionnel", "Période"]],
            ("id", "intitule", "mo", "cout", "periode"),
            form="k",
            widths=(0.6, 4, 2, 1.4, 1.2),
            repeat_header=False,
        ),
    )
    body = articles(
        [
            A("Les parties signataires", None, ["Les Parties sont désignées en tête de la présente convention."]),
            A("Préambule et objectifs poursuivis", "preambule_objectifs"),
            A("Engagements des parties", "engagement_parties"),
            A("Organisation et comité de projet", "organisation_comite_projet"),
            A("Composition du comité", sub=True, paragraphs=["Le comité réunit les signataires et les services."]),
            A("Équipe projet", sub=True, paragraphs=["Une cheffe de projet est recrutée par la Ville."]),
            A(
                "Phase d'initialisation",
                "phase_initialisation",
                [
                    "Le coût des études et actions matures de la phase d'initialisation est estimé à "
                    f"{money(total, 'm')} HT. Leur détail figure au tableau ci-après.",
                ]
                + textes_phase(),
                extra=(table,),
            ),
            A("Durée de la convention", "duree_evolution_fonctionnement", [duree_text(5, "stock")]),
            A("Suivi et évaluation", "suivi_evaluation"),
            A("Litiges", "traitement_litiges"),
        ],
        "decimal",
        valeurs(t),
    )
    day = D(2018, 10, 12)
    place, _ = fait_a("Montvalir-sur-Lize", day, "dot")
    return Piece(
        "inedit-05-montvalir-convention.pdf",
        "convention_cadre",
        "PDF reportlab, titres « 1. » et « 1.1 », ENTRE avec « M. NOM, Maire » et délibérations 01.10.2018, "
        "tableau quadrillé coupé sur deux pages sans en-tête répété, montants en k€, total en M€ dans une phrase",
        [
            Title(["Convention-cadre Action Cœur de Ville", "Montvalir-sur-Lize"]),
            Parties(orgs, parties_entre(orgs, rep="person", dates="dot")),
            *body,
            Signatures(place, None, orgs, day, columns=2),
        ],
        "pdf",
        budget_total=total,
        duree_annees=5,
        running_header="Ville de Montvalir-sur-Lize – Communauté urbaine du Grand Montvalir",
        options={"title": "Convention cadre ACV Montvalir-sur-Lize"},
    )


def textes_phase() -> list[str]:
    return [
        "Chaque action fait l'objet d'une fiche précisant son maître d'ouvrage, son calendrier et son plan de "
        "financement prévisionnel ; les fiches des actions matures sont annexées à la présente convention.",
        "Les actions dont la maturité n'est pas encore acquise seront intégrées par avenant, après validation "
        "par le comité de projet puis par le comité régional d'engagement.",
    ] * 6


CASTELNOIR_ACTIONS = [
    (1, "Étude pré-opérationnelle OPAH-RU", "Ternois Communauté", 85_000, 2018, 2019),
    (2, "Opération de reconquête des cellules commerciales vacantes", "Ville", 640_000, 2019, 2022),
    (3, "Navette électrique de centre-ville", "Ternois Communauté", 310_000, 2019, 2021),
    (4, "Aménagement de l'esplanade du Château", "Ville", 1_750_000, 2019, 2021),
    (5, "Pôle petite enfance rue des Halles", "Ternois Communauté", 2_250_000, 2020, 2022),
]


def castelnoir() -> Piece:
    """DOCX with Heading styles and automatic « ARTICLE N : » converted by LibreOffice, a heading
    wrapped on two lines, two header rows, « EUR », several signers per line."""
    t = CASTELNOIR
    orgs = [t.ville, t.epci, t.prefet, BANQUE, AL, ANAH, CCI, sans_delib(REGION)]
    table = actions_table(
        CASTELNOIR_ACTIONS,
        Layout(
            [
                ["Intitulé", "Maître\nd'ouvrage", "Calendrier", "", "Montant"],
                ["", "", "Début", "Fin", "(€ TTC)"],
            ],
            ("intitule", "mo", "debut", "fin", "cout"),
            form="code",
            total="Total",
        ),
    )
    body = articles(
        [
            A("Objet", None, textes_objet(t.nom)),
            A("Préambule et objectifs poursuivis", "preambule_objectifs"),
            A("Engagement général des parties", "engagement_parties"),
            A("Organisation des collectivités et comité de projet", "organisation_comite_projet"),
            A(
                "Durée, évolution et fonctionnement",
                "duree_evolution_fonctionnement",
                [duree_text(5, "stock")],
                wrap="général de la convention",
            ),
            A("Phase d'initialisation", "phase_initialisation", extra=(table,)),
            A("Modalités de suivi et d'évaluation", "suivi_evaluation"),
            A("Traitement des litiges", "traitement_litiges"),
        ],
        None,
        valeurs(t),
    )
    day = D(2018, 10, 19)
    place, _ = fait_a("Castelnoir-en-Ternois", day, "long")
    return Piece(
        "inedit-06-castelnoir-convention.pdf",
        "convention_cadre",
        "LibreOffice PDF d'un DOCX à styles Titre et numérotation automatique « ARTICLE N : », titre sur deux "
        "lignes, en-tête de tableau sur deux lignes, montants en EUR, CCI et Région, trois signataires par ligne",
        [
            Title(["CONVENTION-CADRE PLURIANNUELLE", "ACTION CŒUR DE VILLE", "CASTELNOIR-EN-TERNOIS"]),
            Parties(orgs, parties_entre(orgs, rep="person")),
            *body,
            Signatures(place, None, orgs, day, columns=3),
        ],
        "office",
        budget_total=total_of(CASTELNOIR_ACTIONS),
        duree_annees=5,
        running_header="Convention ACV – Castelnoir-en-Ternois",
        options={"auto": "ARTICLE", "title": "Convention Castelnoir-en-Ternois"},
    )


def rochefaye() -> Piece:
    """A PDF whose text came out of OCR: « 1'État », no table of actions, the durée as an end date,
    signed « en octobre 2018 » (no day), signatures « Le Maire de X, » one under the other."""
    t = ROCHEFAYE
    ville = replace(t.ville, qualite="Maire de Rochefaye-d'Anval", alias=None)
    epci_ = replace(t.epci, qualite="Président de la Communauté de communes des Coteaux d'Anval")
    orgs = [sans_alias(t.ville), t.epci, t.prefet, CDC]
    paragraphs = [p.replace("L'État", "1'État") for p in parties_entre(orgs, dates="long")]
    body = articles(
        [
            A("Préambule et objectifs poursuivis", "preambule_objectifs"),
            A("Engagement des parties", "engagement_parties"),
            A(
                "Phase d'initialisation",
                "phase_initialisation",
                [
                    "Sont engagées dès 2018 : la réfection de la place de la Halle, l'étude habitat du bourg "
                    "ancien et le recrutement d'un chef de projet. Leur financement sera précisé en comité."
                ],
            ),
            A("Durée de la convention", "duree_evolution_fonctionnement", [duree_text(None, "")]),
            A("Suivi et évaluation", "suivi_evaluation"),
        ],
        "ARTICLE_dash",
        valeurs(t),
    )
    return Piece(
        "inedit-07-rochefaye-convention.pdf",
        "convention_cadre",
        "PDF au texte issu d'OCR (« 1'État »), sans tableau d'actions, durée donnée par une date de fin, "
        "« Fait à … en octobre 2018 » sans jour, signataires l'un sous l'autre « Le Maire de X, »",
        [
            Title(["CONVENTION ACTION CŒUR DE VILLE", "ROCHEFAYE-D'ANVAL"]),
            Parties(orgs, paragraphs),
            *body,
            Signatures(
                "Fait à Rochefaye-d'Anval, en octobre 2018", None, [ville, epci_, t.prefet], None, 1, pour=False
            ),
        ],
        "canvas",
        running_header="",
        options={"title": "scan0042", "author": "Xerox WorkCentre", "hyphenate": False, "serif": False},
    )


VAUDRENNE_ACTIONS = [
    (1, "Étude habitat et peuplement du centre ancien", "Corbière Agglomération", 60_000, 2018, 2019),
    (2, "Création d'une halle gourmande", "Commune", 1_200_000, 2019, 2021),
    (3, "Requalification de l'avenue de la Gare", "Commune", 2_500_000, 2019, 2022),
    (4, "Restauration du pont des Moines", "Commune", 850_000, 2020, 2021),
]


def vaudrenne() -> Piece:
    """DOCX, bold headings without style « Article premier : », the parties as a list, the préfet
    unnamed, amounts in M€, « Règlement des différends », the signature date left blank."""
    t = VAUDRENNE
    orgs = [t.ville, t.epci, t.prefet, CDC, AL, ANAH]
    table = actions_table(
        VAUDRENNE_ACTIONS,
        Layout(
            [["Réf.", "Action", "Maître d'ouvrage", "Coût estimé", "Calendrier"]],
            ("id", "intitule", "mo", "cout", "periode"),
            form="m",
            ids="letter",
        ),
    )
    body = articles(
        [
            A("Objet de la convention", None, textes_objet(t.nom)),
            A("Préambule et objectifs poursuivis", "preambule_objectifs"),
            A("Engagements généraux des parties", "engagement_parties"),
            A("Comité de projet et organisation des collectivités", "organisation_comite_projet"),
            A("Phase d'initialisation", "phase_initialisation", extra=(table,)),
            A("Durée", "duree_evolution_fonctionnement", [duree_text(4, "annees")]),
            A("Évaluation et suivi", "suivi_evaluation", None),
            A("Règlement des différends", "traitement_litiges"),
        ],
        "article_premier",
        valeurs(t, 4),
        bold_only=True,
    )
    place, _ = fait_a("Vaudrenne-en-Corbière", None, "long")
    annexe = articles(
        [
            A(
                "ANNEXE 1 : Fiches-actions matures",
                "annexe_fiches_matures",
                [f"Fiche {chr(65 + a[0] - 1)}1 – {a[1]}" for a in VAUDRENNE_ACTIONS],
                plain=True,
            )
        ],
        None,
        {},
        bold_only=True,
    )
    return Piece(
        "inedit-08-vaudrenne-convention.docx",
        "convention_cadre",
        "DOCX, titres en gras sans style « Article premier : », parties en liste, préfet non nommé, montants en "
        "M€, « Règlement des différends », date de signature laissée en blanc, annexe non numérotée",
        [
            Title(["Convention-cadre « Action Cœur de Ville »", "Vaudrenne-en-Corbière"]),
            Parties(orgs, vu_lines(orgs, "slash") + parties_liste([sans_delib(o) for o in orgs])),
            *body,
            Signatures(place, None, orgs, None, columns=2),
            PageBreak(),
            *annexe,
        ],
        "docx",
        budget_total=None,
        duree_annees=4,
        options={"title": "convention vaudrenne v3 définitive", "font": "Times New Roman"},
    )


AURELLE_ACTIONS = [
    (1, "Programme d'intérêt général habitat dégradé", "Métropole", 1_400_000, 2019, 2023),
    (1, "Résidence seniors de l'ancien hôpital", "Bailleur social", 5_600_000, 2020, 2023),
    (2, "Stratégie commerciale et foncière", "Ville", 75_000, 2018, 2019),
    (3, "Zone de rencontre rue Nationale", "Ville", 980_000, 2019, 2020),
    (4, "Jardin public des Récollets", "Ville", 1_150_000, 2019, 2021),
]


def aurelle() -> Piece:
    """DOCX with automatic « 1. » numbering and Heading styles, converted by LibreOffice: ENTRE LES
    SOUSSIGNÉS, merged axis rows, « Montant prévisionnel » and « Financement » columns, TOTAL
    GÉNÉRAL, a bordered signature grid, the date typed 30/10/2018."""
    t = SAINTE_AURELLE
    orgs = [t.ville, t.epci, t.prefet, CDC, AL, ANAH, CMA]
    table = actions_table(
        AURELLE_ACTIONS,
        Layout(
            [["Axe / Action", "Montant prévisionnel", "Maître d'ouvrage", "Financement"]],
            ("intitule", "cout", "mo", "periode"),
            form="eur",
            axes=True,
            total="TOTAL GÉNÉRAL",
        ),
    )
    table.header = [["Axe / Action", "Montant prévisionnel", "Maître d'ouvrage", "Années"]]
    body = articles(
        [
            A("Préambule et objectifs poursuivis", "preambule_objectifs"),
            A("Engagement général des parties", "engagement_parties"),
            A("Organisation des collectivités et comité de projet", "organisation_comite_projet"),
            A("Durée, évolution et fonctionnement général de la convention", "duree_evolution_fonctionnement"),
            A("Phase d'initialisation", "phase_initialisation", extra=(table,)),
            A("Modalités de suivi et évaluation", "suivi_evaluation"),
            A("Traitement des litiges", "traitement_litiges"),
        ],
        None,
        valeurs(t, 5),
    )
    day = D(2018, 10, 30)
    place, _ = fait_a("Sainte-Aurelle", day, "slash")
    return Piece(
        "inedit-09-sainte-aurelle-convention.pdf",
        "convention_cadre",
        "LibreOffice PDF d'un DOCX à numérotation automatique « 1. », ENTRE LES SOUSSIGNÉS, lignes d'axe "
        "fusionnées, TOTAL GÉNÉRAL, grille de signatures encadrée, date 30/10/2018",
        [
            Title(["Convention-cadre Action Cœur de Ville de Sainte-Aurelle"]),
            Parties(orgs, parties_soussignes(orgs, 2, dates="slash")),
            *body,
            Signatures(place, None, orgs, day, columns=2),
        ],
        "office",
        budget_total=total_of(AURELLE_ACTIONS),
        duree_annees=5,
        running_header="Sainte-Aurelle – convention-cadre ACV",
        options={"auto": "decimal", "title": "Convention-cadre Sainte-Aurelle", "grid_borders": True},
    )
