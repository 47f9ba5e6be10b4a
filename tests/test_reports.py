"""The DOCX and HTML reports, opened and read back, not only written."""

import re
import subprocess
from html.parser import HTMLParser

from conftest import SAMPLES, acv_command
from docx import Document


def run(*args):
    return subprocess.run(acv_command() + list(args), capture_output=True, text=True, timeout=120)


def test_docx_report_has_title_verdicts_gaps_and_checked_points(tmp_path):
    out = tmp_path / "rapport.docx"
    done = run(
        "check",
        str(SAMPLES / "saint-aubin"),
        "--date",
        "2026-11-26",
        "--referentiel",
        str(SAMPLES / "referentiel"),
        "--format",
        "docx",
        "-o",
        str(out),
    )
    assert done.returncode == 1, done.stderr
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ")
    assert "Rapport d'instruction — Saint-Aubin-les-Forges" in text and "26/11/2026" in text
    verdicts, sources = document.tables[0], document.tables[-1]
    rows = {r.cells[0].text.split(" — ")[0]: r.cells[1].text for r in verdicts.rows[1:]}
    assert rows["PROG"] == "NON RECEVABLE" and rows["ORT"] == "RECEVABLE"
    assert "À traiter en premier" in text and "Faire signer la convention-cadre par l'Anah" in text
    assert [c.text for c in sources.rows[0].cells] == ["Règle", "Intitulé", "Source"]
    prog02 = next(r for r in sources.rows if r.cells[0].text == "PROG-02")
    assert "Guide du programme" in prog02.cells[2].text
    assert "points vérifiés et conformes" in text


def test_docx_needs_an_output_file():
    done = run("check", str(SAMPLES / "villebelle"), "--format", "docx")
    assert done.returncode == 2 and "-o rapport.docx" in done.stderr


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external, self.rows, self.filters = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"link", "img"} or (tag == "script" and attrs.get("src")):
            self.external.append(tag)
        if tag == "tr" and "data-rulesets" in attrs:
            self.rows.append((attrs["data-rulesets"], attrs["data-severity"]))
        if tag == "input":
            self.filters.append(attrs.get("data-ruleset") or attrs.get("data-severity"))


def test_html_report_is_self_contained_filterable_and_escaped(tmp_path):
    dossier = (SAMPLES / "saint-aubin" / "dossier.yaml").read_text(encoding="utf-8")
    hostile = tmp_path / "dossier.yaml"
    hostile.write_text(
        dossier.replace("intitule: Halle commerciale de la gare", 'intitule: "<script>alert(1)</script> Halle"'),
        encoding="utf-8",
    )
    done = run("check", str(tmp_path), "--date", "2026-11-26", "--format", "html")
    assert done.returncode == 1, done.stderr
    page = done.stdout
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parser = _Collect()
    parser.feed(page)
    assert parser.external == []  # no external asset
    assert {"PROG", "ANRU", "bloquant", "majeur"} <= set(parser.filters)
    gaps_part = page.split('id="ecarts"')[1].split("</table>")[0]
    assert "PROG-07" in gaps_part and "ANRU-02" in gaps_part
    assert page.index('id="ecarts"') < page.index('id="conformes"')  # gaps first
    # one over-financing seen by ANRU-03, X-03 and PROG-15 is one row, filtered by each of its rule sets
    assert re.search(r'<tr data-rulesets="ANRU X PROG" data-severity="bloquant">', page)
    assert ("ANRU X PROG", "bloquant") in parser.rows
