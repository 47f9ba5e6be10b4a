"""The « essais » corpus: fictitious pieces written the many ways towns write them, each with its
ground truth (« NAME.ext.verite.json »), for the reader's developers.

    python -m instruct.samples.corpus.essais DOSSIER [--sans-libreoffice]

Deterministic: two runs give the same bytes. The pieces exported or re-saved by LibreOffice are
rebuilt when `soffice` is installed (their dates and identifiers made fixed); without it, or with
--sans-libreoffice, the committed ones are kept (copied from tests/corpus/essais when DOSSIER is
another folder)."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from instruct.samples.corpus.essais_avenants import avenants
from instruct.samples.corpus.essais_broken import write_broken
from instruct.samples.corpus.essais_build import build
from instruct.samples.corpus.essais_docx import render_docx
from instruct.samples.corpus.essais_extra import extra_pieces
from instruct.samples.corpus.essais_model import Piece, noisy
from instruct.samples.corpus.essais_office import convert, fixed_docx, fixed_pdf, soffice
from instruct.samples.corpus.essais_other import plan_drawing
from instruct.samples.corpus.essais_pdf import render_pdf
from instruct.samples.corpus.essais_recipes import conventions
from instruct.samples.corpus.truth import write_truth
from instruct.samples.piece_text import write_file

COMMITTED = Path(__file__).resolve().parents[3] / "tests" / "corpus" / "essais"
OFFICE_WRITERS = {"office_pdf": "pdf", "office_docx": "docx"}


def pieces() -> list[Piece]:
    """Every piece of the corpus, in the order of its recipes."""
    out = []
    for recipe in conventions() + avenants():
        piece = build(recipe)
        out.append(noisy(piece) if recipe.get("ocr") else piece)
    return out + extra_pieces()


def _office(piece: Piece, path: Path, libreoffice: bool) -> str:
    """Writes a LibreOffice piece: « converti », « gardé » (the one there, or the committed one), or « absent »."""
    data = None
    if libreoffice:
        with tempfile.TemporaryDirectory(prefix="essais-") as tmp:
            source = Path(tmp, Path(piece.name).stem + ".docx")
            render_docx(piece, source)
            data = convert(source, OFFICE_WRITERS[piece.writer])
    if data:
        write_file(path, fixed_pdf(data) if piece.writer == "office_pdf" else fixed_docx(data))
        return "converti"
    committed = COMMITTED / piece.name
    if not path.exists() and committed.exists():
        shutil.copyfile(committed, path)
    return "gardé" if path.exists() else "absent"


def write(piece: Piece, outdir: Path, libreoffice: bool = True) -> str:
    """Writes the piece and its truth; says what was done."""
    path = outdir / piece.name
    done = "écrit"
    if piece.writer == "docx":
        render_docx(piece, path)
    elif piece.writer == "pdf":
        render_pdf(piece, path)
    elif piece.writer == "plan":
        render_pdf(replace(piece, elements=[*piece.elements, plan_drawing(piece.options["town"])]), path)
    elif piece.writer == "broken":
        write_broken(piece, path)
    elif piece.writer in OFFICE_WRITERS:
        done = _office(piece, path, libreoffice)
        if done == "absent":
            return done
    else:
        raise ValueError(piece.writer)
    write_truth(path, piece.truth)
    return done


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folders = [a for a in args if not a.startswith("--")]
    if len(folders) != 1 or set(args) - {*folders, "--sans-libreoffice"}:
        print("usage : python -m instruct.samples.corpus.essais DOSSIER [--sans-libreoffice]", file=sys.stderr)
        return 2
    outdir = Path(folders[0])
    outdir.mkdir(parents=True, exist_ok=True)
    libreoffice = "--sans-libreoffice" not in args and soffice() is not None
    if "--sans-libreoffice" not in args and not libreoffice:
        print("LibreOffice (soffice) introuvable : les pièces LibreOffice déjà produites sont gardées telles quelles.")
    start = time.monotonic()
    done: dict[str, list[str]] = {}
    for piece in pieces():
        done.setdefault(write(piece, outdir, libreoffice), []).append(piece.name)
    print(
        f"{sum(len(v) for k, v in done.items() if k != 'absent')} pièces écrites dans {outdir} "
        f"en {time.monotonic() - start:.1f} s ({', '.join(f'{k} : {len(v)}' for k, v in sorted(done.items()))})"
    )
    for name in done.get("absent", []):
        print(f"pièce LibreOffice absente (ni soffice ni copie enregistrée) : {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
