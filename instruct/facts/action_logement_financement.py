"""The « dossier opérateur » of an immeuble, its money part: prix de revient and its detail, plan
de financement, the request to Action Logement (per m², per logement), the commitments
(reservations, loyers maîtrisés). Fields of the `immeuble` fact (declared and built by
action_logement.py, which merges them).

What the town did not give is left out of the fact (incomplet), never counted as 0; in a request
that names a loan or a subsidy, the other one not named is not requested (0).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from instruct.facts.base import CODES, F, FieldSpec, cents, name_key
from instruct.french import french_amount
from instruct.model.immeuble import Engagement, Immeuble

FIELDS: dict[str, FieldSpec] = {
    "prix_de_revient_cents": F(
        "cents", "prix de revient", definition="Prix de revient déclaré de l'opération, en euros au centime."
    ),
    "autres_couts_cents": F(
        "cents",
        "autres postes du prix de revient (hors acquisition et travaux)",
        definition=(
            "Autres postes du prix de revient, hors acquisition et travaux (prix_de_revient_autres : frais "
            "annexes, frais financiers…), en euros au centime ; 0 si le dossier le déclare ainsi."
        ),
    ),
    "detail_prix_de_revient_cents": F(
        "cents",
        "total du détail du prix de revient",
        derived_from=("valeur_acquisition_cents", "prix_travaux_cents", "autres_couts_cents"),
        definition=(
            "Valeur d'acquisition plus coût des travaux (honoraires compris) plus autres postes, en euros au "
            "centime ; absent si l'un des trois postes n'est pas renseigné."
        ),
    ),
    "ecart_detail_prix_de_revient_cents": F(
        "cents",
        "écart entre le détail et le prix de revient (valeur absolue)",
        derived_from=("prix_de_revient_cents", "detail_prix_de_revient_cents"),
        definition="Écart absolu entre le total des postes détaillés et le prix de revient, en euros au centime.",
    ),
    "total_plan_financement_cents": F(
        "cents",
        "total du plan de financement",
        definition=(
            "Somme des montants du plan de financement de l'immeuble (éléments déjà identifiés), en euros au "
            "centime ; absent si aucun élément n'est donné."
        ),
    ),
    "ecart_plan_financement_cents": F(
        "cents",
        "écart entre plan de financement et prix de revient (valeur absolue)",
        derived_from=("prix_de_revient_cents", "total_plan_financement_cents"),
        definition=("Écart absolu entre le plan de financement et le prix de revient, en euros au centime."),
    ),
    "excedent_plan_financement_cents": F(
        "cents",
        "financements au-delà du prix de revient",
        derived_from=("prix_de_revient_cents", "total_plan_financement_cents"),
        definition=("Plan de financement au-delà du prix de revient (0 s'il ne le dépasse pas), en euros au centime."),
    ),
    "nb_financeurs_plan": F(
        "int",
        "financeurs distincts du plan de financement",
        derived_from=("total_plan_financement_cents",),
        definition="Nombre de financeurs distincts du plan de l'immeuble (noms comparés sans accents ni casse).",
    ),
    "financeurs_plan": F(
        "str",
        "financeurs du plan de financement",
        derived_from=("total_plan_financement_cents",),
        definition="Les financeurs du plan avec leur montant (texte pour le message).",
    ),
    "demande_objet": F(
        "str",
        "objet de la demande à Action Logement",
        definition=("Objet de la demande à Action Logement (demande_action_logement.objet : travaux, portage…)."),
        choices=CODES,
    ),
    "financement_al_cents": F(
        "cents",
        "financement demandé à Action Logement (prêt + subvention)",
        definition=(
            "Prêt plus subvention demandés à Action Logement, en euros au centime ; celui des deux que la demande "
            "ne nomme pas n'est pas demandé (0) ; absent si la demande ne nomme ni prêt ni subvention."
        ),
    ),
    "subvention_al_cents": F(
        "cents",
        "subvention demandée à Action Logement",
        derived_from=("financement_al_cents",),
        definition="Subvention demandée à Action Logement (0 si la demande ne nomme qu'un prêt), en euros au centime.",
    ),
    "pret_al_cents": F(
        "cents",
        "prêt demandé à Action Logement",
        derived_from=("financement_al_cents",),
        definition="Prêt demandé à Action Logement (0 si la demande ne nomme qu'une subvention), en euros au centime.",
    ),
    "pret_duree_annees": F(
        "int",
        "durée du prêt (années)",
        definition="Durée du prêt demandé à Action Logement, en années, quand un prêt est demandé.",
    ),
    "pret_differe_annees": F(
        "int",
        "différé du prêt (années)",
        definition="Différé d'amortissement du prêt demandé, en années, s'il est précisé.",
    ),
    "financement_al_par_m2_cents": F(
        "cents",
        "financement Action Logement par m² habitable",
        derived_from=("financement_al_cents", "nb_logements"),
        definition=(
            "Financement Action Logement (prêt + subvention) divisé par la surface habitable "
            "programmée, en euros par m², arrondi au centime supérieur."
        ),
    ),
    "subvention_par_logement_cents": F(
        "cents",
        "subvention Action Logement par logement",
        derived_from=("financement_al_cents", "nb_logements"),
        definition=(
            "Subvention Action Logement divisée par le nombre de logements programmés, en euros "
            "par logement, arrondie au centime supérieur."
        ),
    ),
    "reservations_logements": F(
        "int",
        "logements réservés aux salariés",
        definition="Nombre de logements réservés aux salariés (reservations.logements).",
    ),
    "reservations_duree": F(
        "int",
        "durée des réservations (années)",
        derived_from=("reservations_logements",),
        definition="Durée des réservations, en années (reservations.duree_annees).",
    ),
    "part_reservee_pct": F(
        "pct",
        "part des logements réservés",
        derived_from=("reservations_logements", "nb_logements"),
        definition=("Logements réservés divisés par logements programmés, en %, arrondi au centième inférieur."),
    ),
    "seuil_reservations_pct": F(
        "pct",
        "part minimale satisfaite par les logements réservés (minimum arrondi à l'unité inférieure)",
        derived_from=("reservations_logements", "nb_logements"),
        definition=(
            "Plus haute part minimale (en %, au centième) dont les logements réservés atteignent le nombre "
            "minimal quand ce nombre est arrondi à l'unité inférieure, comme le fait Action Logement (75 % de 6 "
            "logements font 4,5, arrondis à 4) : (réservés + 1) / logements programmés, moins un centième, "
            "100 % au plus."
        ),
    ),
    "loyers_maitrises_logements": F(
        "int",
        "logements sous plafonds de loyer et de ressources Anah",
        definition=(
            "Nombre de logements engagés sous plafonds de loyer et de ressources Anah (loyers_maitrises.logements)."
        ),
    ),
    "loyers_maitrises_duree": F(
        "int",
        "durée de l'engagement de loyers maîtrisés (années)",
        derived_from=("loyers_maitrises_logements",),
        definition=("Durée de l'engagement de loyers maîtrisés, en années (loyers_maitrises.duree_annees)."),
    ),
    "part_loyers_maitrises_pct": F(
        "pct",
        "part des logements sous plafonds Anah",
        derived_from=("loyers_maitrises_logements", "nb_logements"),
        definition=(
            "Logements sous plafonds Anah divisés par logements programmés, en %, arrondi au centième inférieur."
        ),
    ),
    "seuil_loyers_maitrises_pct": F(
        "pct",
        "part minimale satisfaite par les logements sous plafonds Anah (minimum arrondi à l'unité inférieure)",
        derived_from=("loyers_maitrises_logements", "nb_logements"),
        definition=(
            "Plus haute part minimale (en %, au centième) dont les logements sous plafonds Anah atteignent le "
            "nombre minimal quand ce nombre est arrondi à l'unité inférieure, comme le fait Action Logement (80 % "
            "de 6 logements font 4,8, arrondis à 4) : (engagés + 1) / logements programmés, moins un centième, "
            "100 % au plus."
        ),
    ),
    "prix_travaux_cents": F(
        "cents",
        "coût des travaux (honoraires compris)",
        definition=("Prix de revient des travaux, honoraires compris (prix_de_revient_travaux), en euros au centime."),
    ),
    "excedent_travaux_cents": F(
        "cents",
        "financement Action Logement au-delà du coût des travaux",
        derived_from=("financement_al_cents", "prix_travaux_cents"),
        definition=("Financement Action Logement au-delà du prix des travaux (0 sinon), en euros au centime."),
    ),
    "valeur_acquisition_cents": F(
        "cents",
        "valeur d'acquisition",
        definition="Valeur d'acquisition déclarée de l'immeuble, en euros au centime.",
    ),
    "excedent_acquisition_cents": F(
        "cents",
        "financement Action Logement au-delà de la valeur d'acquisition",
        derived_from=("financement_al_cents", "valeur_acquisition_cents"),
        definition=("Financement Action Logement au-delà de la valeur d'acquisition (0 sinon), en euros au centime."),
    ),
}


def _ratio_pct(part: int | None, whole: int | None) -> int | None:
    """Share in hundredths of a percent, rounded down (75 % is reached by 3 of 4, not 74.99 %)."""
    if part is None or not whole:
        return None
    return part * 10000 // whole


def minimum_share_met(part: int | None, whole: int | None) -> int | None:
    """The highest share s (hundredths of a percent) such that floor(whole × s) <= part: a minimum
    share s is met by `part` of `whole` when the minimum count is rounded down (Action Logement:
    75 % of 6 is 4.5, so 4). floor(n·s) <= r  <=>  s < (r + 1) / n  <=>  s <= ceil((r + 1) / n) - 1."""
    if part is None or not whole:
        return None
    return min(10000, -(-(part + 1) * 10000 // whole) - 1)


def _per(amount: int | None, count) -> int | None:
    """Cents per unit, rounded up (a cap is exceeded by the first cent)."""
    if amount is None or not count:
        return None
    return math.ceil(Decimal(amount) / Decimal(count))


def _engagement(engagement: Engagement | None) -> tuple[int | None, int | None]:
    return (engagement.logements, engagement.duree_annees) if engagement else (None, None)


def _excess(amount: int | None, limit: int | None) -> int | None:
    """What `amount` puts beyond `limit` (0 if nothing), None when either is unknown."""
    return None if amount is None or limit is None else max(0, amount - limit)


def financement_values(
    imm: Immeuble, p: str, nb: int | None, surface_hab: Decimal | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The values of FIELDS for one immeuble (None: left out) and their dossier paths; `nb` and
    `surface_hab`: the logements programmed and their surface habitable (None if none)."""
    demande = imm.demande_action_logement
    named = demande is not None and (demande.pret is not None or demande.subvention is not None)
    pret = cents(demande.pret or Decimal(0)) if named else None
    subvention = cents(demande.subvention or Decimal(0)) if named else None
    financement = pret + subvention if named else None
    plan = imm.plan_de_financement
    total_plan = sum((cents(s.montant) for s in plan), 0) if plan else None
    prix = cents(imm.prix_de_revient)
    travaux = cents(imm.prix_de_revient_travaux)
    acquisition = cents(imm.valeur_acquisition)
    autres = cents(imm.prix_de_revient_autres)
    postes = (acquisition, travaux, autres)
    detail = sum(postes) if all(v is not None for v in postes) else None
    reserves, reserves_duree = _engagement(imm.reservations)
    maitrises, maitrises_duree = _engagement(imm.loyers_maitrises)
    values: dict[str, Any] = {
        "prix_de_revient_cents": prix,
        "autres_couts_cents": autres,
        "detail_prix_de_revient_cents": detail,
        "ecart_detail_prix_de_revient_cents": abs(prix - detail) if prix is not None and detail is not None else None,
        "total_plan_financement_cents": total_plan,
        "ecart_plan_financement_cents": abs(prix - total_plan) if prix is not None and total_plan is not None else None,
        "excedent_plan_financement_cents": _excess(total_plan, prix),
        "nb_financeurs_plan": len({name_key(s.financeur) for s in plan}) if plan else None,
        "financeurs_plan": ", ".join(f"{s.financeur} ({french_amount(s.montant)})" for s in plan) if plan else None,
        "demande_objet": demande.objet if demande else None,
        "financement_al_cents": financement,
        "subvention_al_cents": subvention,
        "pret_al_cents": pret,
        "pret_duree_annees": demande.pret_duree_annees if demande and demande.pret else None,
        "pret_differe_annees": demande.pret_differe_annees if demande else None,
        "financement_al_par_m2_cents": _per(financement, surface_hab),
        "subvention_par_logement_cents": _per(subvention, nb),
        "reservations_logements": reserves,
        "reservations_duree": reserves_duree,
        "part_reservee_pct": _ratio_pct(reserves, nb),
        "seuil_reservations_pct": minimum_share_met(reserves, nb),
        "loyers_maitrises_logements": maitrises,
        "loyers_maitrises_duree": maitrises_duree,
        "part_loyers_maitrises_pct": _ratio_pct(maitrises, nb),
        "seuil_loyers_maitrises_pct": minimum_share_met(maitrises, nb),
        "prix_travaux_cents": travaux,
        "excedent_travaux_cents": _excess(financement, travaux),
        "valeur_acquisition_cents": acquisition,
        "excedent_acquisition_cents": _excess(financement, acquisition),
    }
    d = f"{p}.demande_action_logement"
    postes_path = f"{p}.valeur_acquisition, {p}.prix_de_revient_travaux, {p}.prix_de_revient_autres"
    paths = {
        "prix_de_revient_cents": f"{p}.prix_de_revient",
        "autres_couts_cents": f"{p}.prix_de_revient_autres",
        "detail_prix_de_revient_cents": postes_path,
        "ecart_detail_prix_de_revient_cents": f"{p}.prix_de_revient, {postes_path}",
        "total_plan_financement_cents": f"{p}.plan_de_financement[*].montant",
        "ecart_plan_financement_cents": f"{p}.prix_de_revient, {p}.plan_de_financement[*].montant",
        "excedent_plan_financement_cents": f"{p}.prix_de_revient, {p}.plan_de_financement[*].montant",
        "nb_financeurs_plan": f"{p}.plan_de_financement[*].financeur",
        "financeurs_plan": f"{p}.plan_de_financement",
        "demande_objet": f"{d}.objet",
        "financement_al_cents": f"{d}.pret, {d}.subvention",
        "subvention_al_cents": f"{d}.subvention",
        "pret_al_cents": f"{d}.pret",
        "pret_duree_annees": f"{d}.pret_duree_annees",
        "pret_differe_annees": f"{d}.pret_differe_annees",
        "financement_al_par_m2_cents": f"{d}, {p}.logements[*].surface_habitable_m2",
        "subvention_par_logement_cents": f"{d}.subvention, {p}.logements",
        "reservations_logements": f"{p}.reservations.logements",
        "reservations_duree": f"{p}.reservations.duree_annees",
        "part_reservee_pct": f"{p}.reservations.logements, {p}.logements",
        "seuil_reservations_pct": f"{p}.reservations.logements, {p}.logements",
        "loyers_maitrises_logements": f"{p}.loyers_maitrises.logements",
        "loyers_maitrises_duree": f"{p}.loyers_maitrises.duree_annees",
        "part_loyers_maitrises_pct": f"{p}.loyers_maitrises.logements, {p}.logements",
        "seuil_loyers_maitrises_pct": f"{p}.loyers_maitrises.logements, {p}.logements",
        "prix_travaux_cents": f"{p}.prix_de_revient_travaux",
        "excedent_travaux_cents": f"{d}, {p}.prix_de_revient_travaux",
        "valeur_acquisition_cents": f"{p}.valeur_acquisition",
        "excedent_acquisition_cents": f"{d}, {p}.valeur_acquisition",
    }
    return values, paths
