"""Témoins: the avenants (numbered 1 to 3 in several forms, one « valant convention d'opération de
revitalisation de territoire »), on the parties of the conventions-cadres."""

from __future__ import annotations

from decimal import Decimal as D

from instruct.samples.corpus import temoins_conventions as c
from instruct.samples.corpus import temoins_conventions2 as c2
from instruct.samples.corpus import temoins_conventions3 as c3
from instruct.samples.corpus.temoins_build import d
from instruct.samples.corpus.temoins_model import montant

FULL = [
    ("diagnostic_afom", "Résultats du diagnostic (analyse AFOM)"),
    ("objectifs_generaux_et_par_axe", "Objectifs généraux et par axe"),
    ("perimetres_intervention", "Périmètres d'intervention"),
    ("plan_actions", "Plan d'actions"),
    ("calendrier_general", "Calendrier général"),
    ("budget_financement", "Budget et financement"),
]
ANNEXES = [
    ("annexe_livrables_etudes", "Annexe 1 – Livrables des études"),
    ("annexe_document_presentation", "Annexe 2 – Document de présentation du projet"),
    ("annexe_plan_perimetres", "Annexe 3 – Plan des périmètres"),
    ("annexe_calendrier_detaille", "Annexe 4 – Calendrier détaillé"),
    ("annexe_budget_detaille", "Annexe 5 – Budget détaillé"),
    ("annexe_fiches_actions", "Annexe 6 – Fiches actions"),
]


def valbrune_1() -> dict:
    base = c.valbrune()
    base["parties"][0].delib = d(2019, 11, 28)  # the délibérations approving this avenant
    base["parties"][1].delib = d(2019, 12, 5)  # the délibérations approving this avenant
    lignes = [
        ("axe", "Axe 1 – Habitat"),
        ("OPAH-RU du centre ancien", D(2400000), None, "Agglomération, Anah"),
        ("axe", "Axe 2 – Commerce"),
        ("Manager de commerce", D(150000), None, "Ville, BdT"),
        ("Aide à l'implantation commerciale", D(200000), None, "Ville, Région"),
        ("axe", "Axe 4 – Espaces publics"),
        ("Place du Marché (tranche 2)", D(1350000), None, "Ville, DSIL"),
    ]
    return dict(
        base,
        kind="avenant",
        numero=1,
        titre=["AVENANT N°1", "À LA CONVENTION-CADRE ACTION CŒUR DE VILLE", "DE VALBRUNE-SUR-OISE"],
        schema="article",
        sections=FULL,
        annexes=ANNEXES,
        duree=None,
        v={"budget_texte": "Le montant total du programme s'élève à 4,1 M€, dont 1,6 M€ à la charge de la Ville."},
        actions={
            "code": "plan_actions",
            "header": ["Intitulé", "Montant (k€)", "Financeurs"],
            "style": "kcol",
            "lignes": lignes,
        },
        fait="Fait à Valbrune-sur-Oise, le 18 décembre 2019",
        date_signature=d(2019, 12, 18),
    )


def kermaden_2() -> dict:
    base = c.kermaden()
    base["parties"][0].delib = d(2020, 10, 15)  # the délibérations approving this avenant
    base["parties"][1].delib = d(2020, 10, 22)  # the délibérations approving this avenant
    secs = [
        ("diagnostic_afom", "Atouts, faiblesses, opportunités, menaces"),
        ("objectifs_generaux_et_par_axe", "Stratégie de redynamisation"),
        ("perimetres_intervention", "Secteur d'intervention"),
        ("plan_actions", "Programme d'actions"),
        ("calendrier_general", "Échéancier"),
        ("budget_financement", "Maquette financière"),
    ]
    return dict(
        base,
        numero=2,
        kind="avenant",
        titre=["Avenant n° 2 à la convention-cadre Action Cœur de Ville", "Ville de Kermaden"],
        sections=secs,
        duree=None,
        headings="bold",
        schema="article",
        actions={
            "code": "plan_actions",
            "header": ["Action", "Coût (€ HT)", "Partenaires"],
            "style": "ht",
            "lignes": [
                ("Création d'une foncière commerciale", D(500000), None, "Banque des Territoires, Agglo"),
                ("Requalification du quai des Thoniers (phase 2)", D(1750000), None, "Ville, Région"),
                ("Vélo-route du port", D(310000), None, "Agglo, Département"),
            ],
        },
        annexes=[
            ("annexe_fiches_actions", "ANNEXE – Fiches actions"),
            ("annexe_plan_perimetres", "ANNEXE – Carte du périmètre d'intervention"),
        ],
        fait="Fait en 4 exemplaires\nà Kermaden, le 9 novembre 2020",
        date_signature=d(2020, 11, 9),
    )


def saint_julien_ort() -> dict:
    base = c.saint_julien()
    base["parties"][0].delib = d(2020, 1, 20)  # the délibérations approving this avenant
    base["parties"][1].delib = d(2020, 1, 23)  # the délibérations approving this avenant
    secs = [
        ("diagnostic_afom", "Diagnostic territorial"),
        ("objectifs_generaux_et_par_axe", "Projet de territoire"),
        ("perimetres_intervention", "Périmètres de l'ORT"),
        ("plan_actions", "Plan d'actions"),
        ("calendrier_general", "Calendrier"),
        ("budget_financement", "Financement"),
        (None, "Durée de l'opération de revitalisation de territoire"),
    ]
    return dict(
        base,
        kind="avenant",
        numero=1,
        schema="article",
        titre=[
            "AVENANT 1",
            "à la convention cadre Action Cœur de Ville de Saint-Julien-des-Forges",
            "valant convention d'opération de revitalisation de territoire (ORT)",
        ],
        sections=secs,
        duree=5,
        libres={
            "Durée de l'opération de revitalisation de territoire": [
                "L'ORT est conclue pour une durée de 5 ans à compter de la signature du présent avenant."
            ]
        },
        actions={
            "code": "plan_actions",
            "header": ["Intitulé", "Coût", "Financeurs"],
            "style": "meur",
            "lignes": [
                ("Rénovation des halles", D(1900000), None, "Commune, Région, DETR"),
                ("OPAH-RU des Monts Forgerons", D(2500000), None, "CCMF, Anah"),
                ("Part des aides façades", None, "25 %", "Commune"),
                ("Voie verte de la Forge", D(700000), None, "CCMF, Département"),
            ],
        },
        annexes=[
            ("annexe_plan_perimetres", "Annexe – Plan des secteurs d'intervention de l'ORT"),
            ("annexe_fiches_actions", "Annexe – Fiches-actions"),
        ],
        fait="Fait à Saint-Julien-des-Forges,\nle 3 février 2020",
        date_signature=d(2020, 2, 3),
    )


def pont_aubert_3() -> dict:
    base = c2.pont_aubert()
    return dict(
        base,
        kind="avenant",
        numero=3,
        titre=["Avenant numéro 3", "Convention-cadre Action Cœur de Ville de Pont-Aubert"],
        schema="romain",
        sections=FULL[:4] + FULL[5:],
        duree=None,
        annexes=[("annexe_fiches_actions", "Annexe – Fiches actions")],
        v={"budget_texte": "Le budget et les financements sont détaillés dans le tableau du plan d'actions."},
        actions=dict(base["actions"], code="plan_actions", header=["Intitulé", "Montant (€ HT)", "Financeur"]),
        fait="Fait à Pont-Aubert, le 30 juin 2022",
        date_signature=d(2022, 6, 30),
    )


def montferrand_1() -> dict:
    base = c2.montferrand()
    secs = [
        ("diagnostic_afom", "État des lieux"),
        ("objectifs_generaux_et_par_axe", "Orientations stratégiques"),
        ("plan_actions", "Actions programmées"),
        (None, "Autres dispositions"),
    ]
    return dict(
        base,
        kind="avenant",
        numero=1,
        parties_titre=None,
        titre=["Avenant n°1", "Convention-cadre ACV", "Montferrand-les-Vignes"],
        schema="chiffre",
        sections=secs,
        duree=None,
        headings="bold",
        libres={"Autres dispositions": ["Les autres articles de la convention-cadre demeurent inchangés."]},
        actions={
            "code": "plan_actions",
            "header": ["Opération", "Coût estimé", "Financeurs"],
            "style": "eur",
            "lignes": [
                ("Maison de l'habitat", D(450000), None, "Métropole, Anah"),
                ("Cinéma du centre : réhabilitation", D(2200000), None, "Commune, Région, CNC"),
            ],
            "total": False,
        },
        fait="Fait à Montferrand-les-Vignes\nle 12 mars 2020",
        date_signature=d(2020, 3, 12),
    )


def bethanville_1() -> dict:
    base = c3.bethanville()
    return dict(
        base,
        kind="avenant",
        numero=1,
        titre=["PREMIER AVENANT", "à la convention-cadre Action Cœur de Ville", "Béthanville – Saint-Ouen-la-Vallée"],
        schema="ARTICLE",
        sections=FULL,
        duree=None,
        annexes=[],
        v={"budget_texte": f"Le coût total du programme est de {montant(D(6300000), 'meur')} HT."},
        actions={
            "code": "plan_actions",
            "header": ["Action", "Montant (k€)", "Financeurs"],
            "style": "kcol",
            "lignes": [
                ("Étude habitat intercommunale", D(75000), None, "Agglo, Anah"),
                ("Requalification de la Grand'Rue", D(1650000), None, "Béthanville, Département"),
                ("Maison France Services de Saint-Ouen", D(420000), None, "Saint-Ouen, DETR"),
                ("Îlot de la Briqueterie : recyclage foncier", D(4155000), None, "EPF, Fonds friches"),
            ],
        },
        fait="Fait en six exemplaires, à Béthanville, le 02/10/2020",
        date_signature=d(2020, 10, 2),
    )


def lussac_2() -> dict:
    base = c2.lussac()
    return dict(
        base,
        kind="avenant",
        numero=2,
        titre=["AVENANT N° 2", "CONVENTION-CADRE ACTION CŒUR DE VILLE", "LUSSAC-EN-THIÉRACHE"],
        parties_titre=None,
        schema="article",
        sections=FULL[:2] + [FULL[3]],
        duree=None,
        headings="styles",
        annexes=[
            ("annexe_budget_detaille", "Annexe – Plan de financement"),
            ("annexe_calendrier_detaille", "Annexe – Planning détaillé"),
        ],
        actions={
            "code": "plan_actions",
            "header": ["Intitulé", "Coût (€ HT)", "Financeurs"],
            "style": "ht",
            "lignes": [
                ("Réhabilitation de la maison du Bailli", D(780000), None, "Commune, Région"),
                ("Aides à la rénovation des logements", D(600000), None, "CCTC, Anah, Action Logement"),
            ],
        },
        fait="Fait à Lussac-en-Thiérache, le 17 mai 2021",
        date_signature=d(2021, 5, 17),
        signes=base["signes"],
    )
