"""Dossier -> flat facts: what the rules read.

Facts are measurements, rules are judgments: these modules compute values (sums, gaps, areas
outside a perimeter, months elapsed) and never decide compliance; thresholds live in the
rule files and their dated parameters.

A fact is one entity (the dossier, a fiche action, an immeuble…) with flat values: int, bool
or str; dates as YYYYMMDD ints, amounts as integer cents, areas in m², shares in hundredths
of a percent. A value that is unknown is left out (never None). `FACT_TYPES` declares every
field: the rule loader refuses a rule that reads anything else. One module per rule family:
programme (the dossier), convention (signatories, expected parts, axes), fiches (actions,
perimeters, avenants), chronologie (dates in order), action_logement, ort, anah_anru, pieces;
build_facts finds them (each declares TYPES, FAMILIES and ORDER).

May import: instruct (the common modules), model, referentiel, documents.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from types import ModuleType
from typing import TYPE_CHECKING

from instruct.facts.base import (
    Builder,
    Context,
    Entity,
    Fact,
    FieldSpec,
    add_months,
    cents,
    date_int,
    deployment_avenant,
    months_between,
)
from instruct.model.dossier import Dossier
from instruct.referentiel.registry import Referentiel

if TYPE_CHECKING:
    from instruct.documents.reconcile import Documents


def _families() -> list[ModuleType]:
    """The modules of this package that build facts (they declare TYPES, FAMILIES and ORDER), in
    their ORDER: a new family is its module, found here."""
    found = []
    for info in pkgutil.iter_modules(__path__, prefix=f"{__name__}."):
        module = importlib.import_module(info.name)
        if hasattr(module, "FAMILIES"):
            found.append(module)
    return sorted(found, key=lambda module: module.ORDER)


FAMILY_MODULES = _families()
FACT_TYPES: dict[str, dict[str, FieldSpec]] = {
    name: fields for module in FAMILY_MODULES for name, fields in module.TYPES.items()
}

__all__ = [
    "FACT_TYPES",
    "Entity",
    "Fact",
    "FieldSpec",
    "build_facts",
    "add_months",
    "cents",
    "date_int",
    "months_between",
]


def build_facts(
    dossier: Dossier,
    as_of: dt.date,
    referentiel: Referentiel | None = None,
    types: set[str] | None = None,
    documents: Documents | None = None,
) -> list[Fact]:
    """All facts of the dossier, or only those of `types` (the fact types the selected rules
    read; the dossier fact always comes first). `documents`: the pieces of a dossier folder."""

    avenant = deployment_avenant(dossier)
    avenant_index = dossier.convention.avenants.index(avenant) if avenant else None
    context = Context(dossier, as_of, referentiel, avenant, avenant_index, documents)
    b = Builder({"avenant_present": avenant is not None, "avenant_signe": bool(avenant and avenant.date_signature)})
    for module in FAMILY_MODULES:
        for family in module.FAMILIES:
            if (family.needs_documents and documents is None) or (family.without_documents and documents is not None):
                continue
            if not family.types or types is None or any(t in types for t in family.types):
                family.build(b, context)
    return b.facts
