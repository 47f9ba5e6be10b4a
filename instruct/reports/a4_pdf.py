"""An a4.Document as PDF with reportlab's platypus: A4, 2 cm margins, the running header and « page n / N » drawn on
every page by a canvas that keeps its pages until the end (two passes: N is known when the pages are written)."""

from __future__ import annotations

from html import escape
from io import BytesIO

from instruct.reports import a4

GREY = (0.35, 0.35, 0.35)
RULE_BLUE = (0.0, 0.0, 0.57)  # the République's blue France, for the headings' rule


def _markup(parts: tuple[a4.Run, ...]) -> str:
    out = []
    for run in parts:
        text = escape(a4.printable(a4.typography(run.text)), quote=False).replace("\n", "<br/>")
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    f = a4.fonts()
    body = ParagraphStyle("corps", fontName=f.regular, fontSize=a4.BODY_SIZE, leading=12.5, spaceAfter=2.5)
    cell = ParagraphStyle("cellule", parent=body, fontSize=a4.TABLE_SIZE, leading=11, spaceAfter=0)
    small_cell = ParagraphStyle("petite_cellule", parent=cell, fontSize=a4.SMALL_SIZE, leading=10)
    return {
        "body": body,
        "lead": ParagraphStyle("tete", parent=body, spaceBefore=3),
        "small": ParagraphStyle("petit", parent=body, fontSize=a4.SMALL_SIZE, leading=10.5, spaceAfter=2),
        "cell": cell,
        "head": ParagraphStyle("entete", parent=cell, fontName=f.bold),
        "small_cell": small_cell,
        "small_head": ParagraphStyle("petite_entete", parent=small_cell, fontName=f.bold),
        "bullet": ParagraphStyle("puce", parent=body, leftIndent=12, bulletIndent=2, spaceAfter=2),
        "small_bullet": ParagraphStyle(
            "petite_puce", parent=body, fontSize=a4.SMALL_SIZE, leading=10.5, leftIndent=12, bulletIndent=2
        ),
        "title": ParagraphStyle("titre", parent=body, fontName=f.bold, fontSize=16, leading=20, spaceAfter=4),
        "subtitle": ParagraphStyle("soustitre", parent=body, fontSize=11, leading=14, spaceAfter=10),
        "partner": ParagraphStyle("partenaire", parent=body, fontName=f.bold, fontSize=12, leading=15, spaceAfter=8),
        1: ParagraphStyle(
            "titre1", parent=body, fontName=f.bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=5
        ),
        2: ParagraphStyle(
            "titre2", parent=body, fontName=f.bold, fontSize=10.5, leading=13, spaceBefore=7, spaceAfter=3
        ),
    }


def _canvas_class(header: str):
    from reportlab.pdfgen import canvas

    f = a4.fonts()
    margin = a4.MARGIN_CM * a4.POINTS_PER_CM

    class NumberedCanvas(canvas.Canvas):
        """Keeps each page until save(), then draws « page n / N » and the header on every one."""

        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = kwargs.get("initialFontName") or f.regular  # no unembedded Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFillColorRGB(*GREY)
            self.setFont(f.regular, a4.SMALL_SIZE)
            self.drawString(margin, height - margin + 14, a4.printable(a4.typography(header)))
            self.setStrokeColorRGB(*GREY)
            self.setLineWidth(0.4)
            self.line(margin, height - margin + 10, width - margin, height - margin + 10)
            self.drawRightString(width - margin, margin - 24, f"page {number} / {total}")
            self.restoreState()

    return NumberedCanvas


def _table(block: a4.Table, styles):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    widths = a4.column_widths(block.header, block.rows, size=block.size)
    cell, head = (styles["small_cell"], styles["small_head"]) if block.small else (styles["cell"], styles["head"])
    data = [[Paragraph(_markup(a4.runs(h)), head) for h in block.header]]
    data += [[Paragraph(_markup(a4.runs(text)), cell) for text in row] for row in block.rows]
    flowable = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    flowable.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), a4.fonts().regular),  # the cells' own font (their text is Paragraphs)
                ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.55, 0.55, 0.55)),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.91, 0.91, 0.95)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), a4.CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), a4.CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return flowable


def render(document: a4.Document) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import CondPageBreak, Image, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    styles = _styles()
    story: list = []
    if document.logo is not None:
        logo = Image(str(document.logo))
        ratio = logo.imageHeight / logo.imageWidth if logo.imageWidth else 1
        logo.drawWidth, logo.drawHeight = 3.5 * cm, 3.5 * cm * ratio
        logo.hAlign = "LEFT"
        story += [logo, Spacer(1, 4)]
    story.append(Paragraph(_markup(a4.runs(document.partner)), styles["partner"]))
    story.append(Paragraph(_markup(a4.runs(document.title)), styles["title"]))
    if document.subtitle:
        story.append(Paragraph(_markup(a4.runs(document.subtitle)), styles["subtitle"]))
    for block in document.blocks:
        if isinstance(block, a4.Heading):
            # A heading never ends a page: a new page when less than 3 cm remain (not keepWithNext, which would carry
            # a long table whole to the next page).
            story.append(CondPageBreak(3 * cm))
            flowable = Paragraph(_markup(a4.runs(block.text)), styles[min(block.level, 2)])
        elif isinstance(block, a4.Paragraph):
            style = styles["lead" if block.keep_with_next else "small" if block.small else "body"]
            flowable = Paragraph(_markup(block.runs), style)
            flowable.keepWithNext = block.keep_with_next
        elif isinstance(block, a4.Bullets):
            style = styles["small_bullet" if block.small else "bullet"]
            flowable = ListFlowable(
                [ListItem(Paragraph(_markup(item), style), leftIndent=12) for item in block.items],
                bulletType="bullet",
                start="•",
                leftIndent=12,
                bulletFontSize=style.fontSize,
                bulletFontName=style.fontName,
            )
        else:
            if block.caption:
                caption = Paragraph(_markup(a4.runs(block.caption)), styles["small"])
                caption.keepWithNext = True
                story.append(caption)
            flowable = _table(block, styles)
        story.append(flowable)
    buffer = BytesIO()
    margin = a4.MARGIN_CM * cm
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=a4.printable(document.title),
        author=a4.printable(document.author or document.partner),
        lang="fr-FR",
    )
    template.build(story, canvasmaker=_canvas_class(document.header))
    return buffer.getvalue()
