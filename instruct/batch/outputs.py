"""The national synthesis of `acv batch`: synthese.csv (French Excel), synthese.xlsx and
tableau-de-bord.html (one self-contained page: no external URL, inline CSS, JS and data).

Every value comes from dossiers and is escaped: HTML-escaped in the page, JSON with `<` escaped
in the embedded data, and a leading apostrophe on any spreadsheet cell that would start a
formula (=, +, -, @, tab, CR; OWASP's CSV injection advice) in the CSV and the XLSX."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from instruct.batch.dashboard import render_dashboard
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


def write_outputs(out: Path, rows: list[dict], rulesets: list[dict], rules: dict[str, dict], meta: dict) -> list[Path]:
    """Write out/synthese.csv, out/synthese.xlsx and out/tableau-de-bord.html; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    codes = [rs["code"] for rs in rulesets]
    table = [flat(row, codes) for row in rows]
    stats = rule_stats(rows, rulesets, rules)
    paths = [out / CSV_NAME, out / XLSX_NAME, out / HTML_NAME]
    _atomic(paths[0], lambda p: write_csv(p, table, codes))
    _atomic(paths[1], lambda p: write_xlsx(p, table, codes, stats, rulesets, meta))
    _atomic(paths[2], lambda p: p.write_text(render_dashboard(rows, rulesets, rules, meta, stats), encoding="utf-8"))
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


def write_csv(path: Path, table: list[list], codes: list[str]) -> None:
    """For French Excel: `;`, UTF-8 with BOM, CRLF, every field quoted when needed."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(columns(codes))
        for cells in table:
            writer.writerow(["" if v is None else safe_cell(v) for v in cells])


# --- synthese.xlsx ------------------------------------------------------------------------------


def write_xlsx(
    path: Path, table: list[list], codes: list[str], stats: list[dict], rulesets: list[dict], meta: dict
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fills = {v: (PatternFill("solid", start_color=bg, end_color=bg), Font(color=fg)) for v, (bg, fg) in COLOURS.items()}
    wb = Workbook()
    when = parse_datetime(meta.get("genere_le"))
    if when:
        wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "acv-instruct"
    wb.properties.title = "Synthèse Action Cœur de Ville"

    def sheet(ws, header: list[str], body: list[list], widths: list[int] | None = None) -> None:
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for cells in body:
            ws.append([safe_cell(v) for v in cells])
        ws.freeze_panes = "A2"
        if body:
            ws.auto_filter.ref = ws.dimensions
        for i, name in enumerate(header):
            longest = max([len(name)] + [len(str(cells[i])) for cells in body if cells[i] is not None])
            ws.column_dimensions[get_column_letter(i + 1)].width = min(
                max(longest + 2, 6), (widths or [60] * len(header))[i]
            )

    ws = wb.active
    ws.title = "Synthèse"
    header = columns(codes)
    sheet(ws, header, table)
    ws.freeze_panes = "B2"  # the header and the dossier's name stay in view
    first, etat_col = header.index(codes[0]) + 1 if codes else None, header.index("etat")
    for r, cells in enumerate(table, start=2):
        failed = cells[etat_col] == "erreur"
        for offset in range(len(codes)):
            verdict = "erreur" if failed else cells[first - 1 + offset]
            if verdict in fills:
                cell = ws.cell(row=r, column=first + offset)
                cell.fill, cell.font = fills[verdict]
        if failed:
            cell = ws.cell(row=r, column=etat_col + 1)
            cell.fill, cell.font = fills["erreur"]

    ws = wb.create_sheet("Règles")
    sheet(
        ws,
        [
            "règle",
            "titre",
            "sévérité",
            "jeu",
            "communes en écart",
            "dont non conformes",
            "dont incomplètes",
            "dont à vérifier",
        ],
        [
            [
                s["regle"],
                s["titre"],
                s["severite"],
                s["jeu"],
                s["total"],
                s["non_conforme"],
                s["incomplet"],
                s["a_verifier"],
            ]
            for s in stats
        ],
        [12, 80, 10, 8, 20, 20, 18, 18],
    )

    ws = wb.create_sheet("Paramètres")
    labels = [
        ("date", "Date d'évaluation"),
        ("genere_le", "Généré le"),
        ("regles", "Empreinte des règles"),
        ("dossiers", "Dossiers"),
        ("erreurs", "Dossiers illisibles"),
        ("duree_s", "Durée (s)"),
        ("version", "Version d'acv-instruct"),
    ]
    params = [[label, meta.get(key)] for key, label in labels] + [
        [k, v] for k, v in meta.items() if k not in dict(labels)
    ]
    params += [
        [f"Jeu de règles {rs['code']}", f"{rs.get('titre', '')} ({rs.get('partenaire', '')})"] for rs in rulesets
    ]
    sheet(
        ws,
        ["paramètre", "valeur"],
        [[k, v if isinstance(v, (int, float)) or v is None else str(v)] for k, v in params],
        [30, 80],
    )
    wb.save(path)
