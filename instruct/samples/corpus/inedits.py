"""The held-out corpus (« inédits »): fictitious ACV pieces written as town clerks write them, each
with its ground truth, for measuring the reader on documents its developers never saw.

    python -m instruct.samples.corpus.inedits OUTDIR

Deterministic: the same OUTDIR content every run. The LibreOffice conversions are the exception:
when soffice is missing (or INEDITS_SANS_SOFFICE is set), their committed PDFs are copied from
tests/corpus/inedits instead, and the generator says so.

How the truths decide the doubtful cases (what a careful reader would answer):
- trame « parties » is present in a convention that names its parties, with or without a heading;
- a délibération's date_signature is the « Fait à …, le … » of the extract, not the séance;
- a signature date left blank or given as a month only (« en octobre 2018 ») is None;
- a signature page inserted as a scan still has its signataires and date (read on the image);
- budget_total is the programme's total as written (TOTAL row or a sentence); in a simple avenant,
  the programme's total after it, not the cost of the actions it adds; None when written nowhere;
- duree_annees only when a number of years is written (an end date gives None);
- a cell giving financing shares in percent has cout None; a table of immeubles is no table of
  actions (actions None);
- an unreadable piece has type None and only its probleme.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from instruct.samples.corpus import inedits_autres as autres
from instruct.samples.corpus import inedits_avenants as av
from instruct.samples.corpus import inedits_avenants_suite as av2
from instruct.samples.corpus import inedits_conventions as cc
from instruct.samples.corpus import inedits_conventions_suite as cc2
from instruct.samples.corpus import inedits_extra as extra
from instruct.samples.corpus.inedits_canvas import write_canvas_pdf
from instruct.samples.corpus.inedits_docx import write_docx
from instruct.samples.corpus.inedits_model import Piece
from instruct.samples.corpus.inedits_office import write_office
from instruct.samples.corpus.inedits_pdf import write_pdf
from instruct.samples.corpus.truth import write_truth

COMMITTED = Path(__file__).resolve().parents[3] / "tests" / "corpus" / "inedits"


def pieces() -> list[Piece]:
    return [
        cc.brezac(),
        cc.ondras(),
        cc.calmeilles(),
        cc.arvelle(),
        cc2.montvalir(),
        cc2.castelnoir(),
        cc2.rochefaye(),
        cc2.vaudrenne(),
        cc2.aurelle(),
        extra.mirevaux(),
        av.brezac_ort(),
        av.ondras_2(),
        av.calmeilles_1(),
        av2.arvelle_1(),
        av2.montvalir_2(),
        av2.castelnoir_3(),
        av2.aurelle_1(),
        extra.brezac_2(),
        *autres.all_autres(),
    ]


def broken():
    from instruct.samples.corpus import inedits_broken

    return inedits_broken.PIECES


WRITERS = {"docx": write_docx, "pdf": write_pdf, "canvas": write_canvas_pdf}


def generate(folder: Path, office: bool | None = None) -> list[str]:
    """Writes every piece and its truth into `folder`; returns what was said about the
    LibreOffice conversions (nothing when all went well)."""
    folder.mkdir(parents=True, exist_ok=True)
    if office is None:
        office = not os.environ.get("INEDITS_SANS_SOFFICE")
    notes: list[str] = []
    for piece in pieces():
        if piece.fmt == "office":
            note = write_office(piece, folder, COMMITTED, office)
            if note:
                notes.append(note)
        else:
            WRITERS[piece.fmt](piece, folder)
        write_truth(folder / piece.fichier, piece.truth())
    for write, truth in broken():
        path = write(folder)
        write_truth(path, truth)
    return notes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage : python -m instruct.samples.corpus.inedits DOSSIER", file=sys.stderr)
        return 2
    folder = Path(args[0])
    for note in generate(folder):
        print(note)
    count = len(list(folder.glob("*.verite.json")))
    print(f"{count} pièces écrites dans {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
