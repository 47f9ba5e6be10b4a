"""Writes a held-out piece as DOCX with python-docx: Heading styles or bold Normal paragraphs,
Word's automatic numbering (numbering.xml, the number absent from the text), tables of actions
with merged axis rows, a signature table, a running header and a page-numbered footer. The file is
made byte-stable (fixed core properties and zip dates)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
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

FIXED = dt.datetime(2019, 3, 4, 9, 30, 0)
ZIP_DATE = (2019, 3, 4, 9, 30, 0)

# Automatic numbering schemes: level texts (w:lvlText) and formats, level 0 then 1.
SCHEMES = {
    "article": [("Article %1 –", "decimal"), ("%1.%2", "decimal")],
    "ARTICLE": [("ARTICLE %1 :", "decimal"), ("%1.%2.", "decimal")],
    "ARTICLE_dash": [("ARTICLE %1 -", "decimal"), ("%1.%2", "decimal")],
    "decimal": [("%1.", "decimal"), ("%1.%2", "decimal")],
    "roman": [("%1.", "upperRoman"), ("%2)", "lowerLetter")],
    "titre": [("TITRE %1 -", "upperRoman"), ("Article %2 -", "decimal")],
}
CONTINUOUS = {"titre"}  # the articles go on counting across the titres
ABSTRACT_ID = 40
NUM_ID = 40


def _numbering(document, scheme: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    levels = "".join(
        f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + ('<w:lvlRestart w:val="0"/>' if n and scheme in CONTINUOUS else "")
        + f'<w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        for n, (text, fmt) in enumerate(SCHEMES[scheme])
    )
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ABSTRACT_ID}">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{ABSTRACT_ID}"/></w:num>')
    )


def _number(paragraph, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(
        0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/><w:numId w:val="{NUM_ID}"/></w:numPr>')
    )


def _field(paragraph, instruction: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.append(
        parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )


def _borders(cell, on: bool) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    value = "single" if on else "nil"
    sides = "".join(
        f'<w:{side} w:val="{value}" w:sz="4" w:color="808080"/>' for side in ("top", "left", "bottom", "right")
    )
    cell._tc.get_or_add_tcPr().append(parse_xml(f"<w:tcBorders {nsdecls('w')}>{sides}</w:tcBorders>"))


def _heading(document, element: Heading, options: dict) -> None:
    from docx.shared import Pt

    lines = [f"{element.label} {element.text}".strip() if not element.auto else element.text]
    if element.wrap:
        lines.append(element.wrap)
    for n, line in enumerate(lines):
        if element.bold_only:
            paragraph = document.add_paragraph()
            run = paragraph.add_run(line)
            run.bold = True
            run.font.size = Pt(12 if element.level == 1 else 11)
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_before = Pt(10 if n == 0 else 0)
        else:
            paragraph = document.add_paragraph(line, style=f"Heading {element.level}")
        if element.auto and n == 0:
            _number(paragraph, element.level)


def _table(document, element: ActionsTable, options: dict) -> None:
    from docx.shared import Pt

    columns = len(element.header[0])
    table = document.add_table(rows=0, cols=columns)
    if element.ruled:
        table.style = document.styles["Table Grid"]
    for cells in element.header:
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = ""
            lines = text.split("\n")
            paragraph = cell.paragraphs[0]
            for n, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.bold = True
                run.font.size = Pt(9)
                if n < len(lines) - 1:
                    run.add_break()
    for source in element.rows:
        row = table.add_row()
        if source.kind == "axe" and element.merge_axes:
            merged = row.cells[0].merge(row.cells[-1])
            run = merged.paragraphs[0].add_run(source.cells[0])
            run.bold = True
            run.font.size = Pt(9)
            continue
        for cell, text in zip(row.cells, source.cells, strict=True):
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(9)
            run.bold = source.kind != "action"


def _signatures(document, element: Signatures, options: dict) -> None:
    document.add_paragraph(element.place_line)
    if element.date_line:
        document.add_paragraph(element.date_line)
    if element.columns <= 1:
        for org in element.orgs:
            for line in element.cell(org):
                document.add_paragraph(line)
            document.add_paragraph("")
        return
    cols = element.columns
    if element.tabs:
        for start in range(0, len(element.orgs), cols):
            cells = [element.cell(org) for org in element.orgs[start : start + cols]]
            for n in range(max(len(c) for c in cells)):
                document.add_paragraph("\t\t".join(c[n] if n < len(c) else "" for c in cells).rstrip("\t"))
            document.add_paragraph("")
        return
    table = document.add_table(rows=0, cols=cols)
    for start in range(0, len(element.orgs), cols):
        row = table.add_row()
        for cell, org in zip(row.cells, element.orgs[start : start + cols], strict=False):
            if options.get("grid_borders"):
                _borders(cell, True)
            paragraph = cell.paragraphs[0]
            lines = element.cell(org)
            for n, line in enumerate(lines):
                run = paragraph.add_run(line)
                if n < len(lines) - 1:
                    run.add_break()


def build_docx(piece: Piece) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    options = piece.options
    if options.get("auto"):
        _numbering(document, options["auto"])
    normal = document.styles["Normal"]
    normal.font.name = options.get("font", "Calibri")
    normal.font.size = Pt(11)
    section = document.sections[0]
    if piece.running_header:
        section.header.paragraphs[0].text = piece.running_header
    if piece.page_numbers or piece.running_footer:
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if piece.running_footer:
            footer.add_run(piece.running_footer + " – ")
        if piece.page_numbers:
            footer.add_run("Page ")
            _field(footer, "PAGE")
            footer.add_run(" sur ")
            _field(footer, "NUMPAGES")
    for element in piece.elements:
        if isinstance(element, Title):
            for line in element.lines:
                paragraph = document.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(line)
                run.bold = True
                run.font.size = Pt(15)
        elif isinstance(element, Heading):
            _heading(document, element, options)
        elif isinstance(element, Para):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(element.text)
            run.bold, run.italic = element.bold, element.italic
            if element.center:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(element, Parties):
            for text in element.paragraphs:
                paragraph = document.add_paragraph()
                run = paragraph.add_run(text)
                run.bold = text.isupper()
        elif isinstance(element, ActionsTable):
            _table(document, element, options)
            document.add_paragraph("")
        elif isinstance(element, Signatures):
            _signatures(document, element, options)
        elif isinstance(element, PageBreak):
            document.add_page_break()
    document.add_paragraph(MENTION).runs[0].italic = True
    props = document.core_properties
    props.title = piece.options.get("title", piece.fichier)
    props.subject = FICTIF
    props.comments = FICTIF
    props.keywords = "Action Cœur de Ville; " + FICTIF
    props.author = options.get("author", "Service urbanisme")
    props.last_modified_by = props.author
    props.created = FIXED
    props.modified = FIXED
    props.revision = 3
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


def stable_zip(data: bytes) -> bytes:
    """The same archive with fixed member dates, so that regeneration gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def write_docx(piece: Piece, folder: Path) -> Path:
    path = folder / piece.fichier
    path.write_bytes(build_docx(piece))
    return path
