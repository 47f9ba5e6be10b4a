"""Dossier -> flat facts: what the rules read.

Facts are measurements, rules are judgments: this module computes values (sums, gaps, areas
outside a perimeter, months elapsed) and never decides compliance; thresholds live in the
rule files and their dated parameters.

A fact is one entity (the dossier, a fiche action, a part of the convention…) with flat
values: int, bool or str; dates as YYYYMMDD ints, amounts as integer cents, areas in m²,
shares in hundredths of a percent. A value that is unknown is left out (never None).
`FACT_TYPES` declares every field: the rule loader refuses a rule that reads anything else.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from instruct.dossier import Avenant, Dossier, FicheAction
from shapely.ops import unary_union

from instruct.geometry import inclusion
from instruct.referentiel import Referentiel


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # bool int str date cents m2 pct
    label: str
    always: bool = False  # present in every fact of this type
    derived_from: tuple[str, ...] = ()  # present whenever these are


def F(kind: str, label: str, always: bool = False, derived_from: tuple[str, ...] = ()) -> FieldSpec:
    return FieldSpec(kind, label, always, derived_from)


CONTEXT = {
    "avenant_present": F("bool", "avenant de déploiement présent au dossier", True),
    "avenant_signe": F("bool", "avenant de déploiement signé", True),
}

FACT_TYPES: dict[str, dict[str, FieldSpec]] = {
    "dossier": {
        **CONTEXT,
        "insee": F("str", "code INSEE de la ville-centre", True),
        "commune": F("str", "nom de la ville-centre", True),
        "referentiel_acv_fourni": F("bool", "liste officielle des communes ACV fournie", True),
        "commune_acv": F("bool", "commune dans la liste officielle ACV"),
        "id_acv": F("str", "identifiant ACV de la commune"),
        "date_convention": F("date", "date de signature de la convention-cadre"),
        "date_avenant": F("date", "date de signature de l'avenant de déploiement"),
        "date_fin_initialisation": F("date", "fin de l'initialisation (avenant, ou date d'évaluation s'il n'est pas signé)", derived_from=("date_convention",)),
        "mois_initialisation": F("int", "durée de l'initialisation en mois", derived_from=("date_convention",)),
        "perimetre_etude": F("bool", "périmètre d'étude défini"),
        "perimetre_intervention": F("bool", "périmètre d'intervention (ORT) pré-identifié"),
        "nb_indicateurs_moyens": F("int", "nombre d'indicateurs de moyens"),
        "nb_indicateurs_resultats": F("int", "nombre d'indicateurs de résultats"),
        "nb_dates_futures": F("int", "nombre de dates postérieures à la date d'évaluation", True),
        "nb_immeubles": F("int", "nombre d'immeubles proposés à Action Logement", True),
        "situation_anru": F("str", "situation de la ville au regard de l'ANRU (PNRQAD, NPNRU en centre, en périphérie, aucun)"),
        "siren_epci_referentiel": F("str", "SIREN de l'EPCI selon la liste officielle ACV"),
        "siren_epci_concorde": F("bool", "SIREN de l'EPCI identique dans le dossier et la liste officielle", derived_from=("siren_epci_referentiel",)),
        "nb_immeubles_en_double": F("int", "immeubles décrits deux fois (même adresse ou même référence cadastrale)", True),
        "immeubles_en_double": F("str", "immeubles décrits deux fois"),
        "convention_signee": F("bool", "convention-cadre ACV signée"),
        "note_projet_urbain": F("bool", "note sur le projet urbain et son avancement (pièce)"),
        "avis_note_projet_urbain": F("str", "avis de la DDT sur la note de projet urbain"),
        "plan_situation_immeubles": F("bool", "plan de situation des immeubles (pièce)"),
        "note_utilite_immeubles": F("bool", "note sur l'utilité des projets immobiliers (pièce)"),
        "avis_note_utilite_immeubles": F("str", "avis sur la note d'utilité des projets immobiliers"),
        "dates_futures": F("str", "dates postérieures à la date d'évaluation"),
    },
    "element": {
        **CONTEXT,
        "liste": F("str", "liste d'éléments attendus", True),
        "code": F("str", "élément attendu", True),
        "libelle": F("str", "libellé de l'élément", True),
        "present": F("bool", "élément présent"),
    },
    "signataire": {
        **CONTEXT,
        "role": F("str", "rôle du signataire attendu", True),
        "libelle": F("str", "signataire attendu", True),
        "requis": F("bool", "signature requise", True),
        "signe": F("bool", "a signé la convention-cadre"),
    },
    "axe": {
        **CONTEXT,
        "numero": F("int", "numéro de l'axe", True),
        "libelle": F("str", "intitulé de l'axe", True),
        "diagnostic": F("bool", "diagnostic de l'axe renseigné"),
        "objectifs": F("bool", "objectifs de l'axe renseignés"),
        "nb_actions": F("int", "nombre de fiches actions de l'axe", True),
    },
    "inclusion": {
        **CONTEXT,
        "interieur": F("str", "périmètre contenu", True),
        "exterieur": F("str", "périmètre contenant", True),
        "surface_m2": F("m2", "surface du périmètre contenu (m²)"),
        "hors_m2": F("m2", "surface hors du périmètre contenant (m²)"),
        "hors_pct": F("pct", "part hors du périmètre contenant"),
    },
    "fiche_action": {
        **CONTEXT,
        "mature": F("bool", "action mature", True),
        "objet": F("str", "objet (intitulé)"),
        "maitre_ouvrage": F("str", "maître d'ouvrage"),
        "calendrier": F("bool", "calendrier renseigné", True),
        "cout_cents": F("cents", "coût de l'action"),
        "nb_financeurs": F("int", "nombre de financeurs", True),
        "total_financement_cents": F("cents", "total du plan de financement", True),
        "ecart_financement_cents": F("cents", "écart entre coût et financements (valeur absolue)", derived_from=("cout_cents",)),
        "derniere_date_engagement": F("date", "date du dernier engagement financier"),
        "financeur_dernier_engagement": F("str", "financeur du dernier engagement"),
        "date_approbation_comite_projet": F("date", "date d'approbation par le comité de projet"),
        "date_comite_regional": F("date", "date de passage en comité régional d'engagement"),
        "jours_approbation_avant_cre": F("int", "jours entre l'approbation locale et le comité régional", derived_from=("date_approbation_comite_projet", "date_comite_regional")),
        "ajoutee_apres_avenant": F("bool", "fiche ajoutée après l'avenant"),
        "nb_financeurs_non_signataires": F("int", "financeurs n'ayant pas signé la fiche", True),
        "localisee": F("bool", "localisation de l'action renseignée", True),
        "finance_anru": F("bool", "l'ANRU finance l'action", True),
        "categorie_anru": F("str", "nature de l'intervention financée par l'ANRU"),
        "excedent_financement_cents": F("cents", "financements au-delà du coût de l'action", derived_from=("cout_cents",)),
        "hors_intervention_pct": F("pct", "part de la localisation hors du périmètre d'intervention"),
        "financeurs_non_signataires": F("str", "financeurs n'ayant pas signé la fiche"),
    },
    "avenant": {
        **CONTEXT,
        "numero": F("int", "numéro de l'avenant", True),
        "objet": F("str", "objet de l'avenant", True),
        "signe": F("bool", "avenant signé", True),
        "budget_total_cents": F("cents", "budget total de l'avenant"),
        "somme_fiches_cents": F("cents", "somme des coûts des fiches actions"),
        "fiches_sans_cout": F("str", "fiches actions sans coût"),
        "ecart_total_fiches_cents": F("cents", "écart entre budget total et somme des fiches (valeur absolue)", derived_from=("budget_total_cents", "somme_fiches_cents")),
        "parts_cents": F("cents", "part des cofinanceurs + part du porteur"),
        "ecart_parts_cents": F("cents", "écart entre budget total et parts (valeur absolue)", derived_from=("budget_total_cents", "parts_cents")),
    },
    "immeuble": {
        **CONTEXT,
        "adresse": F("str", "adresse"),
        "reference_cadastrale": F("str", "référence cadastrale"),
        "surface_m2": F("m2", "surface de l'immeuble"),
        "proprietaire": F("str", "propriétaire"),
        "operateur": F("str", "opérateur désigné"),
        "operateur_type": F("str", "nature de l'opérateur"),
        "localisee": F("bool", "localisation de l'immeuble renseignée", True),
        "dans_perimetre_intervention": F("bool", "dans le périmètre d'intervention"),
        "dans_secteur_ort": F("bool", "dans un secteur d'intervention de l'ORT"),
        "description_caracteres": F("int", "longueur de la description du projet (caractères)"),
        "maitrise_mode": F("str", "mode de maîtrise foncière"),
        "maitrise_etat": F("str", "état de la maîtrise foncière"),
        "nb_logements": F("int", "nombre de logements programmés"),
        "nb_logements_sans_loyer": F("int", "logements programmés sans niveau de loyer", derived_from=("nb_logements",)),
        "surface_habitable_m2": F("m2", "surface habitable programmée", derived_from=("nb_logements",)),
        "travaux_parties_communes": F("bool", "travaux sur les parties communes"),
        "travaux_parties_privatives": F("bool", "travaux sur les parties privatives", derived_from=("travaux_parties_communes",)),
        "rdc_devenir": F("bool", "devenir du rez-de-chaussée décrit"),
        "rdc_surface": F("bool", "surface du rez-de-chaussée donnée", derived_from=("rdc_devenir",)),
        "rdc_plans": F("bool", "plans du rez-de-chaussée", derived_from=("rdc_devenir",)),
        "plan_situation": F("bool", "plan de situation"),
        "plan_niveaux_etat_des_lieux": F("bool", "plans de niveau, état des lieux", derived_from=("plan_situation",)),
        "nb_etapes_planning": F("int", "étapes datées du planning"),
        "planning_ordonne": F("bool", "étapes du planning dans l'ordre chronologique", derived_from=("nb_etapes_planning",)),
        "prix_de_revient_cents": F("cents", "prix de revient"),
        "total_plan_financement_cents": F("cents", "total du plan de financement"),
        "ecart_plan_financement_cents": F("cents", "écart entre plan de financement et prix de revient (valeur absolue)", derived_from=("prix_de_revient_cents", "total_plan_financement_cents")),
        "excedent_plan_financement_cents": F("cents", "financements au-delà du prix de revient", derived_from=("prix_de_revient_cents", "total_plan_financement_cents")),
        "nb_financeurs_plan": F("int", "financeurs distincts du plan de financement", derived_from=("total_plan_financement_cents",)),
        "logements_immeuble": F("int", "logements de l'immeuble entier"),
        "logements_maitrises": F("int", "logements maîtrisés par l'opérateur"),
        "logements_non_maitrises": F("int", "logements que l'opérateur ne maîtrise pas", derived_from=("logements_immeuble", "logements_maitrises")),
        "demande_objet": F("str", "objet de la demande à Action Logement"),
        "financement_al_cents": F("cents", "financement demandé à Action Logement (prêt + subvention)", derived_from=("demande_objet",)),
        "subvention_al_cents": F("cents", "subvention demandée à Action Logement", derived_from=("demande_objet",)),
        "pret_al_cents": F("cents", "prêt demandé à Action Logement", derived_from=("demande_objet",)),
        "pret_duree_annees": F("int", "durée du prêt (années)"),
        "pret_differe_annees": F("int", "différé du prêt (années)", derived_from=("demande_objet",)),
        "financement_al_par_m2_cents": F("cents", "financement Action Logement par m² habitable", derived_from=("demande_objet", "nb_logements")),
        "subvention_par_logement_cents": F("cents", "subvention Action Logement par logement", derived_from=("demande_objet", "nb_logements")),
        "reservations_logements": F("int", "logements réservés aux salariés"),
        "reservations_duree": F("int", "durée des réservations (années)", derived_from=("reservations_logements",)),
        "part_reservee_pct": F("pct", "part des logements réservés", derived_from=("reservations_logements", "nb_logements")),
        "loyers_maitrises_logements": F("int", "logements sous plafonds de loyer et de ressources Anah"),
        "loyers_maitrises_duree": F("int", "durée de l'engagement de loyers maîtrisés (années)", derived_from=("loyers_maitrises_logements",)),
        "part_loyers_maitrises_pct": F("pct", "part des logements sous plafonds Anah", derived_from=("loyers_maitrises_logements", "nb_logements")),
        "prix_travaux_cents": F("cents", "coût des travaux (honoraires compris)"),
        "excedent_travaux_cents": F("cents", "financement Action Logement au-delà du coût des travaux", derived_from=("demande_objet", "prix_travaux_cents")),
        "valeur_acquisition_cents": F("cents", "valeur d'acquisition"),
        "excedent_acquisition_cents": F("cents", "financement Action Logement au-delà de la valeur d'acquisition", derived_from=("demande_objet", "valeur_acquisition_cents")),
    },
    "ort": {
        **CONTEXT,
        "date_signature_ort": F("date", "date de signature de la convention d'ORT"),
        "duree_ort": F("int", "durée de l'ORT (années)"),
        "signe_etat": F("bool", "l'État (préfet) signe l'ORT"),
        "signe_epci": F("bool", "l'EPCI signe l'ORT", derived_from=("signe_etat",)),
        "signe_ville_principale": F("bool", "la ville principale signe l'ORT", derived_from=("signe_etat",)),
        "derogation_ville_principale": F("date", "décision du préfet autorisant l'ORT sans la ville principale"),
        "projet_revitalisation": F("bool", "projet urbain, économique et social de revitalisation exposé"),
        "actions_habitat": F("bool", "actions d'amélioration de l'habitat"),
        "calendrier_ort": F("bool", "calendrier de l'ORT"),
        "plan_financement_ort": F("bool", "plan de financement de l'ORT"),
        "nb_secteurs": F("int", "secteurs d'intervention délimités"),
        "secteur_centre_ville_principale": F("bool", "un secteur comprend le centre-ville de la ville principale", derived_from=("nb_secteurs",)),
        "nb_parties_urbanisees": F("int", "secteurs en « partie déjà urbanisée »", derived_from=("nb_secteurs",)),
        "communes_non_signataires": F("str", "communes des secteurs qui ne signent pas"),
        "nb_communes_non_signataires": F("int", "communes des secteurs qui ne signent pas", derived_from=("signe_etat",)),
        "avenant_secteurs_et_plan": F("bool", "l'avenant ACV fixe les secteurs d'intervention et le plan d'actions"),
        "registre_fourni": F("bool", "registre national des ORT fourni", True),
        "registre_statut": F("str", "accord du registre national des ORT avec le dossier"),
        "registre_detail": F("str", "ce que dit le registre national des ORT"),
    },
    "secteur_ort": {
        **CONTEXT,
        "nom": F("str", "secteur d'intervention", True),
        "centre_ville": F("bool", "le secteur comprend un centre-ville", True),
        "seuil_aec_m2": F("m2", "seuil de rétablissement de l'AEC fixé par la convention"),
        "seuil_aec_alimentaire_m2": F("m2", "seuil de rétablissement de l'AEC, commerce alimentaire"),
        "opah_ru_declaree": F("bool", "une OPAH-RU (en cours ou projetée) avec son périmètre est déclarée", True),
        "hors_opah_m2": F("m2", "surface du secteur sans OPAH-RU"),
        "hors_opah_pct": F("pct", "part du secteur sans OPAH-RU", derived_from=("hors_opah_m2",)),
    },
    "anah": {
        **CONTEXT,
        "situation_anah": F("str", "situation de la ville au regard des dispositifs de l'Anah"),
        "nb_opah_projetees": F("int", "OPAH-RU, OPAH-CD ou plans de sauvegarde dont le lancement est prévu", derived_from=("situation_anah",)),
        "etudes_definies": F("bool", "études pré-opérationnelles définies ou demandées", derived_from=("situation_anah",)),
    },
    "dispositif_anah": {
        **CONTEXT,
        "type": F("str", "type de dispositif", True),
        "etat": F("str", "état du dispositif", True),
        "maitre_ouvrage": F("str", "maître d'ouvrage du dispositif", True),
        "perimetre_fourni": F("bool", "périmètre du dispositif fourni", True),
        "date_debut": F("date", "date de début"),
        "date_fin": F("date", "date de fin"),
        "etudes_terminees": F("bool", "études terminées à la date d'évaluation", derived_from=("date_fin",)),
        "dispositif_programme": F("bool", "un dispositif opérationnel (OPAH, plan de sauvegarde) en cours ou programmé", True),
        "reference_convention": F("bool", "la convention ACV s'y réfère"),
        "prolongation_prevue": F("bool", "prolongation prévue"),
        "gouvernance_fusionnee": F("bool", "instances fusionnées avec celles du programme"),
        "objectifs_comptes": F("bool", "objectifs comptés dans ceux du programme"),
        "coordination": F("bool", "coordination entre maîtres d'ouvrage décrite"),
        "intersecte_intervention": F("bool", "le périmètre croise le périmètre d'intervention"),
        "couvre_centre": F("bool", "le périmètre couvre le centre-ville"),
        "demande_chef_projet": F("bool", "cofinancement du chef de projet demandé à l'Anah", True),
        "taux_chef_projet_pct": F("pct", "taux de cofinancement demandé pour le chef de projet"),
        "depense_chef_projet_cents": F("cents", "dépense annuelle HT du chef de projet"),
        "npnru_national": F("bool", "un quartier NPNRU d'intérêt national est déclaré", True),
    },
    "quartier": {
        **CONTEXT,
        "programme": F("str", "programme ANRU du quartier", True),
        "npnru": F("bool", "quartier du NPNRU", True),
        "intersecte_intervention": F("bool", "le quartier croise le périmètre d'intervention"),
        "intersection_m2": F("m2", "surface commune au quartier et au périmètre d'intervention", derived_from=("intersecte_intervention",)),
        "intersection_pct": F("pct", "part du quartier dans le périmètre d'intervention", derived_from=("intersecte_intervention",)),
        "convention_referencee": F("bool", "les deux conventions (ACV, renouvellement urbain) sont référencées"),
        "coherence_projets": F("bool", "objectifs, gouvernance, moyens et calendriers mis en cohérence"),
        "articulation_pnrqad": F("bool", "articulation avec le PNRQAD exposée"),
        "date_comite_engagement": F("date", "comité d'engagement NPNRU"),
        "date_comite_regional": F("date", "premier comité régional des financeurs d'une action financée par l'ANRU"),
        "jours_ce_avant_crf": F("int", "jours entre le comité d'engagement NPNRU et le comité régional", derived_from=("date_comite_engagement", "date_comite_regional")),
    },
    "chronologie": {
        **CONTEXT,
        "avant": F("str", "événement qui doit précéder", True),
        "apres": F("str", "événement qui doit suivre", True),
        "date_avant": F("date", "date de l'événement qui doit précéder", True),
        "date_apres": F("date", "date de l'événement qui doit suivre", True),
        "jours": F("int", "jours entre les deux événements", True),
    },
}

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


@dataclass(frozen=True)
class Entity:
    type: str
    id: str
    label: str
    path: str  # where it is in the dossier ("" for the dossier itself)


@dataclass
class Fact:
    type: str
    entity: Entity
    values: dict[str, Any]
    paths: dict[str, str] = field(default_factory=dict)  # field -> dossier path (evidence)


def date_int(value: dt.date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_between(start: dt.date, end: dt.date) -> int:
    """Smallest n such that end <= start + n months (0 if end <= start)."""
    if end <= start:
        return 0
    n = (end.year - start.year) * 12 + end.month - start.month
    n = max(n - 1, 0)
    while add_months(start, n) < end:
        n += 1
    return n


class _Builder:
    def __init__(self, context: dict[str, Any]):
        self.facts: list[Fact] = []
        self.context = context

    def add(self, type_: str, entity: Entity, values: dict[str, Any], paths: dict[str, str]) -> None:
        values = {k: v for k, v in {**self.context, **values}.items() if v is not None}
        self.facts.append(Fact(type_, entity, values, paths))


def _deployment_avenant(dossier: Dossier) -> Avenant | None:
    avenants = dossier.convention.avenants if dossier.convention else []
    deploiement = [a for a in avenants if a.objet == "deploiement"]
    signed = [a for a in deploiement if a.date_signature]
    if signed:
        return min(signed, key=lambda a: (a.date_signature, a.numero))
    return min(deploiement, key=lambda a: a.numero) if deploiement else None


def build_facts(dossier: Dossier, as_of: dt.date, referentiel: Referentiel | None = None) -> list[Fact]:
    avenant = _deployment_avenant(dossier)
    avenant_index = dossier.convention.avenants.index(avenant) if avenant else None
    context = {
        "avenant_present": avenant is not None,
        "avenant_signe": bool(avenant and avenant.date_signature),
    }
    b = _Builder(context)
    _dossier_fact(b, dossier, as_of, referentiel, avenant, avenant_index)
    _signataires(b, dossier)
    _elements(b, dossier, avenant, avenant_index)
    _axes(b, dossier)
    _inclusions(b, dossier)
    _fiches(b, dossier, avenant)
    _avenants(b, dossier)
    _chronologie(b, dossier)
    _immeubles(b, dossier)
    _ort(b, dossier, avenant, referentiel)
    _anah(b, dossier, as_of)
    _quartiers(b, dossier)
    return b.facts


DOSSIER_ENTITY = Entity("dossier", "dossier", "Dossier", "")


def _dossier_fact(b: _Builder, d: Dossier, as_of: dt.date, referentiel: Referentiel | None, avenant: Avenant | None, avenant_index: int | None) -> None:
    ville = d.collectivites.ville_centre
    cadre = d.convention.cadre if d.convention else None
    values: dict[str, Any] = {
        "insee": ville.insee,
        "commune": ville.nom,
        "referentiel_acv_fourni": referentiel is not None and referentiel.communes is not None,
    }
    paths = {"insee": "collectivites.ville_centre.insee", "commune": "collectivites.ville_centre.nom", "referentiel_acv_fourni": "option --referentiel"}
    if referentiel is not None and referentiel.communes is not None:
        commune = referentiel.find(ville.insee)
        values["commune_acv"] = commune is not None
        paths["commune_acv"] = f"collectivites.ville_centre.insee ; {referentiel.source}"
        if commune:
            values["id_acv"] = commune.id_acv
            if commune.siren_epci:
                values["siren_epci_referentiel"] = commune.siren_epci
                values["siren_epci_concorde"] = commune.siren_epci == d.collectivites.intercommunalite.siren
                paths["siren_epci_concorde"] = f"collectivites.intercommunalite.siren ; {referentiel.source}"
    if cadre and cadre.date_signature:
        values["date_convention"] = date_int(cadre.date_signature)
        end = avenant.date_signature if avenant and avenant.date_signature else as_of
        values["date_fin_initialisation"] = date_int(end)
        values["mois_initialisation"] = months_between(cadre.date_signature, end)
        paths["date_convention"] = "convention.cadre.date_signature"
        paths["mois_initialisation"] = paths["date_fin_initialisation"] = (
            f"convention.cadre.date_signature, convention.avenants[{avenant_index}].date_signature"
            if avenant and avenant.date_signature else "convention.cadre.date_signature ; date d'évaluation (avenant non signé)"
        )
    if avenant and avenant.date_signature:
        values["date_avenant"] = date_int(avenant.date_signature)
        paths["date_avenant"] = f"convention.avenants[{avenant_index}].date_signature"
    if d.perimetres is not None:
        values["perimetre_etude"] = d.perimetres.etude is not None
        values["perimetre_intervention"] = d.perimetres.intervention is not None
    paths["perimetre_etude"] = "perimetres.etude"
    paths["perimetre_intervention"] = "perimetres.intervention"
    if d.indicateurs is not None:
        values["nb_indicateurs_moyens"] = sum(1 for i in d.indicateurs if i.type == "moyens")
        values["nb_indicateurs_resultats"] = sum(1 for i in d.indicateurs if i.type == "resultats")
    paths["nb_indicateurs_moyens"] = paths["nb_indicateurs_resultats"] = "indicateurs"
    values["nb_immeubles"] = len(d.immeubles)
    values["situation_anru"] = _situation_anru(d)
    paths["situation_anru"] = "quartiers"
    doubles = _duplicate_immeubles(d)
    values["nb_immeubles_en_double"] = len(doubles)
    values["immeubles_en_double"] = "; ".join(doubles) or None
    paths["nb_immeubles_en_double"] = "immeubles[*].adresse, immeubles[*].reference_cadastrale"
    if cadre is not None:
        values["convention_signee"] = cadre.date_signature is not None
        paths["convention_signee"] = "convention.cadre.date_signature"
    for kind, field_name, avis_name in (("note_projet_urbain", "note_projet_urbain", "avis_note_projet_urbain"),
                                        ("plan_situation", "plan_situation_immeubles", None),
                                        ("note_utilite_immeubles", "note_utilite_immeubles", "avis_note_utilite_immeubles")):
        listed = [(i, p) for i, p in enumerate(d.pieces) if p.type == kind]
        paths[field_name] = f"pieces[{listed[0][0]}]" if listed else f"pieces (type {kind})"
        if listed:
            values[field_name] = True
            if avis_name:
                avis = [p.avis for _, p in listed if p.avis]
                values[avis_name] = avis[0] if avis else None
                paths[avis_name] = f"pieces[{listed[0][0]}].avis"
    futures = [f"{path} ({value.isoformat()})" for path, value in _dated_fields(d) if value > as_of]
    values["nb_dates_futures"] = len(futures)
    if futures:
        values["dates_futures"] = ", ".join(futures[:10]) + (" …" if len(futures) > 10 else "")
        paths["nb_dates_futures"] = "; ".join(p.split(" (")[0] for p in futures[:10])
    b.add("dossier", DOSSIER_ENTITY, values, paths)


def _situation_anru(d: Dossier) -> str | None:
    if d.quartiers is None:
        return None
    if not d.quartiers:
        return "aucun"
    if any(q.programme == "PNRQAD" for q in d.quartiers):
        return "pnrqad"
    intervention = d.perimetres.intervention.shape if d.perimetres and d.perimetres.intervention else None
    central = any(q.perimetre is not None and intervention is not None and q.perimetre.shape.intersects(intervention) for q in d.quartiers)
    if not central and (intervention is None or any(q.perimetre is None for q in d.quartiers)):
        return "npnru_localisation_inconnue"
    return "npnru_centre" if central else "npnru_peripherie"


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace(",", " ").split())


def _duplicate_immeubles(d: Dossier) -> list[str]:
    """Pairs of immeubles with the same address or cadastral reference (case and spaces aside)."""
    seen: dict[tuple[str, str], str] = {}
    out = []
    for imm in d.immeubles:
        for kind, value in (("adresse", imm.adresse), ("cadastre", imm.reference_cadastrale)):
            if value:
                key = (kind, _normal(value))
                if key in seen:
                    out.append(f"{seen[key]} et {imm.id} ({kind} « {value} »)")
                else:
                    seen[key] = imm.id
    return out


def _dated_fields(d: Dossier):
    """Dates of events that have happened (signatures, approvals), with their paths."""
    if d.convention:
        cadre = d.convention.cadre
        if cadre and cadre.date_signature:
            yield "convention.cadre.date_signature", cadre.date_signature
        if cadre:
            for i, delib in enumerate(cadre.deliberations or []):
                yield f"convention.cadre.deliberations[{i}].date", delib.date
            for i, sig in enumerate(cadre.signataires or []):
                if sig.date_signature:
                    yield f"convention.cadre.signataires[{i}].date_signature", sig.date_signature
        for i, av in enumerate(d.convention.avenants):
            if av.date_signature:
                yield f"convention.avenants[{i}].date_signature", av.date_signature
            for j, sig in enumerate(av.signataires):
                if sig.date_signature:
                    yield f"convention.avenants[{i}].signataires[{j}].date_signature", sig.date_signature
    if d.gouvernance and d.gouvernance.directeur_projet and d.gouvernance.directeur_projet.date_nomination:
        yield "gouvernance.directeur_projet.date_nomination", d.gouvernance.directeur_projet.date_nomination
    for i, fiche in enumerate(d.fiches_actions):
        for name in ("date_approbation_comite_projet", "date_comite_regional", "date_signature"):
            value = getattr(fiche, name)
            if value:
                yield f"fiches_actions[{i}].{name}", value
    if d.gouvernance and d.gouvernance.comite_projet and d.gouvernance.comite_projet.date_installation:
        yield "gouvernance.comite_projet.date_installation", d.gouvernance.comite_projet.date_installation


def _signataires(b: _Builder, d: Dossier) -> None:
    cadre = d.convention.cadre if d.convention else None
    roles = {s.role for s in cadre.signataires} if cadre and cadre.signataires is not None else None
    anru_concerne = bool(d.quartiers)
    for role, libelle in SIGNATAIRES_REQUIS.items():
        b.add(
            "signataire",
            Entity("signataire", role, f"Signataire : {libelle}", "convention.cadre.signataires"),
            {
                "role": role,
                "libelle": libelle,
                "requis": anru_concerne if role == "anru" else True,
                "signe": None if roles is None else role in roles,
            },
            {"signe": "convention.cadre.signataires", "requis": "quartiers" if role == "anru" else ""},
        )


def _element(b: _Builder, liste: str, code: str, libelle: str, present: bool | None, path: str, entity_label: str) -> None:
    b.add(
        "element",
        Entity(liste, code, f"{entity_label} : {libelle}", path),
        {"liste": liste, "code": code, "libelle": libelle, "present": present},
        {"present": path},
    )


def _elements(b: _Builder, d: Dossier, avenant: Avenant | None, avenant_index: int | None) -> None:
    cadre = d.convention.cadre if d.convention else None
    gouv = d.gouvernance
    # Prérequis pour l'initialisation (PROG-03)
    deliberations = {x.organe for x in cadre.deliberations} if cadre and cadre.deliberations is not None else None
    comite = gouv.comite_projet if gouv else None
    for code, libelle, present, path in (
        ("comite_projet_installe", "comité de projet installé", None if gouv is None else bool(comite and comite.date_installation), "gouvernance.comite_projet.date_installation"),
        ("directeur_projet_nomme", "directeur de projet recruté et nommé", None if gouv is None else gouv.directeur_projet is not None, "gouvernance.directeur_projet"),
        ("deliberation_commune", "délibération de la commune", None if deliberations is None else "commune" in deliberations, "convention.cadre.deliberations"),
        ("deliberation_intercommunalite", "délibération de l'intercommunalité", None if deliberations is None else "intercommunalite" in deliberations, "convention.cadre.deliberations"),
    ):
        _element(b, "prerequis_initialisation", code, libelle, present, path, "Prérequis d'initialisation")
    # Trame de la convention-cadre (PROG-04)
    contenu = cadre.contenu if cadre else None
    for code, libelle in TRAME_CONVENTION.items():
        _element(b, "trame_convention", code, libelle, getattr(contenu, code) if contenu else None, f"convention.cadre.contenu.{code}", "Convention-cadre")
    # Contenu de l'avenant (PROG-09)
    contenu_av = avenant.contenu if avenant else None
    for code, libelle in TRAME_AVENANT.items():
        _element(b, "trame_avenant", code, libelle, getattr(contenu_av, code) if contenu_av else None, f"convention.avenants[{avenant_index}].contenu.{code}" if avenant else "convention.avenants", "Avenant")
    # Sujets transversaux (PROG-11)
    sujets = d.sujets_transversaux
    for code, libelle in (("innovation", "innovation"), ("numerique", "numérique"), ("animation", "animation du centre-ville")):
        _element(b, "sujets_transversaux", code, libelle, None if sujets is None else getattr(sujets, code) is not None, f"sujets_transversaux.{code}", "Sujet transversal")
    # Prérequis pour le déploiement (PROG-13)
    equipe = gouv.equipe_projet if gouv else None
    for code, libelle, present, path in (
        ("equipe_projet_operationnelle", "équipe projet opérationnelle", None if gouv is None else bool(equipe and equipe.operationnelle), "gouvernance.equipe_projet.operationnelle"),
        ("partenariat_local", "partenariat local consolidé", None if gouv is None else bool(gouv.partenaires_locaux), "gouvernance.partenaires_locaux"),
    ):
        _element(b, "prerequis_deploiement", code, libelle, present, path, "Prérequis de déploiement")
    # Composition du comité de projet (PROG-17)
    if gouv is None or (comite is not None and comite.membres is None):
        qualites = None  # not told
    else:
        qualites = {m.qualite for m in (comite.membres or [])} if comite else set()  # no comité: nobody sits
    for code, libelle, wanted in (
        ("elus", "élus", {"elu"}),
        ("directeur_projet", "directeur de projet", {"directeur_projet"}),
        ("prefet", "préfet de département ou référent départemental", {"prefet", "referent_departemental"}),
        ("cdc", "représentant de la Caisse des Dépôts", {"cdc"}),
        ("action_logement", "représentant d'Action Logement", {"action_logement"}),
    ):
        _element(b, "comite_projet", code, libelle, None if qualites is None else bool(qualites & wanted), "gouvernance.comite_projet.membres", "Comité de projet")
    # Prérequis pour la préparation (PROG-21)
    prep = d.preparation
    for code, libelle, present, path in (
        ("contacts_cles", "contacts clefs identifiés", None if prep is None else bool(prep.contacts_cles), "preparation.contacts_cles"),
        ("dispositifs_identifies", "contrats et dispositifs antérieurs ou en vigueur identifiés", None if prep is None else bool(prep.dispositifs_identifies), "preparation.dispositifs_identifies"),
        ("elements_diagnostic", "premiers éléments de diagnostic", None if prep is None else prep.elements_diagnostic, "preparation.elements_diagnostic"),
        ("trame_etat", "trame de convention-cadre de l'État utilisée", None if prep is None else prep.trame_etat_utilisee, "preparation.trame_etat_utilisee"),
    ):
        _element(b, "prerequis_preparation", code, libelle, present, path, "Prérequis de préparation")


def _axes(b: _Builder, d: Dossier) -> None:
    by_number = {a.numero: (i, a) for i, a in enumerate(d.axes or [])}
    actions = {n: sum(1 for f in d.fiches_actions if f.axe == n) for n in AXES}
    for numero, libelle in AXES.items():
        index, axe = by_number.get(numero, (None, None))
        path = f"axes[{index}]" if index is not None else "axes"
        b.add(
            "axe",
            Entity("axe", str(numero), f"Axe {numero} – {libelle}", path),
            {
                "numero": numero,
                "libelle": libelle,
                "diagnostic": None if d.axes is None else bool(axe and axe.diagnostic),
                "objectifs": None if d.axes is None else bool(axe and axe.objectifs),
                "nb_actions": actions[numero],
            },
            {"diagnostic": f"{path}.diagnostic", "objectifs": f"{path}.objectifs", "nb_actions": "fiches_actions[*].axe"},
        )


def _inclusions(b: _Builder, d: Dossier) -> None:
    p = d.perimetres
    pairs = [("perimetre_intervention", "périmètre d'intervention", p.intervention if p else None, "perimetres.intervention",
              "périmètre d'étude", p.etude if p else None, "perimetres.etude")]
    for i, secteur in enumerate(p.secteurs_prioritaires if p else []):
        pairs.append((f"secteur_{secteur.id}", f"secteur prioritaire « {secteur.nom} »", secteur.geometrie, f"perimetres.secteurs_prioritaires[{i}].geometrie",
                      "périmètre d'intervention", p.intervention, "perimetres.intervention"))
    for ident, inner_label, inner, inner_path, outer_label, outer, outer_path in pairs:
        values: dict[str, Any] = {"interieur": inner_label, "exterieur": outer_label}
        if inner is not None and outer is not None:
            measure = inclusion(inner.shape, outer.shape)
            values["surface_m2"] = round(measure.inner_m2)
            values["hors_m2"] = round(measure.outside_m2)
            values["hors_pct"] = round(measure.outside_share * 10000)
        both = f"{inner_path}, {outer_path}"
        b.add(
            "inclusion",
            Entity("inclusion", ident, f"Inclusion : {inner_label} dans le {outer_label}", inner_path),
            values,
            {"surface_m2": inner_path, "hors_m2": both, "hors_pct": both},
        )


def _share_outside(localisation, perimetre) -> int | None:
    """Hundredths of a percent of the action's place outside the perimeter (a point: 0 or 100 %)."""
    if localisation is None or perimetre is None:
        return None
    place, area = localisation.shape, perimetre.shape
    if place.geom_type in {"Point", "MultiPoint"}:
        return 0 if area.covers(place) else 10000
    return round(inclusion(place, area).outside_share * 10000)


def _fiches(b: _Builder, d: Dossier, avenant: Avenant | None) -> None:
    avenant_date = avenant.date_signature if avenant else None
    intervention = d.perimetres.intervention if d.perimetres else None
    for i, fiche in enumerate(d.fiches_actions):
        path = f"fiches_actions[{i}]"
        total = sum((cents(f.montant) for f in fiche.financement), 0)
        dated = [f for f in fiche.financement if f.date_engagement]
        last = max(dated, key=lambda f: f.date_engagement) if dated else None
        financeurs = [f.financeur for f in fiche.financement if f.role != "porteur"]
        signed_by = {s.casefold() for s in fiche.signataires}
        missing = [name for name in dict.fromkeys(financeurs) if name.casefold() not in signed_by]
        values: dict[str, Any] = {
            "mature": fiche.maturite == "mature",
            "objet": fiche.intitule,
            "maitre_ouvrage": fiche.maitre_ouvrage,
            "calendrier": fiche.calendrier is not None,
            "cout_cents": cents(fiche.cout) if fiche.cout is not None else None,
            "nb_financeurs": len(fiche.financement),
            "total_financement_cents": total,
            "ecart_financement_cents": abs(cents(fiche.cout) - total) if fiche.cout is not None else None,
            "derniere_date_engagement": date_int(last.date_engagement) if last else None,
            "financeur_dernier_engagement": last.financeur if last else None,
            "date_approbation_comite_projet": date_int(fiche.date_approbation_comite_projet) if fiche.date_approbation_comite_projet else None,
            "date_comite_regional": date_int(fiche.date_comite_regional) if fiche.date_comite_regional else None,
            "nb_financeurs_non_signataires": len(missing),
            "financeurs_non_signataires": ", ".join(missing) or None,
            "localisee": fiche.localisation is not None,
            "finance_anru": any(f.role == "anru" for f in fiche.financement),
            "categorie_anru": fiche.categorie_anru,
            "excedent_financement_cents": max(0, total - cents(fiche.cout)) if fiche.cout is not None else None,
            "hors_intervention_pct": _share_outside(fiche.localisation, intervention),
        }
        if fiche.date_approbation_comite_projet and fiche.date_comite_regional:
            values["jours_approbation_avant_cre"] = (fiche.date_comite_regional - fiche.date_approbation_comite_projet).days
        fiche_date = _fiche_date(fiche)
        if fiche.maturite == "mature" or not avenant_date:
            values["ajoutee_apres_avenant"] = False
        elif fiche_date:
            values["ajoutee_apres_avenant"] = fiche_date > avenant_date
        label = f"Fiche action {fiche.id}" + (f" « {fiche.intitule} »" if fiche.intitule else "")
        b.add("fiche_action", Entity("fiche_action", fiche.id, label, path), values, {
            "mature": f"{path}.maturite",
            "objet": f"{path}.intitule",
            "maitre_ouvrage": f"{path}.maitre_ouvrage",
            "calendrier": f"{path}.calendrier",
            "cout_cents": f"{path}.cout",
            "nb_financeurs": f"{path}.financement",
            "total_financement_cents": f"{path}.financement[*].montant",
            "ecart_financement_cents": f"{path}.cout, {path}.financement[*].montant",
            "derniere_date_engagement": f"{path}.financement[*].date_engagement",
            "date_approbation_comite_projet": f"{path}.date_approbation_comite_projet",
            "date_comite_regional": f"{path}.date_comite_regional",
            "jours_approbation_avant_cre": f"{path}.date_approbation_comite_projet, {path}.date_comite_regional",
            "ajoutee_apres_avenant": f"{path}.date_approbation_comite_projet, {path}.date_signature, date de l'avenant",
            "nb_financeurs_non_signataires": f"{path}.financement[*].financeur, {path}.signataires",
            "localisee": f"{path}.localisation",
            "finance_anru": f"{path}.financement[*].role",
            "categorie_anru": f"{path}.categorie_anru",
            "excedent_financement_cents": f"{path}.cout, {path}.financement[*].montant",
            "hors_intervention_pct": f"{path}.localisation, perimetres.intervention",
        })


def _fiche_date(fiche: FicheAction) -> dt.date | None:
    return fiche.date_approbation_comite_projet or fiche.date_signature


def _avenants(b: _Builder, d: Dossier) -> None:
    """Budget of each avenant against the sum of the fiches actions (unknown if one has no cost)."""
    if not d.convention:
        return
    for i, av in enumerate(d.convention.avenants):
        path = f"convention.avenants[{i}]"
        covered = d.fiches_actions
        without_cost = [f.id for f in covered if f.cout is None]
        somme = None if without_cost else sum((cents(f.cout) for f in covered), 0)
        values: dict[str, Any] = {
            "numero": av.numero, "objet": av.objet, "signe": av.date_signature is not None,
            "somme_fiches_cents": somme, "fiches_sans_cout": ", ".join(without_cost) or None,
        }
        if av.budget:
            total = cents(av.budget.total)
            values["budget_total_cents"] = total
            if somme is not None:
                values["ecart_total_fiches_cents"] = abs(total - somme)
            if av.budget.part_cofinanceurs is not None and av.budget.part_porteur is not None:
                parts = cents(av.budget.part_cofinanceurs) + cents(av.budget.part_porteur)
                values["parts_cents"] = parts
                values["ecart_parts_cents"] = abs(total - parts)
        b.add("avenant", Entity("avenant", str(av.numero), f"Avenant n° {av.numero}", path), values, {
            "budget_total_cents": f"{path}.budget.total",
            "somme_fiches_cents": "fiches_actions[*].cout",
            "fiches_sans_cout": "fiches_actions[*].cout",
            "ecart_total_fiches_cents": f"{path}.budget.total, fiches_actions[*].cout",
            "parts_cents": f"{path}.budget.part_cofinanceurs, {path}.budget.part_porteur",
            "ecart_parts_cents": f"{path}.budget.total, {path}.budget.part_cofinanceurs, {path}.budget.part_porteur",
        })


def _chronologie(b: _Builder, d: Dossier) -> None:
    """One fact per pair of dates that must be in order (only when both dates are known)."""
    pairs = []
    cadre = d.convention.cadre if d.convention else None
    if cadre and cadre.date_signature:
        for i, av in enumerate(d.convention.avenants):
            if av.date_signature:
                pairs.append((f"convention-avenant-{av.numero}", "signature de la convention-cadre", cadre.date_signature, "convention.cadre.date_signature",
                              f"signature de l'avenant n° {av.numero}", av.date_signature, f"convention.avenants[{i}].date_signature"))
        for i, fiche in enumerate(d.fiches_actions):
            if fiche.date_signature:
                pairs.append((f"convention-fiche-{fiche.id}", "signature de la convention-cadre", cadre.date_signature, "convention.cadre.date_signature",
                              f"signature de la fiche action {fiche.id}", fiche.date_signature, f"fiches_actions[{i}].date_signature"))
    avenant = _deployment_avenant(d)
    if avenant and avenant.date_signature:
        i_av = d.convention.avenants.index(avenant)
        for i, fiche in enumerate(d.fiches_actions):
            if fiche.maturite != "mature" and fiche.date_signature:
                pairs.append((f"avenant-fiche-{fiche.id}", f"signature de l'avenant n° {avenant.numero}", avenant.date_signature, f"convention.avenants[{i_av}].date_signature",
                              f"signature de la fiche action {fiche.id}", fiche.date_signature, f"fiches_actions[{i}].date_signature"))
    for ident, avant, d1, p1, apres, d2, p2 in pairs:
        b.add("chronologie", Entity("chronologie", ident, f"Chronologie : {avant} → {apres}", p2),
              {"avant": avant, "apres": apres, "date_avant": date_int(d1), "date_apres": date_int(d2), "jours": (d2 - d1).days},
              {"date_avant": p1, "date_apres": p2, "jours": f"{p1}, {p2}"})


def _inside(place, area) -> bool | None:
    if place is None or area is None:
        return None
    return area.shape.covers(place.shape.representative_point() if place.shape.geom_type not in {"Point"} else place.shape)


def _ratio_pct(part: int | None, whole: int | None) -> int | None:
    """Share in hundredths of a percent, rounded down (75 % is reached by 3 of 4, not 74.99 %)."""
    if part is None or not whole:
        return None
    return part * 10000 // whole


def _per(amount: int | None, count) -> int | None:
    """Cents per unit, rounded up (a cap is exceeded by the first cent)."""
    if amount is None or not count:
        return None
    return math.ceil(Decimal(amount) / Decimal(count))


def _immeubles(b: _Builder, d: Dossier) -> None:
    intervention = d.perimetres.intervention if d.perimetres else None
    ort_secteurs = [s.geometrie for s in (d.ort.secteurs if d.ort else []) if s.geometrie is not None]
    for i, imm in enumerate(d.immeubles):
        path = f"immeubles[{i}]"
        logements = imm.logements
        nb = len(logements) if logements is not None else None
        surface_hab = sum((l.surface_habitable_m2 for l in logements), Decimal(0)) if logements else None
        demande = imm.demande_action_logement
        financement = None
        if demande is not None:
            financement = cents(demande.pret or Decimal(0)) + cents(demande.subvention or Decimal(0))
        plan = imm.plan_de_financement
        total_plan = sum((cents(s.montant) for s in plan), 0) if plan else None
        prix = cents(imm.prix_de_revient) if imm.prix_de_revient is not None else None
        travaux_cout = cents(imm.prix_de_revient_travaux) if imm.prix_de_revient_travaux is not None else None
        acquisition = cents(imm.valeur_acquisition) if imm.valeur_acquisition is not None else None
        planning = imm.planning
        values: dict[str, Any] = {
            "adresse": imm.adresse,
            "reference_cadastrale": imm.reference_cadastrale,
            "surface_m2": int(imm.surface_m2) if imm.surface_m2 is not None else None,
            "proprietaire": imm.proprietaire,
            "operateur": imm.operateur.nom if imm.operateur else None,
            "operateur_type": imm.operateur.type if imm.operateur else None,
            "localisee": imm.localisation is not None,
            "dans_perimetre_intervention": _inside(imm.localisation, intervention),
            "dans_secteur_ort": (any(_inside(imm.localisation, s) for s in ort_secteurs) if ort_secteurs and imm.localisation else None),
            "description_caracteres": len(imm.description) if imm.description else None,
            "maitrise_mode": imm.maitrise_fonciere.mode if imm.maitrise_fonciere else None,
            "maitrise_etat": imm.maitrise_fonciere.etat if imm.maitrise_fonciere else None,
            "nb_logements": nb if nb else None,
            "nb_logements_sans_loyer": sum(1 for l in logements if l.loyer_mensuel is None) if logements else None,
            "surface_habitable_m2": int(surface_hab.to_integral_value()) if surface_hab else None,
            "travaux_parties_communes": bool(imm.travaux.parties_communes) if imm.travaux else None,
            "travaux_parties_privatives": bool(imm.travaux.parties_privatives) if imm.travaux else None,
            "rdc_devenir": bool(imm.rez_de_chaussee.devenir) if imm.rez_de_chaussee else None,
            "rdc_surface": imm.rez_de_chaussee.surface_m2 is not None if imm.rez_de_chaussee else None,
            "rdc_plans": imm.rez_de_chaussee.plans if imm.rez_de_chaussee else None,
            "plan_situation": "situation" in imm.plans if imm.plans is not None else None,
            "plan_niveaux_etat_des_lieux": "niveaux_etat_des_lieux" in imm.plans if imm.plans is not None else None,
            "nb_etapes_planning": len(planning) if planning else None,
            "planning_ordonne": [e.date for e in planning] == sorted(e.date for e in planning) if planning else None,
            "prix_de_revient_cents": prix,
            "total_plan_financement_cents": total_plan,
            "ecart_plan_financement_cents": abs(prix - total_plan) if prix is not None and total_plan is not None else None,
            "excedent_plan_financement_cents": max(0, total_plan - prix) if prix is not None and total_plan is not None else None,
            "nb_financeurs_plan": len({s.financeur.casefold() for s in plan}) if plan else None,
            "logements_immeuble": imm.logements_immeuble,
            "logements_maitrises": imm.logements_maitrises,
            "logements_non_maitrises": (imm.logements_immeuble - imm.logements_maitrises
                                        if imm.logements_immeuble is not None and imm.logements_maitrises is not None else None),
            "demande_objet": demande.objet if demande else None,
            "financement_al_cents": financement,
            "subvention_al_cents": cents(demande.subvention or Decimal(0)) if demande else None,
            "pret_al_cents": cents(demande.pret or Decimal(0)) if demande else None,
            "pret_duree_annees": demande.pret_duree_annees if demande and demande.pret else None,
            "pret_differe_annees": (demande.pret_differe_annees or 0) if demande else None,
            "financement_al_par_m2_cents": _per(financement, surface_hab),
            "subvention_par_logement_cents": _per(cents(demande.subvention or Decimal(0)) if demande else None, nb),
            "reservations_logements": imm.reservations.logements if imm.reservations else None,
            "reservations_duree": imm.reservations.duree_annees if imm.reservations else None,
            "part_reservee_pct": _ratio_pct(imm.reservations.logements if imm.reservations else None, nb),
            "loyers_maitrises_logements": imm.loyers_maitrises.logements if imm.loyers_maitrises else None,
            "loyers_maitrises_duree": imm.loyers_maitrises.duree_annees if imm.loyers_maitrises else None,
            "part_loyers_maitrises_pct": _ratio_pct(imm.loyers_maitrises.logements if imm.loyers_maitrises else None, nb),
            "prix_travaux_cents": travaux_cout,
            "excedent_travaux_cents": max(0, financement - travaux_cout) if financement is not None and travaux_cout is not None else None,
            "valeur_acquisition_cents": acquisition,
            "excedent_acquisition_cents": max(0, financement - acquisition) if financement is not None and acquisition is not None else None,
        }
        label = f"Immeuble {imm.id}" + (f" ({imm.adresse})" if imm.adresse else "")
        p = path
        b.add("immeuble", Entity("immeuble", imm.id, label, path), values, {
            "adresse": f"{p}.adresse", "reference_cadastrale": f"{p}.reference_cadastrale", "surface_m2": f"{p}.surface_m2",
            "proprietaire": f"{p}.proprietaire", "operateur": f"{p}.operateur.nom", "operateur_type": f"{p}.operateur.type",
            "localisee": f"{p}.localisation", "dans_perimetre_intervention": f"{p}.localisation, perimetres.intervention",
            "dans_secteur_ort": f"{p}.localisation, ort.secteurs[*].geometrie", "description_caracteres": f"{p}.description",
            "maitrise_mode": f"{p}.maitrise_fonciere.mode", "maitrise_etat": f"{p}.maitrise_fonciere.etat",
            "nb_logements": f"{p}.logements", "nb_logements_sans_loyer": f"{p}.logements[*].loyer_mensuel",
            "surface_habitable_m2": f"{p}.logements[*].surface_habitable_m2",
            "travaux_parties_communes": f"{p}.travaux.parties_communes", "travaux_parties_privatives": f"{p}.travaux.parties_privatives",
            "rdc_devenir": f"{p}.rez_de_chaussee.devenir", "rdc_surface": f"{p}.rez_de_chaussee.surface_m2", "rdc_plans": f"{p}.rez_de_chaussee.plans",
            "plan_situation": f"{p}.plans", "plan_niveaux_etat_des_lieux": f"{p}.plans",
            "nb_etapes_planning": f"{p}.planning", "planning_ordonne": f"{p}.planning[*].date",
            "prix_de_revient_cents": f"{p}.prix_de_revient", "total_plan_financement_cents": f"{p}.plan_de_financement[*].montant",
            "ecart_plan_financement_cents": f"{p}.prix_de_revient, {p}.plan_de_financement[*].montant",
            "excedent_plan_financement_cents": f"{p}.prix_de_revient, {p}.plan_de_financement[*].montant",
            "nb_financeurs_plan": f"{p}.plan_de_financement[*].financeur",
            "logements_immeuble": f"{p}.logements_immeuble", "logements_maitrises": f"{p}.logements_maitrises",
            "logements_non_maitrises": f"{p}.logements_immeuble, {p}.logements_maitrises",
            "demande_objet": f"{p}.demande_action_logement.objet",
            "financement_al_cents": f"{p}.demande_action_logement.pret, {p}.demande_action_logement.subvention",
            "subvention_al_cents": f"{p}.demande_action_logement.subvention", "pret_al_cents": f"{p}.demande_action_logement.pret",
            "pret_duree_annees": f"{p}.demande_action_logement.pret_duree_annees", "pret_differe_annees": f"{p}.demande_action_logement.pret_differe_annees",
            "financement_al_par_m2_cents": f"{p}.demande_action_logement, {p}.logements[*].surface_habitable_m2",
            "subvention_par_logement_cents": f"{p}.demande_action_logement.subvention, {p}.logements",
            "reservations_logements": f"{p}.reservations.logements", "reservations_duree": f"{p}.reservations.duree_annees",
            "part_reservee_pct": f"{p}.reservations.logements, {p}.logements",
            "loyers_maitrises_logements": f"{p}.loyers_maitrises.logements", "loyers_maitrises_duree": f"{p}.loyers_maitrises.duree_annees",
            "part_loyers_maitrises_pct": f"{p}.loyers_maitrises.logements, {p}.logements",
            "prix_travaux_cents": f"{p}.prix_de_revient_travaux", "excedent_travaux_cents": f"{p}.demande_action_logement, {p}.prix_de_revient_travaux",
            "valeur_acquisition_cents": f"{p}.valeur_acquisition", "excedent_acquisition_cents": f"{p}.demande_action_logement, {p}.valeur_acquisition",
        })


def _registry(d: Dossier, referentiel: Referentiel | None) -> dict[str, Any]:
    """What the national ORT registry says of this town, compared with the dossier."""
    if referentiel is None or referentiel.ort is None:
        return {"registre_fourni": False}
    entry = referentiel.ort.get(d.collectivites.ville_centre.insee)
    if entry is None:
        return {"registre_fourni": True, "registre_statut": "inconnu", "registre_detail": "commune absente du registre"}
    told = [f"statut « {entry.statut or 'vide'} »"]
    if entry.date_signature:
        told.append(f"signée le {entry.date_signature.strftime('%d/%m/%Y')}")
    if entry.duree_annees:
        told.append(f"durée {entry.duree_annees} ans")
    detail = "registre : " + ", ".join(told)
    if entry.statut != "Signée":
        return {"registre_fourni": True, "registre_statut": "non_signe", "registre_detail": detail}
    ort = d.ort
    disagreements = []
    if ort and ort.date_signature and entry.date_signature and ort.date_signature != entry.date_signature:
        disagreements.append(f"date : dossier {ort.date_signature.strftime('%d/%m/%Y')}, registre {entry.date_signature.strftime('%d/%m/%Y')}")
    if ort and ort.duree_annees and entry.duree_annees and ort.duree_annees != entry.duree_annees:
        disagreements.append(f"durée : dossier {ort.duree_annees} ans, registre {entry.duree_annees} ans")
    if disagreements:
        return {"registre_fourni": True, "registre_statut": "desaccord", "registre_detail": "; ".join(disagreements)}
    return {"registre_fourni": True, "registre_statut": "concorde", "registre_detail": detail}


def _ort(b: _Builder, d: Dossier, avenant: Avenant | None, referentiel: Referentiel | None) -> None:
    """The ORT: the convention's own fields, and whether the ACV avenant makes it worth ORT."""
    ort = d.ort
    values: dict[str, Any] = _registry(d, referentiel)
    if avenant is not None and avenant.contenu is not None:
        values["avenant_secteurs_et_plan"] = bool(avenant.date_signature and avenant.contenu.perimetres_intervention and avenant.contenu.plan_actions)
    cadre = d.convention.cadre if d.convention else None
    signataires = ort.signataires if ort is not None and ort.signataires is not None else (cadre.signataires if cadre else None)
    if ort is not None:
        ville = d.collectivites.ville_centre.insee
        roles = {s.role for s in signataires or []}
        signed_insee = {s.insee for s in signataires or [] if s.insee} | ({ville} if "ville_centre" in roles else set())
        communes = {s.commune_insee for s in ort.secteurs}
        missing = sorted(communes - signed_insee)
        values.update({
            "date_signature_ort": date_int(ort.date_signature) if ort.date_signature else None,
            "duree_ort": ort.duree_annees,
            "signe_etat": "prefet" in roles if signataires is not None else None,
            "signe_epci": "intercommunalite" in roles if signataires is not None else None,
            "signe_ville_principale": ("ville_centre" in roles or ville in signed_insee) if signataires is not None else None,
            "derogation_ville_principale": date_int(ort.derogation_ville_principale) if ort.derogation_ville_principale else None,
            "projet_revitalisation": ort.projet_revitalisation,
            "actions_habitat": ort.actions_habitat,
            "calendrier_ort": ort.calendrier,
            "plan_financement_ort": ort.plan_financement,
            "nb_secteurs": len(ort.secteurs) or None,
            "secteur_centre_ville_principale": any(s.centre_ville and s.commune_insee == ville for s in ort.secteurs) if ort.secteurs else None,
            "nb_parties_urbanisees": sum(1 for s in ort.secteurs if s.partie_urbanisee) if ort.secteurs else None,
            "nb_communes_non_signataires": len(missing) if signataires is not None else None,
            "communes_non_signataires": ", ".join(missing) or None,
        })
    b.add("ort", Entity("ort", "ort", "Opération de revitalisation de territoire", "ort"), values, {
        "date_signature_ort": "ort.date_signature", "duree_ort": "ort.duree_annees",
        "signe_etat": "ort.signataires (à défaut convention.cadre.signataires)", "signe_epci": "ort.signataires (à défaut convention.cadre.signataires)",
        "signe_ville_principale": "ort.signataires (à défaut convention.cadre.signataires)",
        "derogation_ville_principale": "ort.derogation_ville_principale", "projet_revitalisation": "ort.projet_revitalisation",
        "actions_habitat": "ort.actions_habitat", "calendrier_ort": "ort.calendrier", "plan_financement_ort": "ort.plan_financement",
        "nb_secteurs": "ort.secteurs", "secteur_centre_ville_principale": "ort.secteurs[*].centre_ville, ort.secteurs[*].commune_insee",
        "nb_parties_urbanisees": "ort.secteurs[*].partie_urbanisee",
        "nb_communes_non_signataires": "ort.secteurs[*].commune_insee, ort.signataires[*].insee",
        "avenant_secteurs_et_plan": "convention.avenants[].contenu.perimetres_intervention, convention.avenants[].contenu.plan_actions",
        "registre_fourni": "option --referentiel (ort-communes.csv)", "registre_statut": "ort-communes.csv ; ort.date_signature, ort.duree_annees",
    })
    opah = [x.perimetre.shape for x in d.dispositifs_anah or [] if x.type == "OPAH-RU" and x.etat in {"en_cours", "projete"} and x.perimetre]
    opah_union = unary_union(opah) if opah else None
    for i, secteur in enumerate(ort.secteurs if ort else []):
        values = {
            "nom": secteur.nom, "centre_ville": secteur.centre_ville,
            "seuil_aec_m2": secteur.seuil_aec_m2, "seuil_aec_alimentaire_m2": secteur.seuil_aec_alimentaire_m2,
            "opah_ru_declaree": opah_union is not None,
        }
        if opah_union is not None and secteur.geometrie is not None:
            measure = inclusion(secteur.geometrie.shape, opah_union)
            values["hors_opah_m2"] = round(measure.outside_m2)
            values["hors_opah_pct"] = round(measure.outside_share * 10000)
        b.add("secteur_ort", Entity("secteur_ort", secteur.id, f"Secteur d'intervention « {secteur.nom} »", f"ort.secteurs[{i}]"), values,
              {"seuil_aec_m2": f"ort.secteurs[{i}].seuil_aec_m2", "seuil_aec_alimentaire_m2": f"ort.secteurs[{i}].seuil_aec_alimentaire_m2",
               "hors_opah_m2": f"ort.secteurs[{i}].geometrie, dispositifs_anah[type=OPAH-RU].perimetre", "opah_ru_declaree": "dispositifs_anah"})


OPAH_TYPES = {"OPAH-RU", "OPAH-CD", "plan_de_sauvegarde"}


def _centre(d: Dossier):
    """The centre-ville as a surface: the ORT secteurs that include one, else the secteurs prioritaires."""
    ort = [s.geometrie for s in (d.ort.secteurs if d.ort else []) if s.centre_ville and s.geometrie]
    if ort:
        return ort
    return [s.geometrie for s in (d.perimetres.secteurs_prioritaires if d.perimetres else [])]


def _anah(b: _Builder, d: Dossier, as_of: dt.date) -> None:
    dispositifs = d.dispositifs_anah
    values: dict[str, Any] = {}
    if dispositifs is not None:
        running = [x for x in dispositifs if x.etat == "en_cours"]
        if any(x.type == "OPAH-RU" for x in running):
            situation = "opah_ru"
        elif any(x.etat == "etudes_pre_operationnelles" for x in dispositifs):
            situation = "etudes"
        elif running:
            situation = "autres"
        else:
            situation = "aucun"
        values = {
            "situation_anah": situation,
            "nb_opah_projetees": sum(1 for x in dispositifs if x.etat == "projete" and x.type in OPAH_TYPES),
            "etudes_definies": any(x.etat == "etudes_pre_operationnelles" or any(r.objet == "etudes" for r in x.demandes) for x in dispositifs),
        }
    b.add("anah", Entity("anah", "anah", "Articulation avec les dispositifs de l'Anah", "dispositifs_anah"), values,
          {"situation_anah": "dispositifs_anah[*].type, dispositifs_anah[*].etat", "nb_opah_projetees": "dispositifs_anah[*].etat",
           "etudes_definies": "dispositifs_anah[*].demandes"})
    intervention = d.perimetres.intervention if d.perimetres else None
    centre = _centre(d)
    npnru_national = any(q.programme == "NPNRU_national" for q in d.quartiers or [])
    programmed = any(x.type in OPAH_TYPES and x.etat in {"en_cours", "projete"} for x in dispositifs or [])
    for i, x in enumerate(dispositifs or []):
        path = f"dispositifs_anah[{i}]"
        chef = [r for r in x.demandes if r.objet == "chef_de_projet"]
        demande = chef[0] if chef else None
        perimetre = x.perimetre.shape if x.perimetre else None
        b.add("dispositif_anah", Entity("dispositif_anah", x.id, f"Dispositif {x.type} {x.id}", path), {
            "type": x.type, "etat": x.etat, "maitre_ouvrage": x.maitre_ouvrage, "perimetre_fourni": perimetre is not None,
            "date_debut": date_int(x.date_debut) if x.date_debut else None,
            "date_fin": date_int(x.date_fin) if x.date_fin else None,
            "etudes_terminees": x.date_fin <= as_of if x.date_fin else None,
            "dispositif_programme": programmed,
            "reference_convention": x.reference_convention, "prolongation_prevue": x.prolongation_prevue,
            "gouvernance_fusionnee": x.gouvernance_fusionnee, "objectifs_comptes": x.objectifs_comptes_dans_programme,
            "coordination": x.coordination_maitres_ouvrage,
            "intersecte_intervention": perimetre.intersects(intervention.shape) if perimetre is not None and intervention else None,
            "couvre_centre": all(perimetre.covers(c.shape.representative_point()) for c in centre) if perimetre is not None and centre else None,
            "demande_chef_projet": demande is not None,
            "taux_chef_projet_pct": int(demande.taux_pct * 100) if demande and demande.taux_pct is not None else None,
            "depense_chef_projet_cents": cents(demande.depense_annuelle_ht) if demande and demande.depense_annuelle_ht is not None else None,
            "npnru_national": npnru_national,
        }, {
            "date_fin": f"{path}.date_fin", "date_debut": f"{path}.date_debut", "reference_convention": f"{path}.reference_convention",
            "prolongation_prevue": f"{path}.prolongation_prevue", "gouvernance_fusionnee": f"{path}.gouvernance_fusionnee",
            "objectifs_comptes": f"{path}.objectifs_comptes_dans_programme", "coordination": f"{path}.coordination_maitres_ouvrage",
            "intersecte_intervention": f"{path}.perimetre, perimetres.intervention", "couvre_centre": f"{path}.perimetre, ort.secteurs (centre-ville)",
            "taux_chef_projet_pct": f"{path}.demandes[objet=chef_de_projet].taux_pct",
            "depense_chef_projet_cents": f"{path}.demandes[objet=chef_de_projet].depense_annuelle_ht", "npnru_national": "quartiers[*].programme",
            "dispositif_programme": "dispositifs_anah[*].etat", "perimetre_fourni": f"{path}.perimetre",
        })


def _quartiers(b: _Builder, d: Dossier) -> None:
    intervention = d.perimetres.intervention if d.perimetres else None
    anru_fiches = [f for f in d.fiches_actions if any(x.role == "anru" for x in f.financement) and f.date_comite_regional]
    first_crf = min((f.date_comite_regional for f in anru_fiches), default=None)
    for i, q in enumerate(d.quartiers or []):
        path = f"quartiers[{i}]"
        values: dict[str, Any] = {
            "programme": q.programme, "npnru": q.programme.startswith("NPNRU"),
            "convention_referencee": q.convention_anru_referencee, "coherence_projets": q.coherence_projets,
            "articulation_pnrqad": q.articulation_pnrqad,
            "date_comite_engagement": date_int(q.date_comite_engagement) if q.date_comite_engagement else None,
            "date_comite_regional": date_int(first_crf) if first_crf else None,
        }
        if q.perimetre is not None and intervention is not None:
            measure = inclusion(q.perimetre.shape, intervention.shape)
            inside = measure.inner_m2 - measure.outside_m2
            values["intersecte_intervention"] = inside > 0.5
            values["intersection_m2"] = round(inside)
            values["intersection_pct"] = round((1 - measure.outside_share) * 10000)
        if q.date_comite_engagement and first_crf:
            values["jours_ce_avant_crf"] = (first_crf - q.date_comite_engagement).days
        b.add("quartier", Entity("quartier", q.code_qpv, f"Quartier {q.nom} ({q.code_qpv})", path), values, {
            "intersecte_intervention": f"{path}.perimetre, perimetres.intervention", "intersection_m2": f"{path}.perimetre, perimetres.intervention",
            "convention_referencee": f"{path}.convention_anru_referencee", "coherence_projets": f"{path}.coherence_projets",
            "articulation_pnrqad": f"{path}.articulation_pnrqad", "date_comite_engagement": f"{path}.date_comite_engagement",
            "date_comite_regional": "fiches_actions[*].date_comite_regional (financées par l'ANRU)",
        })
