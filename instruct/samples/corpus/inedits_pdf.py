"""Writes a held-out piece as PDF with reportlab's platypus: a running header and a numbered
footer on every page, ruled or unruled tables (a table may run onto the next page without its
header), headings in bold body paragraphs, signature columns."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

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
from instruct.samples.corpus.inedits_scan import scan_page
from instruct.samples.corpus.truth import FICTIF


def _styles(serif: bool) -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = ("Times-Roman", "Times-Bold") if serif else ("Helvetica", "Helvetica-Bold")
    body = ParagraphStyle("c", fontName=regular, fontSize=10.5, leading=14, spaceAfter=6, alignment=TA_JUSTIFY)
    return {
        "title": ParagraphStyle("t", fontName=bold, fontSize=15, leading=19, alignment=TA_CENTER, spaceAfter=4),
        "h1": ParagraphStyle(
            "h1", fontName=bold, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4, keepWithNext=1
        ),
        "h2": ParagraphStyle(
            "h2", fontName=bold, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3, keepWithNext=1
        ),
        "body": body,
        "bold": ParagraphStyle("b", parent=body, fontName=bold),
        "center": ParagraphStyle("ce", parent=body, alignment=TA_CENTER),
        "italic": ParagraphStyle("i", parent=body, fontName="Times-Italic" if serif else "Helvetica-Oblique"),
        "cell": ParagraphStyle("ce", fontName=regular, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle("cb", fontName=bold, fontSize=8.5, leading=10.5),
        "sign": ParagraphStyle("s", fontName=regular, fontSize=10, leading=13),
    }


def _p(text: str, style):
    from reportlab.platypus import Paragraph

    return Paragraph("<br/>".join(escape(line) for line in text.split("\n")), style)


def _actions(element: ActionsTable, st: dict):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    columns = len(element.header[0])
    data = [[_p(c, st["cell_bold"]) for c in row] for row in element.header]
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for source in element.rows:
        n = len(data)
        if source.kind == "axe" and element.merge_axes:
            data.append([_p(source.cells[0], st["cell_bold"])] + [""] * (columns - 1))
            commands.append(("SPAN", (0, n), (-1, n)))
            commands.append(("BACKGROUND", (0, n), (-1, n), colors.HexColor("#ececec")))
        else:
            style = st["cell"] if source.kind == "action" else st["cell_bold"]
            data.append([_p(c, style) for c in source.cells])
    heads = len(element.header)
    if element.ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.6, colors.black))
    else:
        commands.append(("LINEBELOW", (0, heads - 1), (-1, heads - 1), 0.8, colors.black))
    width = 481.0
    widths = [width * w / sum(element.widths) for w in element.widths] if element.widths else None
    table = Table(data, colWidths=widths, repeatRows=heads if element.repeat_header else 0, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _scanned(element: Signatures) -> list:
    """The signature page as an image: a new page holding only the scan."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Image
    from reportlab.platypus import PageBreak as Break

    data = scan_page(element.lines(), seed=len(element.orgs))
    return [Break(), Image(io.BytesIO(data), width=17 * cm, height=17 * cm * 1169 / 827 * 0.9, kind="proportional")]


def _signatures(element: Signatures, st: dict) -> list:
    from reportlab.platypus import Spacer, Table, TableStyle

    if element.scanned:
        return _scanned(element)

    out = [_p(element.place_line, st["body"])]
    if element.date_line:
        out.append(_p(element.date_line, st["body"]))
    out.append(Spacer(1, 8))
    cols = max(element.columns, 1)
    rows = []
    for start in range(0, len(element.orgs), cols):
        cells = []
        for org in element.orgs[start : start + cols]:
            cells.append(_p("\n".join(element.cell(org)), st["sign"]))
        rows.append(cells + [""] * (cols - len(cells)))
    table = Table(rows, colWidths=[481.0 / cols] * cols, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 18)]))
    out.append(table)
    return out


def build_pdf(piece: Piece) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak as Break
    from reportlab.platypus import SimpleDocTemplate

    options = piece.options
    st = _styles(options.get("serif", False))
    story = []
    for element in piece.elements:
        if isinstance(element, Title):
            story += [_p(line, st["title"]) for line in element.lines]
        elif isinstance(element, Heading):
            lines = [f"{element.label} {element.text}".strip()] + ([element.wrap] if element.wrap else [])
            story += [_p(line, st["h1" if element.level == 1 else "h2"]) for line in lines]
        elif isinstance(element, Para):
            style = "bold" if element.bold else "center" if element.center else "italic" if element.italic else "body"
            story.append(_p(element.text, st[style]))
        elif isinstance(element, Parties):
            story += [_p(text, st["bold" if text.isupper() else "body"]) for text in element.paragraphs]
        elif isinstance(element, ActionsTable):
            story.append(_actions(element, st))
        elif isinstance(element, Signatures):
            story += _signatures(element, st)
        elif isinstance(element, PageBreak):
            story.append(Break())
    story.append(_p(MENTION, st["italic"]))

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if piece.running_header:
            canvas.drawString(2 * cm, A4[1] - 1.2 * cm, piece.running_header)
            canvas.line(2 * cm, A4[1] - 1.35 * cm, A4[0] - 2 * cm, A4[1] - 1.35 * cm)
        footer = piece.running_footer
        if piece.page_numbers:
            footer = f"{footer}    {doc.page}" if footer else f"- {doc.page} -"
        if footer:
            canvas.drawCentredString(A4[0] / 2, 1.1 * cm, footer)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2 * cm,
        title=options.get("title", piece.fichier),
        author=options.get("author", "Direction de l'aménagement"),
        subject=FICTIF,
        keywords=FICTIF,
        creator="Service urbanisme",
        invariant=1,
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def write_pdf(piece: Piece, folder: Path) -> Path:
    path = folder / piece.fichier
    path.write_bytes(build_pdf(piece))
    return path
