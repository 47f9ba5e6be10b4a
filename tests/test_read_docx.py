"""The DOCX reader on documents written here as towns write them: tables between paragraphs, Word's
automatic numbering (the number not in the text), headings as bold lines, text boxes, content
controls, merged cells in a signature grid, line breaks, tracked changes."""

from __future__ import annotations

import copy

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from instruct.documents.docx_numbering import format_value
from instruct.documents.read import read_piece

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS_NS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
WP_NS = 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
A_NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
V_NS = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def read(document, tmp_path, name="piece.docx"):
    path = tmp_path / name
    document.save(str(path))
    piece = read_piece(path)
    assert piece.reader == "python-docx" and not piece.problems
    return piece


def block(piece, text):
    found = [b for b in piece.blocks if b.text == text]
    assert len(found) == 1, [b.text for b in piece.blocks]
    return found[0]


def level(ilvl, fmt, text, start=1, extra=""):
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def set_numbering(document, xml):
    """Replace the document's numbering definitions by `xml` (abstractNum then num elements)."""
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(f"<w:numbering {nsdecls('w')}>{xml}</w:numbering>"):
        numbering.append(copy.deepcopy(child))


def numbered(paragraph, num_id, ilvl=0):
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def test_paragraphs_and_tables_in_document_order(tmp_path):
    document = Document()
    document.add_paragraph("Préambule")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Intitulé", "Coût"
    table.cell(1, 0).text, table.cell(1, 1).text = "Halle", "1 200 000 €"
    document.add_paragraph("")
    document.add_paragraph("Article 2 – Durée")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Seconde table"
    piece = read(document, tmp_path)
    assert [b.where for b in piece.blocks] == [
        "paragraphe 1",
        "tableau 1, ligne 1",
        "tableau 1, ligne 2",
        "paragraphe 3",
        "tableau 2, ligne 1",
    ]
    assert block(piece, "Halle | 1 200 000 €").cells == ("Halle", "1 200 000 €")
    assert document.paragraphs[2].text == "Article 2 – Durée"  # « paragraphe 3 » is python-docx's third
    assert [t.where for t in piece.tables] == ["tableau 1", "tableau 2"]
    assert [r.cells for r in piece.tables[0].rows] == [("Intitulé", "Coût"), ("Halle", "1 200 000 €")]
    assert piece.lines() == [("Préambule", "paragraphe 1"), ("Article 2 – Durée", "paragraphe 3")]


def test_automatic_numbering_articles_and_sub_articles(tmp_path):
    document = Document()
    set_numbering(
        document,
        '<w:abstractNum w:abstractNumId="1">'
        + level(0, "decimal", "Article %1 –")
        + level(1, "decimal", "%1.%2")
        + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>',
    )
    for text, ilvl in [("Objet", 0), ("Contexte", 1), ("Enjeux", 1), ("Durée", 0), ("Prise d'effet", 1)]:
        numbered(document.add_paragraph(text), 1, ilvl)
    piece = read(document, tmp_path)
    assert [(b.number, b.text) for b in piece.blocks] == [
        ("Article 1 –", "Objet"),
        ("1.1", "Contexte"),
        ("1.2", "Enjeux"),
        ("Article 2 –", "Durée"),
        ("2.1", "Prise d'effet"),
    ]
    assert piece.lines()[3] == ("Article 2 – Durée", "paragraphe 4")
    assert [b.heading for b in piece.blocks] == [1, 0, 0, 1, 0]  # numbered like an article: a heading


def test_roman_letters_restart_and_bullets(tmp_path):
    document = Document()
    set_numbering(
        document,
        '<w:abstractNum w:abstractNumId="3">'
        + level(0, "upperRoman", "%1.")
        + level(1, "lowerLetter", "%2)")
        + '</w:abstractNum><w:abstractNum w:abstractNumId="4">'
        + level(0, "bullet", "•")
        + '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num>'
        '<w:num w:numId="8"><w:abstractNumId w:val="3"/></w:num>'
        '<w:num w:numId="9"><w:abstractNumId w:val="3"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        '<w:num w:numId="10"><w:abstractNumId w:val="4"/></w:num>',
    )
    rows = [("Diagnostic", 7, 0), ("Habitat", 7, 1), ("Commerce", 7, 1), ("Stratégie", 8, 0), ("Puce", 10, 0)]
    rows += [("Mobilités", 8, 1), ("Annexe", 9, 0), ("Suite", 8, 0)]
    for text, num_id, ilvl in rows:
        numbered(document.add_paragraph(text), num_id, ilvl)
    piece = read(document, tmp_path)
    assert [b.number for b in piece.blocks] == ["I.", "a)", "b)", "II.", "", "a)", "I.", "II."]
    assert "Puce" in dict(piece.lines())


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (1, "ordinal", "1er"),
        (2, "ordinal", "2e"),
        (4, "upperRoman", "IV"),
        (14, "lowerRoman", "xiv"),
        (28, "upperLetter", "BB"),
        (3, "decimalZero", "03"),
        (1, "ordinalText", "premier"),
        (12, "decimal", "12"),
    ],
)
def test_number_formats(value, fmt, shown):
    assert format_value(value, fmt) == shown


def test_ordinal_legal_numbering_and_a_level_that_never_restarts(tmp_path):
    document = Document()
    set_numbering(
        document,
        '<w:abstractNum w:abstractNumId="1">'
        + level(0, "ordinal", "Article %1", start=1)
        + level(1, "decimal", "§ %2", extra='<w:lvlRestart w:val="0"/>')
        + level(2, "decimal", "%1.%3", start=5, extra="<w:isLgl/>")
        + '</w:abstractNum><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>',
    )
    for text, ilvl in [("Objet", 0), ("Un", 1), ("Cinq", 2), ("Durée", 0), ("Deux", 1), ("Cinq encore", 2)]:
        numbered(document.add_paragraph(text), 2, ilvl)
    piece = read(document, tmp_path)
    assert [b.number for b in piece.blocks] == ["Article 1er", "§ 1", "1.5", "Article 2e", "§ 2", "2.5"]


def test_heading_styles_linked_to_a_list(tmp_path):
    document = Document()
    set_numbering(
        document,
        '<w:abstractNum w:abstractNumId="5">'
        + level(0, "upperRoman", "TITRE %1", extra='<w:pStyle w:val="Heading1"/>')
        + level(1, "decimal", "%1.%2", extra='<w:pStyle w:val="Heading2"/>')
        + '</w:abstractNum><w:num w:numId="6"><w:abstractNumId w:val="5"/></w:num>',
    )
    for name in ("Heading 1", "Heading 2"):
        document.styles[name].element.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="6"/></w:numPr>')
        )
    document.add_heading("Dispositions générales", level=1)
    document.add_heading("Objet", level=2)
    document.add_paragraph("Le texte de l'objet.")
    document.add_heading("Engagements", level=1)
    document.add_heading("De la commune", level=2)
    piece = read(document, tmp_path)
    assert [(b.number, b.heading) for b in piece.blocks] == [
        ("TITRE I", 1),
        ("I.1", 2),
        ("", 0),
        ("TITRE II", 1),
        ("II.1", 2),
    ]


def test_headings_from_styles_and_outline_level(tmp_path):
    document = Document()
    document.add_paragraph("Convention-cadre", style="Title")
    document.add_heading("Article 1 – Parties", level=1)
    document.add_heading("Les collectivités", level=2)
    own = document.add_paragraph("Titre de niveau trois")
    own._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="2"/>'))
    french = document.styles.add_style("Titre 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Article 2 – Durée", style=french)
    document.add_paragraph("Texte courant.")
    piece = read(document, tmp_path)
    assert [b.heading for b in piece.blocks] == [1, 1, 2, 3, 1, 0]


def test_bold_lines_without_a_heading_style(tmp_path):
    document = Document()
    document.add_paragraph().add_run("ARTICLE 1 : OBJET DE LA CONVENTION").bold = True
    document.add_paragraph().add_run("Durée de la convention").bold = True
    big = document.add_paragraph().add_run("Programme d'actions")
    big.bold, big.font.size = True, Pt(16)
    document.add_paragraph().add_run("La présente convention est conclue pour six ans.").bold = True
    document.add_paragraph().add_run("Un très long paragraphe en gras " * 8).bold = True
    mixed = document.add_paragraph()
    mixed.add_run("Maquette").bold = True
    mixed.add_run(" financière")
    strong = document.styles.add_style("Fort", WD_STYLE_TYPE.CHARACTER)
    strong.font.bold = True
    document.add_paragraph().add_run("Fiches-actions", style=strong)
    plain = document.styles.add_style("Intertitre", WD_STYLE_TYPE.PARAGRAPH)
    plain.font.bold = True
    document.add_paragraph("Secteurs d'intervention", style=plain)
    document.add_paragraph().add_run("Pour la Commune de Villebelle,").bold = True
    document.add_paragraph().add_run("ARTICLE 2.").bold = True
    piece = read(document, tmp_path)
    assert [b.heading for b in piece.blocks] == [1, 2, 1, 0, 0, 0, 2, 2, 0, 1]


def test_text_box_read_once_after_its_anchor(tmp_path):
    document = Document()
    anchor = document.add_paragraph("Avant la zone")
    document.add_paragraph("Après la zone")
    box = "<w:txbxContent><w:p><w:r><w:t>Texte encadré</w:t></w:r></w:p></w:txbxContent>"
    anchor._p.append(
        parse_xml(
            f"<w:r {W_NS} {MC_NS} {WPS_NS} {WP_NS} {A_NS} {V_NS}><mc:AlternateContent>"
            '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
            f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
            "</mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    piece = read(document, tmp_path)
    assert [(b.text, b.where) for b in piece.blocks] == [
        ("Avant la zone", "paragraphe 1"),
        ("Texte encadré", "paragraphe 1 (zone de texte)"),
        ("Après la zone", "paragraphe 2"),
    ]


def test_signature_table_with_merged_cells(tmp_path):
    document = Document()
    document.add_paragraph("Fait à Villebelle, le 28 septembre 2018")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Les signataires"
    table.cell(1, 0).text = "Pour la Commune de Villebelle\nLe Maire\nClaire Martin"
    table.cell(1, 1).text = "Pour l'État\nLa Préfète"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "Pour la Banque des Territoires"
    table.cell(2, 0).text = "Pour Action Logement"
    piece = read(document, tmp_path)
    rows = [b for b in piece.blocks if b.cells]
    assert rows[0].cells == ("Les signataires", "", "") and rows[0].text == "Les signataires"
    assert rows[1].cells == (
        "Pour la Commune de Villebelle\nLe Maire\nClaire Martin",
        "Pour l'État\nLa Préfète",
        "Pour la Banque des Territoires",
    )
    assert rows[1].text == "Pour la Commune de Villebelle Le Maire Claire Martin | Pour l'État La Préfète | " + (
        "Pour la Banque des Territoires"
    )
    assert rows[2].cells == ("Pour Action Logement", "", "")  # merged down: read once, in its first row
    assert [r.where for r in piece.tables[0].rows] == ["tableau 1, ligne 1", "tableau 1, ligne 2", "tableau 1, ligne 3"]


def test_nested_table_kept_inside_its_cell(tmp_path):
    document = Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Financement"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r, row in enumerate([("Ville", "100 000 €"), ("État", "50 000 €")]):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    piece = read(document, tmp_path)
    assert [b.cells for b in piece.blocks] == [("Financement", "Ville | 100 000 €\nÉtat | 50 000 €")]
    assert len(piece.tables) == 1


def test_line_breaks_tabs_and_tracked_changes(tmp_path):
    document = Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("Fait à Villebelle,")
    run.add_break()
    run.add_text("le 28 septembre 2018")
    changed = document.add_paragraph("La convention")
    changed._p.append(
        parse_xml(f'<w:ins {W_NS} w:id="1" w:author="x"><w:r><w:t xml:space="preserve"> est signée</w:t></w:r></w:ins>')
    )
    changed._p.append(
        parse_xml(f'<w:del {W_NS} w:id="2" w:author="x"><w:r><w:delText> puis annulée</w:delText></w:r></w:del>')
    )
    hidden = document.add_paragraph("Visible")
    hidden.add_run(" caché").font.hidden = True
    document.sections[0].header.paragraphs[0].text = "En-tête de page"
    document.sections[0].footer.paragraphs[0].text = "Page 1"
    piece = read(document, tmp_path)
    assert [b.text for b in piece.blocks] == [
        "Fait à Villebelle,\nle 28 septembre 2018",
        "La convention est signée",
        "Visible",
    ]
    assert piece.lines()[:2] == [("Fait à Villebelle,", "paragraphe 1"), ("le 28 septembre 2018", "paragraphe 1")]


def test_content_control_placed_without_moving_the_paragraph_count(tmp_path):
    document = Document()
    document.add_paragraph("Sommaire")
    control = parse_xml(
        f'<w:sdt {W_NS}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj>'
        "</w:sdtPr><w:sdtContent><w:p><w:r><w:t>Article 1 – Parties</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Article 2 – Durée</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.element.body.insert(1, control)
    document.add_paragraph("Article 1 – Parties")
    piece = read(document, tmp_path)
    assert [b.where for b in piece.blocks] == [
        "paragraphe 1",
        "contrôle de contenu 1, paragraphe 1",
        "contrôle de contenu 1, paragraphe 2",
        "paragraphe 2",
    ]
    assert document.paragraphs[1].text == "Article 1 – Parties"


def test_a_content_control_showing_its_placeholder_is_not_read(tmp_path):
    document = Document()
    date = document.add_paragraph("Fait à Villebelle, le ")
    unfilled = f"<w:sdt {W_NS}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>{{}}</w:sdtContent></w:sdt>"
    date._p.append(parse_xml(unfilled.format("<w:r><w:t>Cliquez ou appuyez ici pour entrer une date.</w:t></w:r>")))
    signature = document.add_paragraph("Pour la Commune")
    signature._p.addprevious(parse_xml(unfilled.format("<w:p><w:r><w:t>Cliquez ici.</w:t></w:r></w:p>")))
    piece = read(document, tmp_path)
    assert [(b.text, b.where) for b in piece.blocks] == [
        ("Fait à Villebelle, le ", "paragraphe 1"),
        ("Pour la Commune", "paragraphe 2"),
    ]


def test_table_of_contents_entries_are_not_read_twice(tmp_path):
    document = Document()
    add_style(document, 'w:type="paragraph" w:styleId="TM1"><w:name w:val="toc 1"/>')
    document.add_paragraph("Sommaire")
    for text in ("Article 1 – Parties\t3", "Article 2 – Durée\t5"):
        entry = document.add_paragraph(text)
        entry._p.get_or_add_pPr().insert(0, parse_xml(f'<w:pStyle {nsdecls("w")} w:val="TM1"/>'))
    document.add_heading("Article 1 – Parties", level=1)
    piece = read(document, tmp_path)
    assert [(b.text, b.where) for b in piece.blocks] == [
        ("Sommaire", "paragraphe 1"),
        ("Article 1 – Parties", "paragraphe 4"),
    ]


def test_a_list_that_numbering_xml_does_not_define_gives_no_number(tmp_path):
    document = Document()
    numbered(document.add_paragraph("Numéro absent"), 42)
    numbered(document.add_paragraph("Liste retirée"), 0)
    piece = read(document, tmp_path)
    assert [(b.text, b.number) for b in piece.blocks] == [("Numéro absent", ""), ("Liste retirée", "")]


def test_an_unforeseen_shape_falls_back_to_the_plain_reading(tmp_path, monkeypatch):
    import instruct.documents.read_docx as reader

    def broken(self, body):
        self.piece.blocks.append("à moitié lu")
        raise ValueError("forme inattendue")

    monkeypatch.setattr(reader._Reader, "body", broken)
    document = Document()
    document.add_paragraph("Article 1 – Parties")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "Pour l'État"
    path = tmp_path / "piece.docx"
    document.save(str(path))
    piece = read_piece(path)
    assert piece.reader == "python-docx (lecture simple)" and not piece.problems
    assert [(b.text, b.where) for b in piece.blocks] == [
        ("Article 1 – Parties", "paragraphe 1"),
        (" | Pour l'État", "tableau 1, ligne 1"),
    ]


def add_style(document, xml):
    document.styles.element.append(parse_xml(f"<w:style {nsdecls('w')} {xml}</w:style>"))


def test_french_word_styles_and_a_list_defined_by_a_list_style(tmp_path):
    """Word in French names its heading styles « Titre1 » (name « heading 1 »); a house style based
    on one is a heading too, and so is a style with an outline level. A list may take its levels
    from a list style (numStyleLink → the style's list → the abstract list that defines them)."""
    document = Document()
    add_style(document, 'w:type="paragraph" w:styleId="Titre2"><w:name w:val="heading 2"/>')
    add_style(
        document,
        'w:type="paragraph" w:styleId="ArticleMaison"><w:name w:val="Article maison"/><w:basedOn w:val="Titre2"/>',
    )
    add_style(
        document,
        'w:type="paragraph" w:styleId="Chapitre"><w:name w:val="Chapitre"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr>',
    )
    add_style(
        document,
        'w:type="numbering" w:styleId="ListeArticles"><w:name w:val="Liste articles"/>'
        '<w:pPr><w:numPr><w:numId w:val="11"/></w:numPr></w:pPr>',
    )
    set_numbering(
        document,
        '<w:abstractNum w:abstractNumId="10"><w:numStyleLink w:val="ListeArticles"/></w:abstractNum>'
        '<w:abstractNum w:abstractNumId="12"><w:styleLink w:val="ListeArticles"/>'
        + level(0, "decimal", "Article %1 :")
        + '</w:abstractNum><w:num w:numId="11"><w:abstractNumId w:val="12"/></w:num>'
        '<w:num w:numId="13"><w:abstractNumId w:val="10"/></w:num>',
    )
    for text, style in [("Les parties", "ArticleMaison"), ("Dispositions", "Chapitre"), ("La durée", "ArticleMaison")]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().insert(0, parse_xml(f'<w:pStyle {nsdecls("w")} w:val="{style}"/>'))
        if style == "ArticleMaison":
            numbered(paragraph, 13)
    piece = read(document, tmp_path)
    assert [(b.number, b.text, b.heading) for b in piece.blocks] == [
        ("Article 1 :", "Les parties", 2),
        ("", "Dispositions", 1),
        ("Article 2 :", "La durée", 2),
    ]
