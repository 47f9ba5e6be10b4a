"""The structure of a piece as towns write it: trame headings of every kind, the durée, tables of
actions (headers named and wrapped many ways, units in headings, axis and TOTAL rows, tables
continued on the next page), the budget, and amounts. Real DOCX and PDF files made here."""

from decimal import Decimal

import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate
from reportlab.platypus import Table as PdfTable

from instruct.documents.actions import actions
from instruct.documents.budget import budget
from instruct.documents.columns import looks_like_header, table_columns
from instruct.documents.evidence import SURE
from instruct.documents.extract import read
from instruct.documents.read import Block, PieceText, Row, Table, read_piece
from instruct.documents.sections import duree, trame, trame_sure
from instruct.french import amounts, cell_amount, find_amount, header_scale
from instruct.vocabulary import TRAME_AVENANT_PARTIES, TRAME_CONVENTION_PARTIES, TRAMES

BODY = "Les parties conviennent de ce qui suit, dans le respect de leurs règles d'intervention respectives."


def docx(path, items):
    """items: ("p", text), ("h", text) a Heading 1, ("b", text) a bold paragraph, ("t", rows, merges)."""
    document = Document()
    for item in items:
        if item[0] == "h":
            document.add_heading(item[1], level=1)
        elif item[0] == "b":
            document.add_paragraph().add_run(item[1]).bold = True
        elif item[0] == "t":
            rows, merges = item[1], item[2] if len(item) > 2 else ()
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
            for r, first, last in merges:  # a row's cells merged from first to last, keeping the first's text
                text = rows[r][first]
                merged = table.cell(r, first).merge(table.cell(r, last))
                merged.text = text
        else:
            document.add_paragraph(item[1])
    document.save(str(path))
    return read_piece(path)


def pdf(path, story_items):
    """story_items: text lines (one paragraph each) or lists of rows (a reportlab table)."""
    style = getSampleStyleSheet()["Normal"]
    story = [PdfTable(item, repeatRows=1) if isinstance(item, list) else Paragraph(item, style) for item in story_items]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return read_piece(path)


def sure(quote):
    return quote.confidence >= SURE


# --- amounts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, scale, tax",
    [
        ("1 200 000 € HT", "1200000", "", "HT"),
        ("1.200.000 €", "1200000", "", ""),
        ("1 200 000 EUR", "1200000", "", ""),
        ("1 200 k€", "1200000", "k", ""),
        ("1,2 M€", "1200000", "M", ""),
        ("1 200 000,00 euros", "1200000", "", ""),
        ("1\u202f200\u202f000 € TTC", "1200000", "", "TTC"),
        ("estimé à 14,6 M€ HT, hors ingénierie", "14600000", "M", "HT"),
        ("2,5 millions d'euros", "2500000", "M", ""),
        ("en 2020 600 000 €", "600000", "", ""),  # a year is not the start of the amount
    ],
)
def test_amounts_as_pieces_write_them(text, value, scale, tax):
    [found] = amounts(text)
    assert (found.value, found.scale, found.tax) == (Decimal(value), scale, tax)


def test_no_amount_in_a_percentage_a_year_or_words():
    assert amounts("25 % du coût, en 2019, pour l'Europe") == []


@pytest.mark.parametrize(
    "cell, heading, value",
    [
        ("1 200", "Coût (k€)", "1200000"),
        ("1,2", "Montant (M€)", "1200000"),
        ("820 000", "Budget (€ HT)", "820000"),
        ("1 200 000 €", "Coût (k€)", "1200000"),  # the cell's own unit wins
        ("820 000", "Coût", None),  # a bare number under a heading without unit
        ("25 %", "Budget (€ HT)", None),
        ("à définir", "Budget (€ HT)", None),
    ],
)
def test_a_bare_number_takes_the_unit_of_its_column(cell, heading, value):
    assert cell_amount(cell, header_scale(heading)) == (Decimal(value) if value else None)


def test_find_amount_also_reads_eur():
    assert find_amount("Halle : 1 200 000,00 EUR") == Decimal("1200000.00")
    assert find_amount("1 234 567,50 € TTC") == Decimal("1234567.50")


# --- trame ----------------------------------------------------------------------------------------


def test_docx_headings_numbered_styled_bold_and_alone_give_every_part(tmp_path):
    piece = docx(
        tmp_path / "convention.docx",
        [
            ("p", "CONVENTION-CADRE PLURIANNUELLE ACTION CŒUR DE VILLE"),
            ("h", "Préambule"),
            ("p", BODY),
            ("p", "ARTICLE 1 :"),
            ("p", "PARTIES SIGNATAIRES"),
            ("p", BODY),
            ("p", "Article premier bis – Engagements des parties"),
            ("p", BODY),
            ("b", "Article 2 – Gouvernance et comité de projet"),
            ("p", BODY),
            ("p", "Article 3 – Durée de la convention"),
            ("p", "La présente convention est conclue pour une durée de six (6) ans à compter de sa signature."),
            ("p", "Article 4 – Actions matures de la phase d'initialisation"),
            ("p", BODY),
            ("p", "Article 5 – Suivi et évaluation"),
            ("p", BODY),
            ("p", "Article 6 – Règlement des litiges"),
            ("p", BODY),
            ("p", "ANNEXE 1 : FICHES-ACTIONS"),
        ],
    )
    parts = trame(piece, TRAME_CONVENTION_PARTIES)
    assert set(parts) == {p.code for p in TRAME_CONVENTION_PARTIES}
    assert all(sure(q) for q in parts.values())
    assert parts["parties"].text == "ARTICLE 1 : PARTIES SIGNATAIRES"
    assert trame_sure(piece, TRAME_CONVENTION_PARTIES)
    years, quote = duree(piece)
    assert years == 6 and sure(quote) and "six (6) ans" in quote.text


def test_a_gap_in_the_numbering_leaves_absences_to_be_checked(tmp_path):
    headings = ["Article 1 – Objet", "Article 2 – Engagements des parties", "Article 4 – Litiges"]
    piece = docx(tmp_path / "lacunaire.docx", [("p", h) for h in headings])
    assert "traitement_litiges" in trame(piece, TRAME_CONVENTION_PARTIES)
    assert not trame_sure(piece, TRAME_CONVENTION_PARTIES)
    complete = docx(tmp_path / "suivie.docx", [("p", h.replace("4", "3")) for h in headings])
    assert trame_sure(complete, TRAME_CONVENTION_PARTIES)


def test_a_piece_without_heading_structure_proposes_and_never_asserts_an_absence(tmp_path):
    piece = docx(tmp_path / "note.docx", [("p", BODY), ("p", "Calendrier"), ("p", BODY)])
    assert not trame_sure(piece, TRAME_AVENANT_PARTIES)
    found = trame(piece, TRAME_AVENANT_PARTIES)
    assert set(found) == {"calendrier_general"} and not sure(found["calendrier_general"])


def test_word_numbers_and_heading_levels_from_the_reader():
    blocks = [
        Block("Diagnostic partagé", "paragraphe 1", heading=1, number="1."),
        Block(BODY, "paragraphe 2"),
        Block("Stratégie et objectifs", "paragraphe 3", heading=1, number="2."),
        Block("Secteurs d'intervention de l'ORT", "paragraphe 4", heading=1, number="3."),
        Block("Programme d'actions", "paragraphe 5", heading=1, number="4."),
        Block("Maquette financière", "paragraphe 6", heading=1, number="5."),
        Block("Annexe – Calendrier détaillé", "paragraphe 7", heading=1),
    ]
    piece = PieceText("avenant.docx", "docx", blocks)
    parts = trame(piece, TRAME_AVENANT_PARTIES)
    assert set(parts) == {
        "diagnostic_afom",
        "objectifs_generaux_et_par_axe",
        "perimetres_intervention",
        "plan_actions",
        "budget_financement",
        "annexe_calendrier_detaille",
    }
    assert parts["plan_actions"].text == "4. Programme d'actions" and all(sure(q) for q in parts.values())
    assert trame_sure(piece, TRAME_AVENANT_PARTIES)


def test_pdf_roman_headings_wrapped_over_two_lines(tmp_path):
    lines = [
        "AVENANT N° 2 À LA CONVENTION-CADRE",
        "I. Résultats du diagnostic",
        BODY,
        "II. Objectifs généraux du projet",
        "III. Périmètres d'intervention",
        "IV – Plan d'actions",
        "V. Calendrier général de mise en œuvre des actions et",
        "plan de financement",
        BODY,
    ]
    piece = read_piece(pdf_lines(tmp_path / "avenant.pdf", lines))
    parts = trame(piece, TRAME_AVENANT_PARTIES)
    assert {"calendrier_general", "budget_financement"} <= set(parts)
    assert parts["budget_financement"].text.endswith("plan de financement") and sure(parts["budget_financement"])
    assert trame_sure(piece, TRAME_AVENANT_PARTIES)


def pdf_lines(path, lines):
    from builders import make_pdf

    return make_pdf(path, ["\n".join(lines)])


@pytest.mark.parametrize("parties", [TRAME_CONVENTION_PARTIES, TRAME_AVENANT_PARTIES], ids=["convention", "avenant"])
def test_each_part_s_names_name_no_other_part(parties):
    for part in parties:
        lines = [f"{'Annexe' if part.annexe else 'Article'} 1 – {part.titre_piece}", f"Article 2 – {part.libelle}"]
        if part.annexe:
            lines[1] = f"Annexe 2 – {part.libelle.split(':')[-1].strip()}"
        piece = PieceText("piece.docx", "docx", [Block("\n".join(lines), "page 1")])
        assert set(trame(piece, parties)) == {part.code}, part.code


# --- durée ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, years, is_sure",
    [
        ("La présente convention, d'une durée de 6 ans, prend effet à sa signature.", 6, True),
        ("La convention est conclue pour une durée de cinq (5) années.", 5, True),
        ("La présente convention est conclue pour 5 années à compter de sa signature.", 5, True),
        ("Elle est signée pour une durée de sept ans.", 7, False),  # about what? only a proposal
        ("L'OPAH-RU, d'une durée de 5 ans, sera lancée en 2020.", 5, False),
        ("La phase d'initialisation, d'une durée de dix-huit mois au plus.", None, None),
    ],
)
def test_duree(text, years, is_sure):
    found = duree(PieceText("c.docx", "docx", [Block(text, "paragraphe 1")]))
    if years is None:
        assert found is None
    else:
        assert found[0] == years and sure(found[1]) is is_sure


def test_two_durations_that_differ_are_only_proposals():
    blocks = [
        Block("La présente convention a une durée de 5 ans.", "paragraphe 1"),
        Block("La présente convention est conclue pour une durée de six ans.", "paragraphe 2"),
    ]
    assert not sure(duree(PieceText("c.docx", "docx", blocks))[1])


# --- tables of actions and budget ---------------------------------------------------------------------


def test_docx_table_wrapped_header_units_axis_subtotal_and_total_rows(tmp_path):
    rows = [
        ("Axe / Action", "Maître d'ouvrage", "Coût", "Financement(s)"),
        ("", "", "(k€ HT)", ""),
        ("Axe 1 – Habitat", "Axe 1 – Habitat", "Axe 1 – Habitat", "Axe 1 – Habitat"),
        ("Réhabilitation de l'îlot Pasteur", "Ville", "1 200", "État : 400 000 € ; Ville : 800 000 €"),
        ("OPAH-RU", "Intercommunalité", "25 %", ""),
        ("Sous-total axe 1", "", "1 200", ""),
        ("Axe 2 – Commerce", "Axe 2 – Commerce", "Axe 2 – Commerce", "Axe 2 – Commerce"),
        ("Foncière commerciale", "SEM", "1,5 M€", ""),
        ("TOTAL", "TOTAL", "2 700", ""),
    ]
    merges = [(2, 0, 3), (6, 0, 3), (8, 0, 1)]
    piece = docx(tmp_path / "avenant.docx", [("p", "Plan d'actions"), ("t", rows, merges)])
    found = actions(piece)
    assert [(a.intitule, a.maitre_ouvrage, a.cout) for a in found] == [
        ("Réhabilitation de l'îlot Pasteur", "Ville", Decimal("1200000.00")),
        ("OPAH-RU", "Intercommunalité", None),
        ("Foncière commerciale", "SEM", Decimal("1500000.00")),
    ]
    assert all(sure(a.quote) and a.cout_confidence >= SURE for a in found)
    assert found[0].financement == [("État", Decimal("400000.00")), ("Ville", Decimal("800000.00"))]
    total, quote = budget(piece)["total"]
    assert total == Decimal("2700000.00") and quote.where == "tableau 1, ligne 9"


def test_a_sentence_states_the_total_before_a_table_does(tmp_path):
    rows = [
        ("Intitulé", "Porteur", "Montant prévisionnel"),
        ("Halle", "Ville", "1 000 000 €"),
        ("Total", "", "1 000 000 €"),
    ]
    piece = docx(
        tmp_path / "avenant.docx",
        [
            ("p", "Le coût total de l'opération de la halle est de 1 000 000 €."),
            ("p", "Le coût total du programme s'élève à 14,6 M€ HT, hors ingénierie."),
            ("p", "Part des cofinanceurs : 9 200 000 €"),
            ("t", rows),
        ],
    )
    found = budget(piece)
    assert found["total"][0] == Decimal("14600000.00") and sure(found["total"][1])
    assert found["part_cofinanceurs"][0] == Decimal("9200000.00")


def test_an_operation_s_total_alone_is_only_a_proposal(tmp_path):
    piece = docx(tmp_path / "fiche.docx", [("p", "Le coût total de l'opération est estimé à 1 200 000 €.")])
    total = budget(piece).get("total")
    assert total is None or not sure(total[1])


def test_a_table_continued_on_the_next_page_without_its_header():
    header = ("Libellé de l'action", "Porteur", "Budget (€ HT)")
    first = Table(
        "page 2, tableau 1", [Row(header, "page 2, tableau 1, ligne 1"), Row(("Halle", "Ville", "820 000"), "l2")]
    )
    rest = Table(
        "page 3, tableau 1", [Row(("Médiathèque", "Ville", "1 350 000"), "l1"), Row(("TOTAL", "", "2 170 000"), "l2")]
    )
    signatures = Table("page 3, tableau 2", [Row(("Pour la Ville", "Pour l'État"), "l1")])
    piece = PieceText("avenant.pdf", "pdf", [Block("Avenant", "page 1")], [first, rest, signatures])
    assert [(a.intitule, a.cout) for a in actions(piece)] == [
        ("Halle", Decimal("820000.00")),
        ("Médiathèque", Decimal("1350000.00")),
    ]
    total, quote = budget(piece)["total"]
    assert total == Decimal("2170000.00") and sure(quote)  # the sum of the rows above it
    far = PieceText("avenant.pdf", "pdf", [], [first, Table("page 5, tableau 1", rest.rows)])
    assert len(actions(far)) == 1


def test_pdf_table_of_actions_with_amounts_written_every_way(tmp_path):
    rows = [
        ["N°", "Intitulé", "Porteur", "Coût HT"],
        ["1", "Halle couverte", "Ville", "1 200 000 € HT"],
        ["2", "Manager de commerce", "Ville", "1,2 M€"],
        ["3", "Voie verte", "Intercommunalité", "1.200.000 €"],
        ["4", "Maison France Services", "Intercommunalité", "1 200 k€"],
    ]
    piece = pdf(tmp_path / "avenant.pdf", ["IV. Plan d'actions", rows, "Le programme est estimé à 4,8 M€ HT."])
    found = actions(piece)
    assert [a.id for a in found] == ["1", "2", "3", "4"]
    assert {a.cout for a in found} == {Decimal("1200000.00")} and all(a.cout_confidence >= SURE for a in found)
    total, quote = budget(piece)["total"]
    assert total == Decimal("4800000.00") and sure(quote)


@pytest.mark.parametrize(
    "header, expected",
    [
        (("Libellé de l'action", "Maître d'ouvrage", "Coût HT"), {"intitule": 0, "maitre_ouvrage": 1, "cout": 2}),
        (
            ("Axe / Action", "Porteur", "Échéance", "Financement"),
            {"intitule": 0, "maitre_ouvrage": 1, "calendrier": 2, "financeurs": 3},
        ),
        (
            ("Fiche", "Opération", "Montant des financements", "Coût total"),
            {"id": 0, "intitule": 1, "financeurs": 2, "cout": 3},
        ),
    ],
)
def test_column_headings_named_many_ways(header, expected):
    assert table_columns(header) == expected and looks_like_header(list(header))


def test_read_says_whether_absences_are_sure(tmp_path):
    piece = docx(
        tmp_path / "c.docx",
        [("p", f"Article {n} – {p.titre_piece}") for n, p in enumerate(TRAMES["convention_cadre"][:4], 1)],
    )
    reading = read(piece, "convention_cadre")
    assert reading.trame_sure and "traitement_litiges" not in reading.trame


def test_an_annex_s_own_headings_are_no_part_of_the_trame():
    blocks = [
        Block(f"{n}. {title}", f"paragraphe {n}", heading=1)
        for n, title in enumerate(
            ["Diagnostic", "Objectifs généraux", "Périmètres d'intervention", "Plan d'actions"], 1
        )
    ] + [
        Block("Annexe 1 – Fiches actions", "paragraphe 10", heading=1),
        Block("Calendrier", "paragraphe 11", heading=2),  # a fiche's own calendar
        Block("Plan de financement", "paragraphe 12", heading=2),
    ]
    parts = trame(PieceText("avenant.docx", "docx", blocks), TRAME_AVENANT_PARTIES)
    assert "annexe_fiches_actions" in parts
    assert not {"calendrier_general", "budget_financement", "annexe_calendrier_detaille"} & set(parts)
    listed = [Block("ANNEXES", "paragraphe 20", heading=1), Block("1. Calendrier détaillé", "paragraphe 21", heading=2)]
    assert "annexe_calendrier_detaille" in trame(
        PieceText("a.docx", "docx", blocks[:4] + listed), TRAME_AVENANT_PARTIES
    )


def test_a_table_restating_the_actions_adds_none(tmp_path):
    plan = [("Intitulé", "Porteur", "Coût"), ("Halle", "Ville", "1 000 000 €"), ("Gare", "EPCI", "2 000 000 €")]
    calendar = [("Action", "Porteur", "Calendrier"), ("Halle", "Ville", "2019-2020"), ("Gare", "EPCI", "2020-2022")]
    piece = docx(tmp_path / "avenant.docx", [("t", plan), ("t", calendar)])
    assert [a.intitule for a in actions(piece)] == ["Halle", "Gare"]


def test_the_parties_without_a_heading_are_the_parties_part(tmp_path):
    paragraphs = [
        "CONVENTION-CADRE PLURIANNUELLE",
        "ENTRE LES SOUSSIGNÉS :",
        "La Commune de Lauzac, représentée par son maire,",
        "d'une part,",
        "ET",
        "L'État, représenté par le préfet,",
        "d'autre part,",
        "Article 1 – Objectifs poursuivis",
    ]
    parts = trame(docx(tmp_path / "c.docx", [("p", t) for t in paragraphs]), TRAME_CONVENTION_PARTIES)
    assert parts["parties"].text == "ENTRE LES SOUSSIGNÉS :" and sure(parts["parties"])
    assert "parties" not in trame(
        docx(tmp_path / "a.docx", [("p", t) for t in paragraphs[-1:]]), TRAME_CONVENTION_PARTIES
    )


def test_a_calendar_over_two_header_rows_and_month_names(tmp_path):
    rows = [
        ("Intitulé de l'opération", "Maître d'ouvrage", "Calendrier", "", "Coût"),
        ("", "", "Début", "Fin", "(k€ HT)"),
        ("Halle", "Ville", "mars 2018", "juin 2019", "820"),
    ]
    piece = docx(tmp_path / "c.docx", [("t", rows, [(0, 2, 3)])])
    [halle] = actions(piece)
    assert (halle.debut.isoformat(), halle.fin.isoformat(), halle.cout) == (
        "2018-03-01",
        "2019-06-30",
        Decimal("820000.00"),
    )


def test_the_maquette_financiere_gives_the_total_when_nothing_else_does(tmp_path):
    maquette = [("Financeur", "Montant (€)"), ("État", "400 000"), ("Ville", "600 000"), ("Total", "1 000 000")]
    total, quote = budget(docx(tmp_path / "a.docx", [("p", "Maquette financière"), ("t", maquette)]))["total"]
    assert total == Decimal("1000000.00") and sure(quote) and quote.where == "tableau 1, ligne 4"
    wrong = maquette[:3] + [("Total", "1 100 000")]  # not the sum of its lines: only a proposal
    assert not sure(budget(docx(tmp_path / "b.docx", [("t", wrong)]))["total"][1])


def test_a_table_of_contents_proposes_but_the_headings_assert():
    lines = ["Sommaire", "I. Diagnostic 2", "Annexe 3 – Plan des périmètres 12", "AVENANT", "I. Diagnostic", BODY]
    lines += ["II. Objectifs généraux", "III. Périmètres d'intervention"]
    parts = trame(PieceText("a.pdf", "pdf", [Block("\n".join(lines), "page 1")]), TRAME_AVENANT_PARTIES)
    assert parts["diagnostic_afom"].text == "I. Diagnostic" and sure(parts["diagnostic_afom"])
    assert not sure(parts["annexe_plan_perimetres"])  # listed in the contents, never met


def test_a_total_of_part_of_the_actions_is_not_the_programme_s(tmp_path):
    rows = [
        ("Intitulé", "Porteur", "Coût (€)"),
        ("Étude habitat", "Ville", "100 000"),
        ("Total des études", "", "100 000"),
        ("Halle", "Ville", "900 000"),
        ("TOTAL HT", "", "1 000 000"),
        ("TOTAL TTC", "", "1 200 000"),
    ]
    piece = docx(tmp_path / "a.docx", [("t", rows)])
    assert [a.intitule for a in actions(piece)] == ["Étude habitat", "Halle"]
    total, quote = budget(piece)["total"]
    assert total == Decimal("1000000.00") and sure(quote)  # the sum of the actions, not the TTC


@pytest.mark.parametrize(
    "sentence, value, is_sure",
    [
        ("Le coût total du programme s'élève à 14,6 M€ HT (17,5 M€ TTC).", "14600000", True),
        ("Le coût total du programme, fixé à 8 M€ par la convention, est porté à 10 M€.", "8000000", False),
        ("Montant total des subventions sollicitées : 2 000 000 €", "2000000", False),
        ("Montant total du plan d'actions : 4 180 000,00 €", "4180000", True),
    ],
)
def test_budget_sentences(tmp_path, sentence, value, is_sure):
    total, quote = budget(docx(tmp_path / "a.docx", [("p", sentence)]))["total"]
    assert total == Decimal(value) and sure(quote) is is_sure


def test_bare_numbers_under_a_heading_without_unit_are_sure_when_they_sum_to_a_written_total(tmp_path):
    rows = [("Intitulé", "Porteur", "Coût"), ("Halle", "Ville", "1 200 000"), ("Gare", "EPCI", "800 000")]
    alone = actions(docx(tmp_path / "a.docx", [("t", rows)]))
    assert [a.cout for a in alone] == [Decimal("1200000.00"), Decimal("800000.00")]
    assert all(a.cout_confidence < SURE for a in alone)  # euros, or k€?
    stated = docx(tmp_path / "b.docx", [("p", "Le coût total du programme est de 2 000 000 €."), ("t", rows)])
    assert all(a.cout_confidence >= SURE for a in actions(stated))


def test_a_total_in_an_unknown_unit_is_only_a_proposal(tmp_path):
    rows = [
        ("Intitulé", "Porteur", "Coût"),
        ("Halle", "Ville", "1 200"),
        ("Gare", "EPCI", "800"),
        ("Total", "", "2 000"),
    ]
    total, quote = budget(docx(tmp_path / "a.docx", [("t", rows)]))["total"]
    assert total == Decimal("2000.00") and not sure(quote)  # 2 000 €, or 2 000 k€?


def test_a_heading_the_motifs_do_not_know_makes_a_near_absence_doubtful(tmp_path):
    known = ["Article 1 – Parties", "Article 2 – Préambule", "Article 3 – Engagements des parties"]
    unknown = docx(
        tmp_path / "a.docx", [("p", h) for h in known + ["Article 4 – Bilan annuel et suivi des indicateurs"]]
    )
    assert "suivi_evaluation" in trame(unknown, TRAME_CONVENTION_PARTIES)  # « indicateurs »: a proposal at least
    odd = docx(tmp_path / "b.docx", [("p", h) for h in known + ["Article 4 – Traitement des désaccords"]])
    assert "traitement_litiges" not in trame(odd, TRAME_CONVENTION_PARTIES)
    assert not trame_sure(odd, TRAME_CONVENTION_PARTIES)  # « Traitement » names no part: litiges, perhaps
    unrelated = docx(tmp_path / "c.docx", [("p", h) for h in known + ["Article 4 – Communication et logos"]])
    assert trame_sure(unrelated, TRAME_CONVENTION_PARTIES)


def test_another_table_on_the_next_page_is_no_continuation():
    header = ("Libellé de l'action", "Porteur", "Budget (€ HT)")
    first = Table("page 2, tableau 1", [Row(header, "l1"), Row(("Halle", "Ville", "820 000"), "l2")])
    maquette = Table(
        "page 3, tableau 1", [Row(("Financeur", "Part", "Observations"), "l1"), Row(("État", "40 %", ""), "l2")]
    )
    assert [a.intitule for a in actions(PieceText("a.pdf", "pdf", [], [first, maquette]))] == ["Halle"]


def test_a_list_of_annexes_only_proposes_them(tmp_path):
    body = [f"Article {n} – {t}" for n, t in enumerate(["Parties", "Préambule", "Engagements des parties"], 1)]
    listed = body + [
        "Article 4 – Liste des annexes",
        "Annexe 1 – Fiches actions matures",
        "Annexe 2 – Plan de situation",
    ]
    parts = trame(docx(tmp_path / "a.docx", [("p", t) for t in listed]), TRAME_CONVENTION_PARTIES)
    assert not sure(parts["annexe_fiches_matures"])
    attached = body + ["Annexe 1 – Fiches actions matures", "Fiche action – Halle couverte"]
    parts = trame(docx(tmp_path / "b.docx", [("p", t) for t in attached]), TRAME_CONVENTION_PARTIES)
    assert sure(parts["annexe_fiches_matures"])


def test_annexes_each_followed_by_its_table_are_the_annexes_not_a_list(tmp_path):
    items = [("p", "Article 1 – Diagnostic"), ("p", "Article 2 – Plan d'actions"), ("p", BODY)]
    items += [("p", "Annexe 1 – Calendrier détaillé"), ("t", [["Action", "Début", "Fin"], ["Halle", "2019", "2021"]])]
    items += [("p", "Annexe 2 – Budget détaillé"), ("t", [["Financeur", "Montant"], ["Anah", "40 000 €"]])]
    for name, piece in (("a.docx", docx(tmp_path / "a.docx", items)),):
        parts = trame(piece, TRAME_AVENANT_PARTIES)
        assert sure(parts["annexe_calendrier_detaille"]) and sure(parts["annexe_budget_detaille"]), name


def test_the_parties_block_is_the_parties_part_without_a_heading_over_it(tmp_path):
    items = [
        ("p", "CONVENTION-CADRE PLURIANNUELLE ACTION CŒUR DE VILLE"),
        ("p", "La présente convention est conclue entre :"),
        ("p", "– la Commune de Lauzac, représentée par M. Jean DUPONT, Maire de Lauzac ;"),
        ("p", "– la Communauté de communes du Val de Lauze, représentée par Mme Marie DURAND, Présidente ;"),
        ("h", "Article 1 – Objet de la convention"),
        ("p", BODY),
    ]
    reading = read(docx(tmp_path / "c.docx", items), "convention_cadre")
    assert sure(reading.trame["parties"]) and "Lauzac" in reading.trame["parties"].text


def test_a_total_cut_by_the_end_of_a_line_is_read_whole():
    piece = PieceText(
        "c.pdf", "pdf", [Block("Le coût total du programme s'élève à 3 695\n000 € HT pour six ans.", "page 2")]
    )
    value, quote = budget(piece)["total"]
    assert value == Decimal("3695000") and sure(quote)


def test_a_heading_after_the_signatures_is_an_annex(tmp_path):
    items = [("h", "1. Préambule et objectifs poursuivis"), ("p", BODY), ("h", "2. Engagement général des parties")]
    items += [("p", BODY), ("p", "Fait à Pont-Aubert, le 28 septembre 2018"), ("p", "Pour la Ville, Le Maire")]
    items += [("h", "Fiches actions matures"), ("p", BODY)]
    parts = trame(docx(tmp_path / "c.docx", items), TRAME_CONVENTION_PARTIES)
    assert sure(parts["annexe_fiches_matures"])


def test_a_cost_column_headed_by_its_unit_alone():
    rows = [("Opération", "Porteur", "Période", "k€ HT"), ("Halle gourmande", "Ville", "2027", "870")]
    rows.append(("Recyclage de l'îlot Saint-Jacques", "Ville", "2026-2028", "1 200,5"))
    table = Table("page 1, tableau 1", [Row(r, f"page 1, tableau 1, ligne {n}") for n, r in enumerate(rows, 1)])
    piece = PieceText("a.pdf", "pdf", [Block("Avenant n° 2", "page 1")], [table])
    assert [(a.intitule, a.cout) for a in actions(piece)] == [
        ("Halle gourmande", Decimal("870000")),
        ("Recyclage de l'îlot Saint-Jacques", Decimal("1200500")),
    ]


def test_a_row_whose_words_look_like_headings_is_still_an_action():
    rows = [("Axe / action", "Porteur", "Coût ou taux d'aide"), ("Axe 1 – Habitat", "", "")]
    rows += [("Opération façades du centre historique", "Ville", "30 % des travaux")]
    rows += [("Étude de revitalisation de l'îlot de la Poste", "CAPV", "72 000 €")]
    table = Table("tableau 1", [Row(r, f"tableau 1, ligne {n}") for n, r in enumerate(rows, 1)])
    piece = PieceText("c.docx", "docx", [Block("Convention-cadre", "paragraphe 1")], [table])
    assert [(a.intitule, a.cout) for a in actions(piece)] == [
        ("Opération façades du centre historique", None),
        ("Étude de revitalisation de l'îlot de la Poste", Decimal("72000")),
    ]


def test_a_total_of_the_costed_actions_is_the_programme_total():
    rows = [("Axe / action", "Porteur", "Coût"), ("Étude de l'îlot de la Poste", "CAPV", "72 000 €")]
    rows += [("Pôle d'échanges de la gare", "CAPV", "3 100 000 €"), ("Total des actions chiffrées", "", "3 172 000 €")]
    table = Table("tableau 1", [Row(r, f"tableau 1, ligne {n}") for n, r in enumerate(rows, 1)])
    piece = PieceText("c.docx", "docx", [Block("Convention-cadre", "paragraphe 1")], [table])
    value, quote = budget(piece)["total"]
    assert value == Decimal("3172000") and sure(quote)
