"""Dated parameters (deadlines, rates, caps), OpenFisca-style.

`rules/parametres.yaml` holds, for each parameter, its description, unit, source and the
values it takes from given dates:

    prog.duree_initialisation_max:
      description: Durée maximale de la phase d'initialisation
      unit: mois
      reference: Guide du programme, « Principes généraux d'organisation du programme »
      values:
        2018-03-27: 18

The value in force on a date is the one of the latest start date not after it; `null` ends a
value (the rule that needs it is then not applicable). A change of rule is one new dated line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from instruct.errors import InputError, Problem
from instruct.french import ISO, parse_date
from instruct.yamlio import parse, read_text

UNITS = {
    "mois": int,
    "jours": int,
    "date": dt.date,
    "euros": Decimal,
    "m2": Decimal,
    "pourcent": Decimal,
    "nombre": int,
    "annees": int,
}
KEYS = {"description", "unit", "reference", "values"}


@dataclass(frozen=True)
class DatedValue:
    start: dt.date
    value: Any  # None: no value from this date on


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    reference: str
    values: tuple[DatedValue, ...]  # sorted by start

    def at(self, when: dt.date) -> DatedValue | None:
        found = None
        for dated in self.values:
            if dated.start <= when:
                found = dated
        return found

    def to_fact_unit(self, value: Any) -> Any:
        """The parameter in the unit facts use: cents, YYYYMMDD, hundredths of a percent."""
        if value is None:
            return None
        if self.unit == "euros":
            return int(value * 100)
        if self.unit == "date":
            return value.year * 10000 + value.month * 100 + value.day
        if self.unit in {"pourcent", "m2"}:
            return int(value * 100) if self.unit == "pourcent" else int(value)
        return value


def _date(raw: Any) -> dt.date | None:
    try:
        return parse_date(raw, ISO)
    except ValueError:
        return None


def _convert(unit: str, raw: Any, where: str) -> Any:
    if raw is None:
        return None
    kind = UNITS[unit]
    if kind is dt.date:
        if _date(raw) is None:
            raise ValueError(f"{where} : date AAAA-MM-JJ attendue")
        return _date(raw)
    if kind is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"{where} : nombre entier attendu")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"{where} : nombre attendu")
    return Decimal(str(raw))


def load_parameters(path: Path) -> dict[str, Parameter]:
    text = read_text(path)
    data = parse(text, str(path)) or {}
    problems: list[Problem] = []
    out: dict[str, Parameter] = {}
    if not isinstance(data, dict):
        raise InputError(str(path), [Problem("", "objet attendu : nom du paramètre -> définition")])
    for name, spec in data.items():
        if not isinstance(spec, dict):
            problems.append(Problem(str(name), "définition attendue (description, unit, reference, values)"))
            continue
        unknown = set(spec) - KEYS
        if unknown:
            problems.append(Problem(str(name), f"clé inconnue : {', '.join(sorted(map(str, unknown)))}"))
        missing = KEYS - set(spec)
        if missing:
            problems.append(
                Problem(str(name), f"clé manquante : {', '.join(sorted(missing))} (la source est obligatoire)")
            )
            continue
        if spec["unit"] not in UNITS:
            problems.append(
                Problem(f"{name}.unit", f"unité inconnue « {spec['unit']} » (connues : {', '.join(UNITS)})")
            )
            continue
        values = []
        if not isinstance(spec["values"], dict) or not spec["values"]:
            problems.append(Problem(f"{name}.values", "au moins une valeur datée attendue (AAAA-MM-JJ: valeur)"))
            continue
        for start_text, raw in spec["values"].items():
            start = _date(start_text)
            if start is None:
                problems.append(Problem(f"{name}.values", f"« {start_text} » n'est pas une date AAAA-MM-JJ"))
                continue
            try:
                values.append(DatedValue(start, _convert(spec["unit"], raw, f"{name}.values.{start}")))
            except ValueError as exc:
                problems.append(Problem(f"{name}.values.{start}", str(exc).split(" : ", 1)[-1]))
        out[str(name)] = Parameter(
            str(name),
            str(spec["description"]),
            spec["unit"],
            str(spec["reference"]),
            tuple(sorted(values, key=lambda v: v.start)),
        )
    if problems:
        raise InputError(str(path), problems)
    return out
