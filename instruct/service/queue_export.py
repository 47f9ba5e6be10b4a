"""The queue as a spreadsheet: the filtered, sorted rows (every page) with the page's columns and French headers,
dates as JJ/MM/AAAA; CSV in UTF-8 with a BOM and `;` between cells (what a French Excel opens as is), XLSX through
openpyxl. A cell starting with = + - @ (or a tab, a carriage return) gets a leading apostrophe: a spreadsheet would
otherwise run it as a formula (CSV injection)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.responses import Response

from instruct.service.queue import COLUMNS, STATE_LABELS
from instruct.service.templating import PARTNERS
from instruct.vocabulary import VERDICT_LIBELLES

PARIS = ZoneInfo("Europe/Paris")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def columns(admin: bool) -> list[str]:
    return [c for c in COLUMNS if admin or c != "partenaire"]


def _date(moment: dt.datetime) -> str:
    return f"{moment.astimezone(PARIS):%d/%m/%Y}"


def cells(row: dict[str, Any], keys: list[str]) -> list[Any]:
    values = {
        "commune": row["commune"],
        "insee": row["insee"],
        "dossier": row["dossier"],
        "partenaire": PARTNERS.get(row["partenaire"], row["partenaire"]),
        "etat": STATE_LABELS[row["etat"]],
        "depose": _date(row["depose_le"]),
        "jours": row["jours"],
        "suivi": row["suivi_par"]["nom"] if row["suivi_par"] else "",
        "verdict": VERDICT_LIBELLES.get(row["verdict"], "") if row["verdict"] else "",
        "bloquants": "" if row["bloquants"] is None else row["bloquants"],
        "version": row["version"],
        "maj": _date(row["mis_a_jour"]),
    }
    return [neutralised(values[k]) for k in keys]


def neutralised(value: Any) -> Any:
    """A text a spreadsheet would read as a formula, made plain text."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def export(rows: list[dict[str, Any]], kind: str, admin: bool, today: dt.date) -> Response:
    keys = columns(admin)
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([COLUMNS[k] for k in keys])
        writer.writerows(cells(row, keys) for row in rows)
        body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("File d'instruction")
        sheet.append([COLUMNS[k] for k in keys])
        for row in rows:
            sheet.append(cells(row, keys))
        out = io.BytesIO()
        book.save(out)
        body = out.getvalue()
    name = f"file-instruction-{today:%Y-%m-%d}.{kind}"
    return Response(body, media_type=MEDIA[kind], headers={"content-disposition": f'attachment; filename="{name}"'})
