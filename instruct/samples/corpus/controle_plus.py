"""Two more control pieces: Pont-Ardent's first avenant, numbered without « n° », and Roche-Vallier's
délibération on a two-column letterhead, signed electronically after the séance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from instruct.samples.corpus.controle_blocs import bloc_parties, partie, partie_apres, sig_lignes, table_actions
from instruct.samples.corpus.controle_model import Ligne, Org, Piece, actions, date_longue, keuros, total, verite
from instruct.samples.corpus.truth import FICTIF, Signataire

D_ = dt.date
MENTION = f"({FICTIF})"


def pont_ardent_1() -> Piece:
    """DOCX Heading styles, « Avenant 1 », « Vu » nothing, k€ TTC in an unruled table, a rate row."""
    p = Piece("PontArdent-ACV-Avenant1.docx", "docx", entete="Ville de Pont-Ardent / Lorvan Métropole")
    ville = Org(
        "ville_centre", "Ville de Pont-Ardent", "la ", "Rachid BENALI", "M.", "Maire", D_(2026, 6, 29), "la Ville"
    )
    metro = Org(
        "intercommunalite",
        "Lorvan Métropole",
        "",
        "Christine ABGRALL",
        "Mme",
        "Présidente",
        D_(2026, 7, 3),
        "la Métropole",
    )
    etat = Org("prefet", "État", "l'", "Damien RIVIÈRE", "M.", "Préfet du Lorvan")
    anru = Org("anru", "ANRU", "l'", "Sophie NGUYEN-THIBAUT", "Mme", "Déléguée territoriale adjointe")
    al = Org(
        "action_logement", "Action Logement Services", "", "Kévin LAMBERT-DIOP", "M.", "Directeur régional Grand Lorvan"
    )
    orgs = [ville, metro, etat, anru, al]
    lignes = [
        Ligne("Habitat", axe=True),
        Ligne("Réhabilitation de la résidence Les Ormeaux (NPNRU)", D(4120000), autres=("Lorvan Habitat",)),
        Ligne("Prime à l'accession dans l'ancien", taux="10 % du prix, plafonnée", autres=("Métropole",)),
        Ligne("Commerce", axe=True),
        Ligne("Restructuration du marché couvert", D(2750000), autres=("Ville",)),
        Ligne("Foncière commerce centre-ville", D(1500000), autres=("Métropole / Banque des Territoires",)),
        Ligne("Mobilités et espaces publics", axe=True),
        Ligne("Piste cyclable du pont Neuf", D(680000), autres=("Métropole",)),
        Ligne("Place de la République", D(1835500), autres=("Ville",)),
    ]
    p.blocs = [
        (
            "titre",
            "Convention-cadre Action Cœur de Ville de Pont-Ardent\nAvenant 1 – Projet de redynamisation et "
            "opération de revitalisation de territoire",
        ),
        ("pc", MENTION),
        *bloc_parties(orgs, partie_apres, entete="Entre"),
        ("h1", "Article 1er – État des lieux et diagnostic"),
        *partie("diagnostic_afom", "", "h1")[1:],
        *partie("objectifs_generaux_et_par_axe", "Article 2 – Projet de redynamisation : objectifs"),
        *partie("perimetres_intervention", "Article 3 – Périmètre de l'ORT"),
        *partie("plan_actions", "Article 4 – Plan d'actions"),
        table_actions(
            lignes, ["Actions", "Maître d'ouvrage", "Coût total (k€ TTC)"], fmt=keuros, ruled=False, ligne_total="Total"
        ),
        *partie("calendrier_general", "Article 5 – Calendrier"),
        *partie("budget_financement", "Article 6 – Financement"),
        ("h1", "Liste des annexes"),
        ("p", "Annexe A : plan du périmètre de l'ORT. Annexe B : fiches actions."),
        ("h2", "Annexe A – Plan du périmètre de l'ORT"),
        *partie("annexe_plan_perimetres", "", "h2")[1:],
        *partie("annexe_fiches_actions", "Annexe B – Fiches actions", "h2"),
        *sig_lignes(orgs, f"Fait à Pont-Ardent, le {date_longue(D_(2026, 9, 1))}"),
    ]
    p.verite = verite(
        p,
        "DOCX Heading styles, « Avenant 1 » sans n°, Entre/ET, tableau non réglé k€ TTC avec axes sans le mot "
        "« Axe », un taux, « Total », liste d'annexes puis annexes, signatures une par ligne",
        "avenant",
        numero=1,
        parties=[o.partie() for o in orgs],
        signataires=[Signataire(role=o.role, nom=o.rep) for o in orgs],
        date_signature=D_(2026, 9, 1),
        trame=[
            "diagnostic_afom",
            "objectifs_generaux_et_par_axe",
            "perimetres_intervention",
            "plan_actions",
            "calendrier_general",
            "budget_financement",
            "annexe_plan_perimetres",
            "annexe_fiches_actions",
        ],
        actions=actions(lignes),
        budget_total=total(lignes),
    )
    return p


def deliberation_roche() -> Piece:
    """reportlab, letterhead in two columns, séance in figures, signed electronically two days later."""
    p = Piece("DEL_2025_057_Roche-Vallier.pdf", "pdf", police="Times-Roman")
    entete = [
        "RÉPUBLIQUE FRANÇAISE\nDépartement des Hautes-Vallées\nArrondissement de Vallier",
        "COMMUNE DE ROCHE-VALLIER\nConseil municipal\nDélibération n° 2025-057",
    ]
    p.blocs = [
        ("table", [entete], {"ruled": False, "head": False}),
        ("titre", "Extrait du registre des délibérations"),
        ("pc", MENTION),
        ("p", "Séance ordinaire du 01/09/2025 – Convocation du 26/08/2025"),
        (
            "p",
            "Présidence : Madame Évelyne MARCHETTI, Maire. Conseillers en exercice : 29 ; présents : 24 ; "
            "pouvoirs : 4. Secrétaire de séance : M. Patrice AUBERTIN.",
        ),
        ("pb", "Objet : Convention-cadre Action Cœur de Ville – approbation et autorisation de signature"),
        (
            "p",
            "Madame la Maire expose que la commune, retenue au programme Action Cœur de Ville, doit conclure avec "
            "la Communauté d'agglomération Vallier-Sud, l'État, l'Anah et Action Logement une convention-cadre.",
        ),
        ("p", "Vu le code général des collectivités territoriales ;"),
        ("p", "Vu l'avis de la commission aménagement du 25 août 2025 ;"),
        ("p", "Le conseil municipal, après en avoir délibéré, par 26 voix pour et 2 voix contre :"),
        ("p", "Article 1 : approuve la convention-cadre Action Cœur de Ville annexée à la présente délibération ;"),
        ("p", "Article 2 : autorise Madame la Maire, ou son représentant, à la signer."),
        ("p", "Ainsi fait et délibéré en séance, les jour, mois et an ci-dessus."),
        (
            "table",
            [
                [
                    "Pour extrait certifié conforme,\nRoche-Vallier, le 03/09/2025",
                    "La Maire,\nÉvelyne MARCHETTI\nSigné électroniquement le 03/09/2025",
                ]
            ],
            {"ruled": False, "head": False},
        ),
        (
            "p",
            "Acte rendu exécutoire après transmission au représentant de l'État le 04/09/2025 et publication le "
            "04/09/2025.",
        ),
    ]
    p.verite = verite(
        p,
        "reportlab Times, en-tête en deux colonnes, séance JJ/MM/AAAA, articles du dispositif, signatures du "
        "« Pour extrait certifié conforme » daté et signature électronique de la maire côte à côte",
        "deliberation",
        signataires=[Signataire(role="ville_centre", nom="Évelyne MARCHETTI")],
        date_signature=D_(2025, 9, 3),
    )
    return p


PIECES = [pont_ardent_1(), deliberation_roche()]
