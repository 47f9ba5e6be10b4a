"""Literals of the rule files, written in the field's natural unit and stored in the facts' unit.

A rule compares a fact's field with a literal. Facts keep amounts in cents, shares in
hundredths of a percent, some areas in hundredths of m² and dates as YYYYMMDD ints (see
instruct.facts). A rule author writes what the guide says instead:

    {field: hors_opah_pct, lt: "100 %"}          # stored 10000
    {field: financement_al_cents, ge: "80 000 €"} # stored 8000000
    {field: surface_m2, le: "1 000 m²"}          # m2: 1000 ; m2c: 100000
    {field: date_avenant, lt: 2022-02-23}         # stored 20220223

The unit must match the field's kind; a bare number is refused where it would be read in a
hidden unit (cents, hundredths), and accepted where the unit is the natural one (int, m²).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from instruct.french import ISO, parse_date

# kind -> (what it is, the unit written after the number, how many stored units per written unit)
UNITS = {
    "cents": ("un montant", "€", 100),
    "pct": ("une part", "%", 100),
    "m2": ("une surface", "m²", 1),
    "m2c": ("une surface", "m²", 100),
}
EXAMPLES = {"cents": "« 80 000 € »", "pct": "« 75 % »", "m2": "« 1 000 m² »", "m2c": "« 1 000 m² »"}
SUFFIXES = {"€": "€", "%": "%", "m²": "m²", "m2": "m²"}
NUMBER_WITH_UNIT = re.compile(r"^\s*(?P<number>[-+]?[\d\s\u00a0\u202f]*\d(?:[.,]\d+)?)\s*(?P<unit>€|%|m²|m2)\s*$")


class LiteralError(ValueError):
    pass


def _number(text: str) -> Decimal:
    """ "80 000,50" -> Decimal("80000.50") (spaces, no-break spaces as thousands separators)."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise LiteralError(f"nombre illisible « {text} »") from None


def _unit_literal(kind: str, value: Any, field: str) -> int:
    noun, unit, scale = UNITS[kind]
    if isinstance(value, str):
        match = NUMBER_WITH_UNIT.match(value)
        if match is None:
            raise LiteralError(
                f"valeur « {value} » illisible pour le champ « {field} », {noun} : écrire par ex. {EXAMPLES[kind]}"
            )
        written = SUFFIXES[match["unit"]]
        if written != unit:
            raise LiteralError(
                f"valeur « {value} » en {written} : le champ « {field} » est {noun} "
                f"(en {unit}, par ex. {EXAMPLES[kind]})"
            )
        stored = _number(match["number"]) * scale
    elif isinstance(value, int) and not isinstance(value, bool) and scale == 1:
        stored = Decimal(value)  # whole m²: a bare number is already in the natural unit
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        raise LiteralError(
            f"valeur « {value} » sans unité : le champ « {field} » est {noun}, "
            f"écrire l'unité (par ex. {EXAMPLES[kind]})"
        )
    else:
        raise LiteralError(
            f"valeur « {value} » incompatible avec le champ « {field} » ({noun}, par ex. {EXAMPLES[kind]})"
        )
    if stored != stored.to_integral_value():
        finest = "au centime" if kind == "cents" else "au centième" if scale == 100 else "au m²"
        raise LiteralError(f"valeur « {value} » plus précise que le champ « {field} » (arrondi {finest})")
    return int(stored)


def _date_literal(value: Any, field: str) -> int:
    if isinstance(value, str):
        try:
            value = parse_date(value, ISO)
        except ValueError:
            raise LiteralError(f"valeur « {value} » : le champ « {field} » est une date (AAAA-MM-JJ)") from None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise LiteralError(f"valeur « {value} » : le champ « {field} » est une date, écrire AAAA-MM-JJ (sans heure)")
    return value.year * 10000 + value.month * 100 + value.day


def to_fact_value(kind: str, value: Any, field: str) -> Any:
    """The literal in the facts' unit, or LiteralError (French) when it does not fit the field."""
    if kind == "bool":
        if not isinstance(value, bool):
            raise LiteralError(f"valeur « {value} » incompatible avec le champ « {field} » (bool : true ou false)")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise LiteralError(f"valeur « {value} » incompatible avec le champ « {field} » (str : texte)")
        return value
    if kind == "date":
        return _date_literal(value, field)
    if kind in UNITS:
        return _unit_literal(kind, value, field)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise LiteralError(f"valeur « {value} » incompatible avec le champ « {field} » (int : nombre entier sans unité)")
