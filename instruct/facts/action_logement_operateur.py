"""The « dossier opérateur » of an immeuble, its description part: other actors, logements,
travaux, rez-de-chaussée, plans, planning. Fields of the `immeuble` fact (declared and built
by action_logement.py, which merges them).

What the town did not give is left out of the fact (incomplet); a value is False only when the
town said so (`travaux.parties_privatives: false`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from instruct.facts.base import F, FieldSpec
from instruct.facts.chronologie import planning_in_order
from instruct.model.immeuble import Immeuble

FIELDS: dict[str, FieldSpec] = {
    "autres_acteurs": F(
        "str",
        "autres acteurs de l'opération",
        definition=(
            "Autres acteurs de l'opération déclarés avec l'opérateur (operateur.autres_acteurs), séparés par des "
            "virgules ; « aucun » si la liste est donnée vide ; absent si elle n'est pas renseignée."
        ),
    ),
    "description_caracteres": F(
        "int",
        "longueur de la description du projet (caractères)",
        definition="Nombre de caractères de la description du projet (immeubles[].description).",
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
    "loyers_renseignes": F(
        "bool",
        "niveau de loyer de chaque logement",
        definition=(
            "Vrai si chaque logement programmé a son loyer mensuel (logements[].loyer_mensuel) ; absent tant "
            "qu'un loyer manque."
        ),
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
        definition=(
            "Vrai si des travaux sur les parties communes sont décrits (travaux.parties_communes), faux si le "
            "dossier déclare qu'il n'y en a aucun (false) ; absent s'il n'en dit rien."
        ),
    ),
    "travaux_parties_privatives": F(
        "bool",
        "travaux sur les parties privatives",
        definition=(
            "Vrai si des travaux sur les parties privatives sont décrits (travaux.parties_privatives), faux si le "
            "dossier déclare qu'il n'y en a aucun (false) ; absent s'il n'en dit rien."
        ),
    ),
    "rdc_devenir": F(
        "bool",
        "devenir du pied d'immeuble décrit",
        definition="Vrai si le devenir du rez-de-chaussée est décrit (rez_de_chaussee.devenir) ; absent sinon.",
    ),
    "rdc_commerce": F(
        "str",
        "type de commerce ou orientations commerciales du rez-de-chaussée",
        definition=(
            "Type de commerce, s'il est connu, ou orientations commerciales du rez-de-chaussée "
            "(rez_de_chaussee.commerce) ; absent si non renseigné."
        ),
    ),
    "rdc_surface_m2": F(
        "m2c",
        "surface du rez-de-chaussée",
        definition="Surface du rez-de-chaussée (rez_de_chaussee.surface_m2), en m² au centième ; absente sinon.",
    ),
    "rdc_plans": F(
        "bool",
        "plans du rez-de-chaussée",
        definition=(
            "Vrai si les plans du rez-de-chaussée sont déclarés fournis (rez_de_chaussee.plans) ; absent sinon "
            "(non fournis ou non renseignés)."
        ),
    ),
    "rdc_remembrement": F(
        "str",
        "projet de remembrement",
        definition="Projet de remembrement du rez-de-chaussée (rez_de_chaussee.remembrement), s'il y en a un.",
    ),
    "plan_situation": F(
        "bool",
        "plan de situation",
        definition=(
            "Vrai si les plans de l'immeuble (immeubles[].plans) comprennent un plan de situation ; absent sinon."
        ),
    ),
    "plan_niveaux_etat_des_lieux": F(
        "bool",
        "plans de niveau, état des lieux",
        definition=(
            "Vrai si les plans de l'immeuble comprennent les plans de niveau de l'état des lieux ; absent sinon."
        ),
    ),
    "nb_etapes_planning": F(
        "int", "étapes datées du planning", definition="Nombre d'étapes datées du planning de l'opération."
    ),
    "planning_ordonne": F(
        "bool",
        "étapes du planning dans l'ordre chronologique",
        definition="Vrai si les dates des étapes suivent leur nature (acquisition, début puis fin des travaux, "
        "livraison, mise en location), quel que soit l'ordre de la liste ; « autre » n'y entre pas ; absent avec "
        "moins de deux étapes datées (pas d'ordre à juger).",
    ),
}


def hundredths(value: Decimal | None) -> int | None:
    """m² kept to the hundredth, so that figures and decisions use the same surface."""
    return None if value is None else int((value * 100).to_integral_value(rounding="ROUND_HALF_UP"))


def _declared(text: str | bool | None) -> bool | None:
    """A described intervention is True, an explicit `false` False, nothing said None."""
    return None if text is None else text is not False


def _actors(names: list[str] | None) -> str | None:
    if names is None:
        return None
    return ", ".join(names) if names else "aucun"


def operateur_values(imm: Immeuble, p: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The values of FIELDS for one immeuble (None: left out) and their dossier paths."""
    logements = imm.logements
    nb = len(logements) if logements else None
    surface_hab = sum((lg.surface_habitable_m2 for lg in logements), Decimal(0)) if logements else None
    sans_loyer = sum(1 for lg in logements if lg.loyer_mensuel is None) if logements else None
    travaux, rdc, plans, planning = imm.travaux, imm.rez_de_chaussee, imm.plans, imm.planning
    values: dict[str, Any] = {
        "autres_acteurs": _actors(imm.operateur.autres_acteurs) if imm.operateur else None,
        "description_caracteres": len(imm.description) if imm.description else None,
        "nb_logements": nb,
        "nb_logements_sans_loyer": sans_loyer,
        "loyers_renseignes": True if nb and sans_loyer == 0 else None,
        "surface_habitable_m2": hundredths(surface_hab) if surface_hab else None,
        "travaux_parties_communes": _declared(travaux.parties_communes) if travaux else None,
        "travaux_parties_privatives": _declared(travaux.parties_privatives) if travaux else None,
        "rdc_devenir": True if rdc and rdc.devenir else None,
        "rdc_commerce": rdc.commerce if rdc else None,
        "rdc_surface_m2": hundredths(rdc.surface_m2) if rdc else None,
        "rdc_plans": True if rdc and rdc.plans else None,
        "rdc_remembrement": rdc.remembrement if rdc else None,
        "plan_situation": True if plans and "situation" in plans else None,
        "plan_niveaux_etat_des_lieux": True if plans and "niveaux_etat_des_lieux" in plans else None,
        "nb_etapes_planning": len(planning) if planning else None,
        "planning_ordonne": planning_in_order(planning) if planning and len(planning) >= 2 else None,
    }
    paths = {
        "autres_acteurs": f"{p}.operateur.autres_acteurs",
        "description_caracteres": f"{p}.description",
        "nb_logements": f"{p}.logements",
        "nb_logements_sans_loyer": f"{p}.logements[*].loyer_mensuel",
        "loyers_renseignes": f"{p}.logements[*].loyer_mensuel",
        "surface_habitable_m2": f"{p}.logements[*].surface_habitable_m2",
        "travaux_parties_communes": f"{p}.travaux.parties_communes",
        "travaux_parties_privatives": f"{p}.travaux.parties_privatives",
        "rdc_devenir": f"{p}.rez_de_chaussee.devenir",
        "rdc_commerce": f"{p}.rez_de_chaussee.commerce",
        "rdc_surface_m2": f"{p}.rez_de_chaussee.surface_m2",
        "rdc_plans": f"{p}.rez_de_chaussee.plans",
        "rdc_remembrement": f"{p}.rez_de_chaussee.remembrement",
        "plan_situation": f"{p}.plans",
        "plan_niveaux_etat_des_lieux": f"{p}.plans",
        "nb_etapes_planning": f"{p}.planning",
        "planning_ordonne": f"{p}.planning[*].type, {p}.planning[*].date",
    }
    return values, paths
