"""Writes a held-out piece line by line on a reportlab canvas, as a word processor's PDF export
looks to a text extractor: justified lines cut with a hyphen at the line end (« agglomé- /
ration »), a running header and « Page N/M » footer, tables drawn as unruled columns of text,
signatures in columns side by side."""

from __future__ import annotations

import io
from pathlib import Path

from instruct.samples.corpus.inedits_model import (
    MENTION,
    ActionsTable,
    Heading,
    PageBreak,
    Para,
    Parties,
    Piece,
    Signatures,
    Title,
)
from instruct.samples.corpus.truth import FICTIF

WIDTH, HEIGHT = 595.27, 841.89
LEFT, RIGHT, TOP, BOTTOM = 62.0, 62.0, 70.0, 64.0
TEXT_WIDTH = WIDTH - LEFT - RIGHT
VOWELS = set("aeiouyàâéèêëîïôûùü")


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def _cut(word: str, room: float, font: str, size: float) -> int:
    """Where to hyphenate `word` so that its head and a hyphen fit in `room`: a position between
    two lower-case letters, three at least on each side, before a consonant followed by a vowel
    (« agglomé-ration »); 0 when none fits."""
    best = 0
    if not word.split("'")[-1][:1].islower():
        return 0  # names and proper nouns are never cut
    for k in range(3, len(word) - 2):
        head, a, b = word[:k], word[k - 1], word[k]
        if not (a.isalpha() and a.islower() and b.isalpha() and b.islower() and word[k:].isalpha()):
            continue
        syllable = b not in VOWELS and k + 1 < len(word) and word[k + 1] in VOWELS
        if syllable and _width(head + "-", font, size) <= room:
            best = k
    return best


def wrap(text: str, font: str, size: float, width: float, hyphenate: bool) -> list[str]:
    lines: list[str] = []
    current = ""
    words = text.split(" ")
    while words:
        word = words.pop(0)
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font, size) <= width:
            current = candidate
            continue
        if hyphenate and current and len(word) >= 7:
            room = width - _width(current + " ", font, size)
            k = _cut(word, room, font, size)
            if k:
                lines.append(f"{current} {word[:k]}-")
                current = ""
                words.insert(0, word[k:])
                continue
        if current:
            lines.append(current)
        current = word
    if current:
        lines.append(current)
    return lines


class Layout:
    """Lines placed on pages: (page, x, y, font, size, text)."""

    def __init__(self, serif: bool) -> None:
        self.regular, self.bold = ("Times-Roman", "Times-Bold") if serif else ("Helvetica", "Helvetica-Bold")
        self.items: list[list[tuple]] = [[]]
        self.y = HEIGHT - TOP

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.new_page()

    def new_page(self) -> None:
        self.items.append([])
        self.y = HEIGHT - TOP

    def line(self, text: str, font: str, size: float, x: float = LEFT, lead: float = 0.0, center: bool = False):
        lead = lead or size * 1.35
        self.need(lead)
        self.y -= lead
        if center:
            x = (WIDTH - _width(text, font, size)) / 2
        self.items[-1].append((x, self.y, font, size, text))

    def paragraph(self, text: str, font: str, size: float, hyphenate: bool, after: float = 5.0, **kw) -> None:
        for line in wrap(text, font, size, TEXT_WIDTH, hyphenate):
            self.line(line, font, size, **kw)
        self.y -= after

    def columns(self, cells: list[list[str]], xs: list[float], widths: list[float], font: str, size: float) -> None:
        """One row of columns: each cell's lines wrapped in its column, the row kept on one page."""
        wrapped = [
            [w for line in cell for w in wrap(line, font, size, width - 6, False) or [""]]
            for cell, width in zip(cells, widths, strict=True)
        ]
        height = max(len(c) for c in wrapped) * size * 1.3 + 4
        self.need(height)
        top = self.y
        for column, x in zip(wrapped, xs, strict=True):
            for n, text in enumerate(column):
                self.items[-1].append((x, top - (n + 1) * size * 1.3, font, size, text))
        self.y = top - height


def _lay(piece: Piece) -> Layout:
    options = piece.options
    layout = Layout(options.get("serif", True))
    hyphenate = options.get("hyphenate", True)
    body = options.get("size", 11.5)
    for element in piece.elements:
        if isinstance(element, Title):
            for line in element.lines:
                layout.line(line, layout.bold, 14, center=True, lead=19)
            layout.y -= 12
        elif isinstance(element, Heading):
            layout.need(60)
            layout.y -= 6
            lines = [f"{element.label} {element.text}".strip()] + ([element.wrap] if element.wrap else [])
            for line in lines:
                layout.line(line, layout.bold, 11 if element.level == 1 else 10.5)
            layout.y -= 3
        elif isinstance(element, Para):
            font = layout.bold if element.bold else layout.regular
            layout.paragraph(element.text, font, body, hyphenate and not element.center, center=element.center)
        elif isinstance(element, Parties):
            for text in element.paragraphs:
                font = layout.bold if text.isupper() else layout.regular
                layout.paragraph(text, font, body, hyphenate)
        elif isinstance(element, ActionsTable):
            _table(layout, element)
        elif isinstance(element, Signatures):
            _signatures(layout, element)
        elif isinstance(element, PageBreak):
            layout.new_page()
    layout.paragraph(MENTION, layout.regular, 9, False)
    return layout


def _table(layout: Layout, element: ActionsTable) -> None:
    widths = [TEXT_WIDTH * w / sum(element.widths) for w in element.widths]
    xs = [LEFT + sum(widths[:n]) for n in range(len(widths))]
    layout.need(40)
    for row in element.header:
        layout.columns([cell.split("\n") for cell in row], xs, widths, layout.bold, 8.5)
    for source in element.rows:
        font = layout.regular if source.kind == "action" else layout.bold
        if source.kind == "axe" and element.merge_axes:
            layout.columns([[source.cells[0]]], [LEFT], [TEXT_WIDTH], font, 8.5)
        else:
            layout.columns([[c] for c in source.cells], xs, widths, font, 8.5)
    layout.y -= 8


def _signatures(layout: Layout, element: Signatures) -> None:
    layout.need(120)
    layout.paragraph(element.place_line, layout.regular, 10.5, False, after=0)
    if element.date_line:
        layout.paragraph(element.date_line, layout.regular, 10.5, False, after=0)
    layout.y -= 12
    cols = max(element.columns, 1)
    widths = [TEXT_WIDTH / cols] * cols
    xs = [LEFT + n * widths[0] for n in range(cols)]
    for start in range(0, len(element.orgs), cols):
        group = element.orgs[start : start + cols]
        cells = []
        for org in group:
            cells.append(element.cell(org))
        layout.columns(cells, xs[: len(group)], widths[: len(group)], layout.regular, 10)
        layout.y -= 14


def build_canvas_pdf(piece: Piece) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    layout = _lay(piece)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT), invariant=1)
    canvas.setTitle(piece.options.get("title", piece.fichier))
    canvas.setAuthor(piece.options.get("author", "Mairie"))
    canvas.setSubject(FICTIF)
    canvas.setKeywords(FICTIF)
    total = len(layout.items)
    for number, items in enumerate(layout.items, start=1):
        canvas.setFont("Helvetica", 8)
        if piece.running_header:
            canvas.drawRightString(WIDTH - RIGHT, HEIGHT - 40, piece.running_header)
        if piece.page_numbers:
            footer = f"Page {number}/{total}"
            if piece.running_footer:
                footer = f"{piece.running_footer} – {footer}"
            canvas.drawCentredString(WIDTH / 2, 36, footer)
        for x, y, font, size, text in items:
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write_canvas_pdf(piece: Piece, folder: Path) -> Path:
    path = folder / piece.fichier
    path.write_bytes(build_canvas_pdf(piece))
    return path
