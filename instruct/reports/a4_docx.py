"""An a4.Document as DOCX with python-docx: A4 (21 × 29,7 cm), 2 cm margins, the running header and a footer
« page n / N » made of Word fields (PAGE, NUMPAGES: Word and LibreOffice compute them when they lay the pages out),
French as the text's language, and tables whose widths are written where both Word and LibreOffice read them: the
table's fixed layout and width, its grid (w:tblGrid) and every cell (w:tcW)."""

from __future__ import annotations

from io import BytesIO

from instruct.reports import a4

FONT = "Arial"  # on every Word; LibreOffice uses its metric twin Liberation Sans
TWIPS_PER_POINT = 20


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (« PAGE », « NUMPAGES ») as its five runs: begin, instruction, separate, shown value, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _styles(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(a4.BODY_SIZE)
    normal.paragraph_format.space_after = Pt(2.5)
    properties = normal.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "fr-FR")
    properties.append(language)
    for name, size in (("Title", 16), ("Heading 1", 13), ("Heading 2", 10.5)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.color.rgb = RGBColor(0x00, 0x00, 0x91) if name != "Title" else RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True


def _page(document, header: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    section = document.sections[0]
    section.page_width, section.page_height = Cm(a4.PAGE_WIDTH_CM), Cm(a4.PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(a4.MARGIN_CM))
    section.header_distance = section.footer_distance = Cm(1)
    top = section.header.paragraphs[0]
    run = top.add_run(a4.typography(header))
    run.font.size, run.font.color.rgb = Pt(a4.SMALL_SIZE), RGBColor(0x55, 0x55, 0x55)
    bottom = section.footer.paragraphs[0]
    bottom.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    bottom.add_run("page ")
    _field(bottom, "PAGE", "1")
    bottom.add_run(" / ")
    _field(bottom, "NUMPAGES", "1")
    for run in bottom.runs:
        run.font.size = Pt(a4.SMALL_SIZE)


def _write(paragraph, parts: tuple[a4.Run, ...], size: float | None = None) -> None:
    from docx.shared import Pt

    for part in parts:
        run = paragraph.add_run(a4.typography(part.text))
        run.bold, run.italic = part.bold or None, part.italic or None
        if size:
            run.font.size = Pt(size)


def _table(document, block: a4.Table, style) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    widths = [round(w * TWIPS_PER_POINT) for w in a4.column_widths(block.header, block.rows, size=block.size)]
    if block.caption:
        caption = document.add_paragraph()
        _write(caption, a4.runs(block.caption), a4.SMALL_SIZE)
        caption.paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    grid.style = style
    grid.autofit = False  # w:tblLayout fixed: the widths below, not the text's
    total = grid._tbl.tblPr.find(qn("w:tblW"))  # python-docx writes one (auto): set in place, in schema order
    total.set(qn("w:w"), str(sum(widths)))
    total.set(qn("w:type"), "dxa")
    for column, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        column.set(qn("w:w"), str(width))
    header_row = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row again on every page the table runs over
    header_row.append(repeat)
    for index, texts in enumerate([block.header, *block.rows]):
        for cell, text, width in zip(grid.rows[index].cells, texts, widths):
            cell.width = width * 635  # EMU per twip
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            for number, line in enumerate(text.split("\n")):
                if number:
                    paragraph = cell.add_paragraph()
                    paragraph.paragraph_format.space_after = Pt(0)
                _write(paragraph, (a4.Run(line, bold=index == 0),), block.size)


def render(document: a4.Document) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    out = Document()
    _styles(out)
    named = ("Title", "Heading 1", "Heading 2", "List Bullet", "Table Grid")
    styles = {name: out.styles[name] for name in named}  # looked up once: a lookup by name reads every style
    _page(out, document.header)
    out.core_properties.title = document.title
    out.core_properties.author = document.author or document.partner
    out.core_properties.language = "fr-FR"
    top = out.add_paragraph()
    if document.logo is not None:
        top.add_run().add_picture(str(document.logo), width=Cm(3.5))
        top = out.add_paragraph()
    _write(top, (a4.Run(document.partner, bold=True),), 12)
    out.add_paragraph(a4.typography(document.title), style=styles["Title"])
    if document.subtitle:
        _write(out.add_paragraph(), a4.runs(document.subtitle), 11)
    for block in document.blocks:
        if isinstance(block, a4.Heading):
            out.add_paragraph(a4.typography(block.text), style=styles[f"Heading {min(block.level, 2)}"])
        elif isinstance(block, a4.Paragraph):
            paragraph = out.add_paragraph()
            _write(paragraph, block.runs, a4.SMALL_SIZE if block.small else None)
            if block.keep_with_next:
                paragraph.paragraph_format.keep_with_next = True
                paragraph.paragraph_format.space_before = Pt(3)
        elif isinstance(block, a4.Bullets):
            for item in block.items:
                paragraph = out.add_paragraph(style=styles["List Bullet"])
                paragraph.paragraph_format.space_after = Pt(2)
                _write(paragraph, item, a4.SMALL_SIZE if block.small else None)
        else:
            _table(out, block, styles["Table Grid"])
            out.add_paragraph().paragraph_format.space_after = Pt(2)
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()
