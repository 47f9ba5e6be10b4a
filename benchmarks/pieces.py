"""Reading pieces: how fast, and what a 60-page avenant costs a check.

    .venv/bin/python benchmarks/pieces.py [--pages 60] [--repeat 5]

On the same files, in the same run:
- PDF pages per second: acv's reader (PDFium's text and positions, tables rebuilt, pdfplumber on the
  pages holding a table), pypdf's
  extract_text alone, and poppler's `pdftotext` (Debian package poppler-utils; skipped when
  absent) as the baseline;
- DOCX paragraphs per second (python-docx through acv's reader);
- the time to check villebelle as a folder whose pieces are its convention-cadre (DOCX) and an
  N-page avenant (PDF), against the same dossier checked without pieces.
The documents are rendered from samples/villebelle by instruct.samples.render_pieces.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ACV_CACHE"] = "0"  # every piece read: the readings kept on disk would make this measure nothing
CLOCK = common.CLOCKS["mur"]

from docx import Document  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from instruct.documents.load import load  # noqa: E402
from instruct.documents.read import read_piece, read_piece_isolated  # noqa: E402
from instruct.engine.check import check_dossier  # noqa: E402
from instruct.rules.catalogue import load_catalogue  # noqa: E402
from instruct.samples.render_pieces import avenant_pdf, convention_docx, padding_paragraphs  # noqa: E402

AS_OF = dt.date(2026, 11, 26)


def timed(function, repeat: int) -> tuple[float, object]:
    """Median time of `repeat` calls by --horloge, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = CLOCK()
        result = function()
        times.append(CLOCK() - start)
    return statistics.median(times), result


def pypdf_alone(path: Path) -> int:
    reader = PdfReader(str(path))
    return sum(len(page.extract_text() or "") for page in reader.pages)


def pdftotext(path: Path, layout: bool = False) -> int:
    command = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return len(subprocess.run(command, check=True, capture_output=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    common.add_clock_argument(parser)
    args = parser.parse_args()
    global CLOCK
    CLOCK = common.clock(args)
    print(common.header("acv-instruct — reading pieces (benchmarks/pieces.py)", args))

    sample = load(ROOT / "samples" / "villebelle").dossier
    catalogue = load_catalogue(ROOT / "rules")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "villebelle"
        (folder / "pieces").mkdir(parents=True)
        shutil.copy(ROOT / "samples" / "villebelle" / "dossier.yaml", folder / "dossier.yaml")
        pdf, docx = folder / "pieces" / "avenant-1.pdf", folder / "pieces" / "convention-cadre.docx"
        start = time.perf_counter()
        avenant_pdf(sample, pdf, pages=args.pages)
        convention_docx(sample, docx)
        rendered = time.perf_counter() - start
        pages = len(PdfReader(str(pdf)).pages)
        print(
            f"Pièces rendues en {rendered:.2f} s : avenant PDF de {pages} pages ({pdf.stat().st_size // 1024} Kio), "
            f"convention DOCX ({docx.stat().st_size // 1024} Kio). Médiane de {args.repeat} passages.\n"
        )

        print(f"{'lecture PDF':<46} {'s/doc':>8} {'pages/s':>9}")
        acv_time, piece = timed(lambda: read_piece(pdf), args.repeat)
        rows = [
            ("acv (PDFium : texte, positions ; tableaux)", acv_time),
            ("acv, dans un processus fils (limites)", timed(lambda: read_piece_isolated(pdf), args.repeat)[0]),
            ("pypdf extract_text seul", timed(lambda: pypdf_alone(pdf), args.repeat)[0]),
        ]
        if shutil.which("pdftotext"):
            rows += [
                ("pdftotext (poppler)", timed(lambda: pdftotext(pdf), args.repeat)[0]),
                ("pdftotext -layout (poppler)", timed(lambda: pdftotext(pdf, layout=True), args.repeat)[0]),
            ]
        else:
            print("  (pdftotext absent : apt-get install poppler-utils pour la comparaison)")
        for label, seconds in rows:
            print(f"{label:<46} {seconds:>8.3f} {pages / seconds:>9.0f}")
        print(f"  tableaux reconstruits : {len(piece.tables)}, blocs de texte : {len(piece.blocks)}")

        # the same running text as the avenant's padding, as one long DOCX
        long_docx = Path(tmp) / "long.docx"
        document = Document(str(docx))
        for text in padding_paragraphs(sample, len(piece.blocks) * 12, "benchmark"):
            document.add_paragraph(text)
        document.save(str(long_docx))
        print()
        for label, path in (
            ("lecture DOCX, convention (python-docx)", docx),
            ("lecture DOCX, convention allongée", long_docx),
        ):
            docx_time, docx_piece = timed(lambda path=path: read_piece(path), args.repeat)
            paragraphs = sum(1 for b in docx_piece.blocks if b.where.startswith("paragraphe"))
            print(
                f"{label:<46} {docx_time:>8.3f} {paragraphs / docx_time:>9.0f} paragraphes/s "
                f"({paragraphs} paragraphes, {sum(len(b.text) for b in docx_piece.blocks) // 1000} k caractères)"
            )

        def check_folder():
            loaded = load(folder)
            return check_dossier(loaded.dossier, catalogue, AS_OF, documents=loaded.documents)

        def check_alone():
            return check_dossier(load(folder / "dossier.yaml").dossier, catalogue, AS_OF)

        check_alone()  # rules compiled once, outside the timings
        with_pieces, report = timed(check_folder, args.repeat)
        without, _ = timed(check_alone, args.repeat)
        compared = sum(1 for f in report.findings if f.rule == "X-05")
        print(f"\n{'contrôle de villebelle (tous les jeux de règles)':<46} {'s':>8}")
        print(f"{'sans pièces (dossier.yaml seul)':<46} {without:>8.3f}")
        print(f"{f'avec convention DOCX + avenant de {pages} pages':<46} {with_pieces:>8.3f}")
        print(
            f"  dont lecture des pièces ≈ {with_pieces - without:.3f} s ; "
            f"{compared} comparaisons dossier / pièces (X-05)"
        )


if __name__ == "__main__":
    main()
