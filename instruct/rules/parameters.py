"""Dated parameters (deadlines, rates, caps), OpenFisca-style.

`rules/parametres.yaml` holds, for each parameter, its French name (`libelle`, what a town
reads instead of the code), description, unit, source and the values it takes from given dates:

    prog.duree_initialisation_max:
      libelle: durée maximale de la phase d'initialisation
      description: Durée maximale de la phase d'initialisation
      unit: mois
      reference: Guide du programme, « Principes généraux d'organisation du programme »
      values:
        2018-03-27: 18

The value in force on a date is the one of the latest start date not after it; `null` ends a
value (the rule that needs it is then not applicable). A change of rule is one new dated line.
The file's shape is schema.ParameterSpec; a value's type is checked here, by its unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from instruct.errors import InputError, Problem, format_path
from instruct.french import ISO, parse_date

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
    label: str = ""  # the French name (libelle), shown instead of the code

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


def _convert(unit: str, raw: Any) -> Any:
    """A value in its unit's type (date, int, Decimal), or ValueError in French."""
    if raw is None:
        return None
    kind = UNITS[unit]
    if kind is dt.date:
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw
        try:
            return parse_date(str(raw), ISO)
        except ValueError:
            raise ValueError("date AAAA-MM-JJ attendue") from None
    if kind is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError("nombre entier attendu")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError("nombre attendu")
    try:
        return Decimal(str(raw))
    except ArithmeticError:
        raise ValueError("nombre attendu") from None


def load_parameters(path: Path) -> dict[str, Parameter]:
    from pydantic import ValidationError  # the schema: only to read the file, not in a compiled catalogue

    from instruct.rules.schema import ParameterSpec, french_errors
    from instruct.yamlio import LazyLines, line_of, parse, read_text

    text = read_text(path)
    data = parse(text, str(path)) or {}
    lines = LazyLines(text)
    problems: list[Problem] = []

    def problem(loc: tuple, message: str) -> None:
        problems.append(Problem(format_path(loc), message, line_of(lines, loc)))

    if not isinstance(data, dict):
        raise InputError(str(path), [Problem("", "objet attendu : nom du paramètre -> définition")])
    out: dict[str, Parameter] = {}
    for name, raw in data.items():
        name = str(name)
        try:
            spec = ParameterSpec.model_validate(raw)
        except ValidationError as exc:
            for loc, message in french_errors(exc, ParameterSpec):
                problem((name, *loc), message)
            continue
        values = []
        for start, value in spec.values.items():
            try:
                values.append(DatedValue(start, _convert(spec.unit, value)))
            except ValueError as exc:
                problem((name, "values", start.isoformat()), str(exc))
        out[name] = Parameter(
            name,
            spec.description,
            spec.unit,
            spec.reference,
            tuple(sorted(values, key=lambda v: v.start)),
            spec.libelle,
        )
    if problems:
        raise InputError(str(path), problems)
    return out
