"""The national synthesis of `acv batch`: synthese.csv (French Excel), synthese.xlsx and
tableau-de-bord.html (one self-contained page: no external URL, inline CSS, JS and data).

Every value comes from dossiers and is escaped: HTML-escaped in the page, JSON with `<` escaped
in the embedded data, and a leading apostrophe on any spreadsheet cell that would start a
formula (=, +, -, @, tab, CR; OWASP's CSV injection advice) in the CSV and the XLSX."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from instruct.batch.dashboard import stream_dashboard
from instruct.batch.synthesis import columns, flat, parse_datetime, rule_stats

CSV_NAME, XLSX_NAME, HTML_NAME = "synthese.csv", "synthese.xlsx", "tableau-de-bord.html"
# Cell fill and text colour, the same in the workbook and in the dashboard's CSS (text contrast ≥ 7:1).
COLOURS = {
    "sans_objet": ("E8EDF4", "1F2F45"),
    "recevable": ("D7F0DD", "0B5A1E"),
    "a_corriger": ("FFD9B8", "5E2A00"),
    "incomplet": ("FFE8A8", "5C3D00"),
    "non_recevable": ("F9D0D0", "8A0C0C"),
    "erreur": ("E4E4E4", "2B2B2B"),
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_outputs(
    out: Path, rows: Sequence[dict], rulesets: list[dict], rules: dict[str, dict], meta: dict
) -> list[Path]:
    """Write out/synthese.csv, out/synthese.xlsx and out/tableau-de-bord.html; return their paths.

    `rows` is read again for each file (a list, or run.Outcome's compact rows): each is written a row
    at a time, so what it holds does not grow with the number of towns (the dashboard's embedded data
    aside, a few hundred bytes a town)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    codes = [rs["code"] for rs in rulesets]
    stats = rule_stats(rows, rulesets, rules)
    paths = [out / CSV_NAME, out / XLSX_NAME, out / HTML_NAME]
    _atomic(paths[0], lambda p: write_csv(p, rows, codes))
    _atomic(paths[1], lambda p: write_xlsx(p, rows, codes, stats, rulesets, meta))
    _atomic(paths[2], lambda p: write_dashboard(p, rows, rulesets, rules, meta, stats))
    return paths


def _atomic(path: Path, write) -> None:
    """Readers (a mail, a watching tool) never see half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def safe_cell(value):
    """A string a spreadsheet would read as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# --- synthese.csv -------------------------------------------------------------------------------


def write_csv(path: Path, rows: Iterable[dict], codes: list[str]) -> None:
    """For French Excel: `;`, UTF-8 with BOM, CRLF, every field quoted when needed."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(columns(codes))
        for row in rows:
            writer.writerow(["" if v is None else safe_cell(v) for v in flat(row, codes)])


# --- synthese.xlsx ------------------------------------------------------------------------------
# openpyxl's write-only workbook: each row goes to the sheet's file as it is appended, none is kept
# (its ordinary Workbook keeps every cell until saved). What it needs before the rows (column widths,
# the filter's range) comes from a first reading of them.

RULE_HEADER = [
    "règle",
    "titre",
    "sévérité",
    "jeu",
    "communes en écart",
    "dont non conformes",
    "dont incomplètes",
    "dont à vérifier",
]
PARAM_LABELS = [
    ("date", "Date d'évaluation"),
    ("genere_le", "Généré le"),
    ("regles", "Empreinte des règles"),
    ("dossiers", "Dossiers"),
    ("erreurs", "Dossiers illisibles"),
    ("duree_s", "Durée (s)"),
    ("version", "Version d'acv-instruct"),
]


def write_xlsx(
    path: Path, rows: Iterable[dict], codes: list[str], stats: list[dict], rulesets: list[dict], meta: dict
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    fills = {v: (PatternFill("solid", start_color=bg, end_color=bg), Font(color=fg)) for v, (bg, fg) in COLOURS.items()}
    wb = Workbook(write_only=True)
    when = parse_datetime(meta.get("genere_le"))
    if when:
        wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "acv-instruct"
    wb.properties.title = "Synthèse Action Cœur de Ville"

    header = columns(codes)
    verdict_columns = range(header.index(codes[0]), header.index(codes[0]) + len(codes)) if codes else range(0)
    etat = header.index("etat")

    def synthesis_line(ws, cells: list) -> list:
        """The dossier's cells, each verdict coloured (all of them grey when the dossier was not read)."""
        failed = cells[etat] == "erreur"
        line = [safe_cell(v) for v in cells]
        for column in verdict_columns:
            verdict = "erreur" if failed else cells[column]
            if verdict in fills:
                line[column] = _styled(ws, line[column], fills[verdict])
        if failed:
            line[etat] = _styled(ws, line[etat], fills["erreur"])
        return line

    # the header and the dossier's name stay in view
    _sheet(wb, "Synthèse", header, lambda: (flat(row, codes) for row in rows), bold, freeze="B2", line=synthesis_line)
    _sheet(
        wb,
        "Règles",
        RULE_HEADER,
        lambda: (
            [s["regle"], s["titre"], s["severite"], s["jeu"], s["total"], s["non_conforme"], s["incomplet"]]
            + [s["a_verifier"]]
            for s in stats
        ),
        bold,
        widths=[12, 80, 10, 8, 20, 20, 18, 18],
    )
    params = [[label, meta.get(key)] for key, label in PARAM_LABELS] + [
        [k, v] for k, v in meta.items() if k not in dict(PARAM_LABELS)
    ]
    params += [
        [f"Jeu de règles {rs['code']}", f"{rs.get('titre', '')} ({rs.get('partenaire', '')})"] for rs in rulesets
    ]
    _sheet(
        wb,
        "Paramètres",
        ["paramètre", "valeur"],
        lambda: ([k, v if isinstance(v, (int, float)) or v is None else str(v)] for k, v in params),
        bold,
        widths=[30, 80],
    )
    wb.save(path)


def _styled(ws, value, look: tuple):
    """A cell of a write-only sheet with its (fill, font); a fill None: the font alone."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    fill, cell.font = look
    if fill is not None:
        cell.fill = fill
    return cell


def _sheet(wb, title: str, header: list[str], body, bold, *, widths=None, freeze="A2", line=None) -> None:
    """A sheet: bold header, frozen panes, filter, each column as wide as its longest text (at most its
    width). `body()` gives the rows' cells afresh: read once for the widths and the filter's range (a
    write-only sheet takes them before its rows), once to write them; `line` styles a row's cells."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    longest, count = [len(name) for name in header], 0
    for cells in body():
        count += 1
        for i, value in enumerate(cells):
            if value is not None:
                longest[i] = max(longest[i], len(str(value)))
    for i, size in enumerate(longest):
        ws.column_dimensions[get_column_letter(i + 1)].width = min(max(size + 2, 6), (widths or [60] * len(header))[i])
    ws.freeze_panes = freeze
    dimension = f"A1:{get_column_letter(len(header))}{count + 1}"
    if count:
        ws.auto_filter.ref = dimension
    # openpyxl writes a sheet's <dimension> when the sheet can tell it (calculate_dimension), which a
    # write-only one cannot: told here, the sheet is the same XML as the ordinary Workbook's.
    ws.calculate_dimension = lambda: dimension
    ws.append([_styled(ws, name, (None, bold)) for name in header])
    for cells in body():
        ws.append(line(ws, cells) if line is not None else [safe_cell(v) for v in cells])


def write_dashboard(
    path: Path, rows: Sequence[dict], rulesets: list[dict], rules: dict[str, dict], meta: dict, stats: list[dict]
) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(stream_dashboard(rows, rulesets, rules, meta, stats))
