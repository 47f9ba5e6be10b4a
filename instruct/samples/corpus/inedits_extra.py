"""Two more pieces: a convention-cadre in titres and articles (« TITRE I – … », then « Article 1er
– … » inside) with its qualities in lower case and amounts with cents; an avenant laid out line by
line whose parties' names are cut at the line end."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from instruct.samples.corpus.inedits_build import Layout, actions_table, total_of
from instruct.samples.corpus.inedits_model import Heading, Org, Para, Parties, Piece, Signatures, Title, date_fr
from instruct.samples.corpus.inedits_towns import ANAH, BANQUE, DEPARTEMENT, EPF, VIEUX_BREZAC, sans_delib
from instruct.samples.corpus.inedits_words import DUREE_MOTS, parties_entre, parties_prose, textes

D = dt.date

VILLE = Org(
    "ville_centre", "Commune de Mirevaux-sur-Orbe", "la", "maire", "Bruno CASTAGNÉ", deliberation=D(2018, 9, 25)
)
EPCI = Org(
    "intercommunalite",
    "Communauté de communes du Pays de Mirevaux",
    "la",
    "président",
    "Henri DELPECH",
    deliberation=D(2018, 9, 27),
    organe="du conseil communautaire",
    alias="la CCPM",
)
PREFET = Org("prefet", "État", "l'", "préfet de l'Orbe", "Yves MAUREL", par="le", feminine=False)
AL_SERVICES = Org(
    "action_logement", "Action Logement Services", "", "directrice régionale", "Claire ROUSSILHE", "Mme", par="sa"
)
ACTIONS = [
    (1, "Étude pré-opérationnelle d'OPAH-RU", "CCPM", Decimal("85000.00"), 2018, 2019),
    (2, "Acquisition-réhabilitation de l'ancienne droguerie Fabre", "Commune", Decimal("412500.00"), 2019, 2020),
    (3, "Aménagement du parvis de la gare routière", "CCPM", Decimal("1260000.00"), 2019, 2021),
    (4, "Restauration des façades de la Grand-Rue (tranche 1)", "Commune", Decimal("338750.00"), 2019, 2022),
]


def mirevaux() -> Piece:
    orgs = [VILLE, EPCI, PREFET, BANQUE, AL_SERVICES, ANAH, sans_delib(DEPARTEMENT), EPF]
    table = actions_table(
        ACTIONS,
        Layout(
            [["N°", "Opération", "Maître d'ouvrage", "Montant TTC", "Réalisation"]],
            ("id", "intitule", "mo", "cout", "periode"),
            form="cents",
            total="TOTAL",
            widths=(0.6, 4, 1.6, 1.6, 1.2),
        ),
    )
    values = {"ville": "Mirevaux-sur-Orbe", "epci": "la CCPM", "duree": 5, "duree_mots": DUREE_MOTS[5]}
    day = D(2018, 11, 5)
    place, date_line = "Fait à Mirevaux-sur-Orbe,", f"le {date_fr(day)}"

    def article(n: int, titre: str, code: str | None, paragraphs: list[str] | None = None) -> list:
        label = "Article 1er –" if n == 1 else f"Article {n} –"
        text = paragraphs if paragraphs is not None else textes(code, **values)
        return [Heading(titre, level=2, label=label, code=code)] + [Para(p) for p in text]

    return Piece(
        "inedit-17-mirevaux-convention.pdf",
        "convention_cadre",
        "PDF reportlab en titres et articles (« TITRE I – », « Article 1er – »), qualités en minuscules « son "
        "maire, M. NOM », délibérations en toutes lettres, montants TTC avec centimes, date à la ligne sans "
        "nombre d'exemplaires",
        [
            Title(["CONVENTION-CADRE PLURIANNUELLE", "ACTION CŒUR DE VILLE", "MIREVAUX-SUR-ORBE"]),
            Parties(orgs, parties_entre(orgs)),
            Heading("DISPOSITIONS GÉNÉRALES", label="TITRE I –"),
            *article(1, "Préambule", "preambule_objectifs"),
            *article(2, "Engagements des parties", "engagement_parties"),
            *article(3, "Gouvernance et comité de projet", "organisation_comite_projet"),
            Heading("MISE EN ŒUVRE", label="TITRE II –"),
            *article(4, "Phase d'initialisation", "phase_initialisation"),
            table,
            *article(
                5,
                "Durée de la convention",
                "duree_evolution_fonctionnement",
                [
                    "La présente convention est conclue pour cinq ans à compter de sa signature. Elle peut être "
                    "modifiée par avenant signé de l'ensemble des Parties."
                ],
            ),
            *article(6, "Suivi et évaluation", "suivi_evaluation"),
            *article(7, "Litiges", "traitement_litiges"),
            Signatures(place, date_line, orgs, day, columns=2),
        ],
        "pdf",
        budget_total=total_of(ACTIONS),
        duree_annees=5,
        running_header="Convention-cadre ACV – Mirevaux-sur-Orbe",
        options={"title": "Convention ACV Mirevaux-sur-Orbe", "serif": True},
    )


BREZAC_AJOUTS = [
    (3, "Stationnement vélo sécurisé place de la Gare", "CABVL", 140_000, 2021, 2021),
    (5, "Ludothèque intercommunale rue des Cordeliers", "CABVL", 560_000, 2021, 2023),
]


def brezac_2(size: float = 10.75) -> Piece:
    """Laid out line by line with hyphenation, an avenant n° 2 whose parties, in one sentence, are cut
    at the line end (« Communauté d'agglo- / mération »), a table without rules, no grid. `size`: the
    body's font size, chosen so that the cut falls in the name."""
    t = VIEUX_BREZAC
    ville = replace(t.ville, deliberation=D(2021, 5, 18))
    epci = replace(t.epci, deliberation=D(2021, 5, 20))
    orgs = [ville, epci, t.prefet, ANAH]
    table = actions_table(
        BREZAC_AJOUTS,
        Layout(
            [["Intitulé", "Porteur", "Coût prévisionnel", "Année(s)"]],
            ("intitule", "mo", "cout", "periode"),
            form="eur",
            widths=(5, 1.5, 2, 1.4),
            ruled=False,
        ),
    )
    day = D(2021, 6, 4)
    return Piece(
        "inedit-18-vieux-brezac-avenant-2.pdf",
        "avenant",
        "PDF mis en page ligne à ligne, parties en prose coupées en fin de ligne jusque dans « d'agglo- / "
        "mération », avenant n° 2 simple (deux "
        "actions ajoutées, tableau sans filets), pas de coût total du programme, signataires l'un sous l'autre",
        [
            Title(["AVENANT n° 2", "à la convention-cadre Action Cœur de Ville de Vieux-Brézac"]),
            Parties(orgs, parties_prose(orgs, 2)),
            Heading("Objet", label="Article 1 –"),
            Para("Le présent avenant ajoute au plan d'actions deux opérations validées en comité de projet."),
            Heading("Plan d'actions", label="Article 2 –", code="plan_actions"),
            table,
            Heading("Autres dispositions", label="Article 3 –"),
            *[Para(text) for text in textes("inchange")],
            Signatures(f"Fait à Vieux-Brézac, le {date_fr(day, 'slash')}", None, orgs, day, columns=1),
        ],
        "canvas",
        numero=2,
        running_header="Vieux-Brézac – avenant n° 2",
        options={"title": "Avenant 2 Vieux-Brézac", "size": size, "serif": False},
    )
