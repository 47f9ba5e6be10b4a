"""What a user waits for before `acv` does anything: commands in fresh processes, CPU time.

    .venv/bin/python benchmarks/cold_start.py [--repeat 7]

In the same run, each in a fresh process (CPU time of the process and its children, median and range):
- `python -c pass` (the interpreter alone: the floor);
- `acv rules`, `acv check samples/ort-sans-ville-principale.yaml` (no pieces) and `acv check samples/villebelle`
  (three pieces, each read in a forked child);
- reading villebelle's pieces three times with the reader libraries imported before the fork (as `acv` does)
  and, as the baseline, imported again in every child;
- the heaviest imports of `acv check` (python -X importtime), to see where start-up goes.
It prints the commit and the machine's load; it writes no file.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACV = [sys.executable, "-m", "instruct.cli.main"]
CHECK = ["--date", "2026-11-26", "--referentiel", "samples/referentiel"]
READ_PIECES = r"""
import sys
from pathlib import Path
from instruct.documents import read
if sys.argv[1] == "chaque-enfant":
    read.preload_readers = lambda suffix: None
files = sorted(p for p in Path("samples/villebelle").rglob("*") if p.suffix in (".pdf", ".docx"))
for _ in range(3):
    for f in files:
        read.read_piece_isolated(f)
"""


def cpu_of(command: list[str]) -> float:
    """CPU seconds (user + system) of a fresh process and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def heaviest_imports(command: list[str], count: int = 8) -> list[tuple[int, str]]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command[1:]], cwd=ROOT, capture_output=True, text=True, check=False
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    top = [row for row in rows if row[1].startswith(" ") and not row[1].startswith("  ")]  # top-level imports
    return sorted(top, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    print(f"commit {commit.stdout.strip() or '?'}, charge de la machine {os.getloadavg()[0]:.2f}, CPU en ms")
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "acv rules": [*ACV, "rules"],
        "acv check (YAML seul)": [*ACV, "check", "samples/ort-sans-ville-principale.yaml", *CHECK],
        "acv check villebelle (3 pièces)": [*ACV, "check", "samples/villebelle", *CHECK],
        "3 × 3 pièces, lecteurs importés avant le fork": [sys.executable, "-c", READ_PIECES, "avant-le-fork"],
        "3 × 3 pièces, lecteurs importés par chaque enfant": [sys.executable, "-c", READ_PIECES, "chaque-enfant"],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.repeat):  # interleaved, so that the machine's noise falls on all alike
        for name, command in cases.items():
            times[name].append(cpu_of(command) * 1000)
    floor = statistics.median(times["python -c pass"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<52} médiane {median:7.0f}  ({min(values):.0f}–{max(values):.0f})  ×{median / floor:.1f}")
    before, after = (
        statistics.median(times[f"3 × 3 pièces, lecteurs importés {w}"]) for w in ("par chaque enfant", "avant le fork")
    )
    print(f"lecture des pièces : {after / before:.2f} du temps CPU avec les lecteurs importés avant le fork")
    print("imports les plus lourds de acv check (µs cumulées) :")
    for micros, name in heaviest_imports(cases["acv check (YAML seul)"]):
        print(f"  {micros:>8} {name.strip()}")


if __name__ == "__main__":
    main()
