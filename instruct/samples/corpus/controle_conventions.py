"""The control corpus's conventions-cadres: six towns, six clerks, six ways of writing one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from instruct.samples.corpus.controle_blocs import (
    bloc_parties,
    partie,
    partie_apres,
    partie_qualite,
    parties_prose,
    sig_colonnes,
    sig_lignes,
    table_actions,
)
from instruct.samples.corpus.controle_model import (
    Ligne,
    Org,
    Piece,
    actions,
    date_courte,
    date_points,
    euros,
    keuros,
    signataires,
    total,
    verite,
)
from instruct.samples.corpus.truth import FICTIF

D_ = dt.date
MENTION = f"({FICTIF})"


def mervent() -> Piece:
    """DOCX, Heading styles, ENTRE / ET, « Article 1er », signature grid, € HT table with TOTAL."""
    p = Piece("cc_mervent_la_cote.docx", "docx", entete="Convention-cadre Action Cœur de Ville — Mervent-la-Côte")
    ville = Org(
        "ville_centre",
        "Commune de Mervent-la-Côte",
        "la ",
        "Jean-Luc FERRAND",
        "M.",
        "Maire",
        D_(2025, 3, 12),
        "la Ville",
    )
    cc = Org(
        "intercommunalite",
        "Communauté de communes Mervent Océan",
        "la ",
        "Sylvie CARADEC",
        "Mme",
        "Présidente",
        D_(2025, 3, 20),
        "l'intercommunalité",
    )
    etat = Org("prefet", "État", "l'", "Bertrand OLLIVIER", "M.", "Préfet de la Vendée-Maritime")
    cdc = Org(
        "cdc",
        "Caisse des Dépôts et Consignations",
        "la ",
        "Nadia BELKACEM",
        "Mme",
        "Directrice régionale de la Banque des Territoires",
        pour="Pour la Banque des Territoires",
    )
    al = Org("action_logement", "Action Logement Services", "", "Pierre-Yves GUÉNOLÉ", "M.", "Directeur régional")
    anah = Org(
        "anah", "Agence nationale de l'habitat", "l'", None, qualite="le délégué local de l'Anah", pour="Pour l'Anah"
    )
    orgs = [ville, cc, etat, cdc, al, anah]
    lignes = [
        Ligne("Étude pré-opérationnelle d'OPAH-RU", D(85000), autres=("Communauté de communes", "2025")),
        Ligne("Requalification de la place du Marché", D(1450000), autres=("Ville", "2025-2026")),
        Ligne("Création d'un poste de manager de centre-ville", D(120000), autres=("Ville", "2025-2027")),
        Ligne("Acquisition de l'îlot des Halles", D(640000), autres=("Ville / EPF", "2026")),
    ]
    p.blocs = [
        ("titre", "CONVENTION-CADRE PLURIANNUELLE\nACTION CŒUR DE VILLE\nMERVENT-LA-CÔTE"),
        ("pc", MENTION),
        *bloc_parties(orgs, partie_apres),
        ("p", "Ci-après dénommés ensemble « les Parties »."),
        ("p", "Il est convenu ce qui suit."),
        *partie("preambule_objectifs", "Préambule", ville="La Ville de Mervent-la-Côte"),
        *partie("engagement_parties", "Article 1er – Engagements des partenaires"),
        *partie("organisation_comite_projet", "Article 2 – Gouvernance et comité de projet"),
        *partie("phase_initialisation", "Article 3 – Phase d'initialisation"),
        table_actions(
            lignes,
            ["Action", "Maître d'ouvrage", "Calendrier", "Coût prévisionnel (€ HT)"],
            fmt=lambda x: euros(x, ""),
            largeurs=[0.4, 0.22, 0.14, 0.24],
        ),
        *partie(
            "duree_evolution_fonctionnement",
            "Article 4 – Durée, évolution et fonctionnement de la convention",
            duree="cinq ans à compter de sa signature",
        ),
        *partie("suivi_evaluation", "Article 5 – Suivi et évaluation"),
        *partie("traitement_litiges", "Article 6 – Règlement des litiges"),
        ("saut",),
        *partie("annexe_fiches_matures", "Annexe – Fiches actions matures"),
        ("saut",),
        *sig_colonnes(
            orgs, "Fait à Mervent-la-Côte, le 5 juin 2025, en six exemplaires originaux.", sans_nom=("anah",)
        ),
    ]
    p.verite = verite(
        p,
        "DOCX Heading styles, ENTRE/ET, Article 1er, tableau € HT avec TOTAL, grille de signatures",
        "convention_cadre",
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs, ("anah",)),
        date_signature=D_(2025, 6, 5),
        trame=[
            "parties",
            "preambule_objectifs",
            "engagement_parties",
            "organisation_comite_projet",
            "duree_evolution_fonctionnement",
            "phase_initialisation",
            "suivi_evaluation",
            "traitement_litiges",
            "annexe_fiches_matures",
        ],
        actions=actions(lignes),
        budget_total=total(lignes),
        duree_annees=5,
    )
    return p


def sauveterre() -> Piece:
    """reportlab, ENTRE LES SOUSSIGNÉS, « en sa qualité de », ARTICLE n :, k€ ruled table with axes."""
    p = Piece(
        "convention_sauveterre_d_aulne.pdf",
        "pdf",
        entete="Sauveterre-d'Aulne · Action Cœur de Ville · convention-cadre",
    )
    ville = Org(
        "ville_centre", "Ville de Sauveterre-d'Aulne", "la ", "Hélène ROUSSEL-DAVID", "Madame", "Maire", D_(2025, 4, 3)
    )
    agglo = Org("intercommunalite", "Aulne Agglo", "", "Thierry LE GOFF", "Monsieur", "Président", D_(2025, 3, 27))
    etat = Org("prefet", "État", "l'", "Corinne MASSABIAU", "Madame", "Préfète du département de l'Aulne")
    region = Org(
        "region",
        "Région Armor-Loire",
        "la ",
        "Yannick PRIGENT",
        "Monsieur",
        "Vice-président délégué à l'aménagement du territoire",
        D_(2025, 4, 11),
    )
    bdt = Org("cdc", "Banque des Territoires", "la ", "Olivier CHAMPEAUX", "Monsieur", "Directeur territorial")
    orgs = [ville, agglo, etat, region, bdt]
    lignes = [
        Ligne("Axe 1 – Réhabilitation de l'habitat", axe=True),
        Ligne("OPAH-RU du centre ancien (volet animation)", D(310000), autres=("Aulne Agglo",)),
        Ligne("Recyclage de l'îlot Saint-Jacques", D(1200500), autres=("Ville",)),
        Ligne("Axe 2 – Développement économique et commercial", axe=True),
        Ligne("Boutique à l'essai rue des Tanneurs", D(45000), autres=("Ville",)),
        Ligne("Axe 4 – Espaces publics et patrimoine", axe=True),
        Ligne("Aménagement des quais de l'Aulne (tranche 1)", D(2350000), autres=("Ville",)),
    ]
    partie_titre = [("h1", "ARTICLE 1 : PRÉAMBULE ET OBJECTIFS")]
    p.blocs = [
        ("titre", "Programme Action Cœur de Ville\nConvention-cadre pluriannuelle de Sauveterre-d'Aulne"),
        ("pc", MENTION),
        *bloc_parties(orgs, partie_qualite, entete="ENTRE LES SOUSSIGNÉS :", fdate=date_courte),
        ("p", "Il a été convenu et arrêté ce qui suit :"),
        *partie_titre,
        *partie("preambule_objectifs", "Contexte", "h2", ville="La Ville de Sauveterre-d'Aulne")[1:],
        *partie("engagement_parties", "ARTICLE 2 : ENGAGEMENTS DES PARTIES"),
        *partie("organisation_comite_projet", "ARTICLE 3 : ORGANISATION ET PILOTAGE DU PROJET"),
        *partie("phase_initialisation", "ARTICLE 4 : ACTIONS MATURES DE LA PHASE D'INITIALISATION"),
        table_actions(lignes, ["Opération", "Porteur", "Coût estimé (k€ HT)"], fmt=keuros, largeurs=[0.6, 0.2, 0.2]),
        *partie("duree_evolution_fonctionnement", "ARTICLE 5 : DURÉE DE LA CONVENTION", duree="six ans"),
        *partie("suivi_evaluation", "ARTICLE 6 : SUIVI ET ÉVALUATION"),
        *partie("annexe_fiches_matures", "ANNEXE : FICHES-ACTIONS"),
        *sig_colonnes(orgs, "Fait à Sauveterre-d'Aulne, le 12/06/2025"),
    ]
    p.verite = verite(
        p,
        "reportlab, ENTRE LES SOUSSIGNÉS, en sa qualité de, ARTICLE n :, tableau k€ réglé avec axes et TOTAL, "
        "signatures sur deux colonnes, pas d'article litiges",
        "convention_cadre",
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs),
        date_signature=D_(2025, 6, 12),
        trame=[
            "parties",
            "preambule_objectifs",
            "engagement_parties",
            "organisation_comite_projet",
            "duree_evolution_fonctionnement",
            "phase_initialisation",
            "suivi_evaluation",
            "annexe_fiches_matures",
        ],
        actions=actions(lignes),
        budget_total=total(lignes),
        duree_annees=6,
    )
    return p


def brionne() -> Piece:
    """LibreOffice PDF, parties in one sentence, roman numerals, total in a sentence, no TOTAL row."""
    p = Piece(
        "brionne_les_etangs_convention.pdf",
        "office",
        titres_styles=False,
        entete="Commune de Brionne-les-Étangs – Convention ACV",
    )
    ville = Org(
        "ville_centre", "commune de Brionne-les-Étangs", "la ", "Marc-Antoine VIGNERON", "M.", "maire", D_(2025, 3, 12)
    )
    cc = Org(
        "intercommunalite",
        "Communauté de communes de Brionne et des Étangs",
        "la ",
        "Odile FAUCHER",
        "Mme",
        "présidente",
        D_(2025, 3, 18),
        pour="Pour la CCBE",
    )
    etat = Org("prefet", "État", "l'", "Laurent SAINT-CLAIR", "M.", "préfet du Haut-Morvan")
    dep = Org(
        "departement",
        "Département du Haut-Morvan",
        "le ",
        "Annick BRÉGEON",
        "Mme",
        "présidente du conseil départemental",
        D_(2025, 4, 7),
    )
    al = Org("action_logement", "Action Logement", "", "Fabrice OUDIN", "M.", "président du comité régional")
    orgs = [ville, cc, etat, dep, al]
    lignes = [
        Ligne("Maison de santé pluriprofessionnelle du Pré-Vert", D(1850000), autres=("Commune",)),
        Ligne("Étude de programmation du site de l'ancienne tannerie", D(60000), autres=("CCBE",)),
        Ligne("Plan de référence des mobilités douces", D(45000), autres=("CCBE",)),
    ]
    p.blocs = [
        ("titre", "CONVENTION-CADRE « ACTION CŒUR DE VILLE »\nBrionne-les-Étangs"),
        ("pc", MENTION),
        (
            "p",
            parties_prose(orgs, date_points).replace(
                "Communauté de communes de Brionne et des Étangs",
                "Communauté de communes de Brionne et des Étangs, ci-après « la CCBE »",
                1,
            ),
        ),
        *partie("preambule_objectifs", "I. Objet et objectifs", ville="La commune de Brionne-les-Étangs"),
        *partie("engagement_parties", "II. Engagements réciproques"),
        *partie("organisation_comite_projet", "III. Pilotage du programme"),
        *partie("phase_initialisation", "IV. Phase d'initialisation et premières actions"),
        ("p", "Le programme d'ensemble, toutes actions confondues, est estimé à 6,8 M€ HT."),
        table_actions(
            lignes,
            ["Action mature", "Maître d'ouvrage", "Montant HT"],
            ligne_total=None,
            ruled=False,
            largeurs=[0.6, 0.2, 0.2],
        ),
        *partie("duree_evolution_fonctionnement", "V. Durée", duree="quatre (4) ans"),
        *partie("suivi_evaluation", "VI. Évaluation"),
        *partie("traitement_litiges", "VII. Litiges"),
        *sig_lignes(orgs, "Fait à Brionne-les-Étangs, le 1er juillet 2025"),
    ]
    p.verite = verite(
        p,
        "LibreOffice PDF, parties en une phrase, titres en chiffres romains en gras, total en phrase (M€), "
        "tableau non réglé sans TOTAL, signatures une par ligne",
        "convention_cadre",
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs),
        date_signature=D_(2025, 7, 1),
        trame=[
            "parties",
            "preambule_objectifs",
            "engagement_parties",
            "organisation_comite_projet",
            "duree_evolution_fonctionnement",
            "phase_initialisation",
            "suivi_evaluation",
            "traitement_litiges",
        ],
        actions=actions(lignes),
        budget_total=D(6800000),
        duree_annees=4,
    )
    return p


PIECES = [mervent(), sauveterre(), brionne()]
