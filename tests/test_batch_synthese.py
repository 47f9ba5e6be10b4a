"""The batch's synthesis written in constant memory: the same files as before (synthese.xlsx the same
XML as openpyxl's ordinary workbook wrote it — that code kept here as the reference —, synthese.csv the
same bytes, the dashboard's data the same text), on hand-made rows and on generated towns; the memory
for writing them the same for 50 and 500 towns; the rows kept compact; the batch's own process not
loading the checking code."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import json
import os
import re
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from test_batch_outputs import META, ROWS, RULES, RULESETS

from instruct.batch import run as batch
from instruct.batch.dashboard import _json_script, render_dashboard
from instruct.batch.outputs import COLOURS, safe_cell, write_outputs
from instruct.batch.settings import make_settings, synthesis_catalogue
from instruct.batch.store import Rows
from instruct.batch.synthesis import columns, flat, parse_datetime, rule_stats
from instruct.samples import synthetic

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DAY = dt.date(2026, 11, 26)


# --- the reference: synthese.csv and synthese.xlsx as the code before wrote them (every row in memory) ---------


def reference_csv(path: Path, table: list[list], codes: list[str]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(columns(codes))
        for cells in table:
            writer.writerow(["" if v is None else safe_cell(v) for v in cells])


def reference_xlsx(path: Path, table: list[list], codes: list[str], stats: list[dict], rulesets, meta) -> None:
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

    def sheet(ws, header, body, widths=None) -> None:
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
    ws.freeze_panes = "B2"
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
    rule_header = ["règle", "titre", "sévérité", "jeu", "communes en écart", "dont non conformes"]
    rule_header += ["dont incomplètes", "dont à vérifier"]
    keys = ["regle", "titre", "severite", "jeu", "total", "non_conforme", "incomplet", "a_verifier"]
    sheet(ws, rule_header, [[s[k] for k in keys] for s in stats], [12, 80, 10, 8, 20, 20, 18, 18])
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
    values = [[k, v if isinstance(v, (int, float)) or v is None else str(v)] for k, v in params]
    sheet(ws, ["paramètre", "valeur"], values, [30, 80])
    wb.save(path)


def reference_script_data(data: dict) -> str:
    return (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# -------------------------------------------------------------------------------------------------------------


def parts(path: Path) -> dict[str, bytes]:
    """The workbook's XML parts; openpyxl stamps `modified` with the time of saving: left out."""
    with zipfile.ZipFile(path) as z:
        found = {name: z.read(name) for name in z.namelist()}
    found["docProps/core.xml"] = re.sub(rb"<dcterms:modified[^>]*>[^<]*<", b"<", found["docProps/core.xml"])
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Rows of a batch of generated towns (and one unreadable), with the catalogue's rule sets and rules."""
    base = tmp_path_factory.mktemp("generes")
    synthetic.generate(8, base / "lot", templates=SAMPLES, documents=False)
    (base / "lot" / "casse").mkdir()
    (base / "lot" / "casse" / "dossier.yaml").write_text("id: [\n", encoding="utf-8")
    settings, catalogue = make_settings(DAY, None, None)
    outcome = batch.run_batch([base / "lot"], base / "out", settings, runner=batch.local_runner(1), cache=None)
    rulesets, rules = synthesis_catalogue(catalogue, None)
    return outcome.rows, rulesets, rules


@pytest.mark.parametrize("case", ["hand", "generated", "empty"])
def test_the_files_are_those_the_code_before_wrote(case, generated, tmp_path):
    rows, rulesets, rules = {"hand": (ROWS, RULESETS, RULES), "generated": generated, "empty": ([], RULESETS, RULES)}[
        case
    ]
    assert case != "generated" or (isinstance(rows, Rows) and len(rows) == 9 and rows[-1]["etat"] == "erreur")
    plain = list(rows)
    codes = [rs["code"] for rs in rulesets]
    table = [flat(row, codes) for row in plain]
    write_outputs(tmp_path / "new", rows, rulesets, rules, META)
    reference_csv(tmp_path / "old.csv", table, codes)
    reference_xlsx(tmp_path / "old.xlsx", table, codes, rule_stats(plain, rulesets, rules), rulesets, META)
    assert (tmp_path / "new" / "synthese.csv").read_bytes() == (tmp_path / "old.csv").read_bytes()
    new, old = parts(tmp_path / "new" / "synthese.xlsx"), parts(tmp_path / "old.xlsx")
    assert list(new) == list(old) and "xl/worksheets/sheet3.xml" in new
    for name in old:
        assert new[name] == old[name], name
    page = (tmp_path / "new" / "tableau-de-bord.html").read_text(encoding="utf-8")
    assert page == render_dashboard(plain, rulesets, rules, META)  # from compact rows or dicts, the same page


def test_the_dashboard_data_written_a_row_at_a_time_is_the_same_text():
    data = {"top": 15, "verdicts": [["recevable", "Recevable <b>"]], "texte": [0, 2, 8]}
    lignes = [["84", "01", 0, [3, 7], [None, 2, None, [0, 1, 0]]], ["_", "_", 5, [], ["a\u2028</script>", None]]]
    assert str(_json_script(data, lignes)) == reference_script_data({**data, "lignes": lignes})
    assert str(_json_script(data)) == reference_script_data({**data, "lignes": []})


def towns(n: int) -> Rows:
    """n rows made of the hand-made ones, each with texts of its own (as real towns have)."""
    made = []
    for i in range(n):
        row = json.loads(json.dumps(ROWS[i % len(ROWS)]))
        row.update(dossier=f"lot/{i:05d}-{row['dossier']}", commune=f"{row['commune']} {i}")
        for blocking in row["premiers_bloquants"]:
            blocking["message"] += f" (commune {i})"
        made.append(row)
    return Rows(map(Rows.encode, made))


def traced_peak(write) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_writing_the_synthesis_does_not_grow_with_the_towns(tmp_path):
    write_outputs(tmp_path / "warm", towns(5), RULESETS, RULES, META)  # openpyxl and the template loaded
    small, large = towns(50), towns(500)
    peak_small = traced_peak(lambda: write_outputs(tmp_path / "50", small, RULESETS, RULES, META))
    peak_large = traced_peak(lambda: write_outputs(tmp_path / "500", large, RULESETS, RULES, META))
    # with every row's cells in memory (openpyxl's ordinary Workbook, the whole page as one string): ×7
    assert peak_large < 1.5 * peak_small, (peak_small, peak_large)
    with open(tmp_path / "500" / "synthese.csv", encoding="utf-8-sig", newline="") as f:
        assert sum(1 for _ in csv.reader(f, delimiter=";")) == 501


def test_the_rows_are_kept_compact():
    rows = towns(300)
    plain = [json.loads(json.dumps(row)) for row in rows]
    assert len(rows) == 300 and rows[7] == plain[7] and rows[-2:] == plain[-2:] and list(rows) == plain
    gc.collect()
    tracemalloc.start()
    try:
        as_dicts = [json.loads(json.dumps(row)) for row in plain]
        dicts_size = tracemalloc.get_traced_memory()[0]
        compact = Rows(map(Rows.encode, as_dicts))
        del as_dicts
        gc.collect()
        compact_size = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(compact) == 300 and compact_size < 0.4 * dicts_size, (compact_size, dicts_size)


def test_the_batch_s_own_process_does_not_load_the_checking_code(tmp_path):
    """On Dask, `acv batch` only sends the towns and writes the synthesis: the engine, the reports, the pieces'
    loading are the workers'; the dossier model (pydantic) too, once the catalogue is compiled on disk (compiling
    it checks the rules against the model). ~12 MiB of the client's memory."""
    probe = (
        "import sys, datetime\n"
        "import instruct.cli.main\n"
        "from instruct.batch import outputs, progress, run, settings, store\n"
        "from instruct.batch.tasks import discover, make_tasks\n"
        f"settings.make_settings(datetime.date(2026, 11, 26), None, {str(SAMPLES / 'referentiel')!r})\n"
        f"make_tasks(discover([{str(SAMPLES)!r}]))\n"
        "heavy = ['instruct.batch.worker', 'instruct.engine.check', 'instruct.documents.load',\n"
        "         'instruct.reports.html', 'openpyxl', 'instruct.model.dossier', 'pydantic_core']\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "ACV_CACHE": str(tmp_path / "cache")}

    def loaded() -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert loaded() in ("", "instruct.model.dossier pydantic_core")  # the catalogue compiled: the rules checked
    assert loaded() == ""  # the catalogue read from disk
