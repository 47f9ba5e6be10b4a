"""Témoins: more conventions-cadres (invented towns and people)."""

from __future__ import annotations

from decimal import Decimal as D

from instruct.samples.corpus.temoins_build import d
from instruct.samples.corpus.temoins_conventions import BASE, H1, _al, _cdc, _etat
from instruct.samples.corpus.temoins_model import P, date_fr

H5 = ["Projet", "Montant (€)", "Financeurs"]


def montferrand() -> dict:
    ville = P(
        "ville_centre",
        "Commune de Montferrand-les-Vignes",
        "la ",
        "M.",
        "Philippe AUDOIN",
        "Maire",
        d(2018, 9, 20),
        dit="la Commune",
    )
    metro = P(
        "intercommunalite",
        "Vignoble Métropole",
        "",
        "Mme",
        "Catherine VIALARD",
        "Présidente",
        d(2018, 9, 24),
        "du conseil de la métropole",
        fem=True,
    )
    etat = _etat("Marc-Antoine GIRAUD", "la Gironde-Orientale")
    dep = P(
        "departement",
        "Département de la Gironde-Orientale",
        "le ",
        "M.",
        "Daniel FAURE",
        "Président du Conseil départemental",
        d(2018, 9, 17),
        "de la commission permanente",
    )
    epf = P(
        "autre",
        "Établissement public foncier de Nouvelle-Aquitaine",
        "l'",
        "Mme",
        "Isabelle NOGARO",
        "Directrice générale",
        fem=False,
        dit="l'EPF",
    )
    parties = [ville, metro, etat, dep, epf]
    secs = [
        ("preambule_objectifs", "Préambule"),
        ("engagement_parties", "Engagements généraux des parties"),
        ("organisation_comite_projet", "Comité de projet"),
        ("phase_initialisation", "Phase d'initialisation"),
        ("duree_evolution_fonctionnement", "Durée et évolution de la convention"),
        ("suivi_evaluation", "Suivi et évaluation"),
        ("traitement_litiges", "Règlement des différends"),
    ]
    return {
        "kind": "convention_cadre",
        "titre": ["Convention-cadre Action Cœur de Ville", "Montferrand-les-Vignes"],
        "ville": "Montferrand-les-Vignes",
        "epci": "Vignoble Métropole",
        "parties": parties,
        "parties_style": "entre",
        "parties_titre": "LES PARTIES",
        "parties_numerote": True,
        "schema": "romain",
        "sections": secs,
        "duree": 5,
        "headings": "bold",
        "forme0": 2,
        "duree_texte": "La convention, d'une durée de 5 ans, prend effet à la date de sa signature.",
        "actions": {
            "code": "phase_initialisation",
            "header": H5,
            "style": "eur",
            "lignes": [
                ("Maison de l'habitat", D(450000), None, "Métropole, Anah"),
                ("Portage foncier de l'îlot Saint-Roch", D(980000), None, "EPF"),
                ("Plan guide des espaces publics", D(90000), None, "Commune, Banque des Territoires"),
            ],
        },
        "fait": "Fait à Montferrand-les-Vignes\nle 21 septembre 2018",
        "date_signature": d(2018, 9, 21),
        "signes": [
            (ville, True, "Pour la Commune de Montferrand-les-Vignes", "Le Maire"),
            (metro, True, "Pour Vignoble Métropole", "La Présidente"),
            (etat, True, "Pour l'État", "Le Préfet"),
            (dep, True, "Pour le Département", "Le Président du Conseil départemental"),
            (epf, True, "Pour l'EPF de Nouvelle-Aquitaine", "La Directrice générale"),
        ],
        "colonnes": 1,
    }


def _longue() -> list:
    lignes: list = []
    axes = [
        "Axe 1 – Réhabilitation et restructuration de l'habitat",
        "Axe 2 – Développement commercial équilibré",
        "Axe 3 – Accessibilité, mobilités et connexions",
        "Axe 4 – Espaces publics et patrimoine",
        "Axe 5 – Équipements et services publics",
    ]
    sujets = ["Étude", "Travaux", "Aide", "Acquisition", "Animation", "Aménagement", "Diagnostic"]
    lieux = [
        "rue Gambetta",
        "quartier de la Gare",
        "îlot des Tanneurs",
        "place d'Armes",
        "faubourg Saint-Éloi",
        "halle aux grains",
        "berges de l'Aubette",
    ]
    for a, axe in enumerate(axes):
        lignes.append(("axe", axe))
        for k in range(7):
            cout = D((37 * (a + 1) * (k + 3) % 90 + 10) * 10000)
            lignes.append(
                (
                    f"{sujets[(a + k) % 7]} – {lieux[(2 * a + k) % 7]} ({a + 1}.{k + 1})",
                    cout,
                    None,
                    ["Ville", "Région", "Anah", "Banque des Territoires"][(a + k) % 4],
                )
            )
    return lignes


def pont_aubert() -> dict:
    ville = P("ville_centre", "Ville de Pont-Aubert", "la ", "Mme", "Nadia BENSAÏD", "Maire", d(2018, 7, 2))
    ca = P(
        "intercommunalite",
        "Communauté d'agglomération Aubette-Vallées",
        "la ",
        "M.",
        "Rémi CHASSAGNE",
        "Président",
        d(2018, 7, 9),
        "du conseil communautaire",
        dit="CAAV",
    )
    etat = _etat("François-Xavier LEMAIRE", "l'Aubette")
    anru = P(
        "anru",
        "Agence nationale pour la rénovation urbaine",
        "l'",
        "M.",
        "Pierre DUVIVIER",
        "Directeur général",
        fem=True,
        dit="l'ANRU",
    )
    al = _al("Claire HOUDARD")
    al.civ = "Mme"
    al.fonction = "Directrice régionale"
    parties = [ville, ca, etat, anru, al]
    return {
        "kind": "convention_cadre",
        "titre": ["CONVENTION-CADRE", "Programme Action Cœur de Ville – Pont-Aubert"],
        "ville": "Pont-Aubert",
        "epci": "La CAAV",
        "parties": parties,
        "parties_style": "entre",
        "schema": "chiffre",
        "sections": BASE,
        "duree": 7,
        "dstyle": "long",
        "duree_texte": "La présente convention est d'une durée de 7 ans à compter de sa signature.",
        "actions": {
            "code": "phase_initialisation",
            "header": H1,
            "style": "ht",
            "lignes": _longue(),
            "widths": [9, 3.5, 4.5],
        },
        "annexes": [("annexe_fiches_matures", "Fiches actions matures"), (None, "Liste des contacts")],
        "fait": f"Fait à Pont-Aubert, le {date_fr(d(2018, 9, 28))}",
        "date_signature": d(2018, 9, 28),
        "signes": [
            (ville, True, "Pour la Ville de Pont-Aubert,", "La Maire,"),
            (ca, True, "Pour la Communauté d'agglomération Aubette-Vallées,", "Le Président,"),
            (etat, True, "Pour l'État,", "Le Préfet de l'Aubette,"),
            (anru, True, "Pour l'ANRU,", "Le Directeur général,"),
            (al, True, "Pour Action Logement Services,", "La Directrice régionale,"),
        ],
        "colonnes": 2,
        "header": "Pont-Aubert – convention-cadre ACV",
        "footer": "Document fictif établi pour des essais",
    }


def lussac() -> dict:
    ville = P(
        "ville_centre", "Commune de Lussac-en-Thiérache", "la ", "M.", "Gilles WATTEBLED", "Maire", d(2018, 10, 8)
    )
    cc = P(
        "intercommunalite",
        "Communauté de communes de la Thiérache du Centre",
        "la ",
        "M.",
        "Jean-Luc DEBRUYNE",
        "Président",
        d(2018, 10, 11),
        "du conseil communautaire",
        dit="la CCTC",
    )
    etat = _etat("Véronique ADAM", "l'Aisne-du-Nord", "Mme")
    etat.fonction = "Préfète de l'Aisne-du-Nord"
    parties = [ville, cc, etat]
    secs = [
        ("preambule_objectifs", "Objet"),
        ("engagement_parties", "Engagement des partenaires"),
        ("organisation_comite_projet", "Organisation du projet"),
        ("duree_evolution_fonctionnement", "Durée de la convention"),
        (None, "Propriété des études"),
    ]
    return {
        "kind": "convention_cadre",
        "titre": ["CONVENTION-CADRE ACTION CŒUR DE VILLE", "LUSSAC-EN-THIÉRACHE"],
        "ville": "Lussac-en-Thiérache",
        "epci": "La CCTC",
        "parties": parties,
        "parties_style": "entre",
        "parties_titre": "Désignation des parties",
        "schema": "article",
        "sections": secs,
        "duree": 5,
        "dstyle": "slash",
        "duree_texte": "La présente convention est établie pour une durée de cinq ans.",
        "libres": {"Propriété des études": ["Les études financées restent la propriété de la Commune."]},
        "fait": "Fait à Lussac-en-Thiérache, le ……………………",
        "date_signature": None,
        "signes": [
            (ville, True, "Pour la Commune,", "Le Maire,"),
            (cc, True, "Pour la CCTC,", "Le Président,"),
            (etat, False, "Pour l'État,", "La Préfète,"),
        ],
        "colonnes": 2,
    }


def roc_amadieu() -> dict:
    ville = P(
        "ville_centre", "Ville de Roc-Amadieu", "la ", "M.", "Étienne CAYROL", "Maire", d(2019, 2, 14), dit="la Ville"
    )
    ca = P(
        "intercommunalite",
        "Communauté d'agglomération du Grand Roc",
        "la ",
        "M.",
        "Alain SOULIÉ",
        "Président",
        d(2019, 2, 21),
        "du conseil communautaire",
        dit="Grand Roc",
    )
    etat = _etat("Hugues MARTEL", "la Haute-Causse")
    cdc = _cdc("Laurence PUJOL", region="Occitanie")
    anah = P("anah", "Anah", "l'", "M.", "Hugues MARTEL", "délégué territorial", fem=True)
    parties = [ville, ca, etat, cdc, anah]
    return {
        "kind": "convention_cadre",
        "titre": ["Convention-cadre pluriannuelle Action Cœur de Ville de Roc-Amadieu"],
        "ville": "Roc-Amadieu",
        "epci": "Grand Roc",
        "parties": parties,
        "parties_style": "prose",
        "forme0": 1,
        "schema": "article",
        "sections": BASE[:-1],
        "duree": 6,
        "dstyle": "long",
        "duree_texte": "La convention-cadre est conclue pour une durée de six (6) ans.",
        "actions": {
            "code": "phase_initialisation",
            "header": ["Intitulé", "Montant", "Maître d'ouvrage"],
            "style": "keur",
            "lignes": [
                ("Étude de revitalisation commerciale", D(40000), None, "Ville"),
                ("Ravalement de façades : aide communale", None, "30 % du coût HT", "Ville"),
                ("Réhabilitation de l'ancien collège en logements", D(3600000), None, "Bailleur"),
                ("Parking relais de la gare", D(850000), None, "Grand Roc"),
            ],
        },
        "annexes": [("annexe_fiches_matures", "Annexe : fiches projets")],
        "annexes_saut": False,
        "fait": "Fait à Roc-Amadieu, le 8 mars 2019",
        "date_signature": d(2019, 3, 8),
        "signes": [
            (ville, True, "Pour la Ville de Roc-Amadieu", "Le Maire"),
            (ca, True, "Pour la Communauté d'agglomération du Grand Roc", "Le Président"),
            (etat, True, "Pour l'État", "Le Préfet de la Haute-Causse"),
            (cdc, True, "Pour la Banque des Territoires", "La Directrice régionale"),
            (anah, True, "Pour l'Anah", "Le délégué territorial"),
        ],
        "colonnes": 2,
    }
