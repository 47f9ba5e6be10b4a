"""French display of values: dates dd/mm/yyyy, amounts "1 234,50 €", areas, shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def french_number(value: Decimal | int, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def french_date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def display(kind: str, value: Any) -> str:
    if value is None:
        return "non renseigné"
    if kind == "bool":
        return "oui" if value else "non"
    if kind == "date":  # YYYYMMDD int
        return f"{value % 100:02d}/{value // 100 % 100:02d}/{value // 10000}"
    if kind == "cents":
        return french_number(Decimal(value) / 100, 2) + " €"
    if kind == "m2":
        return french_number(value) + " m²"
    if kind == "m2c":  # hundredths of m²
        text = french_number(Decimal(value) / 100, 2)
        return (text[:-3] if text.endswith(",00") else text) + " m²"
    if kind == "pct":
        return french_number(Decimal(value) / 100, 2) + " %"
    if kind == "int":
        return french_number(value)
    return str(value)


def display_parameter(unit: str, value: Any) -> str:
    if value is None:
        return "aucune valeur en vigueur"
    if unit == "date":
        return french_date(value)
    if unit == "euros":
        return french_number(value, 2) + " €"
    if unit == "pourcent":
        return french_number(value, 2) + " %"
    if unit == "m2":
        return french_number(value) + " m²"
    if unit == "annees":
        return f"{value} an" + ("s" if value > 1 else "")
    if unit == "nombre":
        return str(value)
    return f"{value} {unit}"
