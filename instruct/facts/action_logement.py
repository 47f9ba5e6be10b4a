"""Facts of the Action Logement rule sets (AL-V, AL-O) and X-01/X-03/X-04: one per immeuble.

This module builds the fact and holds the dossier ville line (identity, place, land control);
the dossier opérateur's fields are in action_logement_operateur (description) and
action_logement_financement (money, commitments)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from instruct.facts.action_logement_financement import FIELDS as FINANCEMENT_FIELDS
from instruct.facts.action_logement_financement import financement_values
from instruct.facts.action_logement_operateur import FIELDS as OPERATEUR_FIELDS
from instruct.facts.action_logement_operateur import hundredths, operateur_values
from instruct.facts.base import CODES, CONTEXT, Builder, Entity, F, Family, FieldSpec, name_key
from instruct.facts.ort import in_ort_secteurs
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
            "str",
            "nature de l'opérateur",
            definition="Nature déclarée de l'opérateur (operateur.type).",
            choices=CODES,
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
        "operateur_nature": F(
            "str",
            "nature de l'opérateur",
            derived_from=("operateur_type",),
            definition="Nature de l'opérateur en toutes lettres (operateur.type : organisme HLM, SEM, EPF…).",
        ),
        "maitrise_mode": F(
            "str",
            "mode de maîtrise foncière",
            definition="Mode de maîtrise foncière déclaré (maitrise_fonciere.mode).",
            choices=CODES,
        ),
        "maitrise_etat": F(
            "str",
            "état de la maîtrise foncière",
            definition="État déclaré de la maîtrise foncière (maitrise_fonciere.etat).",
            choices=CODES,
        ),
        "maitrise_etat_libelle": F(
            "str",
            "état de la maîtrise foncière",
            derived_from=("maitrise_etat",),
            definition="État de la maîtrise foncière en toutes lettres (envisagée, engagée, acquise).",
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
        **OPERATEUR_FIELDS,
        **FINANCEMENT_FIELDS,
    },
}


# French words for the codes of the dossier format, shown in messages.
NATURES = {
    "organisme_hlm": "organisme HLM",
    "investisseur_prive": "investisseur-bailleur privé",
    "sem": "SEM",
    "collectivite": "collectivité",
    "epf": "établissement public foncier",
    "autre": "autre",
}
ETATS = {"envisagee": "envisagée", "engagee": "engagée", "acquise": "acquise"}


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


def immeubles(b: Builder, d: Dossier) -> None:
    intervention = d.perimetres.intervention if d.perimetres else None
    for i, imm in enumerate(d.immeubles):
        p = f"immeubles[{i}]"
        values: dict[str, Any] = {
            "adresse": imm.adresse,
            "reference_cadastrale": imm.reference_cadastrale,
            "surface_m2": hundredths(imm.surface_m2),
            "proprietaire": imm.proprietaire,
            "operateur": imm.operateur.nom if imm.operateur else None,
            "operateur_type": imm.operateur.type if imm.operateur else None,
            "localisee": imm.localisation is not None,
            "dans_perimetre_intervention": _inside(imm.localisation, intervention),
            "dans_secteur_ort": in_ort_secteurs(imm.localisation, d),
            "maitrise_mode": imm.maitrise_fonciere.mode if imm.maitrise_fonciere else None,
            "maitrise_etat": imm.maitrise_fonciere.etat if imm.maitrise_fonciere else None,
            "operateur_nature": NATURES[imm.operateur.type] if imm.operateur else None,
            "maitrise_etat_libelle": ETATS[imm.maitrise_fonciere.etat]
            if imm.maitrise_fonciere and imm.maitrise_fonciere.etat
            else None,
            "logements_immeuble": imm.logements_immeuble,
            "logements_maitrises": imm.logements_maitrises,
            "logements_non_maitrises": (
                imm.logements_immeuble - imm.logements_maitrises
                if imm.logements_immeuble is not None and imm.logements_maitrises is not None
                else None
            ),
        }
        paths = {
            "adresse": f"{p}.adresse",
            "reference_cadastrale": f"{p}.reference_cadastrale",
            "surface_m2": f"{p}.surface_m2",
            "proprietaire": f"{p}.proprietaire",
            "operateur": f"{p}.operateur.nom",
            "operateur_type": f"{p}.operateur.type",
            "localisee": f"{p}.localisation",
            "dans_perimetre_intervention": f"{p}.localisation, perimetres.intervention",
            "dans_secteur_ort": f"{p}.localisation, ort.secteurs[*].geometrie",
            "maitrise_mode": f"{p}.maitrise_fonciere.mode",
            "maitrise_etat": f"{p}.maitrise_fonciere.etat",
            "operateur_nature": f"{p}.operateur.type",
            "maitrise_etat_libelle": f"{p}.maitrise_fonciere.etat",
            "logements_immeuble": f"{p}.logements_immeuble",
            "logements_maitrises": f"{p}.logements_maitrises",
            "logements_non_maitrises": f"{p}.logements_immeuble, {p}.logements_maitrises",
        }
        described, described_paths = operateur_values(imm, p)
        logements = imm.logements
        surface_hab = sum((lg.surface_habitable_m2 for lg in logements), Decimal(0)) if logements else None
        money, money_paths = financement_values(imm, p, described["nb_logements"], surface_hab)
        label = f"Immeuble {imm.id}" + (f" ({imm.adresse})" if imm.adresse else "")
        b.add(
            "immeuble",
            Entity("immeuble", imm.id, label, p),
            {**values, **described, **money},
            {**paths, **described_paths, **money_paths},
        )


ORDER = 30
FAMILIES = (Family(("immeuble",), lambda b, c: immeubles(b, c.dossier)),)
