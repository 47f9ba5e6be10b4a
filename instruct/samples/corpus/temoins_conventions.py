"""Témoins: the conventions-cadres, each written another way (invented towns and people)."""

from __future__ import annotations

from decimal import Decimal as D

from instruct.samples.corpus.temoins_build import d
from instruct.samples.corpus.temoins_model import P, date_fr, montant

H1 = ["Intitulé", "Coût (€ HT)", "Financeurs"]
H2 = ["Action", "Montant (k€)", "Partenaires"]
H3 = ["Opération", "Coût estimé", "Financeurs pressentis"]


def _etat(nom: str, dep: str, civ: str = "M.") -> P:
    return P("prefet", "État", "l'", civ, nom, f"Préfet de {dep}", fem=False, dit="l'État")


def _cdc(nom: str, civ: str = "Mme", region: str = "Hauts-de-France") -> P:
    return P(
        "cdc",
        "Caisse des Dépôts et Consignations",
        "la ",
        civ,
        nom,
        f"Directrice régionale {region}",
        dit="la Banque des Territoires",
    )


def _al(nom: str) -> P:
    return P("action_logement", "Action Logement Services", "", "M.", nom, "Directeur régional", fem=True)


def _anah(nom: str, dep: str) -> P:
    return P(
        "anah",
        "Agence nationale de l'habitat",
        "l'",
        "M.",
        nom,
        f"délégué de l'Anah dans {dep}",
        fem=True,
        dit="l'Anah",
    )


BASE = [
    ("preambule_objectifs", "Préambule et objectifs poursuivis"),
    ("engagement_parties", "Engagement général des parties"),
    ("organisation_comite_projet", "Organisation des collectivités et comité de projet"),
    ("phase_initialisation", "Phase d'initialisation"),
    ("duree_evolution_fonctionnement", "Durée, évolution et fonctionnement général de la convention"),
    ("suivi_evaluation", "Modalités de suivi et d'évaluation"),
    ("traitement_litiges", "Traitement des litiges"),
]


def valbrune() -> dict:
    ville = P(
        "ville_centre",
        "Commune de Valbrune-sur-Oise",
        "la ",
        "Mme",
        "Hélène MARCHAND",
        "Maire",
        d(2018, 9, 25),
        dit="la Ville",
    )
    agglo = P(
        "intercommunalite",
        "Communauté d'agglomération du Val de Brune",
        "la ",
        "M.",
        "Jacques TERRIER",
        "Président",
        d(2018, 9, 27),
        "du conseil communautaire",
        dit="l'Agglomération",
    )
    etat = _etat("Olivier DESCAMPS", "l'Oise")
    cdc = _cdc("Sylvie LEBLOND")
    parties = [ville, agglo, etat, cdc, _al("Bruno CAZENAVE")]
    return {
        "kind": "convention_cadre",
        "titre": ["CONVENTION-CADRE PLURIANNUELLE", "ACTION CŒUR DE VILLE", "Valbrune-sur-Oise"],
        "ville": "Valbrune-sur-Oise",
        "epci": "La Communauté d'agglomération",
        "parties": parties,
        "parties_style": "entre",
        "schema": "article",
        "sections": BASE,
        "duree": 5,
        "duree_texte": "La présente convention est conclue pour une durée de cinq (5) ans à compter de sa signature.",
        "actions": {
            "code": "phase_initialisation",
            "header": H1,
            "style": "ht",
            "lignes": [
                ("Étude de programmation urbaine du centre-ville", D(85000), None, "Ville, Banque des Territoires"),
                ("OPAH-RU : étude pré-opérationnelle", D(60000), None, "Agglomération, Anah"),
                ("Réaménagement de la place du Marché", D(1200000), None, "Ville, Région, DSIL"),
                ("Manager de centre-ville (3 ans)", D(135000), None, "Ville, Banque des Territoires"),
            ],
        },
        "annexes": [("annexe_fiches_matures", "ANNEXE – Fiches actions matures")],
        "fait": "Fait à Valbrune-sur-Oise, le 12 octobre 2018, en cinq exemplaires originaux.",
        "date_signature": d(2018, 10, 12),
        "signes": [
            (ville, True, "Pour la Commune de Valbrune-sur-Oise,", "Le Maire,"),
            (agglo, True, "Pour la Communauté d'agglomération du Val de Brune,", "Le Président,"),
            (etat, True, "Pour l'État,", "Le Préfet de l'Oise,"),
            (cdc, True, "Pour la Caisse des Dépôts et Consignations,", "La Directrice régionale,"),
            (parties[4], True, "Pour Action Logement Services,", "Le Directeur régional,"),
        ],
        "colonnes": 2,
        "header": "Convention-cadre Action Cœur de Ville – Valbrune-sur-Oise",
        "footer": "Document fictif",
    }


def kermaden() -> dict:
    ville = P("ville_centre", "Ville de Kermaden", "la ", "M.", "Yann LE GUILLOU", "Maire", d(2018, 6, 28))
    cc = P(
        "intercommunalite",
        "Kermaden Agglo",
        "",
        "Mme",
        "Soizic MORVAN",
        "Présidente",
        d(2018, 7, 5),
        "du conseil communautaire",
        dit="l'Agglo",
        fem=True,
    )
    etat = _etat("Thierry VASSEUR", "la Cornouaille-du-Nord")
    region = P(
        "region",
        "Région Bretagne",
        "la ",
        "M.",
        "Loïc PENHOAT",
        "Vice-président",
        d(2018, 7, 6),
        "de la commission permanente",
    )
    parties = [ville, cc, etat, region]
    secs = [
        ("preambule_objectifs", "Contexte et enjeux"),
        ("engagement_parties", "Engagements réciproques"),
        ("organisation_comite_projet", "Gouvernance"),
        ("duree_evolution_fonctionnement", "Durée"),
        ("phase_initialisation", "Premières actions"),
        ("suivi_evaluation", "Évaluation"),
        (None, "Communication"),
    ]
    return {
        "kind": "convention_cadre",
        "titre": ["Convention-cadre « Action Cœur de Ville »", "Ville de Kermaden"],
        "ville": "Kermaden",
        "epci": "Kermaden Agglo",
        "parties": parties,
        "parties_style": "soussignes",
        "dstyle": "slash",
        "forme0": 1,
        "schema": "ARTICLE",
        "sections": secs,
        "duree": 6,
        "headings": "bold",
        "duree_texte": "La convention est signée pour une durée de 6 ans.",
        "libres": {"Communication": ["Les partenaires mentionnent le programme dans toute communication."]},
        "actions": {
            "code": "phase_initialisation",
            "header": H2,
            "style": "kcol",
            "lignes": [
                ("axe", "Axe 1 – Habitat"),
                ("Étude OPAH-RU", D(70000), None, "Agglo, Anah"),
                ("axe", "Axe 2 – Commerce"),
                ("Foncière commerciale : étude de faisabilité", D(45000), None, "Banque des Territoires"),
                ("Signalétique commerciale", D(120000), None, "Ville, Région"),
                ("axe", "Axe 4 – Espaces publics"),
                ("Requalification du quai des Thoniers", D(2350000), None, "Ville, Région, Département"),
            ],
        },
        "fait": "Fait en 4 exemplaires\nà Kermaden, le 3 juillet 2019",
        "date_signature": d(2019, 7, 3),
        "signes": [
            (ville, True, "Pour la Ville de Kermaden,", "Le Maire,"),
            (cc, True, "Pour Kermaden Agglo,", "La Présidente,"),
            (etat, False, "Pour l'État,", "Le Préfet,"),
            (region, True, "Pour la Région Bretagne,", "Le Vice-président,"),
        ],
        "colonnes": 1,
    }


def saint_julien() -> dict:
    ville = P(
        "ville_centre", "Commune de Saint-Julien-des-Forges", "la ", "M.", "Bernard FOUCHÉ", "Maire", d(2018, 10, 1)
    )
    cc = P(
        "intercommunalite",
        "Communauté de communes des Monts Forgerons",
        "la ",
        "Mme",
        "Martine ROUSSEL",
        "Présidente",
        d(2018, 10, 4),
        "du conseil communautaire",
        dit="CCMF",
    )
    etat = _etat("Anne-Laure PICARD", "la Haute-Loire", "Mme")
    parties = [ville, cc, etat, _anah("Gérard BESSON", "la Haute-Loire")]
    parties[2].fonction = "Préfète de la Haute-Loire"
    secs = [
        ("groupe", "TITRE I – LE PROJET"),
        ("preambule_objectifs", "Objet de la convention"),
        ("engagement_parties", "Engagements des parties"),
        ("groupe", "TITRE II – LA MISE EN ŒUVRE"),
        ("organisation_comite_projet", "Pilotage du projet"),
        ("phase_initialisation", "Actions matures"),
        ("duree_evolution_fonctionnement", "Durée et modification de la convention"),
        ("traitement_litiges", "Litiges"),
    ]
    return {
        "kind": "convention_cadre",
        "titre": ["CONVENTION CADRE", "ACTION CŒUR DE VILLE DE SAINT-JULIEN-DES-FORGES"],
        "ville": "Saint-Julien-des-Forges",
        "epci": "La CCMF",
        "parties": parties,
        "parties_style": "prose",
        "dstyle": "dot",
        "schema": "art",
        "sections": secs,
        "duree": 5,
        "duree_texte": "Elle est conclue pour une durée de 5 ans, soit jusqu'au 31 décembre 2023.",
        "actions": {
            "code": "phase_initialisation",
            "header": H3,
            "style": "meur",
            "ruled": False,
            "total": False,
            "lignes": [
                ("Rénovation des halles", D(1800000), None, "Commune, DETR, Région"),
                ("Aides aux façades", D(300000), None, "Commune, CCMF"),
                ("Part communale des aides à l'habitat", None, "20 % du montant des travaux", "Commune"),
            ],
            "phrase": "Le coût total de ces actions est estimé à {total}.",
            "phrase_montant": lambda t: montant(t, "meur"),
        },
        "annexes": [(None, "Annexe – Carte du périmètre"), ("annexe_fiches_matures", "Annexe – Fiches-actions")],
        "fait": f"Fait à Saint-Julien-des-Forges,\nle {date_fr(d(2018, 11, 9))}",
        "date_signature": d(2018, 11, 9),
        "signes": [
            (ville, True, "Pour la Commune,", "Le Maire,"),
            (cc, True, "Pour la CCMF,", "La Présidente,"),
            (etat, True, "Pour l'État,", "La Préfète,"),
            (parties[3], True, "Pour l'Anah,", "Le délégué,"),
        ],
        "colonnes": 2,
        "header": "Saint-Julien-des-Forges – Convention cadre ACV",
    }
