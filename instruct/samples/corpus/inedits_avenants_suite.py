"""The avenants of the held-out corpus, continued: Port-Arvelle, Montvalir-sur-Lize, Castelnoir-en-Ternois,
Sainte-Aurelle."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from instruct.samples.corpus.inedits_avenants import budget_phrases, valeurs
from instruct.samples.corpus.inedits_build import Article as A
from instruct.samples.corpus.inedits_build import Layout, actions_table, articles, total_of
from instruct.samples.corpus.inedits_model import PageBreak, Parties, Piece, Signatures, Title, money
from instruct.samples.corpus.inedits_towns import (
    AL,
    ANAH,
    ANRU,
    BANQUE,
    CASTELNOIR,
    CDC,
    MONTVALIR,
    PORT_ARVELLE,
    SAINTE_AURELLE,
    sans_alias,
)
from instruct.samples.corpus.inedits_words import (
    fait_a,
    parties_entre,
    parties_prose,
    parties_soussignes,
    textes,
)

D = dt.date


ARVELLE_PLAN = [
    (1, "Opération de restauration immobilière îlot du Port", "Intercom", 1_650_000, 2020, 2024),
    (2, "Halle marchande du quai Duguay", "Ville", 2_200_000, 2020, 2022),
    (3, "Liaison douce gare – centre", "Intercom", 890_000, 2020, 2022),
    (4, "Mise en lumière des remparts", "Ville", 310_000, 2020, 2020),
    (5, "Centre social et France Services", "Ville", 1_250_000, 2021, 2023),
]


def arvelle_1() -> Piece:
    """platypus PDF, « AVENANT N° 1 », roman « II – » numbering, a ruled table whose cost heading
    wraps on two lines and whose amounts use non-breaking spaces, a TOTAL row, parties in prose."""
    t = PORT_ARVELLE
    ville, epci_ = replace(t.ville, deliberation=D(2020, 1, 20)), replace(t.epci, deliberation=D(2020, 1, 23))
    orgs = [ville, epci_, t.prefet, BANQUE, AL, ANAH]
    total = total_of(ARVELLE_PLAN)
    table = actions_table(
        ARVELLE_PLAN,
        Layout(
            [["Axe", "Action", "Porteur", "Montant\nprévisionnel (€)", "Années"]],
            ("id", "intitule", "mo", "cout", "periode"),
            form="nbsp",
            total="TOTAL",
            widths=(0.6, 4, 1.5, 1.7, 1.2),
            ids="plain",
        ),
    )
    body = articles(
        [
            A(
                "Objet du présent avenant",
                None,
                [
                    "Le présent avenant précise le projet de revitalisation de Port-Arvelle à l'issue de la phase "
                    "d'initialisation ouverte par la convention-cadre du 5 novembre 2018."
                ],
            ),
            A("Synthèse du diagnostic (AFOM)", "diagnostic_afom"),
            A("Objectifs généraux", "objectifs_generaux_et_par_axe"),
            A("Périmètre de l'ORT et secteurs d'intervention", "perimetres_intervention"),
            A("Plan d'actions", "plan_actions", extra=(table,)),
            A("Calendrier général", "calendrier_general"),
            A("Plan de financement", "budget_financement", budget_phrases(total, Decimal(3_100_000), "eur")),
        ],
        "roman",
        valeurs(t),
    )
    day = D(2020, 2, 1)
    place, _ = fait_a("Port-Arvelle", day, "long")
    return Piece(
        "inedit-13-port-arvelle-avenant-1.pdf",
        "avenant",
        "PDF reportlab, « AVENANT N° 1 », titres « II – », parties en prose, tableau quadrillé à en-tête sur deux "
        "lignes « Montant / prévisionnel (€) », espaces insécables, TOTAL, « Plan de financement », page de "
        "signatures numérisée (image) datée du 1er février 2020",
        [
            Title(["AVENANT N° 1", "CONVENTION-CADRE ACTION CŒUR DE VILLE DE PORT-ARVELLE"]),
            Parties(orgs, parties_prose(orgs, 2)),
            *body,
            Signatures(place, None, orgs, day, columns=2, scanned=True),
        ],
        "pdf",
        numero=1,
        budget_total=total,
        running_footer="Port-Arvelle – Avenant n° 1 à la convention ACV",
        options={"title": "Avenant 1 Port-Arvelle", "serif": True},
    )


MONTVALIR_AJOUTS = [
    (
        1,
        "Îlot Saint-Jacques : démolition et reconstruction de 24 logements",
        "Bailleur Lize Habitat",
        3_900_000,
        2021,
        2024,
    ),
    (2, "Aide à la reprise des commerces de la rue de la République", "Ville", 240_000, 2021, 2023),
    (4, "Parvis de l'église Saint-Pierre", "Ville", 560_000, 2021, 2022),
]
MONTVALIR_PARTS = {
    "Îlot Saint-Jacques : démolition et reconstruction de 24 logements": "Action Logement 45 % ; Anah 20 % ; CUGM 35 %",
    "Aide à la reprise des commerces de la rue de la République": "Banque des Territoires 50 % ; Ville 50 %",
    "Parvis de l'église Saint-Pierre": "État (DSIL) 40 % ; Ville 60 %",
}


MONTVALIR_AVANT = Decimal(14_600_000)  # the convention-cadre's programme


def montvalir_2() -> Piece:
    """DOCX, « DEUXIÈME AVENANT », bold headings « ARTICLE N - » typed, costs and financing shares
    side by side, délibérations typed 15.03.2021, the signers as paragraphs one under the other."""
    t = MONTVALIR
    ville = replace(t.ville, deliberation=D(2021, 3, 15))
    epci_ = replace(t.epci, deliberation=D(2021, 3, 18))
    orgs = [ville, epci_, t.prefet, BANQUE, AL, ANAH]
    rows = [(a, i, m, c, d, f) for a, i, m, c, d, f in MONTVALIR_AJOUTS]
    table = actions_table(
        rows,
        Layout(
            [["Action", "Maître d'ouvrage", "Coût HT", "Financement"]],
            ("intitule", "mo", "cout", "fin"),
            form="ht",
        ),
    )
    for row, action in zip(table.rows, MONTVALIR_AJOUTS, strict=True):
        row.cells[3] = MONTVALIR_PARTS[action[1]]
    total = MONTVALIR_AVANT + total_of(MONTVALIR_AJOUTS)
    body = articles(
        [
            A("Objet", None, ["Le présent avenant intègre au plan d'actions trois actions devenues matures."]),
            A("Modification du plan d'actions", "plan_actions", extra=(table,)),
            A(
                "Incidence financière",
                "budget_financement",
                [
                    f"Le montant des actions nouvelles est de {money(total - MONTVALIR_AVANT, 'ht')}. Le plan "
                    "de financement de chacune figure au tableau ci-dessus. Le coût total du programme Action "
                    f"Cœur de Ville de Montvalir-sur-Lize est porté de 14,6 M€ à {money(total, 'm')} HT."
                ],
            ),
            A("Dispositions inchangées", None, textes("inchange")),
        ],
        None,
        valeurs(t),
        bold_only=True,
    )
    day = D(2021, 4, 6)
    place, _ = fait_a("Montvalir-sur-Lize", day, "dot")
    return Piece(
        "inedit-14-montvalir-deuxieme-avenant.docx",
        "avenant",
        "DOCX, « DEUXIÈME AVENANT », titres en gras sans style numérotés automatiquement « ARTICLE N - » (le numéro "
        "n'est pas dans le texte), coûts et clés de financement côte à côte, "
        "délibérations 15.03.2021, signataires en paragraphes l'un sous l'autre",
        [
            Title(["DEUXIÈME AVENANT", "à la convention-cadre Action Cœur de Ville", "de Montvalir-sur-Lize"]),
            Parties(orgs, parties_entre(orgs, rep="person", dates="dot")),
            *body,
            Signatures(place, None, orgs, day, columns=1),
        ],
        "docx",
        numero=2,
        budget_total=total,
        options={"title": "Deuxième avenant Montvalir", "auto": "ARTICLE_dash"},
    )


def castelnoir_3() -> Piece:
    """DOCX with automatic « TITRE I - » / « Article N » numbering on two levels, converted by
    LibreOffice, « Avenant n° 3 », « Calendrier général », a budget in a sentence only."""
    t = CASTELNOIR
    ville, epci_ = replace(t.ville, deliberation=D(2021, 2, 1)), replace(t.epci, deliberation=D(2021, 2, 4))
    orgs = [ville, epci_, t.prefet]
    body = articles(
        [
            A(
                "Dispositions générales",
                None,
                ["Le présent avenant n° 3 modifie le calendrier et le budget du projet après la crise sanitaire."],
            ),
            A("Objet", sub=True, paragraphs=["Il reporte d'un an les actions de l'axe 4."]),
            A("Contenu de l'avenant", None, []),
            A("Calendrier général", "calendrier_general", sub=True),
            A(
                "Budget et financement",
                "budget_financement",
                sub=True,
                paragraphs=[
                    "Le budget global du projet est porté à 5 535 000 € TTC, dont 2 100 000 € de cofinancements.",
                ],
            ),
        ],
        None,
        valeurs(t),
    )
    day = D(2021, 2, 22)
    place, _ = fait_a("Castelnoir-en-Ternois", day, "slash")
    return Piece(
        "inedit-15-castelnoir-avenant-3.pdf",
        "avenant",
        "LibreOffice PDF d'un DOCX à numérotation automatique sur deux niveaux « TITRE I - » et « Article N », "
        "avenant n° 3 sans tableau, budget dans une phrase, trois signataires par ligne",
        [
            Title(["Avenant n° 3", "Convention Action Cœur de Ville de Castelnoir-en-Ternois"]),
            Parties(orgs, parties_entre(orgs)),
            *body,
            Signatures(place, None, orgs, day, columns=3),
        ],
        "office",
        numero=3,
        budget_total=Decimal(5_535_000),
        options={"auto": "titre", "title": "Avenant 3 Castelnoir"},
    )


AURELLE_PLAN = [
    (1, "Programme d'intérêt général habitat dégradé", "Métropole", 1_400_000, 2019, 2023),
    (1, "Résidence seniors de l'ancien hôpital", "Bailleur social", 5_600_000, 2020, 2023),
    (3, "Zone de rencontre rue Nationale", "Ville", 980_000, 2019, 2020),
    (3, "Vélo-station de la gare", "Métropole", 420_000, 2021, 2022),
    (4, "Jardin public des Récollets", "Ville", 1_150_000, 2019, 2021),
]


def aurelle_1() -> Piece:
    """DOCX with Heading styles and typed « 1) », converted by LibreOffice: a table giving the
    amount and the town's share in percent, merged axis rows, annexes « Fiches actions »."""
    t = SAINTE_AURELLE
    ville, epci_ = replace(t.ville, deliberation=D(2019, 11, 12)), replace(t.epci, deliberation=D(2019, 11, 14))
    anru = replace(ANRU, nom=t.prefet.nom)  # the préfet is the ANRU's délégué territorial
    orgs = [ville, epci_, t.prefet, CDC, sans_alias(AL), ANAH, anru]
    total = total_of(AURELLE_PLAN)
    table = actions_table(
        AURELLE_PLAN,
        Layout(
            [["Axe / Action", "Montant (€ HT)", "Part Ville (%)", "Maître d'ouvrage"]],
            ("intitule", "cout", "debut", "mo"),
            form="bare",
            axes=True,
            total="TOTAL",
        ),
    )
    shares = ["20 %", "0 %", "45 %", "30 %", "60 %"]
    for row in (r for r in table.rows if r.kind == "action"):
        row.cells[2] = shares.pop(0)
    body = articles(
        [
            A("Diagnostic", "diagnostic_afom"),
            A("Objectifs généraux du projet et par axe", "objectifs_generaux_et_par_axe"),
            A("Périmètres d'intervention", "perimetres_intervention"),
            A("Plan d'actions", "plan_actions", extra=(table,)),
            A("Calendrier", "calendrier_general"),
            A("Budget et financement", "budget_financement", budget_phrases(total, Decimal(4_800_000), "eur")),
        ],
        "decimal_paren",
        valeurs(t),
    )
    annexes = articles(
        [
            A("Annexe – Plan des périmètres", "annexe_plan_perimetres", plain=True),
            A("Annexe – Fiches actions", "annexe_fiches_actions", plain=True),
        ],
        None,
        {},
    )
    day = D(2019, 11, 28)
    place, _ = fait_a("Sainte-Aurelle", day, "long")
    return Piece(
        "inedit-16-sainte-aurelle-avenant-1.pdf",
        "avenant",
        "LibreOffice PDF d'un DOCX à styles Titre et numéros tapés « 1) », tableau montant + part de la Ville en %, "
        "lignes d'axe fusionnées, deux annexes « Annexe – … »",
        [
            Title(["AVENANT N°1 À LA CONVENTION-CADRE", "ACTION CŒUR DE VILLE – SAINTE-AURELLE"]),
            Parties(orgs, parties_soussignes(orgs, 2, dates="slash")),
            *body,
            Signatures(place, None, orgs, day, columns=2),
            PageBreak(),
            *annexes,
        ],
        "office",
        numero=1,
        budget_total=total,
        running_header="Sainte-Aurelle – Avenant n°1",
        options={"title": "Avenant 1 Sainte-Aurelle", "grid_borders": True},
    )
