"""The programme's words, written once: the five axes, the signatories a convention needs, the
parts of the convention-cadre and of the avenant de projet (the guide's trames). The rules, the
piece reader, the checklists and the reports all read these tables."""

AXES = {
    1: "De la réhabilitation à la restructuration, vers une offre attractive de l'habitat en centre-ville",
    2: "Favoriser un développement économique et commercial équilibré",
    3: "Développer l'accessibilité, la mobilité et les connexions",
    4: "Mettre en valeur les formes urbaines, l'espace public et le patrimoine",
    5: "Fournir l'accès aux équipements, aux services publics, à l'offre culturelle et de loisirs",
}

SIGNATAIRES_REQUIS = {
    "ville_centre": "la ville-centre",
    "intercommunalite": "l'intercommunalité",
    "prefet": "le préfet de département",
    "cdc": "la Caisse des Dépôts (Banque des Territoires)",
    "action_logement": "Action Logement",
    "anah": "l'Anah",
    "anru": "l'ANRU (quartier NPNRU ou PNRQAD concerné)",
}

TRAME_CONVENTION = {
    "parties": "Parties",
    "preambule_objectifs": "Préambule et objectifs poursuivis",
    "engagement_parties": "Engagement général des parties",
    "organisation_comite_projet": "Organisation des collectivités et comité de projet",
    "duree_evolution_fonctionnement": "Durée, évolution et fonctionnement général de la convention",
    "phase_initialisation": "Phase d'initialisation avec tableau récapitulatif des études et actions matures (calendrier, budget, partenaires financeurs)",
    "suivi_evaluation": "Modalités de suivi et évaluation",
    "traitement_litiges": "Traitement des litiges",
    "annexe_fiches_matures": "Annexe : fiches actions matures",
}

TRAME_AVENANT = {
    "diagnostic_afom": "Résultats du diagnostic (analyse AFOM)",
    "objectifs_generaux_et_par_axe": "Objectifs généraux du projet et par axe",
    "perimetres_intervention": "Périmètres d'intervention",
    "plan_actions": "Plan d'actions",
    "calendrier_general": "Calendrier général",
    "budget_financement": "Budget et financement (montant total, part cofinanceurs / part porteur)",
    "annexe_livrables_etudes": "Annexe : livrables des études",
    "annexe_document_presentation": "Annexe : document de présentation du projet",
    "annexe_plan_perimetres": "Annexe : plan des périmètres d'intervention",
    "annexe_calendrier_detaille": "Annexe : calendrier détaillé du projet",
    "annexe_budget_detaille": "Annexe : budget détaillé du projet",
    "annexe_fiches_actions": "Annexe : fiches actions",
}
