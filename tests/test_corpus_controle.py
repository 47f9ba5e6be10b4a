"""The control corpus (instruct/samples/corpus/controle*): written independently of the reader. Every
piece has a truth that validates and says it is fictitious; regeneration is deterministic and
never needs LibreOffice (its two PDFs are kept as committed)."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import docx
import pypdf
import pytest

from instruct.samples.corpus import controle
from instruct.samples.corpus.truth import FICTIF, corpus, truth_path

DOSSIER = Path(__file__).parent / "corpus" / "controle"
PIECES = corpus(DOSSIER)


def _texte(path: Path) -> str:
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        morceaux = [p.text for p in document.paragraphs]
        morceaux += [p.text for s in document.sections for p in s.footer.paragraphs]
        return "\n".join(morceaux)
    lecteur = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() or "" for page in lecteur.pages)


def test_the_corpus_has_its_kinds_and_formats():
    kinds = Counter(t.type for _, t in PIECES if t.probleme is None)
    assert kinds["convention_cadre"] >= 6
    assert kinds["avenant"] >= 4
    assert kinds["deliberation"] >= 2
    assert any(t.probleme for _, t in PIECES)
    formats = Counter(p.format for p in controle.pieces())
    assert formats["docx"] >= 4 and formats["pdf"] >= 4 and formats["office"] == 2
    assert len(PIECES) == len(controle.pieces()) >= 14


@pytest.mark.parametrize(("path", "truth"), PIECES, ids=[p.name for p, _ in PIECES])
def test_each_piece_is_fictitious_small_and_readable_as_its_truth_says(path, truth):
    assert path.exists() and path.stat().st_size < 2_000_000
    assert truth.fictif == FICTIF
    assert truth_path(path).exists()
    if truth.probleme == "chiffre":
        assert pypdf.PdfReader(io.BytesIO(path.read_bytes())).is_encrypted
        return
    texte = _texte(path)
    if truth.probleme == "scanne":
        assert not texte.strip()  # no text layer
        return
    assert FICTIF in " ".join(texte.split())
    if path.suffix == ".docx":
        proprietes = docx.Document(str(path)).core_properties
        assert FICTIF in proprietes.subject and FICTIF in proprietes.comments
    if truth.type in ("convention_cadre", "avenant"):
        assert truth.trame and truth.parties and truth.signataires and truth.date_signature
    for action in truth.actions or []:
        assert not action.intitule.upper().startswith(("TOTAL", "AXE"))


def test_regeneration_is_deterministic_without_libreoffice(tmp_path):
    notes = controle.build(tmp_path, soffice=False)
    assert len(notes) == 2  # the LibreOffice PDFs, copied as committed
    produits = sorted(p.name for p in tmp_path.iterdir())
    assert produits == sorted(p.name for p in DOSSIER.iterdir())
    for name in produits:
        assert (tmp_path / name).read_bytes() == (DOSSIER / name).read_bytes(), name
