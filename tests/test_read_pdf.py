"""The PDF reader on real PDFs drawn here with reportlab: running headers and page numbers dropped,
hyphenated words made whole, headings, lines drawn in columns, ruled, unruled and continued
tables, and the files it cannot read."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from instruct.documents.actions import actions
from instruct.documents.read import read_piece

BODY = ParagraphStyle("corps", fontName="Helvetica", fontSize=10, leading=13)
TITLE = ParagraphStyle("titre", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceAfter=8)
BOLD = ParagraphStyle("gras", fontName="Helvetica-Bold", fontSize=10, leading=13, spaceBefore=6)
CELL = ParagraphStyle("cellule", fontName="Helvetica", fontSize=8, leading=10)
PROSE = (
    "La présente convention a pour objet de décrire les modalités de mise en oeuvre du programme dans "
    "le centre-ville, les engagements de chacune des parties et le calendrier des actions retenues. "
) * 3
HEADER = ["N°", "Intitulé de l'action", "Maître d'ouvrage", "Calendrier", "Coût HT"]


def write_story(path, story, running=None):
    """A PDF from reportlab flowables; `running(canvas, page)` draws each page's header and footer."""

    def page(c, doc):
        if running:
            running(c, doc.page)

    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=56, rightMargin=56, topMargin=70, bottomMargin=70).build(
        story, onFirstPage=page, onLaterPages=page
    )
    return path


def action_rows(n, start=1):
    return [[f"FA-{i:02d}", f"Action numéro {i}", "Ville", "2019-2021", f"{i * 10} 000 €"] for i in range(start, n + 1)]


def table(rows, ruled, widths=(40, 150, 100, 80, 80), repeat=0):
    data = [[Paragraph(c, CELL) for c in row] for row in rows]
    drawn = Table(data, colWidths=list(widths), repeatRows=repeat, hAlign="LEFT")
    drawn.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)] if ruled else [("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return drawn


def texts(piece):
    return [b.text for b in piece.blocks]


def test_running_headers_footers_and_page_numbers_are_dropped(tmp_path):
    def running(c, n):
        c.setFont("Helvetica", 8)
        c.drawString(56, 810, "Convention Action Cœur de Ville – Ville de Belleval")
        c.drawCentredString(297, 30, f"Page {n} sur 3" if n != 2 else "- 2 -")
        c.setFont("Helvetica-Bold", 12)
        c.drawString(56, 785, f"Fiche action n° {n + 4}")  # at the top of each page, but content

    story = []
    for n in range(3):
        story += [Paragraph(f"Article {n + 1} – Objet", TITLE), Paragraph(PROSE, BODY), PageBreak()]
    piece = read_piece(write_story(tmp_path / "convention.pdf", story[:-1], running))
    assert piece.pages == 3 and piece.reader == "pypdfium2" and not piece.problems
    joined = "\n".join(texts(piece))
    assert "Cœur de Ville – Ville de Belleval" not in joined and "sur 3" not in joined and "- 2 -" not in joined
    assert [b.text for b in piece.blocks if b.text.startswith("Fiche")] == [
        "Fiche action n° 5",
        "Fiche action n° 6",
        "Fiche action n° 7",
    ]
    assert [b.text for b in piece.blocks if b.heading and b.text.startswith("Article")] == [
        "Article 1 – Objet",
        "Article 2 – Objet",
        "Article 3 – Objet",
    ]
    assert {b.where for b in piece.blocks} == {"page 1", "page 2", "page 3"} and all(b.page for b in piece.blocks)


def test_hyphenated_words_are_made_whole_and_real_hyphens_kept(tmp_path):
    path = tmp_path / "parties.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(
        ["La Commune de Belleval, représen-", "tée par son maire, M. Jean Durand, et la commune de Saint-", "Aubin."]
    ):
        c.drawString(60, 700 - 14 * i, line)
    c.save()
    lines = [line for line, _ in read_piece(path).lines()]
    assert lines == [
        "La Commune de Belleval, représentée",
        "par son maire, M. Jean Durand, et la commune de Saint-Aubin.",
    ]


def test_headings_by_font_size_and_short_bold_lines(tmp_path):
    narrow = ParagraphStyle("large", parent=TITLE, rightIndent=300)
    story = [
        Paragraph("Convention-cadre pluriannuelle Action Cœur de Ville", TITLE),
        Paragraph(PROSE, BODY),
        Paragraph("Article 2 – Durée de la convention et modalités de son renouvellement", narrow),
        Paragraph(PROSE, BODY),
        Paragraph("Programme d'actions", BOLD),
        Paragraph(PROSE, BODY),
        Paragraph("Article 3 – Suivi", TITLE),
        Paragraph("Article 4 – Litiges", TITLE),  # right below the other: two headings, not one wrapped
        Paragraph(PROSE, BODY),
    ]
    piece = read_piece(write_story(tmp_path / "titres.pdf", story))
    headings = [(b.heading, b.text) for b in piece.blocks if b.heading]
    assert headings == [
        (1, "Convention-cadre pluriannuelle Action Cœur de Ville"),
        (1, "Article 2 – Durée de la convention et modalités de son renouvellement"),  # wrapped, joined
        (2, "Programme d'actions"),
        (1, "Article 3 – Suivi"),
        (1, "Article 4 – Litiges"),
    ]
    assert all(not b.heading for b in piece.blocks if b.text.startswith("La présente convention"))


def test_a_signature_grid_drawn_in_columns_comes_as_cells(tmp_path):
    cells = [
        ["Pour l'État,", "Pour la Commune de Belleval,"],
        ["Le Préfet", "Le Maire"],
        ["M. Paul Martin", "Mme Anne Petit"],
    ]
    grid = Table([[Paragraph(c, BODY) for c in row] for row in cells], colWidths=[240, 240], hAlign="LEFT")
    story = [Paragraph("Fait à Belleval, le 12 mars 2020.", BODY), Spacer(1, 20), grid]
    piece = read_piece(write_story(tmp_path / "signatures.pdf", story))
    grids = [b.cells for b in piece.blocks if b.cells]
    assert grids == [
        ("Pour l'État,\nLe Préfet\nM. Paul Martin", "Pour la Commune de Belleval,\nLe Maire\nMme Anne Petit")
    ]
    assert ("Fait à Belleval, le 12 mars 2020.", "page 1") in piece.lines()


def test_a_number_drawn_apart_from_its_heading_stays_on_its_line(tmp_path):
    """LibreOffice draws « TITRE III - » and its title apart (a tab): one heading line, not two cells."""
    path = tmp_path / "titres.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(60, 700, "TITRE III -")
    c.drawString(160, 700, "Périmètre d'intervention")
    c.setFont("Helvetica", 10)
    c.drawString(60, 680, "Le périmètre couvre le centre ancien.")
    c.save()
    piece = read_piece(path)
    assert [(b.text, b.heading, b.cells) for b in piece.blocks] == [
        ("TITRE III - Périmètre d'intervention", 1, ()),
        ("Le périmètre couvre le centre ancien.", 0, ()),
    ]


@pytest.mark.parametrize("ruled", [True, False])
def test_a_table_of_actions_is_rebuilt_with_its_costs(tmp_path, ruled):
    rows = [HEADER] + action_rows(3)
    rows[2][1] = "Requalification complète de la place du Marché et de ses abords immédiats"  # wrapped cell
    story = [Paragraph("Le programme comprend les actions suivantes.", BODY), table(rows, ruled)]
    story.append(Paragraph("Les montants sont indicatifs.", BODY))
    piece = read_piece(write_story(tmp_path / "plan.pdf", story))
    assert piece.reader == ("pypdfium2+pdfplumber" if ruled else "pypdfium2")
    [found] = piece.tables
    assert found.where == "page 1, tableau 1" and found.rows[0].cells == tuple(HEADER)
    read = actions(piece)
    assert [a.id for a in read] == ["FA-01", "FA-02", "FA-03"]
    assert read[1].intitule == rows[2][1]
    assert [a.cout for a in read] == [Decimal(10000), Decimal(20000), Decimal(30000)]
    assert read[2].quote.where == "page 1, tableau 1, ligne 4"
    lines = [line for line, _ in piece.lines()]
    assert lines == ["Le programme comprend les actions suivantes.", "Les montants sont indicatifs."]


@pytest.mark.parametrize("ruled", [True, False])
def test_a_table_continued_on_the_next_page_without_its_header(tmp_path, ruled):
    story = [Paragraph(PROSE, BODY)] * 4 + [table([HEADER] + action_rows(40), ruled)]
    piece = read_piece(write_story(tmp_path / "long.pdf", story))
    assert len(piece.tables) >= 2
    first, second = piece.tables[:2]
    assert first.rows[0].cells == tuple(HEADER) and second.rows[0].cells[0].startswith("FA-")
    assert second.where == "page 2, tableau 1" and all(len(row.cells) == len(HEADER) for row in second.rows)
    ids = [row.cells[0] for table in (first, second) for row in table.rows[1 if table is first else 0 :]]
    assert ids == [f"FA-{i:02d}" for i in range(1, 41)]  # the actions extractor joins the two
    assert (
        second.rows[-1].cells[4] == "400 000 €"
        and second.rows[-1].where == f"page 2, tableau 1, ligne {len(second.rows)}"
    )


def test_a_header_repeated_on_the_next_page_makes_no_continuation(tmp_path):
    story = [Paragraph(PROSE, BODY)] * 4 + [table([HEADER] + action_rows(40), ruled=False, repeat=1)]
    piece = read_piece(write_story(tmp_path / "repete.pdf", story))
    assert [t.rows[0].cells for t in piece.tables] == [tuple(HEADER), tuple(HEADER)]
    assert [a.id for a in actions(piece)] == [f"FA-{i:02d}" for i in range(1, 41)]


def encrypted(path, source):
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt("secret")
    writer.write(str(path))
    return path


def test_encrypted_truncated_and_not_a_pdf(tmp_path):
    story = [Paragraph(f"Article {n}", TITLE) for n in range(1, 4)] + [Paragraph(PROSE, BODY)] * 12
    whole = write_story(tmp_path / "avenant.pdf", story)
    assert read_piece(encrypted(tmp_path / "secret.pdf", whole)).problems == [
        "PDF chiffré : fournir une version non protégée"
    ]
    cut = tmp_path / "tronque.pdf"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) * 2 // 3])
    piece = read_piece(cut)
    assert piece.problems[0].startswith("PDF endommagé (fin de fichier manquante")
    assert ("lecture partielle" in piece.problems[0]) == piece.readable
    interrupted = tmp_path / "mise-a-jour.pdf"  # an update cut short after a whole document: PDFium reads it
    interrupted.write_bytes(whole.read_bytes() + b"\n20 0 obj\n<< /Type /Annot /Contents (" + b"x" * 3000)
    piece = read_piece(interrupted)
    assert piece.readable and piece.truncated and "Article 1" in piece.blocks[0].text
    assert (
        piece.problems[0].startswith("PDF endommagé (fin de fichier manquante")
        and "lecture partielle (" in piece.problems[0]
    )
    fake = tmp_path / "faux.pdf"
    fake.write_bytes(b"<html>erreur 404</html>")
    assert read_piece(fake).problems == ["fichier nommé .pdf qui n'est pas un PDF"]
    garbage = tmp_path / "abime.pdf"
    garbage.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert read_piece(garbage).problems[0].startswith("PDF endommagé")


def test_an_image_only_page_is_said_scanned(tmp_path):
    from PIL import Image

    image = io.BytesIO()
    Image.new("L", (200, 280), 200).save(image, format="PNG")
    image.seek(0)
    from reportlab.lib.utils import ImageReader

    path = tmp_path / "mixte.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(60, 700, "Délibération du conseil municipal")
    c.showPage()
    for _ in range(2):
        c.drawImage(ImageReader(image), 0, 0, 595, 842)
        c.showPage()
    c.save()
    piece = read_piece(path)
    assert piece.readable and piece.pages == 3
    assert piece.problems == ["pages 2 à 3 scannées : pas de texte"]


def test_an_unruled_table_ends_where_a_heading_runs_across_its_columns(tmp_path):
    """After a table whose first column is at the margin, a heading, prose at the margin and a
    signature grid drawn column by column are not rows of it: a cell's text stays in its column,
    a heading runs across them."""
    path = tmp_path / "fin.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 9)
    for y, row in (
        (700, ("Action", "Porteur", "Montant", "Échéance")),
        (680, ("Étude du bourg", "Ville", "80.000 €", "2019")),
    ):
        for x, text in zip((62, 289, 379, 470), row):
            c.drawString(x, y, text)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(62, 640, "ARTICLE 7 : MODALITÉS DE SUIVI ET D'ÉVALUATION")
    c.setFont("Helvetica", 10)
    c.drawString(62, 620, "Un tableau de bord de suivi des actions est tenu par le directeur de projet.")
    for x, lines in ((62, ("Pour la Ville,", "La Maire")), (376, ("Pour Ondras Agglo,", "Le Président"))):
        for y, text in zip((560, 545), lines):
            c.drawString(x, y, text)
    c.save()
    piece = read_piece(path)
    [found] = piece.tables
    assert [r.cells[0] for r in found.rows] == ["Action", "Étude du bourg"]
    assert any(line.startswith("ARTICLE 7") for line, _ in piece.lines())


def test_an_unruled_table_whose_header_wraps_onto_a_second_line(tmp_path):
    """« Financeurs » / « pressentis »: the second line of a header cell is no row, and the
    table goes on below it."""
    path = tmp_path / "entete.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 9)
    for x, text in zip((91, 235, 379), ("Opération", "Coût estimé", "Financeurs")):
        c.drawString(x, 700, text)
    c.drawString(379, 688, "pressentis")
    for y, row in (
        (660, ("Rénovation des halles", "1,8 M€", "Commune, DETR")),
        (640, ("Aides aux façades", "0,3 M€", "CCMF")),
    ):
        for x, text in zip((91, 235, 379), row):
            c.drawString(x, y, text)
    c.drawString(91, 600, "Le coût total de ces actions est estimé à 2,1 M€ pour la durée de la convention.")
    c.save()
    [found] = read_piece(path).tables
    assert [r.cells[0] for r in found.rows] == ["Opération", "Rénovation des halles", "Aides aux façades"]


def test_a_scanned_signature_page_under_a_typed_footer_is_said_scanned(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = io.BytesIO()
    Image.new("L", (200, 280), 200).save(image, format="PNG")
    image.seek(0)
    path = tmp_path / "signatures.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(60, 700, "Avenant n° 1 à la convention-cadre Action Cœur de Ville")
    c.showPage()
    c.drawImage(ImageReader(image), 80, 160, 430, 610)  # the signatures, scanned
    c.setFont("Helvetica", 8)
    c.drawString(60, 40, "Mention : document fictif établi pour des essais.")
    c.showPage()
    c.save()
    piece = read_piece(path)
    assert piece.problems == ["page 2 scannée : pas de texte"]
