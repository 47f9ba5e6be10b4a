"""The held-out corpus (instruct.samples.corpus.inedits) is well formed: every piece has a truth
that validates and says it is fictitious, the readable pieces say so in their text, the counts the
brief asks for are there, and regenerating it gives the committed bytes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from instruct.samples.corpus import inedits
from instruct.samples.corpus.truth import FICTIF, corpus

FOLDER = Path(__file__).parent / "corpus" / "inedits"
SIZE_LIMIT = 4_000_000


def _text_docx(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _text_pdf(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


@pytest.fixture(scope="module")
def pieces():
    return corpus(FOLDER)


def test_every_file_has_its_truth(pieces):
    names = {path.name for path, _ in pieces}
    files = {p.name for p in FOLDER.iterdir() if not p.name.endswith(".verite.json")}
    assert files == names
    assert all(truth.fictif == FICTIF for _, truth in pieces)
    assert sum(p.stat().st_size for p in FOLDER.iterdir()) < SIZE_LIMIT


def test_counts_per_kind(pieces):
    readable = Counter(t.type for _, t in pieces if t.probleme is None)
    assert readable["convention_cadre"] >= 9
    assert readable["avenant"] >= 7
    assert readable["deliberation"] >= 3
    assert readable["note_projet_urbain"] + readable["note_utilite_immeubles"] >= 2
    assert sum(1 for _, t in pieces if t.probleme) >= 3
    assert sum(1 for _, t in pieces if "LibreOffice" in t.style) >= 5


def test_readable_pieces_say_they_are_fictitious(pieces):
    from docx import Document

    for path, truth in pieces:
        if truth.probleme:
            continue
        if path.suffix == ".docx":
            assert FICTIF in Document(str(path)).core_properties.comments
            text = _text_docx(path)
        else:
            text = _text_pdf(path)
        assert FICTIF in _flat(text), path.name


def _variants(text: str) -> tuple[str, str]:
    """The flattened text with the line-end hyphens kept (« Occitaine-Vallées ») and removed
    (« délibération »): a name cut at a line end is found in one of them."""
    flat = _flat(text)
    return flat.replace("- ", "-"), flat.replace("- ", "")


def test_truth_is_in_the_text(pieces):
    """What the truth says of the parties and the actions is written in each readable piece (a
    check on the generator: the truth and the file come from the same data)."""
    for path, truth in pieces:
        if truth.probleme:
            continue
        variants = _variants(_text_docx(path) if path.suffix == ".docx" else _text_pdf(path))
        expected = [a.intitule for a in truth.actions or []]
        for partie in truth.parties or []:
            expected += [partie.organisme] + ([partie.representant] if partie.representant else [])
        for value in expected:
            assert any(_flat(value) in text for text in variants), (path.name, value)


def test_avenants_have_a_number_and_unreadable_pieces_nothing_else(pieces):
    for _, truth in pieces:
        if truth.type == "avenant":
            assert truth.numero
        if truth.probleme:
            assert truth.parties is None and truth.actions is None and truth.signataires is None


def test_regeneration_gives_the_committed_files(tmp_path):
    notes = inedits.generate(tmp_path, office=False)
    assert all("soffice" in note for note in notes)
    produced = sorted(p.name for p in tmp_path.iterdir())
    assert produced == sorted(p.name for p in FOLDER.iterdir())
    for name in produced:
        assert (tmp_path / name).read_bytes() == (FOLDER / name).read_bytes(), name
