"""Témoins: two more conventions-cadres, with « Vu la délibération … » lines (invented towns and people)."""

from __future__ import annotations

from decimal import Decimal as D

from instruct.samples.corpus.temoins_build import d
from instruct.samples.corpus.temoins_conventions import BASE, H2, _cdc, _etat
from instruct.samples.corpus.temoins_model import P, date_fr, montant


def bethanville() -> dict:
    ville = P("ville_centre", "Commune de Béthanville", "la ", "M.", "Hervé LECOMTE", "Maire", d(2019, 5, 23), vu=True)
    autre = P(
        "autre_commune",
        "Commune de Saint-Ouen-la-Vallée",
        "la ",
        "Mme",
        "Odile PRÉVOST",
        "Maire",
        d(2019, 5, 27),
        vu=True,
    )
    ca = P(
        "intercommunalite",
        "Béthanville Agglo",
        "",
        "M.",
        "Sébastien KOWALSKI",
        "Président",
        d(2019, 5, 29),
        "du conseil communautaire",
        fem=True,
        vu=True,
    )
    etat = _etat("Laurent ROCHE", "la Somme-Maritime")
    cdc = _cdc("Delphine MASSON")
    parties = [ville, autre, ca, etat, cdc]
    vu = [
        f"Vu la délibération du conseil municipal de Béthanville du {date_fr(ville.delib)} autorisant le Maire "
        "à signer la présente convention ;",
        f"Vu la délibération du conseil municipal de Saint-Ouen-la-Vallée du {date_fr(autre.delib, 'slash')} ;",
        f"Vu la délibération du conseil communautaire de Béthanville Agglo en date du {date_fr(ca.delib, 'dot')} ;",
    ]
    return {
        "kind": "convention_cadre",
        "titre": ["CONVENTION-CADRE ACTION CŒUR DE VILLE", "Béthanville – Saint-Ouen-la-Vallée"],
        "ville": "Béthanville",
        "epci": "Béthanville Agglo",
        "parties": parties,
        "parties_style": "soussignes",
        "vu": vu,
        "schema": "ARTICLE",
        "sections": BASE,
        "duree": 5,
        "forme0": 0,
        "duree_texte": "La présente convention-cadre, d'une durée de 5 ans, entre en vigueur à sa signature.",
        "actions": {
            "code": "phase_initialisation",
            "header": H2,
            "style": "kcol",
            "ruled": False,
            "lignes": [
                ("Étude habitat intercommunale", D(75000), None, "Agglo, Anah"),
                ("Requalification de la Grand'Rue", D(1650000), None, "Béthanville, Département"),
                ("Maison France Services de Saint-Ouen", D(420000), None, "Saint-Ouen-la-Vallée, DETR"),
            ],
        },
        "annexes": [("annexe_fiches_matures", "ANNEXE UNIQUE – FICHES ACTIONS MATURES")],
        "fait": "Fait en six exemplaires, à Béthanville, le 14/06/2019",
        "date_signature": d(2019, 6, 14),
        "signes": [
            (ville, True, "Pour la Commune de Béthanville,", "Le Maire,"),
            (autre, True, "Pour la Commune de Saint-Ouen-la-Vallée,", "La Maire,"),
            (ca, True, "Pour Béthanville Agglo,", "Le Président,"),
            (etat, True, "Pour l'État,", "Le Préfet,"),
            (cdc, True, "Pour la Caisse des Dépôts,", "La Directrice régionale,"),
        ],
        "colonnes": 2,
        "header": "Béthanville – ACV",
        "footer": "Convention-cadre",
    }


def orlac() -> dict:
    ville = P(
        "ville_centre",
        "Commune de Sainte-Anne-d'Orlac",
        "la ",
        "Mme",
        "Marie-Josée LAFFITTE",
        "Maire",
        d(2018, 9, 25),
        vu=True,
    )
    cc = P(
        "intercommunalite",
        "Communauté de communes Cœur d'Orlac",
        "la ",
        "M.",
        "André BARRIÈRE",
        "Président",
        d(2018, 9, 26),
        "du conseil communautaire",
        dit="CCCO",
        vu=True,
    )
    etat = _etat("Nicolas BERTHIER", "l'Orlac")
    region = P("region", "Région Occitanie", "la ", "Mme", "Fabienne ROUQUETTE", "Vice-présidente")
    epf = P("autre", "EPF d'Occitanie", "l'", "M.", "Serge VIDAL", "Directeur général", fem=False)
    parties = [ville, cc, etat, region, epf]
    vu = [
        "Vu la délibération du conseil municipal de Sainte-Anne-d'Orlac en date du 25.09.2018 ;",
        "Vu la délibération n° 2018-114 du conseil communautaire de la CCCO du 26.09.2018 ;",
    ]
    secs = [
        ("preambule_objectifs", "Exposé des motifs"),
        ("engagement_parties", "Engagements des signataires"),
        ("organisation_comite_projet", "Instances de pilotage"),
        ("duree_evolution_fonctionnement", "Durée, évolution et fonctionnement général de la convention"),
        ("phase_initialisation", "Tableau récapitulatif des actions matures"),
        ("suivi_evaluation", "Suivi du programme"),
        ("traitement_litiges", "Contentieux"),
    ]
    total = D(2590000)
    return {
        "kind": "convention_cadre",
        "titre": ["Action Cœur de Ville", "Convention-cadre de Sainte-Anne-d'Orlac"],
        "ville": "Sainte-Anne-d'Orlac",
        "epci": "La CCCO",
        "parties": parties,
        "parties_style": "entre",
        "vu": vu,
        "schema": "chiffre",
        "sections": secs,
        "duree": 4,
        "headings": "styles",
        "duree_texte": "La convention est d'une durée de 4 ans ; elle peut être prorogée par avenant.",
        "actions": {
            "code": "phase_initialisation",
            "header": ["Intitulé", "Coût (€ HT)", "Calendrier"],
            "style": "ht",
            "total": False,
            "lignes": [
                ("Acquisition de l'îlot Foch par l'EPF", D(1400000), None, "2019-2020"),
                ("Étude de stationnement", D(40000), None, "2019"),
                ("Réhabilitation du théâtre municipal", D(1150000), None, "2020-2022"),
            ],
            "phrase": "Coût global des actions matures : {total}.",
            "phrase_montant": lambda t: montant(t, "ht") if t == total else "?",
        },
        "fait": "Fait à Sainte-Anne-d'Orlac, le 5 octobre 2018",
        "date_signature": d(2018, 10, 5),
        "signes": [
            (ville, True, "Pour la Commune", "La Maire"),
            (cc, True, "Pour la CCCO", "Le Président"),
            (etat, True, "Pour l'État", "Le Préfet"),
            (region, True, "Pour la Région Occitanie", "La Vice-présidente"),
            (epf, True, "Pour l'EPF d'Occitanie", "Le Directeur général"),
        ],
        "colonnes": 1,
    }
