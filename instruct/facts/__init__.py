"""Dossier -> flat facts: what the rules read.

Facts are measurements, rules are judgments: these modules compute values (sums, gaps, areas
outside a perimeter, months elapsed) and never decide compliance; thresholds live in the
rule files and their dated parameters.

A fact is one entity (the dossier, a fiche action, an immeuble…) with flat values: int, bool
or str; dates as YYYYMMDD ints, amounts as integer cents, areas in m², shares in hundredths
of a percent. A value that is unknown is left out (never None). `FACT_TYPES` declares every
field: the rule loader refuses a rule that reads anything else. One module per rule family:
programme (the dossier), convention (signatories, expected parts, axes), fiches (actions,
perimeters, avenants, chronology), action_logement, ort, anah_anru, pieces.

May import: instruct (errors, yamlio, french, vocabulary), model, referentiel, documents.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from instruct.facts import action_logement, anah_anru, convention, fiches, ort, pieces, programme
from instruct.facts.base import (
    Builder,
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

if TYPE_CHECKING:  # documents reads labels from facts.programme
    from instruct.documents.reconcile import Documents

FACT_TYPES: dict[str, dict[str, FieldSpec]] = {
    **programme.TYPES,
    **convention.TYPES,
    **fiches.TYPES,
    **action_logement.TYPES,
    **ort.TYPES,
    **anah_anru.TYPES,
    **pieces.TYPES,
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

    def wanted(*names: str) -> bool:
        return types is None or any(n in types for n in names)

    avenant = deployment_avenant(dossier)
    avenant_index = dossier.convention.avenants.index(avenant) if avenant else None
    b = Builder({"avenant_present": avenant is not None, "avenant_signe": bool(avenant and avenant.date_signature)})
    programme.dossier_fact(b, dossier, as_of, referentiel, avenant, avenant_index)  # first: facts[0] is the dossier
    if wanted("signataire"):
        convention.signataires(b, dossier)
    if wanted("element"):
        convention.elements(b, dossier, avenant, avenant_index)
    if wanted("axe"):
        convention.axes(b, dossier)
    if wanted("inclusion"):
        fiches.inclusions(b, dossier)
    if wanted("fiche_action"):
        fiches.fiches(b, dossier, avenant)
    if wanted("avenant"):
        fiches.avenants(b, dossier)
    if wanted("chronologie"):
        fiches.chronologie(b, dossier)
    if wanted("immeuble"):
        action_logement.immeubles(b, dossier)
    if wanted("ort", "secteur_ort"):
        ort.ort_facts(b, dossier, avenant, referentiel)
    if wanted("anah", "dispositif_anah"):
        anah_anru.anah(b, dossier, as_of)
    if wanted("quartier"):
        anah_anru.quartiers(b, dossier)
    if documents is not None and wanted("piece"):
        pieces.pieces(b, documents)
    if documents is not None and wanted("concordance"):
        pieces.concordances(b, documents)
    return b.facts
