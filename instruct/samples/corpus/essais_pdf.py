"""The « essais » pieces as PDF (reportlab): ruled and unruled tables, a table continued on the
next page without its header, a running header and a « Page n / N » footer, words hyphenated at
line ends, signature blocks in columns, headings wrapped over two lines, a scanned page."""

from __future__ import annotations

import io
import random
from pathlib import Path
from xml.sax.saxutils import escape

from instruct.samples.corpus.essais_model import (
    Columns,
    Heading,
    PageBreak,
    Para,
    Piece,
    ScannedPage,
    Table,
    TextBox,
    hyphenate,
    scan_font,
)
from instruct.samples.corpus.truth import FICTIF
from instruct.samples.piece_text import write_file

AUTHOR = "acv-instruct (corpus d'essais)"
WIDTH = 481.0  # A4 less two margins of 2 cm


def _styles(opts: dict) -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    font = opts.get("font", "Helvetica")
    bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold"}[font]
    size = opts.get("size", 10)
    hyph = {"embeddedHyphenation": 1, "hyphenationLang": ""} if opts.get("hyphenate") else {}
    body = ParagraphStyle("corps", fontName=font, fontSize=size, leading=size * 1.35, spaceAfter=4, **hyph)
    narrow = opts.get("narrow_headings", 0)
    return {
        "body": body,
        "aligns": {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY},
        "h1": ParagraphStyle(
            "t1",
            fontName=bold,
            fontSize=size + 2.5,
            leading=size * 1.6,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
            rightIndent=narrow,
        ),
        "h2": ParagraphStyle(
            "t2",
            fontName=bold,
            fontSize=size + 0.5,
            leading=size * 1.4,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
            rightIndent=narrow,
        ),
        "cell": ParagraphStyle("cellule", fontName=font, fontSize=8, leading=9.8),
        "cell_bold": ParagraphStyle("cellule_g", fontName=bold, fontSize=8, leading=9.8),
        "sig": ParagraphStyle("signature", fontName=font, fontSize=size, leading=size * 1.4),
        "bold": bold,
    }


def _para(text: str, style, bold: bool = False, hyphens: bool = False):
    from reportlab.platypus import Paragraph

    text = hyphenate(text) if hyphens else text
    markup = escape(text).replace("\n", "<br/>")
    return Paragraph(f"<b>{markup}</b>" if bold else markup, style)


def _table(table: Table, st: dict):
    from reportlab.lib import colors
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    data = [
        [_para(c, st["cell_bold"] if (r < table.header_rows or r in table.bold_rows) else st["cell"]) for c in row]
        for r, row in enumerate(table.rows)
    ]
    out = RLTable(
        data, colWidths=table.widths, repeatRows=table.header_rows if table.repeat_header else 0, hAlign="LEFT"
    )
    style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if table.ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#606060")))
        style.append(("BACKGROUND", (0, 0), (-1, table.header_rows - 1), colors.HexColor("#e4e9f0")))
    else:
        style.append(("LINEBELOW", (0, table.header_rows - 1), (-1, table.header_rows - 1), 0.8, colors.black))
    for r, first, last in table.spans:
        style.append(("SPAN", (first, r), (last, r)))
    out.setStyle(TableStyle(style))
    return out


def _columns(blocks: list[list[str]], per_row: int, st: dict, grid: bool = False):
    from reportlab.lib import colors
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    rows = []
    for i in range(0, len(blocks), per_row):
        group = blocks[i : i + per_row]
        rows.append([_para("\n".join(b), st["sig"]) for b in group] + [""] * (per_row - len(group)))
        rows.append([""] * per_row)  # room to sign
    out = RLTable(rows, colWidths=[WIDTH / per_row] * per_row, hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 18)]
    if grid:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    out.setStyle(TableStyle(style))
    return out


def _scanned(lines: list[str], seed: str):
    """An image of a page of text, slightly tilted and grey: a scanned signature page."""
    from PIL import Image, ImageDraw
    from reportlab.platypus import Image as RLImage

    image = Image.new("L", (827, 1100), 244)
    draw = ImageDraw.Draw(image)
    font = scan_font(17)
    rng = random.Random(seed)
    y = 90
    for line in lines:
        draw.text((90, y), line, fill=40 + rng.randrange(30), font=font)
        if line and not line.startswith(("Fait", "À", "le ")) and rng.random() < 0.3:
            draw.line((300, y + 10, 420, y - 6), fill=60, width=2)  # a paraph
        y += 30
    for _ in range(1500):  # dust
        x, yy = rng.randrange(827), rng.randrange(1100)
        draw.point((x, yy), fill=rng.randrange(90, 200))
    image = image.rotate(0.6, fillcolor=244)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=55)
    buffer.seek(0)
    return RLImage(buffer, width=WIDTH, height=WIDTH * 1100 / 827)


def _canvas_maker(header: str, footer: str, font: str):
    """A canvas that writes the running header and « Page n / N » once the page count is known."""
    from reportlab.pdfgen.canvas import Canvas

    class Numbered(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 8)
                if header:
                    self.drawString(56.7, 815, header)
                    self.line(56.7, 811, 538.6, 811)
                if footer == "n/N":
                    self.drawCentredString(297.6, 30, f"Page {self._pageNumber} / {count}")
                elif footer == "n":
                    self.drawRightString(538.6, 30, str(self._pageNumber))
                super().showPage()
            super().save()

    return Numbered


def story_of(piece: Piece, st: dict) -> list:
    from reportlab.platypus import KeepTogether, Spacer
    from reportlab.platypus import PageBreak as RLPageBreak

    opts = piece.options
    hyphens = bool(opts.get("hyphenate"))
    story: list = []
    for el in piece.elements:
        if isinstance(el, Heading):
            story.append(_para(f"{el.number} {el.text}".strip(), st["h1" if el.level == 1 else "h2"]))
        elif isinstance(el, Para):
            if "\t" in el.text:  # several signatories on one line: drawn in columns
                cells = [c for c in el.text.split("\t") if c]
                story.append(_columns([[c] for c in cells], len(cells), st))
                continue
            style = st["body"].clone("p", alignment=st["aligns"][el.align])
            if el.size:
                style.fontSize, style.leading = el.size, el.size * 1.3
            story.append(
                _para(
                    ("• " if el.bullet else "") + el.text, style, el.bold, hyphens and el.align in ("left", "justify")
                )
                if el.text
                else Spacer(1, 6)
            )
        elif isinstance(el, Table):
            story.append(_table(el, st))
            story.append(Spacer(1, 6))
        elif isinstance(el, Columns):
            story.append(KeepTogether([_columns(el.blocks, el.per_row, st, el.grid)]))
        elif isinstance(el, TextBox):
            story.append(_columns([[el.text]], 1, st, grid=True))
        elif isinstance(el, PageBreak):
            story.append(RLPageBreak())
        elif isinstance(el, ScannedPage):
            story += [RLPageBreak(), _scanned(el.lines, piece.name)]
        else:  # a reportlab flowable (the drawing of a plan)
            story.append(el)
    return story


def render_pdf(piece: Piece, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    opts = piece.options
    st = _styles(opts)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2 * cm,
        title=piece.title,
        author=AUTHOR,
        subject=FICTIF,
        creator=AUTHOR,
        invariant=1,
    )
    maker = _canvas_maker(opts.get("header", ""), opts.get("footer", ""), opts.get("font", "Helvetica"))
    doc.build(story_of(piece, st), canvasmaker=maker)
    return write_file(path, buffer.getvalue())
