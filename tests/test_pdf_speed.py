"""pdfplumber finds a page's tables on its rulings alone (its text left out: reading every
character was ~90 % of a PDF's time), and reads the page whole only when a cell may hold text
of its own: the tables, and the whole reading of the piece, stay those of a whole reading."""

from __future__ import annotations

import pdfplumber
import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from instruct.documents import read_pdf
from instruct.documents.pdf_layout import Fragment
from instruct.documents.read import read_piece
from tests.test_read_pdf import BODY, CELL, HEADER, PROSE, action_rows, table, write_story


def drawn_objects(page) -> dict:
    """The page's objects but its characters, as pdfplumber gives them."""
    return {kind: objects for kind, objects in page.objects.items() if kind != "char"}


def test_the_layout_without_text_has_every_ruling_of_the_whole_one(tmp_path):
    path = tmp_path / "regles.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(60, 800, "Texte avant le tableau")
    c.line(60, 780, 500, 780)  # a line
    c.rect(60, 600, 440, 150)  # a rectangle
    c.bezier(60, 500, 200, 560, 300, 440, 500, 500)  # a curve
    c.setLineWidth(2)
    c.setDash(3, 2)
    c.line(60, 420, 500, 420)
    c.beginForm("cadre")  # rulings inside a form XObject too
    c.rect(70, 300, 100, 50)
    c.drawString(75, 320, "dans le formulaire")
    c.endForm()
    c.doForm("cadre")
    c.drawString(60, 200, "Texte après")
    c.showPage()
    c.save()
    with pdfplumber.open(str(path)) as pdf:
        whole = drawn_objects(pdf.pages[0])
        page = pdf.pages[0]
        page.flush_cache()
        page._layout = read_pdf._rulings_layout(pdf, page)
        assert "char" not in page.objects
        assert drawn_objects(page) == whole
        assert {"line", "rect", "curve"} <= whole.keys()


@pytest.mark.parametrize("ruled", [True, False])
def test_tables_read_on_rulings_alone_are_those_of_a_whole_reading(tmp_path, ruled, monkeypatch):
    rows = [HEADER] + action_rows(30)
    rows[3][2] = ""  # an empty cell: no text near it, read without the page's text
    story = [Paragraph(PROSE, BODY)] * 3 + [table(rows, ruled)]
    path = write_story(tmp_path / "plan.pdf", story)
    wholes = []
    close = read_pdf._Plumber.close
    monkeypatch.setattr(read_pdf._Plumber, "close", lambda self: (wholes.append(self.whole), close(self))[1])
    fast = read_piece(path)
    assert fast.reader == ("pypdfium2+pdfplumber" if ruled else "pypdfium2")
    assert wholes == [0]  # no page read whole
    monkeypatch.setattr(read_pdf, "_own_text", lambda *_: True)  # every page read whole, as before
    whole = read_piece(path)
    assert wholes[1] == (2 if ruled else 0)
    assert fast == whole
    assert len(fast.tables) == 2 and fast.tables[0].rows[3].cells[2] == ""


def test_a_cell_with_text_near_it_that_pdfium_does_not_show_is_read_whole(tmp_path, monkeypatch):
    """A mention stamped on every page across the emptied cells of ruled tables, not where PDFium
    places a cell's text: the pages are read whole, and give what pdfplumber read there, as before."""
    rows = [HEADER] + action_rows(3)
    rows[2][1] = ""
    data = [[Paragraph(c, CELL) for c in row] for row in rows]
    grid = Table(data, colWidths=[40, 150, 100, 80, 80], hAlign="LEFT")
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))

    def running(c, page):
        c.setFont("Helvetica", 7)
        c.drawString(100, 530, "Mention portée sur chaque page")

    path = write_story(tmp_path / "mention.pdf", [grid, Paragraph(PROSE, BODY)] * 10, running)
    wholes = []
    close = read_pdf._Plumber.close
    monkeypatch.setattr(read_pdf._Plumber, "close", lambda self: (wholes.append(self.whole), close(self))[1])
    fast = read_piece(path)
    monkeypatch.setattr(read_pdf, "_own_text", lambda *_: True)
    assert read_piece(path) == fast
    assert wholes[0] >= 1  # the pages where the mention lies in a cell read whole


def test_own_text_only_when_pdfium_shows_nothing_in_the_cell_and_text_lies_near():
    height = 800.0
    box = (100.0, 100.0, 200.0, 120.0)  # from the page's top: y from 680 to 700
    inside = Fragment(110, 685, "Ville", 140, 10)
    near = Fragment(150, 675, "mention", 190, 8)  # below the cell, its top within reach
    far = Fragment(400, 300, "ailleurs", 450, 10)
    assert read_pdf._own_text(None, [], [near], height) is False  # no cell
    assert read_pdf._own_text(box, [inside], [inside, near], height) is False  # PDFium shows its text
    assert read_pdf._own_text(box, [], [far], height) is False  # nothing near: an empty cell
    assert read_pdf._own_text(box, [], [near], height) is True  # not shown, but near: read whole
    assert read_pdf._own_text(box, [], [inside], height) is True  # drawn there, not shown (a running line)
