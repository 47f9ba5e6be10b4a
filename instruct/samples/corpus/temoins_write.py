"""Témoins: the writers. A Doc becomes a python-docx DOCX (Heading styles or bold-only headings,
a signature table) or a reportlab PDF (platypus paragraphs, ruled or unruled tables, a running
header and footer with page numbers, signature blocks in one or two columns). Both are
byte-for-byte deterministic."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from instruct.samples.corpus.temoins_model import Doc
from instruct.samples.corpus.truth import FICTIF

FIXE = dt.datetime(2020, 1, 15, 9, 0, 0)


def _zip_fixe(data: bytes) -> bytes:
    """python-docx stamps every zip entry with the current time: rewrite them with a fixed one."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 15, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_docx(doc: Doc, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    cp = d.core_properties
    cp.title = doc.title
    cp.subject = FICTIF
    cp.comments = FICTIF
    cp.keywords = "Action Cœur de Ville; " + FICTIF
    cp.author = "Service aménagement (fictif)"
    cp.last_modified_by = "Service aménagement (fictif)"
    cp.created = cp.modified = cp.last_printed = FIXE
    cp.revision = 1
    section = d.sections[0]
    if doc.header:
        section.header.paragraphs[0].text = doc.header
    if doc.footer:
        section.footer.paragraphs[0].text = doc.footer
    for block in doc.blocks:
        kind = block[0]
        if kind == "title":
            para = d.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(block[1])
            run.bold = True
            run.font.size = Pt(16)
        elif kind == "h":
            if doc.headings == "styles":
                d.add_heading(block[2], level=block[1])
            else:
                run = d.add_paragraph().add_run(block[2])
                run.bold = True
                if block[1] == 1:
                    run.font.size = Pt(13)
        elif kind == "p":
            d.add_paragraph(block[1])
        elif kind == "table":
            rows, opts = block[1], block[2]
            t = d.add_table(rows=len(rows), cols=len(rows[0]))
            if opts.get("ruled", True):
                t.style = "Table Grid"
            for i, row in enumerate(rows):
                for j, text in enumerate(row):
                    cell = t.cell(i, j)
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(text)
                    run.bold = i == 0 or text == "TOTAL" or (j == 0 and not any(row[1:]))
        elif kind == "sig":
            cols, blocs = block[1], block[2]
            if cols == 1:
                for lignes in blocs:
                    for ligne in lignes:
                        d.add_paragraph(ligne)
                    d.add_paragraph("")
            else:
                nrows = (len(blocs) + cols - 1) // cols
                t = d.add_table(rows=nrows, cols=cols)
                for k, lignes in enumerate(blocs):
                    cell = t.cell(k // cols, k % cols)
                    cell.text = "\n".join(lignes) + "\n\n\n"
        elif kind == "break":
            d.add_page_break()
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(_zip_fixe(buf.getvalue()))


def write_pdf(doc: Doc, path: Path, font: str = "Helvetica") -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold"}[font]
    corps = ParagraphStyle("corps", fontName=font, fontSize=10.5, leading=14, alignment=TA_JUSTIFY, spaceAfter=6)
    cellule = ParagraphStyle("cellule", fontName=font, fontSize=9, leading=11)
    titre = ParagraphStyle("titre", fontName=bold, fontSize=15, leading=19, alignment=TA_CENTER, spaceAfter=10)
    niveaux = {
        1: ParagraphStyle("h1", fontName=bold, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=6),
        2: ParagraphStyle("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=6, spaceAfter=4),
    }

    def page(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 8)
        if doc.header:
            canvas.drawString(2 * cm, A4[1] - 1.2 * cm, doc.header)
        pied = (doc.footer + " – " if doc.footer else "") + f"Page {document.page}"
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, pied)
        canvas.restoreState()

    def para(text: str, style) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    flow = []
    for block in doc.blocks:
        kind = block[0]
        if kind == "title":
            flow.append(para(block[1], titre))
        elif kind == "h":
            flow.append(para(block[2], niveaux[block[1]]))
        elif kind == "p":
            flow.append(para(block[1], corps))
        elif kind == "table":
            rows, opts = block[1], block[2]
            data = [[para(c, cellule) for c in row] for row in rows]
            widths = opts.get("widths")
            t = Table(data, colWidths=[w * cm for w in widths] if widths else None, repeatRows=1)
            style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, 0), bold)]
            if opts.get("ruled", True):
                style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
                style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")))
            else:
                style.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black))
            t.setStyle(TableStyle(style))
            flow += [t, Spacer(1, 8)]
        elif kind == "sig":
            cols, blocs = block[1], block[2]
            if cols == 1:
                for lignes in blocs:
                    flow += [para("\n".join(lignes), corps), Spacer(1, 30)]
            else:
                cells = [para("\n".join(lignes) + "\n\n\n", corps) for lignes in blocs]
                cells += [""] * (-len(cells) % cols)
                grid = [cells[i : i + cols] for i in range(0, len(cells), cols)]
                flow.append(Table(grid, colWidths=[17 * cm / cols] * cols))
        elif kind == "break":
            flow.append(PageBreak())
    out = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        title=doc.title,
        subject=FICTIF,
        author="Service aménagement (fictif)",
        invariant=1,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    out.build(flow, onFirstPage=page, onLaterPages=page)
