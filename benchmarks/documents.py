"""How well and how fast the pieces are read, on the corpus of fictitious pieces with their truth.

    .venv/bin/python benchmarks/documents.py [--repeat 3] [--corpus tests/corpus/essais ...]

For each corpus folder (default: tests/corpus/essais, the corpus the reader was developed on;
tests/corpus/inedits, written apart and measured before the last fixes; tests/corpus/temoins,
written apart and never used to tune the reader):
- per field, how many pieces are read « juste » (sure and right), « à vérifier » (below the
  confidence threshold), « manquant » and « faux » (sure and wrong), and the pieces fully read;
- the values read sure and wrong, if any.
Then, on every PDF of the corpora, in the same run: pages per second of pypdf's extract_text
(the former reader's text), of acv's reader (pypdfium2 lines, pdfplumber on the pages holding a
table), of pdfplumber on every page, and of poppler's `pdftotext` (skipped when absent): medians
of --repeat runs, and each as a ratio of pypdf's time. And the time acv's reader takes on the
corpus's longest PDF (the target: a 60-page convention in < 10 s on one core).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import common

ROOT = Path(__file__).resolve().parent.parent
os.environ["ACV_CACHE"] = "0"  # every piece read: the readings kept on disk would make this measure nothing
CLOCK = common.CLOCKS["cpu"]
sys.path.insert(0, str(ROOT))

from instruct.documents.read import read_piece  # noqa: E402
from instruct.samples.corpus.score import score_corpus  # noqa: E402
from instruct.samples.corpus.truth import corpus  # noqa: E402

CORPORA = tuple(ROOT / "tests" / "corpus" / name for name in ("essais", "inedits", "temoins", "controle"))


def cpu(function, repeat: int) -> float:
    """Median time of `repeat` calls by --horloge (CPU: this process and its children)."""
    times = []
    for _ in range(repeat):
        start = CLOCK()
        function()
        times.append(CLOCK() - start)
    return statistics.median(times)


def pypdf_text(paths: list[Path]) -> None:
    from pypdf import PdfReader

    for path in paths:
        for page in PdfReader(str(path)).pages:
            page.extract_text()


def acv_reader(paths: list[Path]) -> None:
    for path in paths:
        read_piece(path)


def pdfplumber_everywhere(paths: list[Path]) -> None:
    import pdfplumber

    for path in paths:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.find_tables()


def pdftotext(paths: list[Path]) -> None:
    for path in paths:
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)


def readable_pdfs(folders: list[Path]) -> list[tuple[Path, int]]:
    """(path, pages) of every readable PDF of the corpora."""
    import pypdfium2

    out = []
    for folder in folders:
        for path, truth in corpus(folder):
            if path.suffix.lower() == ".pdf" and truth.probleme is None:
                document = pypdfium2.PdfDocument(str(path))
                out.append((path, len(document)))
                document.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, nargs="*", default=[c for c in CORPORA if c.is_dir()])
    common.add_clock_argument(parser, default="cpu")
    args = parser.parse_args()
    global CLOCK
    CLOCK = common.clock(args)
    print(common.header("acv-instruct — reading the corpus of pieces (benchmarks/documents.py)", args))
    logging.disable(logging.WARNING)  # pdfminer and pypdf talk about every odd object
    for folder in args.corpus:
        start = time.perf_counter()
        score = score_corpus(folder)
        print(
            f"\n== {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder} "
            f"({len(score.pieces)} pièces, lues en {time.perf_counter() - start:.1f} s)"
        )
        print(score.table())
        for file, name, note in score.wrong():
            print(f"  FAUX {file} · {name} : {note}")
    pdfs = readable_pdfs(args.corpus)
    paths = [p for p, _ in pdfs]
    pages = sum(n for _, n in pdfs)
    print(f"\n== vitesse : {len(paths)} PDF, {pages} pages, médiane de {args.repeat} passes (temps CPU)")
    readers = [("pypdf (extract_text)", pypdf_text), ("acv (lecteur)", acv_reader)]
    readers.append(("pdfplumber, toutes les pages", pdfplumber_everywhere))
    if shutil.which("pdftotext"):
        readers.append(("pdftotext (poppler)", pdftotext))
    else:
        print("pdftotext absent (paquet Debian poppler-utils) : non mesuré")
    baseline = None
    for name, function in readers:
        seconds = cpu(lambda f=function: f(paths), args.repeat)
        baseline = baseline or seconds
        print(f"{name:<32}{seconds:>8.2f} s{pages / seconds:>9.1f} pages/s{seconds / baseline:>8.2f}× pypdf")
    if pdfs:
        longest, count = max(pdfs, key=lambda item: item[1])
        seconds = cpu(lambda: read_piece(longest), args.repeat)
        print(f"le plus long : {longest.name}, {count} pages, lu en {seconds:.2f} s CPU (cible < 10 s)")


if __name__ == "__main__":
    main()
