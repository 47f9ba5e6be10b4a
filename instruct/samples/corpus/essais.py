"""The « essais » corpus: fictitious pieces written the many ways towns write them, each with its
ground truth (« NAME.ext.verite.json »), for the reader's developers.

    python -m instruct.samples.corpus.essais OUTDIR

Deterministic: two runs give the same bytes, except the LibreOffice outputs, which are rebuilt
when `soffice` is installed (their dates made fixed) and kept as they are committed otherwise."""

from __future__ import annotations

import re
import sys
import time
from dataclasses import replace
from pathlib import Path

from instruct.samples.corpus.essais_build import build
from instruct.samples.corpus.essais_docx import render_docx
from instruct.samples.corpus.essais_model import Heading, Para, Piece, Table
from instruct.samples.corpus.essais_pdf import render_pdf
from instruct.samples.corpus.essais_recipes import avenants, conventions
from instruct.samples.corpus.truth import write_truth


def ocr_noise(text: str) -> str:
    """What a poor OCR makes of a text layer: « 1'État », « Ia », « rn » for « m » in a few words."""
    text = re.sub(r"\bl'", "1'", text)
    text = re.sub(r"\bla\b", "Ia", text)
    text = text.replace("commune ", "cornmune ").replace("programme", "prograrnme")
    return text


def _noisy(piece: Piece) -> Piece:
    out = []
    for el in piece.elements:
        if isinstance(el, Para):
            el = replace(el, text=ocr_noise(el.text))
        elif isinstance(el, Heading):
            el = replace(el, text=ocr_noise(el.text))
        elif isinstance(el, Table):
            el = replace(el, rows=[[ocr_noise(c) for c in row] for row in el.rows])
        out.append(el)
    return replace(piece, elements=out)


def pieces() -> list[Piece]:
    """Every piece drawn from a recipe (conventions, avenants), in name order."""
    out = []
    for recipe in conventions() + avenants():
        piece = build(recipe)
        out.append(_noisy(piece) if recipe.get("ocr") else piece)
    return out


def write(piece: Piece, outdir: Path) -> Path:
    path = outdir / piece.name
    if piece.writer == "docx":
        render_docx(piece, path)
    elif piece.writer == "pdf":
        render_pdf(piece, path)
    else:
        raise ValueError(piece.writer)
    write_truth(path, piece.truth)
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage : python -m instruct.samples.corpus.essais DOSSIER", file=sys.stderr)
        return 2
    outdir = Path(args[0])
    outdir.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    written = [write(piece, outdir) for piece in pieces()]
    print(f"{len(written)} pièces écrites dans {outdir} en {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
