"""The national batch on generated towns: wall time, towns per second, peak memory, 1 vs 2 processes.

    .venv/bin/python benchmarks/batch.py                 # 222 towns, as the issue asks
    .venv/bin/python benchmarks/batch.py --communes ../shared/data/acv-communes.csv   # real towns, their referentiel

In one run, on the same generated sets (`acv samples generate`, seed fixed, in a temporary
directory removed at the end):
- without documents (dossier.yaml only): `acv batch` with 1 then 2 processes, cache off;
- with documents (their PDF/DOCX pieces read in child processes): 1 then 2 processes, cache off;
  then 2 processes into an empty cache (first run), then the same batch again (unchanged: every
  report from the cache).
Each run is `acv batch` in its own process, as a user runs it (start-up included); memory is the
peak over the run of the proportional set size (PSS, /proc/PID/smaps_rollup) summed over the
batch and all its children, sampled every 20 ms: pages shared by forked workers count once.
Targets (issue 7): without documents < 5 s; with documents < 60 s; unchanged rerun < 2 s; < 1 GiB.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import code_state, descendants  # noqa: E402

ACV = [sys.executable, "-m", "instruct.cli.main"]
DATE = "2026-11-26"


def pss(pid: int) -> int:
    """Proportional set size of one process, bytes (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakMemory(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, sum(pss(p) for p in descendants(self.pid)))
            self.stop.wait(0.02)


def batch(folder: Path, out: Path, workers: int, cache: Path | None, referentiel: str | None) -> tuple[float, int, str]:
    """Wall seconds, peak memory (bytes) and the summary line of one `acv batch`."""
    command = ACV + ["batch", str(folder), "-o", str(out), "--date", DATE, "--workers", str(workers), "--silencieux"]
    command += ["--referentiel", referentiel] if referentiel else []
    command += ["--cache", str(cache)] if cache else ["--sans-cache"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watch = PeakMemory(process.pid)
    watch.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    watch.stop.set()
    watch.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"acv batch a échoué ({process.returncode}) :\n{stderr}")
    return seconds, watch.peak, stdout.splitlines()[0]


def generate(n: int, out: Path, communes: str | None, documents: bool) -> float:
    command = (
        ACV + ["samples", "generate", "--n", str(n), "-o", str(out)] + (["--communes", communes] if communes else [])
    )
    command += [] if documents else ["--sans-pieces"]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=222)
    parser.add_argument("--communes", help="acv-communes.csv: real names and places (the dossiers stay synthetic)")
    args = parser.parse_args()
    print("acv-instruct — national batch benchmark (benchmarks/batch.py)")
    print(
        f"code measured: {code_state()}; machine: nproc {os.cpu_count()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}; date of judgement {DATE}"
    )
    work = Path(tempfile.mkdtemp(prefix="acv-bench-lot-"))
    try:
        plain, full = work / "sans-pieces", work / "avec-pieces"
        # invented towns are in no official list: judged without one (PROG-01 à vérifier); real ones with theirs
        referentiel = str(Path(args.communes).resolve().parent) if args.communes else None
        print(
            f"generated {args.n} towns without documents in {generate(args.n, plain, args.communes, False):.1f} s, "
            f"with documents in {generate(args.n, full, args.communes, True):.1f} s"
        )
        pieces = sum(1 for _ in full.rglob("*") if _.suffix in {".pdf", ".docx"})
        size = sum(p.stat().st_size for p in full.rglob("*") if p.is_file())
        print(f"with documents: {pieces} PDF/DOCX pieces, {size / 1e6:.1f} MB in all\n")
        print(f"{'run':58} {'wall s':>7} {'towns/s':>8} {'peak MiB':>9}")
        results = {}
        runs = [
            ("sans-1", "without documents, 1 process, no cache", plain, 1, None),
            ("sans-2", "without documents, 2 processes, no cache", plain, 2, None),
            ("avec-1", "with documents, 1 process, no cache", full, 1, None),
            ("avec-2", "with documents, 2 processes, no cache", full, 2, None),
            ("first", "with documents, 2 processes, first run (empty cache)", full, 2, work / "cache"),
            ("rerun", "with documents, 2 processes, unchanged rerun (cache)", full, 2, work / "cache"),
        ]
        for key, label, folder, workers, cache in runs:
            seconds, peak, summary = batch(folder, work / f"out-{key}", workers, cache, referentiel)
            results[key] = (seconds, peak)
            print(f"{label:58} {seconds:7.2f} {args.n / seconds:8.1f} {peak / 2**20:9.0f}")
        print(f"  last summary line: {summary}")
        print(
            f"\nspeed-up 1 -> 2 processes: without documents x{results['sans-1'][0] / results['sans-2'][0]:.2f}, "
            f"with documents x{results['avec-1'][0] / results['avec-2'][0]:.2f}"
        )
        peak = max(p for _, p in results.values())
        checks = [
            ("without documents < 5 s", results["sans-2"][0] < 5),
            ("with documents < 60 s", results["first"][0] < 60),
            ("unchanged rerun < 2 s", results["rerun"][0] < 2),
            ("memory < 1 GiB", peak < 2**30),
        ]
        print("targets: " + "; ".join(f"{name}: {'atteinte' if ok else 'NON atteinte'}" for name, ok in checks))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
