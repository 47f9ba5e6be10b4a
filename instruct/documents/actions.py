"""The table of actions (its rows, costs, calendars and financeurs) and the budget lines of a piece."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from instruct.documents.columns import table_columns
from instruct.documents.evidence import Quote
from instruct.documents.read import PieceText, Row
from instruct.documents.text import normal
from instruct.documents.values import dates
from instruct.french import find_amount


@dataclass
class Action:
    id: str | None
    intitule: str | None
    maitre_ouvrage: str | None
    debut: dt.date | None
    fin: dt.date | None
    cout: Decimal | None
    financement: list[tuple[str, Decimal]]
    quote: Quote


MONTH_YEAR = re.compile(r"\b(\d{1,2})/(\d{4})\b")
YEAR = re.compile(r"\b(20\d\d|19\d\d)\b")


def calendrier(text: str) -> tuple[dt.date | None, dt.date | None]:
    """ "10/2018 – 06/2019" -> 2018-10-01, 2019-06-30 ; "2019-2021" -> 2019-01-01, 2021-12-31."""
    full = dates(text)
    if len(full) >= 2:
        return full[0], full[1]
    months = [(int(y), int(m)) for m, y in MONTH_YEAR.findall(text) if 1 <= int(m) <= 12]
    if len(months) >= 2:
        (y1, m1), (y2, m2) = months[0], months[1]
        return dt.date(y1, m1, 1), dt.date(y2, m2, calendar.monthrange(y2, m2)[1])
    years = [int(y) for y in YEAR.findall(text)]
    if len(years) >= 2:
        return dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
    return None, None


def financement(text: str) -> list[tuple[str, Decimal]]:
    """ "Anah : 40 000,00 € ; Ville : 20 000 €" -> [("Anah", 40000), ("Ville", 20000)]."""
    out = []
    for part in re.split(r"\s*[;\n]\s*", text):
        amount = find_amount(part)
        name = re.split(r"\s*:\s*|\s+\d", part, maxsplit=1)[0].strip(" ,-–")
        if amount is not None and name:
            out.append((name, amount))
    return out


def actions(piece: PieceText) -> list[Action]:
    out = []
    for table in _merged_tables(piece):
        columns = table_columns(table[0].cells)
        if "intitule" not in columns or not ({"cout", "maitre_ouvrage", "calendrier"} & set(columns)):
            continue
        for row in table[1:]:
            cell = partial(_cell, row, columns)
            if cell("intitule") is None or table_columns(row.cells) == columns:  # empty, or a repeated header
                continue
            debut, fin = calendrier(cell("calendrier") or "")
            cout = find_amount(cell("cout") or "")
            out.append(
                Action(
                    cell("id"),
                    cell("intitule"),
                    cell("maitre_ouvrage"),
                    debut,
                    fin,
                    cout,
                    financement(cell("financeurs") or ""),
                    Quote(piece.file, row.where, " | ".join(row.cells)[:240]),
                )
            )
    return out


def _cell(row: Row, columns: dict[str, int], name: str) -> str | None:
    """The stripped text of the row's cell under column `name`, None when empty or absent."""
    index = columns.get(name)
    value = row.cells[index].strip() if index is not None and index < len(row.cells) else ""
    return value or None


def _merged_tables(piece: PieceText) -> list[list[Row]]:
    """Tables with their header first; a table continued on the next PDF page (its header
    repeated) is read as one."""
    merged: list[list[Row]] = []
    for table in piece.tables:
        if not table.rows:
            continue
        if merged and piece.kind == "pdf" and table.rows[0].cells == merged[-1][0].cells:
            merged[-1] += table.rows[1:]
        else:
            merged.append(list(table.rows))
    return merged


# --- budget -------------------------------------------------------------------------------------

BUDGET = {
    "total": r"^(montant|cout|budget) (total|global)",
    "part_cofinanceurs": r"^part des (co)?financeurs",
    "part_porteur": r"^part (du porteur|de la (ville|collectivite)|du maitre d'ouvrage)",
}


def budget(piece: PieceText) -> dict[str, tuple[Decimal, Quote]]:
    found: dict[str, tuple[Decimal, Quote]] = {}
    for line, where in piece.lines():
        plain = normal(line)
        for name, pattern in BUDGET.items():
            if name not in found and re.search(pattern, plain):
                amount = find_amount(line)
                if amount is not None:
                    found[name] = (amount, Quote(piece.file, where, line[:240]))
    return found
