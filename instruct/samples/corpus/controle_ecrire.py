"""Writes a control piece's blocks as DOCX (python-docx) or PDF (reportlab platypus), both
byte-for-byte deterministic. Blocks: ("titre", t) ("h1", t) ("h2", t) ("p", t) ("pc", t) ("pb", t)
("table", rows, opts) ("sig", cells, ncols) ("saut",)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from instruct.samples.corpus.controle_model import Piece
from instruct.samples.corpus.truth import FICTIF

FIXE = dt.datetime(2025, 6, 2, 9, 0, 0)


# --- DOCX -------------------------------------------------------------------------------------------


def _champ_page(paragraph) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    texte = OxmlElement("w:t")
    texte.text = "1"
    run.append(texte)
    fld.append(run)
    paragraph._p.append(fld)


def _para(doc, texte: str, gras: bool = False, centre: bool = False, taille: int | None = None):
    p = doc.add_paragraph()
    run = p.add_run(texte)
    run.bold = gras
    if taille:
        run.font.size = Pt(taille)
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _cellule(cell, texte: str, gras: bool = False) -> None:
    lignes = texte.split("\n")
    cell.paragraphs[0].add_run(lignes[0]).bold = gras
    for ligne in lignes[1:]:
        cell.add_paragraph().add_run(ligne).bold = gras


def _docx_table(doc, rows: list[list[str]], opts: dict) -> None:
    ncols = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=ncols)
    if opts.get("ruled", True):
        table.style = "Table Grid"
    gras = set(opts.get("gras", ())) | ({0} if opts.get("head", True) else set())
    for i, row in enumerate(rows):
        cells = table.rows[i].cells
        if len(row) == 1:  # an axis row across the table
            merged = cells[0].merge(cells[-1])
            _cellule(merged, row[0], gras=True)
            continue
        for j, texte in enumerate(row):
            _cellule(cells[j], texte, gras=i in gras)


def ecrire_docx(piece: Piece, path: Path) -> None:
    doc = Document()
    cp = doc.core_properties
    cp.title = piece.fichier.rsplit(".", 1)[0]
    cp.subject = FICTIF
    cp.comments = FICTIF
    cp.keywords = "Action Cœur de Ville; " + FICTIF
    cp.author = "Secrétariat général (fictif)"
    cp.last_modified_by = "Secrétariat général (fictif)"
    cp.created = FIXE
    cp.modified = FIXE
    cp.revision = 1
    section = doc.sections[0]
    if piece.entete:
        section.header.paragraphs[0].text = piece.entete
    pied = section.footer.paragraphs[0]
    pied.add_run(FICTIF + " — page ")
    _champ_page(pied)
    for bloc in piece.blocs:
        kind = bloc[0]
        if kind == "titre":
            _para(doc, bloc[1], gras=True, centre=True, taille=15)
        elif kind in ("h1", "h2"):
            if piece.titres_styles:
                doc.add_heading(bloc[1], level=1 if kind == "h1" else 2)
            else:
                _para(doc, bloc[1], gras=True, taille=12 if kind == "h1" else None)
        elif kind == "p":
            _para(doc, bloc[1])
        elif kind == "pc":
            _para(doc, bloc[1], centre=True)
        elif kind == "pb":
            _para(doc, bloc[1], gras=True)
        elif kind == "table":
            _docx_table(doc, bloc[1], bloc[2])
            doc.add_paragraph()
        elif kind == "sig":
            cells, ncols = bloc[1], bloc[2]
            nrows = (len(cells) + ncols - 1) // ncols
            table = doc.add_table(rows=nrows, cols=ncols)
            for k, texte in enumerate(cells):
                _cellule(table.rows[k // ncols].cells[k % ncols], texte)
        elif kind == "saut":
            doc.add_page_break()
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(zip_fixe(buf.getvalue()))


def zip_fixe(data: bytes) -> bytes:
    """The same archive with fixed timestamps: python-docx stamps the current time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 6, 2, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------------


def _styles(police: str) -> dict[str, ParagraphStyle]:
    gras = police + "-Bold" if police != "Times-Roman" else "Times-Bold"
    base = ParagraphStyle("p", fontName=police, fontSize=10, leading=13.5, alignment=TA_JUSTIFY, spaceAfter=5)
    return {
        "p": base,
        "pc": ParagraphStyle("pc", parent=base, alignment=TA_CENTER),
        "pb": ParagraphStyle("pb", parent=base, fontName=gras),
        "titre": ParagraphStyle("t", parent=base, fontName=gras, fontSize=14, leading=18, alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=base, fontName=gras, fontSize=11.5, leading=15, spaceBefore=9),
        "h2": ParagraphStyle("h2", parent=base, fontName=gras, fontSize=10, spaceBefore=5),
        "cell": ParagraphStyle("c", parent=base, fontSize=8.5, leading=10.5, alignment=0, spaceAfter=0),
        "cellb": ParagraphStyle("cb", parent=base, fontName=gras, fontSize=8.5, leading=10.5, alignment=0),
    }


def _p(texte: str, style) -> Paragraph:
    return Paragraph(escape(texte).replace("\n", "<br/>"), style)


def _pdf_table(rows: list[list[str]], opts: dict, st: dict) -> Table:
    ncols = max(len(r) for r in rows)
    gras = set(opts.get("gras", ())) | ({0} if opts.get("head", True) else set())
    data, commandes = [], [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for i, row in enumerate(rows):
        if len(row) == 1:
            data.append([_p(row[0], st["cellb"])] + [""] * (ncols - 1))
            commandes.append(("SPAN", (0, i), (-1, i)))
            commandes.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#e8e8e8")))
            continue
        data.append([_p(t, st["cellb"] if i in gras else st["cell"]) for t in row])
    if opts.get("ruled", True):
        commandes.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    else:
        commandes.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black))
    largeur = 16.5 * cm
    widths = [largeur * w for w in opts.get("largeurs", [1 / ncols] * ncols)]
    table = Table(data, colWidths=widths, repeatRows=1 if opts.get("head", True) else 0)
    table.setStyle(TableStyle(commandes))
    return table


def ecrire_pdf(piece: Piece, path: Path, encrypt=None) -> None:
    st = _styles(piece.police)

    def habillage(canvas, doc):
        canvas.saveState()
        canvas.setFont(piece.police, 8)
        if piece.entete:
            canvas.drawString(2 * cm, A4[1] - 1.3 * cm, piece.entete)
            canvas.line(2 * cm, A4[1] - 1.45 * cm, A4[0] - 2 * cm, A4[1] - 1.45 * cm)
        canvas.drawString(2 * cm, 1.2 * cm, FICTIF)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2 * cm,
        title=piece.fichier.rsplit(".", 1)[0],
        author="Secrétariat général (fictif)",
        subject=FICTIF,
        creator="controle",
        invariant=1,
        encrypt=encrypt,
    )
    story = []
    for bloc in piece.blocs:
        kind = bloc[0]
        if kind in st:
            story.append(_p(bloc[1], st[kind]))
        elif kind == "table":
            story += [_pdf_table(bloc[1], bloc[2], st), Spacer(1, 8)]
        elif kind == "sig":
            cells, ncols = bloc[1], bloc[2]
            rows = [cells[i : i + ncols] for i in range(0, len(cells), ncols)]
            rows[-1] = rows[-1] + [""] * (ncols - len(rows[-1]))
            data = [[_p(t, st["cell"]) if t else "" for t in row] for row in rows]
            table = Table(data, colWidths=[16.5 * cm / ncols] * ncols)
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 18)]))
            story += [Spacer(1, 10), table]
        elif kind == "saut":
            story.append(PageBreak())
    doc.build(story, onFirstPage=habillage, onLaterPages=habillage)
