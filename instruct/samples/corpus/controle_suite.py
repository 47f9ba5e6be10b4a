"""The control corpus's other conventions-cadres: bold headings under « Titre », « Vu … » lines,
a Métropole and the ANRU, a parties article, « en sa qualité de » with « Madame »."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from instruct.samples.corpus.controle_blocs import (
    bloc_parties,
    partie,
    partie_apres,
    partie_qualite,
    partie_titre_avant,
    sig_colonnes,
    sig_lignes,
    table_actions,
    vu_deliberations,
)
from instruct.samples.corpus.controle_model import (
    Ligne,
    Org,
    Piece,
    actions,
    date_courte,
    euros,
    signataires,
    total,
    verite,
)
from instruct.samples.corpus.truth import FICTIF

D_ = dt.date
MENTION = f"({FICTIF})"


def verac() -> Piece:
    """DOCX bold-only headings, TITRE / Article, parties title-first, « Vu la délibération » lines."""
    p = Piece("Convention cadre ACV - Verac-en-Bocage.docx", "docx", titres_styles=False)
    ville = Org(
        "ville_centre",
        "Ville de Vérac-en-Bocage",
        "la ",
        "Gérard TOUCHARD",
        "M.",
        "le Maire",
        D_(2025, 2, 14),
        "la Ville",
    )
    capv = Org(
        "intercommunalite",
        "Communauté d'agglomération du Pays de Vérac",
        "la ",
        "Martine LEBRETON-SY",
        "Mme",
        "la Présidente",
        D_(2025, 2, 20),
        "la CAPV",
        pour="Pour la CAPV",
    )
    etat = Org("prefet", "État", "l'", "François-Xavier DUMAINE", "M.", "le Préfet du Bocage-Normand")
    region = Org(
        "region",
        "Région Normandie-Bocage",
        "la ",
        "Isabelle KERMARREC",
        "Mme",
        "la Présidente du conseil régional",
        D_(2025, 3, 6),
    )
    dep = Org(
        "departement",
        "Département du Bocage-Normand",
        "le ",
        "Hervé LANGLOIS",
        "M.",
        "le Président du conseil départemental",
        D_(2025, 3, 10),
    )
    orgs = [ville, capv, etat, region, dep]
    lignes = [
        Ligne("Axe 1 – Habitat", axe=True),
        Ligne("Opération façades du centre historique", taux="30 % des travaux", autres=("Ville",)),
        Ligne("Étude de revitalisation de l'îlot de la Poste", D(72000), autres=("CAPV",)),
        Ligne("Axe 3 – Mobilités", axe=True),
        Ligne("Pôle d'échanges multimodal de la gare", D(3100000), autres=("CAPV / Région",)),
        Ligne("Jalonnement piéton du centre-ville", D(38500), autres=("Ville",)),
    ]
    p.blocs = [
        ("titre", "Action Cœur de Ville – Vérac-en-Bocage\nConvention-cadre"),
        ("pc", MENTION),
        *vu_deliberations(orgs, date_courte),
        *bloc_parties(orgs, partie_titre_avant, entete="Entre :", delib=False),
        ("h1", "TITRE I – DISPOSITIONS GÉNÉRALES"),
        *partie("preambule_objectifs", "Article 1 – Contexte et enjeux", "h2", ville="La Ville de Vérac-en-Bocage"),
        *partie("engagement_parties", "Article 2 – Engagements généraux des parties", "h2"),
        *partie("organisation_comite_projet", "Article 3 – Comité de projet", "h2"),
        ("h1", "TITRE II – MISE EN ŒUVRE"),
        *partie("phase_initialisation", "Article 4 – Premières actions (phase d'initialisation)", "h2"),
        table_actions(
            lignes, ["Axe / action", "Porteur", "Coût ou taux d'aide"], ligne_total="Total des actions chiffrées"
        ),
        *partie("suivi_evaluation", "Article 5 – Suivi des actions et évaluation", "h2"),
        ("h1", "TITRE III – DISPOSITIONS FINALES"),
        *partie(
            "duree_evolution_fonctionnement", "Article 6 – Durée et modification de la convention", "h2", duree="5 ans"
        ),
        *partie("traitement_litiges", "Article 7 – Différends", "h2"),
        *sig_lignes(orgs, "Fait en cinq exemplaires à Vérac-en-Bocage, le 19 mai 2025"),
    ]
    p.verite = verite(
        p,
        "DOCX titres en gras sans styles, TITRE I / Article n, Vu la délibération (JJ/MM/AAAA), représentant "
        "après son titre, taux en %, ligne d'axe, total « Total des actions chiffrées », signatures une par ligne",
        "convention_cadre",
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs),
        date_signature=D_(2025, 5, 19),
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
        budget_total=total(lignes),
        duree_annees=5,
    )
    return p


def pont_ardent() -> Piece:
    """reportlab Times, « 1. » headings, Lorvan Métropole and the ANRU, unruled numbered table."""
    p = Piece(
        "pont-ardent_convention_cadre.pdf",
        "pdf",
        police="Times-Roman",
        entete="VILLE DE PONT-ARDENT — Convention-cadre Action Cœur de Ville",
    )
    ville = Org(
        "ville_centre", "Ville de Pont-Ardent", "la ", "Rachid BENALI", "M.", "Maire", D_(2025, 5, 26), "la Ville"
    )
    metro = Org(
        "intercommunalite",
        "Lorvan Métropole",
        "",
        "Christine ABGRALL",
        "Mme",
        "Présidente",
        D_(2025, 6, 2),
        "la Métropole",
    )
    etat = Org("prefet", "État", "l'", "Damien RIVIÈRE", "M.", "Préfet de la région Lorvan-Rhin, Préfet du Lorvan")
    anru = Org(
        "anru",
        "Agence nationale pour la rénovation urbaine",
        "l'",
        "Sophie NGUYEN-THIBAUT",
        "Mme",
        "Déléguée territoriale adjointe",
        alias="l'ANRU",
        pour="Pour l'ANRU",
    )
    cdc = Org(
        "cdc",
        "Caisse des Dépôts",
        "la ",
        "Arnaud DELCOURT",
        "M.",
        "Directeur régional Lorvan",
        pour="Pour la Caisse des Dépôts – Banque des Territoires",
    )
    orgs = [ville, metro, etat, anru, cdc]
    lignes = [
        Ligne("Restructuration du marché couvert", D(2750000), autres=("Ville", "2025-2027")),
        Ligne("Réhabilitation de la résidence Les Ormeaux (NPNRU)", D(4120000), autres=("Lorvan Habitat", "2026")),
        Ligne("Piste cyclable du pont Neuf", D(680000), autres=("Métropole", "2025")),
        Ligne("Foncière commerce centre-ville (étude)", D(95000), autres=("Métropole", "2025")),
    ]
    p.blocs = [
        ("titre", "CONVENTION-CADRE\nACTION CŒUR DE VILLE DE PONT-ARDENT"),
        ("pc", MENTION),
        *bloc_parties(orgs, partie_apres, entete="Entre les soussignés", fdate=date_courte),
        *partie("preambule_objectifs", "1. Préambule", ville="La Ville de Pont-Ardent"),
        (
            "p",
            "La ville de Pont-Ardent compte un quartier prioritaire inscrit au NPNRU, dont le projet est articulé "
            "avec le présent programme.",
        ),
        *partie("engagement_parties", "2. Engagements des partenaires"),
        *partie("organisation_comite_projet", "3. Organisation des collectivités et comité de projet"),
        *partie("phase_initialisation", "4. Tableau récapitulatif des actions matures"),
        table_actions(
            lignes,
            ["N°", "Opération", "Maîtrise d'ouvrage", "Calendrier", "Montant € HT"],
            fmt=lambda x: euros(x, ""),
            ligne_total="Total général",
            ruled=False,
            numeros=True,
            largeurs=[0.06, 0.44, 0.2, 0.12, 0.18],
        ),
        *partie("duree_evolution_fonctionnement", "5. Durée et évolution de la convention", duree="six (6) ans"),
        *partie("traitement_litiges", "6. Litiges"),
        ("p", "Fait à Pont-Ardent, le 30 juin 2025"),
        *sig_colonnes(orgs, "En cinq exemplaires originaux.", ncols=3),
    ]
    p.verite = verite(
        p,
        "reportlab Times, Entre les soussignés, titres « 1. », Métropole et ANRU, tableau non réglé numéroté "
        "« Total général », signatures sur trois colonnes, pas d'article suivi ni d'annexe",
        "convention_cadre",
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs),
        date_signature=D_(2025, 6, 30),
        trame=[
            "parties",
            "preambule_objectifs",
            "engagement_parties",
            "organisation_comite_projet",
            "duree_evolution_fonctionnement",
            "phase_initialisation",
            "traitement_litiges",
        ],
        actions=actions(lignes),
        budget_total=total(lignes),
        duree_annees=6,
    )
    return p


def roche_vallier() -> Piece:
    """LibreOffice PDF, Heading styles, a parties article, « en sa qualité de », no table of actions."""
    p = Piece("roche-vallier_cc_acv.pdf", "office", entete="Roche-Vallier — convention ACV")
    ville = Org(
        "ville_centre",
        "Commune de Roche-Vallier",
        "la ",
        "Évelyne MARCHETTI",
        "Madame",
        "Maire",
        D_(2025, 9, 1),
        "la Commune",
    )
    ca = Org(
        "intercommunalite",
        "Communauté d'agglomération Vallier-Sud",
        "la ",
        "Jean-Baptiste NOIROT",
        "Monsieur",
        "Président",
        D_(2025, 9, 4),
        "l'Agglomération",
    )
    etat = Org("prefet", "État", "l'", "Agnès VIDAL-HOARAU", "Madame", "Préfète des Hautes-Vallées")
    anah = Org(
        "anah",
        "Agence nationale de l'habitat",
        "l'",
        "Agnès VIDAL-HOARAU",
        "Madame",
        "déléguée de l'Anah dans le département",
        alias="l'Anah",
        pour="Pour l'Anah",
    )
    al = Org("action_logement", "Action Logement Services", "", "Stéphane MOREAU", "Monsieur", "Directeur régional")
    orgs = [ville, ca, etat, anah, al]
    p.blocs = [
        ("titre", "Convention-cadre Action Cœur de Ville\nCommune de Roche-Vallier"),
        ("pc", MENTION),
        ("h1", "Article premier – Les parties signataires"),
        *bloc_parties(orgs, partie_qualite, entete=""),
        *partie("preambule_objectifs", "Article 2 – Objectifs poursuivis", ville="La Commune de Roche-Vallier"),
        *partie("organisation_comite_projet", "Article 3 – Pilotage"),
        *partie(
            "duree_evolution_fonctionnement",
            "Article 4 – Durée de la convention",
            duree="cinq années, à compter de sa signature",
        ),
        *partie("suivi_evaluation", "Article 5 – Modalités de suivi"),
        *sig_colonnes(orgs, "Fait à Roche-Vallier, le 22 septembre 2025"),
    ]
    p.verite = verite(
        p,
        "LibreOffice PDF, styles de titres, article « Les parties signataires », en sa qualité de, Madame, "
        "pas de tableau d'actions, trame incomplète, signatures en grille",
        "convention_cadre",
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs),
        date_signature=D_(2025, 9, 22),
        trame=[
            "parties",
            "preambule_objectifs",
            "organisation_comite_projet",
            "duree_evolution_fonctionnement",
            "suivi_evaluation",
        ],
        duree_annees=5,
    )
    return p


PIECES = [verac(), pont_ardent(), roche_vallier()]
