"""What every fact builder shares: field declarations, entities, facts, units, the builder."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from instruct import french
from instruct.model.dossier import Avenant, Dossier
from instruct.model.report import Entity
from instruct.referentiel.registry import Referentiel

if TYPE_CHECKING:
    from instruct.documents.reconcile import Documents


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # bool int str date cents m2 m2c (hundredths of m²) pct (hundredths of %)
    label: str  # a few words, shown beside the value in a finding's evidence
    always: bool = False  # present in every fact of this type
    derived_from: tuple[str, ...] = ()  # present whenever these are
    definition: str = ""  # one French sentence: what is computed, from which dossier fields, in which unit
    choices: dict[str, str] | None = field(default=None, compare=False)  # a code -> its French words

    def shown(self, value: Any) -> Any:
        """The value as a town reads it: a code in French words, anything else as it is."""
        return self.choices.get(value, value) if self.choices and isinstance(value, str) else value


def F(
    kind: str,
    label: str,
    always: bool = False,
    derived_from: tuple[str, ...] = (),
    *,
    definition: str,
    choices: dict[str, str] | None = None,
) -> FieldSpec:
    """A field of a fact type; its definition is required, so that no fact goes undefined.
    `choices` names the codes a str field holds, for the messages and the evidence."""
    return FieldSpec(kind, label, always, derived_from, definition, choices)


# Codes of the dossier model that facts carry as they are (rules compare them), in the words a
# finding shows: Anah dispositifs, ANRU programmes, operators, land control, requests, pieces' opinions.
CODES = {
    "plan_de_sauvegarde": "plan de sauvegarde",
    "etudes_pre_operationnelles": "études pré-opérationnelles",
    "en_cours": "en cours",
    "termine": "terminé",
    "projete": "projeté",
    "ville": "ville",
    "epci": "intercommunalité (EPCI)",
    "departement": "département",
    "autre": "autre",
    "NPNRU_national": "NPNRU d'intérêt national",
    "NPNRU_regional": "NPNRU d'intérêt régional",
    "organisme_hlm": "organisme HLM",
    "investisseur_prive": "investisseur privé",
    "sem": "société d'économie mixte (SEM)",
    "collectivite": "collectivité",
    "epf": "établissement public foncier (EPF)",
    "acquisition": "acquisition",
    "promesse": "promesse de vente",
    "envisagee": "envisagée",
    "engagee": "engagée",
    "acquise": "acquise",
    "travaux": "travaux",
    "portage_foncier": "portage foncier",
    "favorable": "favorable",
    "defavorable": "défavorable",
    "deploiement": "déploiement",
    "modification": "modification",
    "ville_centre": "ville-centre",
    "intercommunalite": "intercommunalité",
    "prefet": "préfet (État)",
    "cdc": "Caisse des Dépôts (Banque des Territoires)",
    "action_logement": "Action Logement",
    "anah": "Anah",
    "anru": "ANRU",
}


# Copied into every fact: the stage the dossier has reached.
CONTEXT = {
    "avenant_present": F(
        "bool",
        "avenant de déploiement présent au dossier",
        True,
        definition=(
            "Vrai si le dossier déclare un avenant d'objet « deploiement » (convention.avenants[].objet), signé ou non."
        ),
    ),
    "avenant_signe": F(
        "bool",
        "avenant de déploiement signé",
        True,
        definition=(
            "Vrai si l'avenant de déploiement retenu (le premier signé, sinon le premier déclaré) "
            "a une date de signature."
        ),
    ),
}


@dataclass
class Fact:
    type: str
    entity: Entity
    values: dict[str, Any]
    paths: dict[str, str] = field(default_factory=dict)  # field -> dossier path (evidence)


# How towns name the State and the national partners when they do not give their role
# (french.name_key form, article removed): « l'ANAH », « Banque des Territoires (CDC) », « Préfecture ».
PARTNER_NAMES = {
    "prefet": ("etat", "prefet", "prefete", "prefecture"),
    "cdc": ("caisse des depots", "groupe caisse des depots", "cdc", "banque des territoires"),
    "action_logement": ("action logement",),
    "anah": ("anah", "agence nationale de l habitat"),
    "anru": ("anru", "agence nationale pour la renovation urbaine"),
}


# A name as compared (french.name_key), remembered: a dossier repeats the same financeurs and
# signatories across its fiches, and the Unicode normalisation was the largest cost of the facts.
# Bounded, so that a long-running service does not grow with every name it has seen.
name_key = functools.lru_cache(maxsize=4096)(french.name_key)


@functools.lru_cache(maxsize=4096)
def names_partner(name: str, role: str) -> bool:
    """Whether an organisme's name designates this partner (« Etat – DDT » is the State)."""
    key = name_key(name).removeprefix("l ").removeprefix("la ").removeprefix("le ")
    return any(key == n or key.startswith(n + " ") for n in PARTNER_NAMES[role])


def financed_by_anru(line) -> bool:
    """A financing line of the ANRU: its role, or its financeur's name (« ANRU », « Anru »…)."""
    return line.role == "anru" or names_partner(line.financeur, "anru")


def date_int(value: dt.date | None) -> int | None:
    """A date as facts hold it (YYYYMMDD); None (unknown) stays None and is left out of the fact."""
    return value.year * 10000 + value.month * 100 + value.day if value else None


def cents(value: Decimal | None) -> int | None:
    """An amount as facts hold it (cents); None (unknown) stays None and is left out of the fact."""
    return None if value is None else int((value * 100).to_integral_value())


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Smallest n such that end <= start + n months (0 if end <= start)."""
    if end <= start:
        return 0
    n = (end.year - start.year) * 12 + end.month - start.month
    n = max(n - 1, 0)
    while add_months(start, n) < end:
        n += 1
    return n


class Builder:
    """Collects facts; drops unknown (None) values and adds the context fields."""

    def __init__(self, context: dict[str, Any]):
        self.facts: list[Fact] = []
        self.context = context

    def add(self, type_: str, entity: Entity, values: dict[str, Any], paths: dict[str, str]) -> None:
        values = {k: v for k, v in {**self.context, **values}.items() if v is not None}
        self.facts.append(Fact(type_, entity, values, paths))


def deployment_avenant(dossier: Dossier) -> Avenant | None:
    avenants = dossier.convention.avenants if dossier.convention else []
    deploiement = [a for a in avenants if a.objet == "deploiement"]
    signed = [a for a in deploiement if a.date_signature]
    if signed:
        return min(signed, key=lambda a: (a.date_signature, a.numero))
    return min(deploiement, key=lambda a: a.numero) if deploiement else None


@dataclass(frozen=True)
class Context:
    """What a family's builders may read: the dossier, the date of judgement, the official lists,
    the deployment avenant (and its index in the dossier), the pieces of a dossier folder."""

    dossier: Dossier
    as_of: dt.date
    referentiel: Referentiel | None
    avenant: Avenant | None
    avenant_index: int | None
    documents: Documents | None


@dataclass(frozen=True)
class Family:
    """A builder of some fact types, run when the selected rules read one of them (`types` empty:
    always). A module of instruct.facts declaring `TYPES`, `FAMILIES` and `ORDER` is found by
    build_facts on its own; `ORDER` keeps the facts in a stable order (the dossier fact first)."""

    types: tuple[str, ...]
    build: Callable[[Builder, Context], None]
    needs_documents: bool = False
    without_documents: bool = False  # built only when the dossier is checked without its folder
