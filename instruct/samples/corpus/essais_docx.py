"""The « essais » pieces as Word documents (python-docx): headings in Heading styles, in plain bold
paragraphs, or numbered by Word itself (numbering.xml: the number is not in the text); tables with
merged cells; a text box; running header and « Page n / N » footer. Two runs give the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

from instruct.samples.corpus.essais_model import Columns, Heading, PageBreak, Para, Piece, ScannedPage, Table, TextBox
from instruct.samples.corpus.truth import FICTIF
from instruct.samples.piece_docx import _fixed_zip
from instruct.samples.piece_text import write_file

FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
AUTHOR = "acv-instruct (corpus d'essais)"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ALIGN = {"left": 0, "center": 1, "right": 2, "justify": 3}

# Word's automatic numbering of the headings: lvlText of level 1 and 2, by form.
AUTO_FORMATS = {
    "article": ("Article %1 –", "decimal", "%1.%2"),
    "decimal": ("%1.", "decimal", "%1.%2."),
    "roman": ("%1.", "upperRoman", "%1.%2"),
    "titre": ("TITRE %1 -", "upperRoman", "Article %2"),
}


def _auto_numbering(doc, form: str) -> int:
    """An abstract numbering of two levels and its num; returns the numId the headings point to."""
    from docx.oxml import parse_xml

    first, fmt, second = AUTO_FORMATS[form]
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{first}"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{second}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="360" w:firstLine="0"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    nums = numbering.findall(f"{{{W}}}num")
    if nums:
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def _number(paragraph, num_id: int, level: int) -> None:
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _text_box(doc, text: str) -> None:
    """A VML text box anchored in its own paragraph: its text is not in a body paragraph."""
    from docx.oxml import parse_xml

    paragraph = doc.add_paragraph()
    pict = parse_xml(
        f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
        '<v:shape id="cadre1" type="#_x0000_t202" style="width:420pt;height:40pt">'
        f"<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox>"
        "</v:shape></w:pict></w:r>"
    )
    paragraph._p.append(pict)


def _field(run_parent, code: str) -> None:
    from docx.oxml import parse_xml

    for xml in (
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r xmlns:w="{W}"><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>',
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="separate"/></w:r>',
        f'<w:r xmlns:w="{W}"><w:t>1</w:t></w:r>',
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        run_parent._p.append(parse_xml(xml))


def _header_footer(doc, header: str, page_numbers: bool) -> None:
    section = doc.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if page_numbers:
        footer = section.footer.paragraphs[0]
        footer.alignment = 1
        footer.add_run("Page ")
        _field(footer, "PAGE")
        footer.add_run(" / ")
        _field(footer, "NUMPAGES")


def _table(doc, table: Table) -> None:
    ncol = max(len(r) for r in table.rows)
    out = doc.add_table(rows=len(table.rows), cols=ncol)
    if table.ruled:
        out.style = "Table Grid"
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            cell = out.cell(r, c)
            cell.text = text
            if r < table.header_rows or r in table.bold_rows:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    if table.widths:  # the clerk widened the columns as the PDF draws them
        from docx.shared import Pt

        out.autofit = False
        for column, width in zip(out.columns, table.widths):
            column.width = Pt(width)
        for row in out.rows:
            for cell, width in zip(row.cells, table.widths):
                cell.width = Pt(width)
    for r, first, last in table.spans:
        text = table.rows[r][first]
        merged = out.cell(r, first).merge(out.cell(r, last))
        merged.text = text
        for run in merged.paragraphs[0].runs:
            run.bold = True


def _columns(doc, columns: Columns) -> None:
    per_row = columns.per_row
    groups = [columns.blocks[i : i + per_row] for i in range(0, len(columns.blocks), per_row)]
    top = 1 if columns.grid else 0
    out = doc.add_table(rows=len(groups) + top, cols=per_row)
    if columns.grid:
        out.style = "Table Grid"
        head = out.cell(0, 0).merge(out.cell(0, per_row - 1))
        head.text = "Les signataires"
    for g, group in enumerate(groups):
        for c, lines in enumerate(group):
            cell = out.cell(g + top, c)
            cell.text = lines[0]
            cell.paragraphs[0].runs[0].bold = True
            for line in lines[1:]:
                cell.add_paragraph(line)
        if columns.grid and len(group) < per_row:  # the last signatory alone: its cell spans the row
            out.cell(g + top, len(group) - 1).merge(out.cell(g + top, per_row - 1))


def fingerprint(piece: Piece) -> str:
    """What the piece says and how it is drawn, hashed: kept in the keywords, which LibreOffice carries
    over, so that a LibreOffice output older than its recipe can be told."""
    text = repr((piece.name, piece.elements, sorted(piece.options.items())))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def render_docx(piece: Piece, path: Path) -> Path:
    from docx import Document
    from docx.shared import Pt

    opts = piece.options
    mode = opts.get("headings", "style")  # style, bold, auto
    doc = Document()
    doc.styles["Normal"].font.name = opts.get("font", "Calibri")
    doc.styles["Normal"].font.size = Pt(opts.get("size", 11))
    num_id = _auto_numbering(doc, opts.get("auto", "article")) if mode == "auto" else 0
    _header_footer(doc, opts.get("header", ""), opts.get("page_numbers", False))
    for el in piece.elements:
        if isinstance(el, Heading):
            if mode == "auto":
                p = doc.add_paragraph(el.text, style=f"Heading {el.level}")
                if el.number:
                    _number(p, num_id, el.level - 1)
            elif mode == "bold":
                p = doc.add_paragraph()
                run = p.add_run(f"{el.number} {el.text}".strip())
                run.bold = True
                run.font.size = Pt(12 if el.level == 1 else 11)
            else:
                doc.add_heading(f"{el.number} {el.text}".strip(), level=el.level)
        elif isinstance(el, Para):
            p = doc.add_paragraph(style="List Bullet" if el.bullet else None)
            if el.text:
                run = p.add_run(el.text)
                run.bold = el.bold
                if el.size:
                    run.font.size = Pt(el.size)
            p.alignment = ALIGN[el.align]
            if el.keep:
                p.paragraph_format.keep_with_next = True
        elif isinstance(el, Table):
            _table(doc, el)
        elif isinstance(el, Columns):
            _columns(doc, el)
        elif isinstance(el, TextBox):
            _text_box(doc, el.text)
        elif isinstance(el, PageBreak):
            doc.add_page_break()
        elif isinstance(el, ScannedPage):
            raise ValueError("a scanned page is drawn in PDF pieces only")
    props = doc.core_properties
    props.author = props.last_modified_by = AUTHOR
    props.title = piece.title
    props.subject = FICTIF
    props.comments = FICTIF
    props.keywords = f"Action Cœur de Ville ; essais ; empreinte {fingerprint(piece)}"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return write_file(path, _fixed_zip(buffer.getvalue()))
