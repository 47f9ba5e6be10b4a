"""Figures: small computations that explain a finding (never decide it).

A rule may declare named figures, shown in its messages as {figure.name} and in its evidence:

    figures:
      minimum_reserves:
        label: logements à réserver au minimum (arrondi à l'entier supérieur)
        unit: int
        value: {ceil: {div: [{mul: [{field: nb_logements}, {param: al.part_reservee}]}, 10000]}}

Operands: {field: name}, {param: name} (in the facts' units: cents, hundredths of a percent,
YYYYMMDD…) and numbers. Operators: add, sub, mul, div (lists), ceil, floor (one operand),
max, min (lists), jours (two dates as YYYYMMDD: the days from the first to the second).
Exact decimal arithmetic; a missing field, an undefined parameter or a division by zero gives
no figure (the placeholder then reads « non calculable »).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

LIST_OPS = {"add", "sub", "mul", "div", "max", "min", "jours"}
UNARY_OPS = {"ceil", "floor"}
UNITS = {"int", "cents", "m2", "m2c", "pct"}


class FigureError(ValueError):
    pass


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    unit: str
    expr: Any  # parsed expression: ("field", name) | ("param", name) | ("num", Decimal) | (op, [args])

    def fields(self) -> list[str]:
        return [e[1] for e in _walk(self.expr) if e[0] == "field"]

    def params(self) -> list[str]:
        return [e[1] for e in _walk(self.expr) if e[0] == "param"]


def _walk(expr):
    yield expr
    if expr[0] in LIST_OPS | UNARY_OPS:
        for arg in expr[1]:
            yield from _walk(arg)


def parse_expr(raw: Any, where: str):
    if isinstance(raw, bool):
        raise FigureError(f"{where} : nombre, {{field: …}}, {{param: …}} ou opération attendu")
    if isinstance(raw, (int, float, str)) and not isinstance(raw, bool):
        try:
            return ("num", Decimal(str(raw)))
        except InvalidOperation:
            raise FigureError(f"{where} : nombre invalide « {raw} »") from None
    if not isinstance(raw, dict) or len(raw) != 1:
        raise FigureError(f"{where} : une seule clé attendue (field, param ou une opération)")
    ((op, arg),) = raw.items()
    if op in {"field", "param"}:
        if not isinstance(arg, str):
            raise FigureError(f"{where}.{op} : nom attendu")
        return (op, arg)
    if op in LIST_OPS:
        if not isinstance(arg, list) or len(arg) < 2:
            raise FigureError(f"{where}.{op} : liste d'au moins deux opérandes attendue")
        if op == "jours" and len(arg) != 2:
            raise FigureError(f"{where}.jours : deux dates attendues (de, à)")
        return (op, [parse_expr(a, f"{where}.{op}[{i}]") for i, a in enumerate(arg)])
    if op in UNARY_OPS:
        return (op, [parse_expr(arg, f"{where}.{op}")])
    raise FigureError(f"{where} : opération inconnue « {op} » (connues : {', '.join(sorted(LIST_OPS | UNARY_OPS))})")


def parse_figures(raw: Any, where: str) -> list[Figure]:
    if not isinstance(raw, dict):
        raise FigureError(f"{where} : objet attendu (nom -> {{label, unit, value}})")
    figures = []
    for name, spec in raw.items():
        loc = f"{where}.{name}"
        if not isinstance(spec, dict) or set(spec) != {"label", "unit", "value"}:
            raise FigureError(f"{loc} : clés attendues label, unit, value")
        if spec["unit"] not in UNITS:
            raise FigureError(f"{loc}.unit : unité inconnue « {spec['unit']} » (connues : {', '.join(sorted(UNITS))})")
        figures.append(Figure(str(name), str(spec["label"]), spec["unit"], parse_expr(spec["value"], f"{loc}.value")))
    return figures


def compute(expr, values: dict[str, Any], params: dict[str, Any]) -> Decimal | None:
    kind, arg = expr
    if kind == "num":
        return arg
    if kind == "field":
        value = values.get(arg)
        return None if value is None or isinstance(value, (bool, str)) else Decimal(value)
    if kind == "param":
        value = params.get(arg)
        return None if value is None else Decimal(value)
    items = [compute(a, values, params) for a in arg]
    if any(i is None for i in items):
        return None
    if kind == "ceil":
        return Decimal(math.ceil(items[0]))
    if kind == "floor":
        return Decimal(math.floor(items[0]))
    if kind == "max":
        return max(items)
    if kind == "min":
        return min(items)
    if kind == "jours":
        return _days(items[0], items[1])
    result = items[0]
    for item in items[1:]:
        if kind == "add":
            result += item
        elif kind == "sub":
            result -= item
        elif kind == "mul":
            result *= item
        else:
            if item == 0:
                return None
            result /= item
    return result


def _days(start: Decimal, end: Decimal) -> Decimal | None:
    """Days from one YYYYMMDD date to another; None if either is not a date."""
    try:
        first, last = (dt.date(int(d) // 10000, int(d) // 100 % 100, int(d) % 100) for d in (start, end))
    except ValueError:
        return None
    return Decimal((last - first).days)


def as_fact_value(figure: Figure, value: Decimal | None) -> int | None:
    """Figures are shown in the facts' units: whole numbers (cents, m², hundredths of %)."""
    return None if value is None else int(value.to_integral_value())
