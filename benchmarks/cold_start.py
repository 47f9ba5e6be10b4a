"""What a user waits for before `acv` does anything: commands in fresh processes, this code against the
reference commit (common.REFERENCE, before issue 19) in the same run, CPU time.

    .venv/bin/python benchmarks/cold_start.py [--repeat 7] [--reference REV] [--horloge cpu|mur]

Each case runs in a fresh process, interleaved with the others `--repeat` times (the machine's noise falls
on all alike); printed: median and range of the CPU time of the process and its children (or the wall
time with `--horloge mur`), and the ratio of this code to the reference:
- `python -c pass` (the interpreter alone: the floor);
- `acv rules`, `acv check samples/ort-sans-ville-principale.yaml` (no pieces) and `acv check
  samples/villebelle` (three pieces), by the reference and by this code with its caches as a user has them
  after a first command (the compiled catalogue, the dossier's validator, the pieces already read:
  $ACV_CACHE in a temporary folder, filled by an untimed first run); this code's villebelle also with an
  empty cache each time (the first check of these pieces) and with `ACV_CACHE=0`;
- reading villebelle's pieces three times by one reading child (what `acv` does) against a child forked per
  piece with the reader libraries imported before its fork (what it did before c2a9820);
- the heaviest imports of `acv check` (python -X importtime).
Both checkouts get their bytecode compiled first (a wheel installs it; PYTHONDONTWRITEBYTECODE would
otherwise make every run compile every module). It writes nothing outside its temporary folder.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common

ROOT = common.ROOT
ACV = [sys.executable, "-m", "instruct.cli.main"]
CHECK = ["--date", "2026-11-26", "--referentiel", "samples/referentiel"]
READ_PIECES = r"""
import sys
from pathlib import Path
from instruct.documents import read
reading = read._read_once if sys.argv[1] == "un-enfant-par-piece" else read.read_piece_isolated
files = sorted(p for p in Path("samples/villebelle").rglob("*") if p.suffix in (".pdf", ".docx"))
for _ in range(3):
    for f in files:
        reading(Path(f))
"""
TARGETS = {"acv rules": 0.20, "acv check villebelle (3 pièces)": 0.40}


def measure(command: list[str], cwd: Path, env: dict[str, str], wall: bool) -> float:
    """Seconds of a fresh process: its CPU time and its children's, or the wall clock."""
    before, start = common.children_cpu(), time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start if wall else common.children_cpu() - before


def heaviest_imports(command: list[str], env: dict[str, str], count: int = 8) -> list[tuple[int, str]]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command[1:]], cwd=ROOT, env=env, capture_output=True, text=True
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
    parser.add_argument("--reference", default=common.REFERENCE, help=f"commit compared (default {common.REFERENCE})")
    common.add_clock_argument(parser, default="cpu")
    args = parser.parse_args()
    wall = args.horloge == "mur"
    print(common.header("acv-instruct — cold start (benchmarks/cold_start.py)", args))
    with tempfile.TemporaryDirectory(prefix="acv-froid-") as scratch, common.reference_tree(args.reference) as ref:
        for tree in (ROOT, ref):
            compileall.compile_dir(tree / "instruct", quiet=1, force=False)
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        warm = {**base, "ACV_CACHE": str(Path(scratch) / "cache")}
        off = {**base, "ACV_CACHE": "0"}
        rules, check_yaml, check_vb = (
            [*ACV, "rules"],
            [*ACV, "check", "samples/ort-sans-ville-principale.yaml", *CHECK],
            [*ACV, "check", "samples/villebelle", *CHECK],
        )
        cases = {  # name -> (command, checkout, environment); the reference's first: (ref) in the name
            "python -c pass": ([sys.executable, "-c", "pass"], ROOT, base),
            "acv rules (ref)": (rules, ref, off),
            "acv rules": (rules, ROOT, warm),
            "acv check (YAML seul) (ref)": (check_yaml, ref, off),
            "acv check (YAML seul)": (check_yaml, ROOT, warm),
            "acv check villebelle (3 pièces) (ref)": (check_vb, ref, off),
            "acv check villebelle (3 pièces)": (check_vb, ROOT, warm),
            "acv check villebelle, cache vide à chaque fois": (check_vb, ROOT, None),
            "acv check villebelle, ACV_CACHE=0": (check_vb, ROOT, off),
            "3 × 3 pièces, un enfant lecteur": ([sys.executable, "-c", READ_PIECES, "un-enfant"], ROOT, off),
            "3 × 3 pièces, un enfant par pièce": (
                [sys.executable, "-c", READ_PIECES, "un-enfant-par-piece"],
                ROOT,
                off,
            ),
        }
        for command, tree, env in cases.values():  # untimed: fills the cache as a first command would
            measure(command, tree, env or off, wall)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for n in range(args.repeat):
            for name, (command, tree, env) in cases.items():
                if env is None:  # a new, empty cache folder each time
                    env = {**base, "ACV_CACHE": str(Path(scratch) / f"vide-{n}")}
                times[name].append(measure(command, tree, env, wall))
            shutil.rmtree(Path(scratch) / f"vide-{n}", ignore_errors=True)
        print(f"\n{'cas':<52} {'médiane (min–max)':>22}   vs réf.  (ms, {args.repeat} passages)")
        for name, values in times.items():
            if name.endswith("(ref)"):
                continue
            reference = times.get(f"{name} (ref)") or times.get(_reference_of(name))
            ratio = f"×{statistics.median(values) / statistics.median(reference):.2f}" if reference else ""
            if reference:
                print(f"{name + ' (réf.)':<52} {common.summary(reference):>22}")
            print(f"{name:<52} {common.summary(values):>22}   {ratio}")
        print()
        for name, target in TARGETS.items():
            ratio = statistics.median(times[name]) / statistics.median(times[f"{name} (ref)"])
            verdict = "atteinte" if ratio <= target else "non atteinte"
            print(f"cible {name} ≤ {target:.0%} de la référence : {ratio:.0%}, {verdict}")
        before, after = (
            statistics.median(times[f"3 × 3 pièces, {w}"]) for w in ("un enfant par pièce", "un enfant lecteur")
        )
        print(f"lecture des pièces : {after / before:.2f} du temps d'un enfant par pièce avec un enfant lecteur")
        print("\nimports les plus lourds de acv check, YAML seul (µs cumulées) :")
        for micros, name in heaviest_imports(check_yaml, warm):
            print(f"  {micros:>8} {name.strip()}")


def _reference_of(name: str) -> str:
    """The villebelle variants compare with the reference's villebelle."""
    return "acv check villebelle (3 pièces) (ref)" if name.startswith("acv check villebelle") else ""


if __name__ == "__main__":
    main()
