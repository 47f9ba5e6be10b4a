"""The control corpus's avenants: four numbers written four ways, the avenant's trame under
various names, annexes listed or written out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from instruct.samples.corpus.controle_blocs import (
    bloc_parties,
    partie,
    partie_apres,
    partie_qualite,
    partie_titre_avant,
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
    date_longue,
    euros,
    keuros,
    signataires,
    total,
    verite,
)
from instruct.samples.corpus.truth import FICTIF

D_ = dt.date
MENTION = f"({FICTIF})"
TOUT = [
    "diagnostic_afom",
    "objectifs_generaux_et_par_axe",
    "perimetres_intervention",
    "plan_actions",
    "calendrier_general",
    "budget_financement",
]


def mervent_1() -> Piece:
    """DOCX Heading styles, « Avenant n° 1 », every part and every annex, axes and TOTAL, € HT."""
    p = Piece("avenant_1_mervent_la_cote.docx", "docx", entete="Avenant n° 1 – convention ACV de Mervent-la-Côte")
    ville = Org(
        "ville_centre",
        "Commune de Mervent-la-Côte",
        "la ",
        "Jean-Luc FERRAND",
        "M.",
        "Maire",
        D_(2026, 1, 29),
        "la Ville",
    )
    cc = Org(
        "intercommunalite",
        "Communauté de communes Mervent Océan",
        "la ",
        "Sylvie CARADEC",
        "Mme",
        "Présidente",
        D_(2026, 2, 5),
    )
    etat = Org("prefet", "État", "l'", "Bertrand OLLIVIER", "M.", "Préfet de la Vendée-Maritime")
    orgs = [ville, cc, etat]
    lignes = [
        Ligne("Axe 1 – De la réhabilitation à la restructuration : vers une offre attractive de l'habitat", axe=True),
        Ligne("OPAH-RU de Mervent-la-Côte", D(1250000), autres=("CC Mervent Océan", "2026-2030")),
        Ligne("Réhabilitation de l'îlot des Halles", D(2380000), autres=("Ville / bailleur", "2026-2028")),
        Ligne("Axe 2 – Favoriser un développement économique et commercial équilibré", axe=True),
        Ligne("Requalification de la place du Marché", D(1450000), autres=("Ville", "2026-2027")),
        Ligne("Axe 3 – Développer l'accessibilité, la mobilité et les connexions", axe=True),
        Ligne("Parking-relais de la gare", D(960000), autres=("CC Mervent Océan", "2027")),
        Ligne("Axe 5 – Fournir l'accès aux équipements et services publics", axe=True),
        Ligne("Médiathèque dans l'ancien couvent des Ursulines", D(3378000), autres=("Ville", "2027-2029")),
    ]
    cout = total(lignes)
    p.blocs = [
        (
            "titre",
            "AVENANT N° 1\nÀ LA CONVENTION-CADRE ACTION CŒUR DE VILLE DE MERVENT-LA-CÔTE\n"
            "valant opération de revitalisation de territoire",
        ),
        ("pc", MENTION),
        *bloc_parties(orgs, partie_apres),
        ("h1", "Article 1 – Objet de l'avenant"),
        (
            "p",
            "Le présent avenant, qui clôt la phase d'initialisation, complète la convention-cadre signée le "
            "5 juin 2025 et la transforme en opération de revitalisation de territoire (ORT).",
        ),
        *partie("diagnostic_afom", "Article 2 – Diagnostic (atouts, faiblesses, opportunités, menaces)"),
        *partie("objectifs_generaux_et_par_axe", "Article 3 – Objectifs généraux et déclinaison par axe"),
        *partie("perimetres_intervention", "Article 4 – Périmètres d'intervention"),
        *partie("plan_actions", "Article 5 – Plan d'actions"),
        table_actions(
            lignes,
            ["Action", "Maître d'ouvrage", "Calendrier", "Coût (€ HT)"],
            fmt=lambda x: euros(x, ""),
            largeurs=[0.45, 0.2, 0.15, 0.2],
        ),
        *partie("calendrier_general", "Article 6 – Calendrier général"),
        *partie("budget_financement", "Article 7 – Budget et financement"),
        ("p", f"Le coût total du projet est estimé à {euros(cout)} HT, dont 41 % à la charge des cofinanceurs."),
        ("saut",),
        ("h1", "Annexes"),
        *partie("annexe_livrables_etudes", "Annexe 1 – Livrables des études", "h2"),
        *partie("annexe_document_presentation", "Annexe 2 – Document de présentation du projet", "h2"),
        *partie("annexe_plan_perimetres", "Annexe 3 – Plan des périmètres d'intervention", "h2"),
        *partie("annexe_calendrier_detaille", "Annexe 4 – Calendrier détaillé", "h2"),
        *partie("annexe_budget_detaille", "Annexe 5 – Budget détaillé", "h2"),
        *partie("annexe_fiches_actions", "Annexe 6 – Fiches actions", "h2"),
        *sig_colonnes(orgs, "Fait à Mervent-la-Côte, le 16 mars 2026", ncols=3),
    ]
    p.verite = verite(
        p,
        "DOCX Heading styles, Avenant n° 1, trame complète avec annexes, axes et TOTAL en € HT, total en phrase, "
        "signatures sur trois colonnes",
        "avenant",
        numero=1,
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs),
        date_signature=D_(2026, 3, 16),
        trame=[
            *TOUT,
            "annexe_livrables_etudes",
            "annexe_document_presentation",
            "annexe_plan_perimetres",
            "annexe_calendrier_detaille",
            "annexe_budget_detaille",
            "annexe_fiches_actions",
        ],
        actions=actions(lignes),
        budget_total=cout,
    )
    return p


def sauveterre_2() -> Piece:
    """reportlab, « AVENANT N°2 », numbered parts « 1. », k€ ruled table with TOTAL, two annexes."""
    p = Piece("AVENANT_N2_SAUVETERRE.pdf", "pdf", entete="Sauveterre-d'Aulne – Avenant N°2 – ORT")
    ville = Org(
        "ville_centre", "Ville de Sauveterre-d'Aulne", "la ", "Hélène ROUSSEL-DAVID", "Madame", "Maire", D_(2026, 5, 21)
    )
    agglo = Org("intercommunalite", "Aulne Agglo", "", "Thierry LE GOFF", "Monsieur", "Président", D_(2026, 5, 28))
    etat = Org("prefet", "État", "l'", "Corinne MASSABIAU", "Madame", "Préfète du département de l'Aulne")
    anah = Org("anah", "Anah", "l'", None, qualite="la déléguée locale", pour="Pour l'Anah")
    orgs = [ville, agglo, etat, anah]
    lignes = [
        Ligne("OPAH-RU (suivi-animation et aides)", D(1840000), autres=("Aulne Agglo", "2026-2031")),
        Ligne("Recyclage de l'îlot Saint-Jacques", D(1200500), autres=("Ville", "2026-2028")),
        Ligne("Aménagement des quais de l'Aulne (tranches 1 et 2)", D(4100000), autres=("Ville", "2026-2029")),
        Ligne("Halle gourmande", D(870000), autres=("Ville", "2027")),
        Ligne("Schéma directeur cyclable", D(52000), autres=("Aulne Agglo", "2026")),
    ]
    p.blocs = [
        ("titre", "AVENANT N°2 À LA CONVENTION-CADRE ACTION CŒUR DE VILLE\nSAUVETERRE-D'AULNE"),
        ("pc", MENTION),
        *bloc_parties(orgs, partie_qualite, entete="ENTRE LES SOUSSIGNÉS :", fdate=date_courte),
        *partie("diagnostic_afom", "1. Résultats du diagnostic"),
        *partie("objectifs_generaux_et_par_axe", "2. Stratégie et objectifs"),
        *partie("perimetres_intervention", "3. Secteurs d'intervention de l'ORT"),
        *partie("plan_actions", "4. Programme d'actions"),
        table_actions(
            lignes, ["Opération", "Porteur", "Période", "k€ HT"], fmt=keuros, largeurs=[0.5, 0.2, 0.15, 0.15]
        ),
        *partie("calendrier_general", "5. Échéancier"),
        *partie("budget_financement", "6. Plan de financement"),
        ("h1", "ANNEXE 1 : CARTOGRAPHIE DES SECTEURS D'INTERVENTION"),
        ("p", "Plan au 1/5 000 du centre ancien et des quais."),
        *partie("annexe_fiches_actions", "ANNEXE 2 : FICHES ACTIONS"),
        *sig_colonnes(orgs, "Fait à Sauveterre-d'Aulne, le 15/06/2026", sans_nom=("anah",)),
    ]
    p.verite = verite(
        p,
        "reportlab, AVENANT N°2, parties numérotées « 1. » aux noms variés, tableau k€ HT réglé avec TOTAL, "
        "deux annexes en capitales, Anah sans nom",
        "avenant",
        numero=2,
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs, ("anah",)),
        date_signature=D_(2026, 6, 15),
        trame=[*TOUT, "annexe_plan_perimetres", "annexe_fiches_actions"],
        actions=actions(lignes),
        budget_total=total(lignes),
    )
    return p


def brionne_2() -> Piece:
    """DOCX bold-only headings, « Deuxième avenant », parties in a sentence, a rate row, total in M€."""
    p = Piece("deuxieme avenant Brionne.docx", "docx", titres_styles=False)
    ville = Org(
        "ville_centre", "commune de Brionne-les-Étangs", "la ", "Marc-Antoine VIGNERON", "M.", "maire", D_(2026, 10, 8)
    )
    cc = Org(
        "intercommunalite",
        "Communauté de communes de Brionne et des Étangs",
        "la ",
        "Odile FAUCHER",
        "Mme",
        "présidente",
        D_(2026, 10, 15),
        pour="Pour la CCBE",
    )
    etat = Org("prefet", "État", "l'", "Laurent SAINT-CLAIR", "M.", "préfet du Haut-Morvan")
    orgs = [ville, cc, etat]
    lignes = [
        Ligne("Maison de santé pluriprofessionnelle du Pré-Vert", D(1850000), autres=("Commune",)),
        Ligne("Reconversion de l'ancienne tannerie en tiers-lieu", D(1620000), autres=("CCBE",)),
        Ligne("Aide à la rénovation des devantures commerciales", taux="50 %, plafonnée", autres=("Commune",)),
        Ligne("Voie verte des Étangs", D(780000), autres=("CCBE",)),
    ]
    p.blocs = [
        ("titre", "Deuxième avenant à la convention-cadre Action Cœur de Ville de Brionne-les-Étangs"),
        ("pc", MENTION),
        (
            "p",
            parties_prose(orgs, date_longue)
            .replace("La présente convention", "Le présent avenant")
            .replace("est conclue", "est conclu")
            .replace("des Étangs, représentée", "des Étangs, ci-après « la CCBE », représentée"),
        ),
        *partie("diagnostic_afom", "Article 1 – État des lieux"),
        *partie("objectifs_generaux_et_par_axe", "Article 2 – Objectifs du projet"),
        *partie("plan_actions", "Article 3 – Actions programmées"),
        table_actions(lignes, ["Intitulé", "Porteur", "Coût prévisionnel"], ligne_total=None, ruled=False),
        *partie("budget_financement", "Article 4 – Incidences financières"),
        (
            "p",
            "Le montant total du projet s'élève à 4,25 M€ HT, dont 2,1 M€ à la charge des partenaires "
            "cofinanceurs et le solde à la charge des maîtres d'ouvrage.",
        ),
        *sig_lignes(orgs, "Brionne-les-Étangs, le 3 novembre 2026"),
    ]
    p.verite = verite(
        p,
        "DOCX titres en gras, Deuxième avenant (numéro en lettres), parties en une phrase, tableau non réglé "
        "avec un taux, total en phrase (M€), sans calendrier ni périmètre ni annexes",
        "avenant",
        numero=2,
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs),
        date_signature=D_(2026, 11, 3),
        trame=["diagnostic_afom", "objectifs_generaux_et_par_axe", "plan_actions", "budget_financement"],
        actions=actions(lignes),
        budget_total=D(4250000),
    )
    return p


def verac_3() -> Piece:
    """reportlab Times, « Avenant numéro 3 », Titre / Article, title-first parties, axes in k€."""
    p = Piece("verac_avenant_numero_3.pdf", "pdf", police="Times-Roman", entete="CAPV / Ville de Vérac-en-Bocage")
    ville = Org(
        "ville_centre",
        "Ville de Vérac-en-Bocage",
        "la ",
        "Gérard TOUCHARD",
        "M.",
        "le Maire",
        D_(2026, 9, 22),
        "la Ville",
    )
    capv = Org(
        "intercommunalite",
        "Communauté d'agglomération du Pays de Vérac",
        "la ",
        "Martine LEBRETON-SY",
        "Mme",
        "la Présidente",
        D_(2026, 9, 29),
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
        D_(2026, 10, 6),
    )
    orgs = [ville, capv, etat, region]
    lignes = [
        Ligne("AXE 1 – HABITAT", axe=True),
        Ligne("Opération façades (deuxième tranche)", D(420000), autres=("Ville",)),
        Ligne("AXE 3 – MOBILITÉS", axe=True),
        Ligne("Pôle d'échanges multimodal de la gare", D(3350000), autres=("CAPV",)),
        Ligne("AXE 4 – ESPACES PUBLICS", axe=True),
        Ligne("Requalification de la Grand'Rue", D(1985000), autres=("Ville",)),
    ]
    p.blocs = [
        ("titre", "Avenant numéro 3\nà la convention-cadre Action Cœur de Ville de Vérac-en-Bocage"),
        ("pc", MENTION),
        *bloc_parties(orgs, partie_titre_avant, entete="ENTRE", fdate=date_courte),
        ("h1", "TITRE I – LE PROJET"),
        *partie("objectifs_generaux_et_par_axe", "Article 1 – Orientations stratégiques", "h2"),
        *partie("perimetres_intervention", "Article 2 – Périmètre de l'ORT", "h2"),
        ("h1", "TITRE II – LA PROGRAMMATION"),
        *partie("plan_actions", "Article 3 – Programme d'actions par axe", "h2"),
        table_actions(
            lignes,
            ["Action", "Maître d'ouvrage", "Coût (k€)"],
            fmt=keuros,
            ligne_total="TOTAL",
            largeurs=[0.6, 0.2, 0.2],
        ),
        *partie("calendrier_general", "Article 4 – Phasage", "h2"),
        *partie("budget_financement", "Article 5 – Maquette financière", "h2"),
        *sig_colonnes(orgs, "Fait à Vérac-en-Bocage, le 20 octobre 2026"),
    ]
    p.verite = verite(
        p,
        "reportlab Times, Avenant numéro 3, TITRE / Article, représentant après son titre, axes en capitales, "
        "k€, sans diagnostic ni annexes",
        "avenant",
        numero=3,
        parties=[o.partie() for o in orgs],
        signataires=signataires(orgs),
        date_signature=D_(2026, 10, 20),
        trame=[
            "objectifs_generaux_et_par_axe",
            "perimetres_intervention",
            "plan_actions",
            "calendrier_general",
            "budget_financement",
        ],
        actions=actions(lignes),
        budget_total=total(lignes),
    )
    return p


PIECES = [mervent_1(), sauveterre_2(), brionne_2(), verac_3()]
