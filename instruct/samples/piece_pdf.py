"""PDF writing with reportlab: the styles, tables and plan of the périmètres the avenant uses, and a
short text PDF (a note)."""

from __future__ import annotations

import io
import math
from pathlib import Path
from xml.sax.saxutils import escape

from instruct.model.dossier import Dossier, FicheAction
from instruct.samples.piece_text import AUTHOR, TABLE_HEADER, euros, table_row, write_file


def pdf_styles() -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("corps", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=5, alignment=TA_JUSTIFY)
    return {
        "title": ParagraphStyle(
            "titre", fontName="Helvetica-Bold", fontSize=14, leading=18, alignment=TA_CENTER, spaceAfter=6
        ),
        "subtitle": ParagraphStyle(
            "sous-titre", fontName="Helvetica", fontSize=12, leading=15, alignment=TA_CENTER, spaceAfter=18
        ),
        "heading": ParagraphStyle(
            "titre1", fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=6, keepWithNext=1
        ),
        "subheading": ParagraphStyle(
            "titre2", fontName="Helvetica-Bold", fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3, keepWithNext=1
        ),
        "body": body,
        "line": ParagraphStyle("ligne", parent=body, alignment=0, spaceAfter=2),
        "cell": ParagraphStyle("cellule", fontName="Helvetica", fontSize=8, leading=9.6, splitLongWords=0),
        "cell_head": ParagraphStyle("entete", fontName="Helvetica-Bold", fontSize=8, leading=9.6),
    }


def para(text: str, style) -> object:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


def _doc(target, title: str, subject: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
        author=AUTHOR,
        subject=subject,
        creator=AUTHOR,
        invariant=1,
    )


def build_pdf(story: list, title: str, subject: str) -> tuple[bytes, int]:
    """The PDF bytes and its number of pages."""
    buffer = io.BytesIO()
    doc = _doc(buffer, title, subject)
    doc.build(story)
    return buffer.getvalue(), doc.page


# Widths (points) of the table of actions: A4 less 2 × 2 cm = 481.9 pt.
COLUMN_WIDTHS = [34, 90, 72, 76, 62, 147.9]


def actions_table(fiches: list[FicheAction], styles: dict):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = [[Paragraph(escape(h), styles["cell_head"]) for h in TABLE_HEADER]]
    for fiche in fiches:
        cells = table_row(fiche)
        cells[5] = "<br/>".join(
            escape(f"{f.financeur} : {euros(f.montant)}") + (" ;" if n < len(fiche.financement) - 1 else "")
            for n, f in enumerate(fiche.financement)
        )
        rows.append([Paragraph(escape(c) if i != 5 else c, styles["cell"]) for i, c in enumerate(cells)])
    table = Table(rows, colWidths=COLUMN_WIDTHS, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7f7f7f")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def simple_table(rows: list[list[str]], widths: list[float], styles: dict):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [
        [Paragraph(escape(c), styles["cell_head" if r == 0 else "cell"]) for c in row] for r, row in enumerate(rows)
    ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7f7f7f")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def area_ha(geometry) -> float:
    shape = geometry.shape
    lat = shape.centroid.y
    return shape.area * (111_320**2) * math.cos(math.radians(lat)) / 10_000


def perimetres_drawing(dossier: Dossier):
    """A plan of the périmètres (étude, intervention, secteurs) and of the located actions."""
    from reportlab.graphics.shapes import Circle, Drawing, Polygon, Rect, String
    from reportlab.lib import colors

    per = dossier.perimetres
    layers = []  # (label, geometry, fill, stroke)
    if per and per.etude:
        layers.append(("Périmètre d'étude", per.etude, colors.HexColor("#f3f3e6"), colors.HexColor("#8a8a5c")))
    if per and per.intervention:
        layers.append(
            ("Périmètre d'intervention", per.intervention, colors.HexColor("#dbe8f5"), colors.HexColor("#2c5d8f"))
        )
    for secteur in per.secteurs_prioritaires if per else []:
        layers.append(
            (
                f"Secteur prioritaire : {secteur.nom}",
                secteur.geometrie,
                colors.HexColor("#f6d7c3"),
                colors.HexColor("#b5542a"),
            )
        )
    points = [(f.id, f.localisation.shape) for f in dossier.fiches_actions if f.localisation is not None]
    if not layers and not points:
        return None
    xs, ys = [], []
    for _, geom, _, _ in layers:
        minx, miny, maxx, maxy = geom.shape.bounds
        xs += [minx, maxx]
        ys += [miny, maxy]
    for _, shape in points:
        xs.append(shape.centroid.x)
        ys.append(shape.centroid.y)
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    kx = math.cos(math.radians((miny + maxy) / 2))
    width, height, legend = 440.0, 300.0, 16 * (len(layers) + 1)
    span = max((maxx - minx) * kx, maxy - miny) or 0.01
    scale = min(width - 20, height - legend - 20) / span

    def xy(x: float, y: float) -> tuple[float, float]:
        return 10 + (x - minx) * kx * scale, legend + 10 + (y - miny) * scale

    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=None, strokeColor=colors.HexColor("#999999"), strokeWidth=0.5))
    for _, geom, fill, stroke in layers:
        shape = geom.shape
        for polygon in getattr(shape, "geoms", [shape]):
            coords = [c for x, y in polygon.exterior.coords for c in xy(x, y)]
            drawing.add(Polygon(coords, fillColor=fill, strokeColor=stroke, strokeWidth=1))
    for ident, shape in points:
        x, y = xy(shape.centroid.x, shape.centroid.y)
        drawing.add(Circle(x, y, 3, fillColor=colors.HexColor("#c0392b"), strokeColor=None))
        drawing.add(String(x + 5, y + 2, ident, fontName="Helvetica", fontSize=7))
    for n, (label, _, fill, stroke) in enumerate(layers):
        y = 6 + 16 * n
        drawing.add(Rect(10, y, 10, 8, fillColor=fill, strokeColor=stroke, strokeWidth=0.8))
        drawing.add(String(26, y + 1, label, fontName="Helvetica", fontSize=8))
    return drawing


def simple_pdf(path: str | Path, title: str, paragraphs: list[str]) -> Path:
    """A short text PDF: a title and paragraphs."""
    st = pdf_styles()
    story = [para(title, st["title"])] + [para(text, st["body"]) for text in paragraphs]
    data, _ = build_pdf(story, title, title)
    return write_file(path, data)
