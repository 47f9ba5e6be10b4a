"""The conventions-cadres of the held-out corpus, each written its own way."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from instruct.samples.corpus.inedits_build import Article as A
from instruct.samples.corpus.inedits_build import Layout, actions_table, articles, duree_values, total_of
from instruct.samples.corpus.inedits_model import PageBreak, Para, Parties, Piece, Signatures, Title, date_fr, money
from instruct.samples.corpus.inedits_towns import (
    ACTIONS,
    AL,
    AL_GROUPE,
    ANAH,
    ANAH_NOMME,
    BANQUE,
    BREVILLE,
    CALMEILLES,
    CASTELNOIR,
    CCI,
    CDC,
    DEPARTEMENT,
    EPF,
    MONTVALIR,
    PORT_ARVELLE,
    REGION,
    ROCHEFAYE,
    SAINT_ONDRAS,
    SAINTE_AURELLE,
    VAUDRENNE,
    VIEUX_BREZAC,
    sans_alias,
    sans_delib,
)
from instruct.samples.corpus.inedits_words import (
    fait_a,
    parties_entre,
    parties_liste,
    parties_prose,
    parties_soussignes,
)

D = dt.date
TITRE = "Convention-cadre pluriannuelle Action Cœur de Ville"


def _values(town, years: int = 5) -> dict:
    return {"ville": town.nom, "epci": town.sigle, **duree_values(years)}


def brezac() -> Piece:
    """DOCX, Heading styles, « Article 1er – », ENTRE / ET, a signature table, TOTAL row."""
    t = VIEUX_BREZAC
    orgs = [t.ville, t.epci, t.prefet, CDC, AL, ANAH]
    acts = ACTIONS["brezac"]
    table = actions_table(
        acts,
        Layout(
            [["N°", "Libellé de l'action", "Maître d'ouvrage", "Coût HT", "Calendrier"]],
            ("id", "intitule", "mo", "cout", "periode"),
            form="ht",
            total="TOTAL",
        ),
    )
    body = articles(
        [
            A(
                "Objet de la convention",
                paragraphs=[
                    "La présente convention a pour objet de décrire les modalités de "
                    "mise en œuvre du programme Action Cœur de Ville à Vieux-Brézac."
                ],
            ),
            A("Préambule et objectifs poursuivis", "preambule_objectifs"),
            A("Engagements des parties", "engagement_parties"),
            A("Organisation des collectivités et comité de projet", "organisation_comite_projet"),
            A("Phase d'initialisation", "phase_initialisation", extra=(table,)),
            A("Durée de la convention", "duree_evolution_fonctionnement"),
            A("Suivi et évaluation", "suivi_evaluation"),
            A("Traitement des litiges", "traitement_litiges"),
        ],
        "article_er",
        _values(t),
    )
    day = D(2018, 10, 12)
    place, _ = fait_a("Vieux-Brézac", day, "long")
    return Piece(
        "inedit-01-vieux-brezac-convention.docx",
        "convention_cadre",
        "DOCX, styles Titre, « Article 1er – », ENTRE / ET, tableau TOTAL, grille de signatures",
        [
            Title([TITRE.upper(), "Ville de Vieux-Brézac"]),
            Parties(orgs, parties_entre(orgs)),
            *body,
            Signatures(place, None, orgs, day, columns=2),
            PageBreak(),
            *articles(
                [
                    A(
                        "Annexe – Fiches actions matures",
                        "annexe_fiches_matures",
                        plain=True,
                        paragraphs=[f"Fiche n° {n} : {a[1]}." for n, a in enumerate(acts, 1)],
                    )
                ],
                None,
                {},
            ),
        ],
        "docx",
        budget_total=total_of(acts),
        duree_annees=5,
        running_header="Action Cœur de Ville – Vieux-Brézac",
        options={"title": "Convention ACV Vieux-Brézac"},
    )
