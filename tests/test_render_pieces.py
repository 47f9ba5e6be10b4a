"""Sample pieces rendered from a dossier: same bytes on every run, the committed samples up to
date, and the text a reader finds in them (headings, parties, table of actions, budget)."""

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLES
from docx import Document
from pypdf import PdfReader

from instruct.documents.load import load
from instruct.samples.render_pieces import (
    CONVENTION_PARTS,
    TABLE_HEADER,
    avenant_pdf,
    convention_docx,
    corrupt_pdf,
    main,
    scanned_pdf,
    simple_pdf,
)


@pytest.fixture(scope="module")
def villebelle():
    return load(SAMPLES / "villebelle").dossier


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_same_bytes_on_every_run(villebelle, tmp_path):
    for name, render in [
        ("c.docx", lambda p: convention_docx(villebelle, p, omit_signataires={"anah"})),
        ("a.pdf", lambda p: avenant_pdf(villebelle, p, total_override=Decimal("1.00"))),
        ("s.pdf", lambda p: scanned_pdf(p)),
        ("n.pdf", lambda p: simple_pdf(p, "Note de projet urbain", ["Un paragraphe.", "Un autre."])),
    ]:
        render(tmp_path / f"1-{name}")
        render(tmp_path / f"2-{name}")
        assert (tmp_path / f"1-{name}").read_bytes() == (tmp_path / f"2-{name}").read_bytes(), name


def test_committed_samples_are_up_to_date(tmp_path):
    written = main(SAMPLES, tmp_path)
    assert len(written) == 12
    for path in written:
        relative = path.relative_to(tmp_path)
        committed = SAMPLES / relative
        assert committed.is_file(), f"{relative} absent de samples/ : lancer `make samples`"
        assert committed.read_bytes() == path.read_bytes(), f"samples/{relative} périmé : lancer `make samples`"
    assert not (SAMPLES / "rochebrune" / "dossier.yaml").exists()  # a documents-only sample


def test_convention_docx_headings_table_and_parties(villebelle, tmp_path):
    path = convention_docx(villebelle, tmp_path / "c.docx")
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Convention-cadre pluriannuelle Action Cœur de Ville"
    assert texts[1] == "Villebelle – Communauté d'agglomération du Val de Belle"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"Article {n} – {title}" for n, title in enumerate(CONVENTION_PARTS.values(), 1)] + [
        "Annexe 1 – Fiches actions matures"
    ]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == TABLE_HEADER
    assert [c.text for c in table.rows[1].cells] == [
        "FA-01",
        "Étude pré-opérationnelle OPAH-RU",
        "CA du Val de Belle",
        "10/2018 – 06/2019",
        "80 000,00 €",
        "Anah : 40 000,00 € ; Banque des Territoires : 20 000,00 € ; CA du Val de Belle : 20 000,00 €",
    ]
    assert len(table.rows) == 3  # the two mature fiches
    start = texts.index("ENTRE")
    assert texts[start + 1] == (
        "La Commune de Villebelle, représentée par Claire Martin, maire, dûment habilité(e) par "
        "délibération du 5 juillet 2018,"
    )
    assert texts[start + 3] == "ci-après, les « Collectivités bénéficiaires » ;"
    assert texts[start + 4] == "ET"
    assert texts[start + 5] == "L'État, représenté par Anne Leroy, préfète,"
    assert "Action Logement Services, représenté par son représentant légal," in texts
    assert "AINSI QUE" not in texts  # no other partner signed
    assert "Il est convenu ce qui suit." in texts
    fait = texts.index("Fait à Villebelle, le 28 septembre 2018, en 6 exemplaires originaux.")
    assert texts[fait + 1] == "Pour la Commune de Villebelle, Claire Martin, maire"
    assert texts[fait + 3] == "Pour l'État, Anne Leroy, préfète"
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == [
        "Fiche action FA-01 – Étude pré-opérationnelle OPAH-RU",
        "Fiche action FA-02 – Manager de centre-ville",
    ]
    props = doc.core_properties
    assert props.author == "acv-instruct" and props.created.year == 2026


def test_omitted_parts_are_renumbered_and_signatory_dropped(tmp_path):
    dossier = load(SAMPLES / "montclair").dossier
    path = convention_docx(
        dossier, tmp_path / "c.docx", omit_parts={"suivi_evaluation", "traitement_litiges"}, omit_signataires={"anah"}
    )
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Article 6 – Durée, évolution et fonctionnement général de la convention" in headings
    assert not [h for h in headings if "Modalités de suivi" in h or "litiges" in h]
    assert headings[-1] == "Annexe 1 – Fiches actions matures" and len(headings) == 7
    texts = [p.text for p in doc.paragraphs]
    assert not [t for t in texts if "Anah" in t and ("représentée" in t or t.startswith("Pour "))]
    assert "Fait à Montclair-sur-Lys, le 16 mars 2026, en 5 exemplaires originaux." in texts
    assert (
        "La Commune de Montclair-sur-Lys, représentée par son représentant légal, dûment habilité(e) par délibération "
        "du 5 février 2026," in texts
    )
    row = [c.text for c in doc.tables[0].rows[2].cells]
    assert row == ["MC-02", "Animation commerciale", "", "", "", ""]  # absent values: empty cells


def test_avenant_pdf_text(villebelle, tmp_path):
    text = pdf_text(avenant_pdf(villebelle, tmp_path / "a.pdf"))
    lines = text.splitlines()
    assert "Montant total du plan d'actions : 1 430 000,00 €" in lines
    assert "Part des cofinanceurs : 880 000,00 €" in lines and "Part du porteur : 550 000,00 €" in lines
    assert "ENTRE" in lines and "ET" in lines and "AINSI QUE" not in lines
    assert "valant convention d'opération de revitalisation de territoire (ORT)" in text
    headings = [
        "I. Diagnostic du territoire (analyse AFOM)",
        "II. Objectifs généraux et par axe",
        "III. Périmètres d'intervention",
        "IV. Plan d'actions",
        "V. Calendrier général",
        "VI. Budget et financement",
        "Annexe 1 – Livrables des études",
        "Annexe 2 – Document de présentation du projet",
        "Annexe 3 – Plan des périmètres",
        "Annexe 4 – Calendrier détaillé",
        "Annexe 5 – Budget détaillé",
        "Annexe 6 – Fiches actions",
    ]
    assert [h for h in headings if h not in lines] == []
    assert "Fait à Villebelle, le 10 décembre 2019, en 6 exemplaires originaux." in lines
    assert "Pour l'État" in lines
    for cell in ("FA-01", "Rénovation de la", "1 950 000,00 €", "Calendrier", "Financeurs"):
        assert cell in lines  # table cells come out one fragment a line


def test_avenant_options(tmp_path):
    dossier = load(SAMPLES / "saint-aubin").dossier
    path = avenant_pdf(
        dossier,
        tmp_path / "a.pdf",
        omit_parts={"perimetres_intervention", "annexe_livrables_etudes"},
        omit_signataires={"prefet"},
        total_override=Decimal("2450000.00"),
    )
    lines = pdf_text(path).splitlines()
    assert "Montant total du plan d'actions : 2 450 000,00 €" in lines
    assert "III. Plan d'actions" in lines and "V. Budget et financement" in lines
    assert not [line for line in lines if "Périmètres d'intervention" in line or "Livrables" in line]
    assert "Annexe 1 – Document de présentation du projet" in lines
    assert not [line for line in lines if line.startswith(("L'État", "Pour l'État"))]
    # no signataires of its own: those of the convention-cadre (5), less the préfet
    assert "Fait à Saint-Aubin-les-Forges, le 15 septembre 2020, en 4 exemplaires originaux." in lines


def test_other_partners_block(tmp_path):
    dossier = load(SAMPLES / "sources" / "rochebrune.yaml").dossier
    lines = pdf_text(avenant_pdf(dossier, tmp_path / "a.pdf")).splitlines()
    i = lines.index("AINSI QUE")
    assert lines[i + 1].startswith("Le Département de l'Aure, représenté par Françoise Delmas")
    assert "ci-après, les « Autres partenaires locaux » ;" in lines[i + 1 : i + 4]
    assert "Pour le Département de l'Aure, Françoise Delmas, présidente du conseil départemental" in lines


def test_avenant_of_60_pages(villebelle, tmp_path):
    path = avenant_pdf(villebelle, tmp_path / "a.pdf", pages=60)
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 60
    assert "Montant total du plan d'actions : 1 430 000,00 €" in reader.pages[-1].extract_text() + "".join(
        p.extract_text() for p in reader.pages[-8:]
    )


def test_scanned_pdf_has_pages_but_no_text(tmp_path):
    reader = PdfReader(str(scanned_pdf(tmp_path / "s.pdf", pages=3)))
    assert len(reader.pages) == 3
    assert all(not page.extract_text().strip() for page in reader.pages)


def test_corrupt_pdf_does_not_read(tmp_path):
    path = corrupt_pdf(tmp_path / "c.pdf")
    assert path.read_bytes().startswith(b"%PDF-1.7")
    try:
        pages = len(PdfReader(str(path)).pages)
    except Exception:  # pypdf refuses it outright
        pages = 0
    assert pages == 0


def test_simple_pdf(tmp_path):
    text = pdf_text(
        simple_pdf(tmp_path / "n.pdf", "Note de projet urbain – Villebelle", ["Le centre ancien œuvre à 12 500,00 €."])
    )
    assert "Note de projet urbain – Villebelle" in text and "Le centre ancien œuvre à 12 500,00 €." in text
