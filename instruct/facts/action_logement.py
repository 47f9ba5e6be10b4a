"""Facts of the Action Logement rule sets (AL-V, AL-O) and X-01/X-03/X-04: one per immeuble."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from instruct.facts.base import CONTEXT, Builder, Entity, F, Family, FieldSpec, cents
from instruct.facts.chronologie import planning_in_order
from instruct.facts.ort import in_ort_secteurs
from instruct.french import name_key
from instruct.model.dossier import Dossier

TYPES: dict[str, dict[str, FieldSpec]] = {
    "immeuble": {
        **CONTEXT,
        "adresse": F("str", "adresse", definition="Adresse déclarée de l'immeuble (immeubles[].adresse)."),
        "reference_cadastrale": F(
            "str", "référence cadastrale", definition="Référence cadastrale déclarée de l'immeuble."
        ),
        "surface_m2": F(
            "m2c",
            "surface de l'immeuble",
            definition="Surface déclarée de l'immeuble (immeubles[].surface_m2), en m² au centième.",
        ),
        "proprietaire": F("str", "propriétaire", definition="Propriétaire déclaré de l'immeuble."),
        "operateur": F("str", "opérateur désigné", definition="Nom de l'opérateur désigné (operateur.nom)."),
        "operateur_type": F(
            "str", "nature de l'opérateur", definition="Nature déclarée de l'opérateur (operateur.type)."
        ),
        "localisee": F(
            "bool",
            "localisation de l'immeuble renseignée",
            True,
            definition="Vrai si l'immeuble a une localisation (point ou surface).",
        ),
        "dans_perimetre_intervention": F(
            "bool",
            "dans le périmètre d'intervention",
            definition=(
                "Vrai si la localisation de l'immeuble (un point intérieur pour une surface) est dans "
                "le périmètre d'intervention."
            ),
        ),
        "dans_secteur_ort": F(
            "bool",
            "dans un secteur d'intervention de l'ORT",
            definition=(
                "Vrai si la localisation de l'immeuble est dans un secteur d'intervention de l'ORT, faux si "
                "elle n'est dans aucun et que tous ont leur géométrie (absent sinon : inconnu)."
            ),
        ),
        "description_caracteres": F(
            "int",
            "longueur de la description du projet (caractères)",
            definition="Nombre de caractères de la description du projet (immeubles[].description).",
        ),
        "maitrise_mode": F(
            "str", "mode de maîtrise foncière", definition="Mode de maîtrise foncière déclaré (maitrise_fonciere.mode)."
        ),
        "maitrise_etat": F(
            "str",
            "état de la maîtrise foncière",
            definition="État déclaré de la maîtrise foncière (maitrise_fonciere.etat).",
        ),
        "nb_logements": F(
            "int",
            "nombre de logements programmés",
            definition="Nombre de logements programmés (immeubles[].logements) ; absent s'il n'y en a aucun.",
        ),
        "nb_logements_sans_loyer": F(
            "int",
            "logements programmés sans niveau de loyer",
            derived_from=("nb_logements",),
            definition="Nombre de logements programmés sans loyer mensuel.",
        ),
        "surface_habitable_m2": F(
            "m2c",
            "surface habitable programmée",
            derived_from=("nb_logements",),
            definition="Somme des surfaces habitables des logements programmés, en m² au centième.",
        ),
        "travaux_parties_communes": F(
            "bool",
            "travaux sur les parties communes",
            definition=("Vrai si des travaux sur les parties communes sont décrits (travaux.parties_communes)."),
        ),
        "travaux_parties_privatives": F(
            "bool",
            "travaux sur les parties privatives",
            derived_from=("travaux_parties_communes",),
            definition=("Vrai si des travaux sur les parties privatives sont décrits (travaux.parties_privatives)."),
        ),
        "rdc_devenir": F(
            "bool", "devenir du rez-de-chaussée décrit", definition="Vrai si le devenir du rez-de-chaussée est décrit."
        ),
        "rdc_surface": F(
            "bool",
            "surface du rez-de-chaussée donnée",
            derived_from=("rdc_devenir",),
            definition="Vrai si la surface du rez-de-chaussée est donnée.",
        ),
        "rdc_plans": F(
            "bool",
            "plans du rez-de-chaussée",
            derived_from=("rdc_devenir",),
            definition="Vrai si les plans du rez-de-chaussée sont déclarés fournis (rez_de_chaussee.plans).",
        ),
        "plan_situation": F(
            "bool", "plan de situation", definition="Vrai si les plans de l'immeuble comprennent un plan de situation."
        ),
        "plan_niveaux_etat_des_lieux": F(
            "bool",
            "plans de niveau, état des lieux",
            derived_from=("plan_situation",),
            definition="Vrai si les plans de l'immeuble comprennent les plans de niveau de l'état des lieux.",
        ),
        "nb_etapes_planning": F(
            "int", "étapes datées du planning", definition="Nombre d'étapes datées du planning de l'opération."
        ),
        "planning_ordonne": F(
            "bool",
            "étapes du planning dans l'ordre chronologique",
            derived_from=("nb_etapes_planning",),
            definition="Vrai si les dates des étapes suivent leur nature (acquisition, début puis fin des travaux, "
            "livraison, mise en location), quel que soit l'ordre de la liste ; « autre » n'y entre pas.",
        ),
        "prix_de_revient_cents": F(
            "cents", "prix de revient", definition="Prix de revient déclaré de l'opération, en euros au centime."
        ),
        "total_plan_financement_cents": F(
            "cents",
            "total du plan de financement",
            definition="Somme des montants du plan de financement de l'immeuble, en euros au centime.",
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
            definition=(
                "Plan de financement au-delà du prix de revient (0 s'il ne le dépasse pas), en euros au centime."
            ),
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
            definition="Les financeurs du plan avec leur montant (texte pour le message).",
        ),
        "logements_immeuble": F(
            "int",
            "logements de l'immeuble entier",
            definition="Nombre de logements de l'immeuble entier déclaré (logements_immeuble).",
        ),
        "logements_maitrises": F(
            "int",
            "logements maîtrisés par l'opérateur",
            definition="Nombre de logements déclarés maîtrisés par l'opérateur.",
        ),
        "logements_non_maitrises": F(
            "int",
            "logements que l'opérateur ne maîtrise pas",
            derived_from=("logements_immeuble", "logements_maitrises"),
            definition="Logements de l'immeuble entier moins logements maîtrisés par l'opérateur.",
        ),
        "demande_objet": F(
            "str",
            "objet de la demande à Action Logement",
            definition=("Objet de la demande à Action Logement (demande_action_logement.objet : travaux, portage…)."),
        ),
        "financement_al_cents": F(
            "cents",
            "financement demandé à Action Logement (prêt + subvention)",
            derived_from=("demande_objet",),
            definition=(
                "Prêt plus subvention demandés à Action Logement (un montant absent compte 0), en euros au centime."
            ),
        ),
        "subvention_al_cents": F(
            "cents",
            "subvention demandée à Action Logement",
            derived_from=("demande_objet",),
            definition="Subvention demandée à Action Logement (0 si aucune), en euros au centime.",
        ),
        "pret_al_cents": F(
            "cents",
            "prêt demandé à Action Logement",
            derived_from=("demande_objet",),
            definition="Prêt demandé à Action Logement (0 si aucun), en euros au centime.",
        ),
        "pret_duree_annees": F(
            "int",
            "durée du prêt (années)",
            definition="Durée du prêt demandé à Action Logement, en années, quand un prêt est demandé.",
        ),
        "pret_differe_annees": F(
            "int",
            "différé du prêt (années)",
            derived_from=("demande_objet",),
            definition="Différé du prêt demandé, en années (0 s'il n'est pas précisé).",
        ),
        "financement_al_par_m2_cents": F(
            "cents",
            "financement Action Logement par m² habitable",
            derived_from=("demande_objet", "nb_logements"),
            definition=(
                "Financement Action Logement (prêt + subvention) divisé par la surface habitable "
                "programmée, en euros par m², arrondi au centime supérieur."
            ),
        ),
        "subvention_par_logement_cents": F(
            "cents",
            "subvention Action Logement par logement",
            derived_from=("demande_objet", "nb_logements"),
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
        "prix_travaux_cents": F(
            "cents",
            "coût des travaux (honoraires compris)",
            definition=(
                "Prix de revient des travaux, honoraires compris (prix_de_revient_travaux), en euros au centime."
            ),
        ),
        "excedent_travaux_cents": F(
            "cents",
            "financement Action Logement au-delà du coût des travaux",
            derived_from=("demande_objet", "prix_travaux_cents"),
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
            derived_from=("demande_objet", "valeur_acquisition_cents"),
            definition=(
                "Financement Action Logement au-delà de la valeur d'acquisition (0 sinon), en euros au centime."
            ),
        ),
    },
}


def _normal(text: str) -> str:  # an address or cadastral reference as X-04 compares them
    return name_key(text.replace(",", " "))


def duplicate_immeubles(d: Dossier) -> list[str]:
    """Pairs of immeubles with the same address or cadastral reference (accents, case, spacing,
    apostrophes, hyphens and commas aside)."""
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


def _inside(place, area) -> bool | None:
    if place is None or area is None:
        return None
    return area.shape.covers(
        place.shape.representative_point() if place.shape.geom_type not in {"Point"} else place.shape
    )


def _ratio_pct(part: int | None, whole: int | None) -> int | None:
    """Share in hundredths of a percent, rounded down (75 % is reached by 3 of 4, not 74.99 %)."""
    if part is None or not whole:
        return None
    return part * 10000 // whole


def _hundredths(value: Decimal | None) -> int | None:
    """m² kept to the hundredth, so that figures and decisions use the same surface."""
    return None if value is None else int((value * 100).to_integral_value(rounding="ROUND_HALF_UP"))


def _per(amount: int | None, count) -> int | None:
    """Cents per unit, rounded up (a cap is exceeded by the first cent)."""
    if amount is None or not count:
        return None
    return math.ceil(Decimal(amount) / Decimal(count))


def immeubles(b: Builder, d: Dossier) -> None:
    intervention = d.perimetres.intervention if d.perimetres else None
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
            "surface_m2": _hundredths(imm.surface_m2),
            "proprietaire": imm.proprietaire,
            "operateur": imm.operateur.nom if imm.operateur else None,
            "operateur_type": imm.operateur.type if imm.operateur else None,
            "localisee": imm.localisation is not None,
            "dans_perimetre_intervention": _inside(imm.localisation, intervention),
            "dans_secteur_ort": in_ort_secteurs(imm.localisation, d),
            "description_caracteres": len(imm.description) if imm.description else None,
            "maitrise_mode": imm.maitrise_fonciere.mode if imm.maitrise_fonciere else None,
            "maitrise_etat": imm.maitrise_fonciere.etat if imm.maitrise_fonciere else None,
            "nb_logements": nb if nb else None,
            "nb_logements_sans_loyer": sum(1 for l in logements if l.loyer_mensuel is None) if logements else None,
            "surface_habitable_m2": _hundredths(surface_hab) if surface_hab else None,
            "travaux_parties_communes": bool(imm.travaux.parties_communes) if imm.travaux else None,
            "travaux_parties_privatives": bool(imm.travaux.parties_privatives) if imm.travaux else None,
            "rdc_devenir": bool(imm.rez_de_chaussee.devenir) if imm.rez_de_chaussee else None,
            "rdc_surface": imm.rez_de_chaussee.surface_m2 is not None if imm.rez_de_chaussee else None,
            "rdc_plans": imm.rez_de_chaussee.plans if imm.rez_de_chaussee else None,
            "plan_situation": "situation" in imm.plans if imm.plans is not None else None,
            "plan_niveaux_etat_des_lieux": "niveaux_etat_des_lieux" in imm.plans if imm.plans is not None else None,
            "nb_etapes_planning": len(planning) if planning else None,
            "planning_ordonne": planning_in_order(planning) if planning else None,
            "prix_de_revient_cents": prix,
            "total_plan_financement_cents": total_plan,
            "ecart_plan_financement_cents": abs(prix - total_plan)
            if prix is not None and total_plan is not None
            else None,
            "excedent_plan_financement_cents": max(0, total_plan - prix)
            if prix is not None and total_plan is not None
            else None,
            "nb_financeurs_plan": len({name_key(s.financeur) for s in plan}) if plan else None,
            "financeurs_plan": ", ".join(
                f"{s.financeur} ({s.montant:,.2f} €)".replace(",", "\u202f").replace(".", ",") for s in plan
            )
            if plan
            else None,
            "logements_immeuble": imm.logements_immeuble,
            "logements_maitrises": imm.logements_maitrises,
            "logements_non_maitrises": (
                imm.logements_immeuble - imm.logements_maitrises
                if imm.logements_immeuble is not None and imm.logements_maitrises is not None
                else None
            ),
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
            "part_loyers_maitrises_pct": _ratio_pct(
                imm.loyers_maitrises.logements if imm.loyers_maitrises else None, nb
            ),
            "prix_travaux_cents": travaux_cout,
            "excedent_travaux_cents": max(0, financement - travaux_cout)
            if financement is not None and travaux_cout is not None
            else None,
            "valeur_acquisition_cents": acquisition,
            "excedent_acquisition_cents": max(0, financement - acquisition)
            if financement is not None and acquisition is not None
            else None,
        }
        label = f"Immeuble {imm.id}" + (f" ({imm.adresse})" if imm.adresse else "")
        p = path
        b.add(
            "immeuble",
            Entity("immeuble", imm.id, label, path),
            values,
            {
                "adresse": f"{p}.adresse",
                "reference_cadastrale": f"{p}.reference_cadastrale",
                "surface_m2": f"{p}.surface_m2",
                "proprietaire": f"{p}.proprietaire",
                "operateur": f"{p}.operateur.nom",
                "operateur_type": f"{p}.operateur.type",
                "localisee": f"{p}.localisation",
                "dans_perimetre_intervention": f"{p}.localisation, perimetres.intervention",
                "dans_secteur_ort": f"{p}.localisation, ort.secteurs[*].geometrie",
                "description_caracteres": f"{p}.description",
                "maitrise_mode": f"{p}.maitrise_fonciere.mode",
                "maitrise_etat": f"{p}.maitrise_fonciere.etat",
                "nb_logements": f"{p}.logements",
                "nb_logements_sans_loyer": f"{p}.logements[*].loyer_mensuel",
                "surface_habitable_m2": f"{p}.logements[*].surface_habitable_m2",
                "travaux_parties_communes": f"{p}.travaux.parties_communes",
                "travaux_parties_privatives": f"{p}.travaux.parties_privatives",
                "rdc_devenir": f"{p}.rez_de_chaussee.devenir",
                "rdc_surface": f"{p}.rez_de_chaussee.surface_m2",
                "rdc_plans": f"{p}.rez_de_chaussee.plans",
                "plan_situation": f"{p}.plans",
                "plan_niveaux_etat_des_lieux": f"{p}.plans",
                "nb_etapes_planning": f"{p}.planning",
                "planning_ordonne": f"{p}.planning[*].type, {p}.planning[*].date",
                "prix_de_revient_cents": f"{p}.prix_de_revient",
                "total_plan_financement_cents": f"{p}.plan_de_financement[*].montant",
                "ecart_plan_financement_cents": f"{p}.prix_de_revient, {p}.plan_de_financement[*].montant",
                "excedent_plan_financement_cents": f"{p}.prix_de_revient, {p}.plan_de_financement[*].montant",
                "nb_financeurs_plan": f"{p}.plan_de_financement[*].financeur",
                "logements_immeuble": f"{p}.logements_immeuble",
                "logements_maitrises": f"{p}.logements_maitrises",
                "logements_non_maitrises": f"{p}.logements_immeuble, {p}.logements_maitrises",
                "demande_objet": f"{p}.demande_action_logement.objet",
                "financement_al_cents": f"{p}.demande_action_logement.pret, {p}.demande_action_logement.subvention",
                "subvention_al_cents": f"{p}.demande_action_logement.subvention",
                "pret_al_cents": f"{p}.demande_action_logement.pret",
                "pret_duree_annees": f"{p}.demande_action_logement.pret_duree_annees",
                "pret_differe_annees": f"{p}.demande_action_logement.pret_differe_annees",
                "financement_al_par_m2_cents": f"{p}.demande_action_logement, {p}.logements[*].surface_habitable_m2",
                "subvention_par_logement_cents": f"{p}.demande_action_logement.subvention, {p}.logements",
                "reservations_logements": f"{p}.reservations.logements",
                "reservations_duree": f"{p}.reservations.duree_annees",
                "part_reservee_pct": f"{p}.reservations.logements, {p}.logements",
                "loyers_maitrises_logements": f"{p}.loyers_maitrises.logements",
                "loyers_maitrises_duree": f"{p}.loyers_maitrises.duree_annees",
                "part_loyers_maitrises_pct": f"{p}.loyers_maitrises.logements, {p}.logements",
                "prix_travaux_cents": f"{p}.prix_de_revient_travaux",
                "excedent_travaux_cents": f"{p}.demande_action_logement, {p}.prix_de_revient_travaux",
                "valeur_acquisition_cents": f"{p}.valeur_acquisition",
                "excedent_acquisition_cents": f"{p}.demande_action_logement, {p}.valeur_acquisition",
            },
        )


ORDER = 30
FAMILIES = (Family(("immeuble",), lambda b, c: immeubles(b, c.dossier)),)
