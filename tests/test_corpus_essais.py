"""The « essais » corpus is well formed: every piece has a truth that validates and says the piece
is fictitious, the truth agrees with what the piece says, the unreadable pieces really cannot be
read, the corpus covers the kinds and formats it claims, and regenerating it gives the same bytes."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pypdfium2
import pytest
from docx import Document

from instruct.samples.corpus import essais
from instruct.samples.corpus.essais_docx import fingerprint
from instruct.samples.corpus.truth import FICTIF, Verite, corpus, truth_path

FOLDER = Path(__file__).parent / "corpus" / "essais"
PIECES = corpus(FOLDER)
PAGE = re.compile(r"^\s*(Page )?\d+( / \d+)?\s*$")
READABLE = [(path, truth) for path, truth in PIECES if truth.probleme is None]


def _text(path: Path) -> str:
    """All the text a piece holds, its soft hyphens and spaces gone (lines re-joined)."""
    if path.suffix == ".docx":
        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
        parts += list(
            re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", zipfile.ZipFile(path).read("word/document.xml").decode())
        )
        text = "\n".join(parts)
    else:
        pdf = pypdfium2.PdfDocument(str(path))
        pages = [pdf[i].get_textpage().get_text_range().splitlines() for i in range(len(pdf))]
        pdf.close()
        running = set.intersection(*(set(p) for p in pages)) if len(pages) > 1 else set()  # header, footer
        text = "\n".join(line for page in pages for line in page if line not in running and not PAGE.match(line))
    return _squeeze(text)


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u00ad\ufffe\ufffd\-\u2010\u2011]+", "", text.replace("&apos;", "'")).casefold()


def test_every_piece_has_a_truth_that_validates():
    truths = {p.name for p in FOLDER.glob("*.verite.json")}
    pieces = {p.name for p in FOLDER.iterdir() if not p.name.endswith(".verite.json")}
    assert {t.removesuffix(".verite.json") for t in truths} == pieces
    assert len(PIECES) >= 45
    for path, truth in PIECES:
        assert path.exists() and truth_path(path).exists()
        assert truth.fictif == FICTIF
        assert truth.style.strip() and "\n" not in truth.style
        if truth.probleme:
            assert truth.type is None and truth.parties is None and truth.actions is None and truth.signataires is None


def test_every_readable_piece_says_it_is_fictitious():
    for path, _ in READABLE:
        assert _squeeze(FICTIF) in _text(path), path.name
        if path.suffix == ".docx":  # and its core properties say it too (LibreOffice keeps them)
            assert FICTIF in zipfile.ZipFile(path).read("docProps/core.xml").decode("utf-8"), path.name


@pytest.mark.parametrize("path,truth", READABLE, ids=[p.name for p, _ in READABLE])
def test_the_truth_is_what_the_piece_says(path: Path, truth: Verite):
    text = _text(path)
    noisy = "OCR" in truth.style
    scanned_signatures = "numérisée" in truth.style
    wanted = []
    for partie in truth.parties or []:
        wanted.append(partie.representant)
        if not noisy:
            wanted.append(partie.organisme)
    if not scanned_signatures:
        wanted += [s.nom for s in truth.signataires or [] if s.nom]
    wanted += [a.intitule for a in truth.actions or []]
    for value in wanted:
        assert value and _squeeze(value) in text, f"{path.name}: {value}"
    for partie in truth.parties or []:  # a party is authorised before it signs
        assert not (partie.deliberation and truth.date_signature) or partie.deliberation < truth.date_signature
    if truth.numero:
        ordinal = ["", "premier", "deuxième", "troisième"][truth.numero]
        assert f"avenantn°{truth.numero}" in text or f"{ordinal}avenant" in text, path.name
    if truth.duree_annees:
        assert re.search(rf"\b{truth.duree_annees}\)?ans|pour{truth.duree_annees}ans", text), path.name
    if truth.actions:
        costs = [a.cout for a in truth.actions]
        assert all(c is None for c in costs) or all(c is not None for c in costs)
        if truth.budget_total and costs[0] is not None:
            assert sum(costs) == truth.budget_total


def test_the_unreadable_pieces_cannot_be_read():
    problems = Counter()
    for path, truth in PIECES:
        if not truth.probleme:
            continue
        problems[truth.probleme] += 1
        if truth.probleme == "docx_corrompu":
            with pytest.raises(zipfile.BadZipFile):
                zipfile.ZipFile(path)
        elif truth.probleme == "scanne":
            pdf = pypdfium2.PdfDocument(str(path))
            assert len(pdf) >= 1 and all(not pdf[i].get_textpage().get_text_range().strip() for i in range(len(pdf)))
            pdf.close()
        else:
            with pytest.raises(pypdfium2.PdfiumError):
                pypdfium2.PdfDocument(str(path))
    assert set(problems) == {"scanne", "tronque", "endommage", "chiffre", "pas_un_pdf", "docx_corrompu"}


def test_the_corpus_covers_the_kinds_and_formats():
    kinds = Counter(t.type for _, t in PIECES)
    assert kinds["convention_cadre"] >= 14 and kinds["avenant"] >= 10 and kinds["deliberation"] >= 4
    assert kinds["note_projet_urbain"] + kinds["note_utilite_immeubles"] >= 3 and kinds["plan_situation"] >= 1
    assert sum(1 for _, t in PIECES if t.probleme) >= 5
    assert {t.numero for _, t in PIECES if t.type == "avenant"} == {1, 2, 3}
    office_pdf = [p for p, _ in READABLE if p.suffix == ".pdf" and "LibreOffice" in _info(p, "Producer")]
    office_docx = [
        p for p, _ in READABLE if p.suffix == ".docx" and b"LibreOffice" in zipfile.ZipFile(p).read("docProps/app.xml")
    ]
    assert len(office_pdf) >= 6 and len(office_docx) >= 2
    assert sum(p.stat().st_size for p in FOLDER.iterdir()) < 6_000_000
    pages = {p.name: len(pypdfium2.PdfDocument(str(p))) for p, _ in READABLE if p.suffix == ".pdf"}
    long = [name for name, n in pages.items() if n > 15]
    assert len(long) == 1 and 50 <= pages[long[0]] <= 70
    assert all(1 <= n <= 15 for name, n in pages.items() if name not in long)


def _info(path: Path, key: str) -> str:
    """An entry of a PDF's information dictionary (« Producer », « Keywords »), decoded."""
    match = re.search(rb"/" + key.encode() + rb"\s*(<[0-9A-Fa-f]+>|\([^)]*\))", path.read_bytes())
    if not match:
        return ""
    value = match[1]
    if value.startswith(b"<"):
        return bytes.fromhex(value[1:-1].decode()).decode("utf-16")
    return value[1:-1].decode("latin-1")


def test_the_libreoffice_outputs_are_those_of_their_recipes():
    """Each LibreOffice output carries the fingerprint of the DOCX it was made from (in its keywords):
    a recipe changed without soffice at hand leaves a stale output, which this test tells."""
    office = [piece for piece in essais.pieces() if piece.writer in essais.OFFICE_WRITERS]
    assert len(office) == 8
    for piece in office:
        path = FOLDER / piece.name
        if path.suffix == ".docx":
            keywords = zipfile.ZipFile(path).read("docProps/core.xml").decode("utf-8")
        else:
            keywords = _info(path, "Keywords")
        assert fingerprint(piece) in keywords, f"{piece.name} : à régénérer avec LibreOffice"


def test_regeneration_gives_the_same_bytes(tmp_path: Path, capsys):
    assert essais.main([str(tmp_path), "--sans-libreoffice"]) == 0
    out = capsys.readouterr().out
    assert f"{len(PIECES)} pièces écrites" in out
    committed = sorted(p.name for p in FOLDER.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (FOLDER / name).read_bytes(), name


def test_without_libreoffice_the_committed_outputs_are_kept(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setattr(essais, "soffice", lambda: None)
    assert essais.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "LibreOffice (soffice) introuvable" in out and "gardé : 8" in out
    for name in ("ce16_aiguebelle_convention_lo.pdf", "ae13_rocheval_avenant1_lo.docx"):
        assert (tmp_path / name).read_bytes() == (FOLDER / name).read_bytes()
