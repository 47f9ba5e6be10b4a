"""The documents a partner signs: saint-aubin's gap report (date 2026-11-26, samples/referentiel) as DOCX and PDF,
read back with python-docx and poppler (pdfinfo, pdftotext, pdftoppm): A4, 2 cm margins, a running header and
« page n / N » on every page, columns fitted to their content with no word broken, at most half the 17 pages the
old DOCX took, every rule id with a gap still there, French typography, the partner's logo when one is configured.

ACV_SCREENSHOTS=<folder> keeps the PNG of each page (pdftoppm -r 50) for review."""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES
from docx import Document
from docx.oxml.ns import qn

from instruct.engine.check import check_path
from instruct.model.report import GAPS
from instruct.referentiel.registry import load_referentiel
from instruct.reports import a4, a4_report, docx, pdf
from instruct.rules.catalogue import load_catalogue
from instruct.vocabulary import VERDICT_LIBELLES

OLD_PAGES = 17  # the DOCX before the A4 layer, measured on saint-aubin
HEADER = "dossier saint-aubin-2020 — Saint-Aubin-les-Forges — 26/11/2026"


@pytest.fixture(scope="module")
def report():
    return check_path(
        SAMPLES / "saint-aubin",
        load_catalogue(None),
        dt.date(2026, 11, 26),
        referentiel=load_referentiel(SAMPLES / "referentiel"),
    )


@pytest.fixture(scope="module")
def rendered(report, tmp_path_factory):
    folder = tmp_path_factory.mktemp("a4")
    (folder / "rapport.pdf").write_bytes(pdf.render(report))
    (folder / "rapport.docx").write_bytes(docx.render(report))
    return folder


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def pdf_pages(path: Path, layout: bool = False) -> list[str]:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return plain(subprocess.run(args, capture_output=True, text=True, check=True).stdout).split("\f")[:-1]


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def docx_text(document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_pdf_is_a4_with_header_and_page_numbers_on_every_page(rendered):
    path = rendered / "rapport.pdf"
    total = page_count(path)
    sizes = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(total), "-box", str(path)], capture_output=True, text=True, check=True
    ).stdout
    boxes = re.findall(r"Page\s+\d+ MediaBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", sizes)
    assert len(boxes) == total and all(round(float(w)) == 595 and round(float(h)) == 842 for _, _, w, h in boxes)
    pages = pdf_pages(path)
    assert len(pages) == total
    for number, text in enumerate(pages, start=1):
        assert HEADER in text and f"page {number} / {total}" in text
    assert "page 1 / " in pages[0] and f"page {total} / {total}" in pages[-1]
    if a4.fonts().narrow_space:  # DejaVu found: every font embedded, none left for the reader's system to guess
        listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = listed.splitlines()[2:]
        assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), listed


def test_the_report_is_at_most_half_its_old_length_and_loses_no_gap(report, rendered):
    total = page_count(rendered / "rapport.pdf")
    print(f"saint-aubin : {total} pages en PDF (avant : {OLD_PAGES} en DOCX)")
    assert total <= OLD_PAGES // 2
    text = plain(" ".join(pdf_pages(rendered / "rapport.pdf")))
    words = plain(docx_text(Document(str(rendered / "rapport.docx"))))
    for rule in {f.rule for f in report.findings if f.status in GAPS}:
        assert re.search(rf"\b{re.escape(rule)}\b", text), rule
        assert re.search(rf"\b{re.escape(rule)}\b", words), rule
    order = ["Verdict par jeu de règles", "À traiter en premier", "Autres écarts", "Vérifié sans écart"]
    order.append("Annexe : règles citées")
    assert all(heading in text and heading in words for heading in order)
    assert [text.index(heading) for heading in order] == sorted(text.index(heading) for heading in order)
    assert "Cœur de Ville" in text and "€" in text  # « œ » and « € » drawn, and read back


def test_columns_fit_their_content_and_no_word_is_broken(report, rendered):
    lines = "\n".join(pdf_pages(rendered / "rapport.pdf", layout=True))
    tokens = set(re.findall(r"[A-ZÀ-Ü]{3,}", lines))
    shown = {w for r in report.rulesets.values() for w in VERDICT_LIBELLES[r.verdict].upper().split() if len(w) >= 6}
    assert {"RECEVABLE", "APPLICABLE", "CORRIGER"} <= shown  # the verdicts' longest words, in the table
    for word in shown:
        assert word in tokens and not any(word.startswith(t) and t != word for t in tokens if len(t) >= 4), word
    document = Document(str(rendered / "rapport.docx"))
    verdicts = document.tables[0]
    grid = [int(c.get(qn("w:w"))) for c in verdicts._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(set(grid)) > 1 and abs(sum(grid) - 9638) <= 3  # 17 cm in twips, not six equal inches
    layout = verdicts._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"
    for row in verdicts.rows:
        assert [c.width.twips for c in row.cells] == pytest.approx(grid, abs=1)
    assert grid[1] >= a4.text_width("RECEVABLE") * 20  # the verdict column holds its longest word


def test_column_widths_give_each_column_its_longest_word():
    header = ("Règle", "Verdict", "Constat")
    rows = (("PROG-02", "NON RECEVABLE", "une phrase assez longue " * 12), ("X-06", "RECEVABLE", "courte"))
    widths = a4.column_widths(header, rows)
    assert sum(widths) == pytest.approx(a4.TEXT_WIDTH)
    assert widths[1] >= a4.text_width("RECEVABLE") + 2 * a4.CELL_PADDING
    assert widths[0] >= a4.text_width("PROG-02") + 2 * a4.CELL_PADDING
    assert widths[2] > widths[1] > widths[0] * 0.5  # the long text gets the room
    alike = a4.column_widths(("Oui", "Non"), (("oui", "non"),))
    assert alike == pytest.approx([a4.TEXT_WIDTH / 2] * 2, rel=0.05)  # what fits on one line: the width shared


def test_the_docx_is_a4_with_margins_header_and_page_fields(rendered):
    document = Document(str(rendered / "rapport.docx"))
    section = document.sections[0]
    size = section._sectPr.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
    margins = section._sectPr.find(qn("w:pgMar"))
    assert {margins.get(qn(f"w:{side}")) for side in ("top", "bottom", "left", "right")} == {"1134"}
    assert plain(section.header.paragraphs[0].text) == HEADER
    footer = section.footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footer)
    assert "page " in section.footer.paragraphs[0].text and " / " in section.footer.paragraphs[0].text
    text = docx_text(document)
    assert "Commune\u00a0:" in text and "«\u00a0" in text  # no-break spaces of French typography
    assert not re.search(r"\w+\[\d+\]", text)  # no field path
    assert document.core_properties.language == "fr-FR"


def test_french_typography():
    assert a4.typography("Commune : X ; oui ? « non »") == "Commune\u00a0: X\u202f; oui\u202f? «\u00a0non\u00a0»"
    assert a4.typography("à 10:30, http://exemple.fr") == "à 10:30, http://exemple.fr"
    assert a4.long_date(dt.date(2026, 12, 2)) == "2\u00a0décembre\u00a02026"
    assert a4.long_date(dt.date(2027, 3, 1)).startswith("1er")


def test_every_page_renders_as_an_image(rendered, tmp_path):
    total = page_count(rendered / "rapport.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(rendered / "rapport.pdf"), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == total and all(p.stat().st_size > 2000 for p in images)
    keep = os.environ.get("ACV_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for image in images:
            shutil.copy(image, Path(keep) / f"rapport-saint-aubin-{image.name}")


def test_the_partner_is_named_and_its_logo_shown_when_configured(report, tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv(a4.LOGO_DIRECTORY, str(tmp_path))
    assert a4_report.build(report).logo is None  # no logo shipped: the name alone
    without = Document(io.BytesIO(docx.render(report)))
    assert len(without.inline_shapes) == 0 and "Programme Action Cœur de Ville" in without.paragraphs[0].text
    Image.new("RGB", (120, 60), (0, 0, 145)).save(tmp_path / "acv.png")
    assert a4_report.build(report).logo == tmp_path / "acv.png"
    assert len(Document(io.BytesIO(docx.render(report))).inline_shapes) == 1
    (tmp_path / "rapport.pdf").write_bytes(pdf.render(report))
    listed = subprocess.run(["pdfimages", "-list", str(tmp_path / "rapport.pdf")], capture_output=True, text=True)
    assert len(listed.stdout.strip().splitlines()) == 3  # two header lines, one image
    assert a4.logo_for("../etc") is None
