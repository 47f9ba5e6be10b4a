"""The conventions-cadres of the held-out corpus, each written its own way."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from instruct.samples.corpus.inedits_build import Article as A
from instruct.samples.corpus.inedits_build import Layout, actions_table, articles, duree_values, total_of
from instruct.samples.corpus.inedits_model import PageBreak, Parties, Piece, Signatures, Title, money
from instruct.samples.corpus.inedits_towns import (
    ACTIONS,
    AL,
    AL_GROUPE,
    ANAH,
    ANAH_NOMME,
    BANQUE,
    BREVILLE,
    CALMEILLES,
    CDC,
    DEPARTEMENT,
    PORT_ARVELLE,
    REGION,
    SAINT_ONDRAS,
    VIEUX_BREZAC,
    sans_delib,
)
from instruct.samples.corpus.inedits_words import (
    duree_text,
    fait_a,
    parties_entre,
    parties_liste,
    parties_prose,
    parties_soussignes,
)

D = dt.date
TITRE = "Convention-cadre pluriannuelle Action Cœur de Ville"


def valeurs(town, years: int = 5) -> dict:
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
        valeurs(t),
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


def ondras() -> Piece:
    """Laid out line by line, hyphenated, « ENTRE LES SOUSSIGNÉS », a commune partenaire, unruled
    table with « 1.200.000 € », the date on the line after « Fait en 7 exemplaires »."""
    t = SAINT_ONDRAS
    orgs = [t.ville, BREVILLE, t.epci, t.prefet, BANQUE, AL_GROUPE, ANAH_NOMME]
    acts = ACTIONS["ondras"]
    table = actions_table(
        acts,
        Layout(
            [["Action", "Porteur", "Montant", "Échéance"]],
            ("intitule", "mo", "cout", "fin"),
            form="dots",
            widths=(5, 2, 2, 1.4),
            ruled=False,
        ),
    )
    total = total_of(acts)
    body = articles(
        [
            A("Objet", None, textes_objet(t.nom)),
            A("Préambule et objectifs poursuivis", "preambule_objectifs"),
            A("Engagements généraux des parties", "engagement_parties"),
            A("Organisation des collectivités et comité de projet", "organisation_comite_projet"),
            A(
                "Durée, évolution et fonctionnement général de la convention",
                "duree_evolution_fonctionnement",
                [duree_text(5, "stock")],
            ),
            A(
                "Phase d'initialisation",
                "phase_initialisation",
                [
                    "Les études et actions matures engagées pendant la phase d'initialisation, avec leur "
                    "calendrier et leurs partenaires financeurs, sont récapitulées dans le tableau suivant. "
                    f"Leur montant total s'élève à {money(total, 'ht')}."
                ],
                extra=(table,),
            ),
            A("Modalités de suivi et d'évaluation", "suivi_evaluation"),
            A("Traitement des litiges", "traitement_litiges"),
        ],
        "ARTICLE",
        valeurs(t),
        upper=True,
    )
    day = D(2018, 10, 1)
    place, date_line = fait_a("Saint-Ondras", day, "short", copies=7)
    return Piece(
        "inedit-02-saint-ondras-convention.pdf",
        "convention_cadre",
        "PDF mis en page ligne à ligne, césures en fin de ligne, ENTRE LES SOUSSIGNÉS, tableau sans filets, "
        "« Fait en 7 exemplaires » et date à la ligne (1/10/18), signatures sur trois colonnes",
        [
            Title(["CONVENTION-CADRE", "ACTION CŒUR DE VILLE", "SAINT-ONDRAS – BRÉVILLE-SUR-ONDRE"]),
            Parties(orgs, parties_soussignes(orgs, 3)),
            *body,
            Signatures(place, date_line, orgs, day, columns=3),
        ],
        "canvas",
        budget_total=total,
        duree_annees=5,
        running_header="Convention Action Cœur de Ville – Saint-Ondras",
        running_footer="Ville de Saint-Ondras",
        options={"title": "Convention ACV Saint-Ondras"},
    )


def textes_objet(ville: str) -> list[str]:
    return [
        f"La présente convention a pour objet de décrire les modalités de mise en œuvre du programme Action Cœur "
        f"de Ville à {ville} et d'engager les partenaires dans la durée."
    ]


CALMEILLES_ACTIONS = [
    (1, "Étude de calibrage d'une OPAH-RU", "Calmeilles Métropole", 70_000, 2018, 2019),
    (1, "Ravalement obligatoire des façades de la rue Droite", "Ville", 400_000, 2019, 2022),
    (2, "Foncière commerciale du centre-ville", "SEM Calmeilles Aménagement", 1_500_000, 2019, 2023),
    (3, "Parking relais des Tanneurs", "Calmeilles Métropole", 2_750_000, 2019, 2021),
    (4, "Réfection du cours Gambetta", "Ville", 3_200_000, 2020, 2022),
    (5, "Relocalisation du conservatoire au centre", "Ville", 4_800_000, 2020, 2024),
]


def calmeilles() -> Piece:
    """DOCX converted by LibreOffice, Word's automatic numbering « Article N – », bold headings
    without style, parties in one sentence, axis rows and bare numbers under « Budget (€ HT) »."""
    t = CALMEILLES
    orgs = [t.ville, t.epci, t.prefet, CDC, AL, ANAH, sans_delib(REGION)]
    table = actions_table(
        CALMEILLES_ACTIONS,
        Layout(
            [["Axe / Action", "Maître d'ouvrage", "Budget (€ HT)", "Calendrier"]],
            ("intitule", "mo", "cout", "periode"),
            form="bare",
            axes=True,
            total="Total général",
        ),
    )
    body = articles(
        [
            A("Objet de la convention", None, textes_objet(t.nom)),
            A("Préambule et objectifs poursuivis", "preambule_objectifs"),
            A("Engagement général des parties", "engagement_parties"),
            A("Gouvernance : organisation des collectivités et comité de projet", "organisation_comite_projet"),
            A("Phase d'initialisation : études et actions matures", "phase_initialisation", extra=(table,)),
            A("Durée de la convention", "duree_evolution_fonctionnement", [duree_text(5, "annees")]),
            A("Suivi et évaluation", "suivi_evaluation"),
            A("Litiges", "traitement_litiges"),
        ],
        None,
        valeurs(t),
        bold_only=True,
    )
    day = D(2018, 10, 26)
    place, _ = fait_a("Calmeilles", day, "slash")
    return Piece(
        "inedit-03-calmeilles-convention.pdf",
        "convention_cadre",
        "LibreOffice PDF d'un DOCX à numérotation automatique « Article N – » et titres en gras sans style, "
        "parties en prose, lignes d'axe fusionnées, montants nus sous « Budget (€ HT) », un signataire par ligne",
        [
            Title(["Convention-cadre Action Cœur de Ville", "Ville de Calmeilles – Calmeilles Métropole"]),
            Parties(orgs, parties_prose(orgs, 2)),
            *body,
            Signatures(place, None, orgs, day, columns=1),
        ],
        "office",
        budget_total=total_of(CALMEILLES_ACTIONS),
        duree_annees=5,
        running_header="Calmeilles – Action Cœur de Ville",
        options={"auto": "article", "title": "Convention cadre Calmeilles"},
    )


ARVELLE_ACTIONS = [
    (1, "Opération de restauration immobilière îlot du Port", "Intercom", 0, 2019, 2023),
    (2, "Halle marchande du quai Duguay", "Ville", 0, 2019, 2021),
    (3, "Liaison douce gare – centre", "Intercom", 0, 2020, 2022),
    (4, "Mise en lumière des remparts", "Ville", 0, 2019, 2020),
]
ARVELLE_PARTS = {
    "Opération de restauration immobilière îlot du Port": "Intercom 40 % – Anah 35 % – Ville 25 %",
    "Halle marchande du quai Duguay": "Ville 50 % – Région 30 % – État 20 %",
    "Liaison douce gare – centre": "Intercom 60 % – Département 40 %",
    "Mise en lumière des remparts": "Ville 80 % – Banque des Territoires 20 %",
}


def arvelle() -> Piece:
    """DOCX, Heading styles with roman numerals « I. », the parties as a list « M. NOM, Maire »,
    a table of shares in percent (no amounts), signatures « Le Maire de X, » without « Pour »."""
    t = PORT_ARVELLE
    ville = replace(t.ville, qualite="Maire de Port-Arvelle")
    epci_ = replace(t.epci, qualite="Présidente de l'Intercom Arvelle Littoral")
    banque = replace(BANQUE, organisme="Caisse des Dépôts – Banque des Territoires")
    orgs = [ville, epci_, t.prefet, banque, AL, ANAH, sans_delib(DEPARTEMENT)]
    table = actions_table(
        ARVELLE_ACTIONS,
        Layout(
            [["Action", "Porteur", "Plan de financement prévisionnel", "Début", "Fin"]],
            ("intitule", "mo", "cout", "debut", "fin"),
        ),
        percent=ARVELLE_PARTS,
    )
    body = articles(
        [
            A("Préambule", "preambule_objectifs"),
            A("Engagements des partenaires", "engagement_parties"),
            A("Comité de projet", "organisation_comite_projet"),
            A("Durée et évolution de la convention", "duree_evolution_fonctionnement", [duree_text(6, "periode")]),
            A(
                "Phase d'initialisation",
                "phase_initialisation",
                ["Les montants seront arrêtés en comité de projet ; seules les clés de financement sont connues."],
                extra=(table,),
            ),
            A("Suivi et évaluation du programme", "suivi_evaluation"),
            A("Traitement des litiges", "traitement_litiges"),
        ],
        "roman_dot",
        valeurs(t, 6),
    )
    day = D(2018, 11, 5)
    place, _ = fait_a("Port-Arvelle", day, "dash")
    signers = [ville, epci_, t.prefet]
    return Piece(
        "inedit-04-port-arvelle-convention.docx",
        "convention_cadre",
        "DOCX, styles Titre 1 et chiffres romains « I. », parties en liste « M. NOM, Maire », tableau en "
        "pourcentages, signatures « Le Maire de X, » sans « Pour », deux par ligne séparées par des tabulations, "
        "date 05-11-2018",
        [
            Title(["CONVENTION CADRE PLURIANNUELLE", "« ACTION CŒUR DE VILLE » DE PORT-ARVELLE"]),
            Parties(orgs, parties_liste(orgs)),
            *body,
            Signatures(place, None, signers, day, columns=2, pour=False, tabs=True),
        ],
        "docx",
        duree_annees=6,
        options={"title": "Convention ACV Port-Arvelle", "font": "Arial"},
    )
