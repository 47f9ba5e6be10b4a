"""The témoins corpus (instruct.samples.corpus.temoins): every piece has a truth that validates and
says it is fictitious, and regeneration gives the committed files back. No test needs LibreOffice:
its outputs are the committed ones."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from instruct.samples.corpus import temoins
from instruct.samples.corpus.temoins_pieces import PIECES
from instruct.samples.corpus.truth import FICTIF, corpus
from instruct.vocabulary import TRAMES

FOLDER = Path(__file__).parent / "corpus" / "temoins"


def _pieces():
    return corpus(FOLDER)


def test_every_piece_has_a_valid_truth():
    pieces = _pieces()
    names = {p.name for p in FOLDER.iterdir() if not p.name.endswith(".verite.json")}
    assert {path.name for path, _ in pieces} == names
    assert len(pieces) == len(PIECES) >= 20
    for path, truth in pieces:
        assert path.exists(), path
        assert truth.fictif == FICTIF
        if truth.type in TRAMES:
            codes = {p.code for p in TRAMES[truth.type]}
            assert set(truth.trame or []) <= codes, path.name
        if truth.probleme:
            assert truth.parties is None and truth.actions is None, path.name


def test_counts_per_kind_and_format():
    pieces = _pieces()
    kinds = [t.type for _, t in pieces if not t.probleme]
    assert kinds.count("convention_cadre") >= 8
    assert kinds.count("avenant") >= 6
    assert kinds.count("deliberation") >= 2
    assert sum(1 for _, t in pieces if t.probleme) >= 2
    assert sum(1 for p in PIECES if p[1] == "office") >= 3
    assert {t.numero for _, t in pieces if t.type == "avenant" and not t.probleme} == {1, 2, 3}
    assert sum(p.stat().st_size for p in FOLDER.iterdir()) < 3_000_000


def _text(path: Path) -> str:
    if path.suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
        assert FICTIF in (d.core_properties.comments or "")
        return "\n".join(parts)
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.mark.parametrize("name", [p[0] for p in PIECES if p[1] != "raw"])
def test_readable_pieces_say_they_are_fictitious(name):
    path = next(FOLDER.glob(name + ".*[!n]"))
    text = " ".join(_text(path).split()).lower()
    assert FICTIF in text


def test_unreadable_pieces_are_what_their_truth_says():
    from pypdf import PdfReader

    problems = {t.probleme: path for path, t in _pieces() if t.probleme}
    assert PdfReader(str(problems["chiffre"])).is_encrypted
    scan = PdfReader(str(problems["scanne"]))
    assert scan.pages[0].extract_text().strip() == ""
    assert list(scan.pages[0].images)


def _docx_body(data: bytes) -> dict:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist()}


def test_regeneration_is_deterministic(tmp_path):
    notes = temoins.generate(tmp_path, office=False)
    office = {p[0] + ".pdf" for p in PIECES if p[1] == "office"}
    assert {n.split(" ")[0] for n in notes} == office
    for path in sorted(FOLDER.iterdir()):
        fresh = (tmp_path / path.name).read_bytes()
        assert fresh == path.read_bytes(), path.name
