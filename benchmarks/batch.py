"""The national batch on generated towns: wall time, towns per second, peak memory, CPU, 1 vs 2 processes.

    .venv/bin/python benchmarks/batch.py                                  # 222 towns, as the issue asks
    .venv/bin/python benchmarks/batch.py --communes ../shared/data/acv-communes.csv   # real towns + referentiel
    .venv/bin/python benchmarks/batch.py --echelle 230,2300 --dask        # peak memory vs the number of towns
    .venv/bin/python benchmarks/batch.py --echelle 230,1150 --dask --dask-defauts   # and with Dask's defaults
    .venv/bin/python benchmarks/batch.py --reference --n 60 --passes 3    # CPU per town with documents vs 2ce9811

In one run, on the same generated sets (`acv samples generate`, seed fixed, in a temporary
directory removed at the end):
- by default: without documents (dossier.yaml only), `acv batch` with 1 then 2 processes, cache off;
  with documents (their PDF/DOCX pieces read in child processes): 1 then 2 processes, cache off;
  then 2 processes into an empty cache (first run), then the same batch again (unchanged: every
  report from the cache);
- `--echelle 230,2300`: the batch without documents at each size (2 processes, cache off), and with
  `--dask` also on a local Dask cluster (2 worker processes, started afresh for each size, with the
  settings that keep its memory flat, DASK_FLAT; `--dask-defauts`: also with Dask's defaults): the peak
  memory and its ratio to the smallest size's (issue 19: < 300 MiB and within 20 % from 230 to 2 300);
- `--reference`: with documents, the CPU per town of this code and of the reference commit (2ce9811,
  checked out beside it, run with this venv), `--passes` runs of each, interleaved, medians (issue 19:
  at most half).
Each run is `acv batch` in its own process, as a user runs it (start-up included), with an empty
ACV_CACHE of its own (no piece read by an earlier run); its CPU is that of the batch and all its
children (getrusage RUSAGE_CHILDREN around it). Memory is the peak over the run of the proportional
set size (PSS, /proc/PID/smaps_rollup) summed over the batch and all its children (and the Dask
cluster's processes), sampled every 20 ms: pages shared by forked workers count once, and so does a vfork
child not yet exec'd (it reads as its parent: `in_parent_memory`).
Targets (issue 7): without documents < 5 s; with documents < 60 s; unchanged rerun < 2 s; < 1 GiB.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REFERENCE, add_clock_argument, children_cpu, header, reference_tree, summary  # noqa: E402
from load import descendants  # noqa: E402

ACV = [sys.executable, "-m", "instruct.cli.main"]
DATE = "2026-11-26"
MIB = 2**20
# Dask's settings that keep a long run's memory flat (README, `acv batch --dask`): its debug logs (messages,
# transitions, events; the workers' profiles, one a second) shortened from 1 000 entries to 100, no statistical
# profiler on the workers, the system monitor's samples kept a minute instead of an hour.
DASK_FLAT = {
    "distributed.admin.low-level-log-length": 100,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.log-length": 120,
}
# A local Dask cluster of two single-threaded worker processes (no dashboard), with these settings or Dask's
# defaults (`--dask-defauts`, for comparison); its address on stdout, gone when stdin closes.
CLUSTER = (
    "import sys\n"
    "import dask\n"
    "from distributed import LocalCluster\n"
    "dask.config.set({settings!r})\n"
    "with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:\n"
    "    print(c.scheduler_address, flush=True)\n"
    "    sys.stdin.read()\n"
)


_LIBC = ctypes.CDLL(None, use_errno=True)
_KCMP = {"x86_64": 312, "aarch64": 272}.get(platform.machine())  # kcmp(2)'s system call number
KCMP_VM = 1


def in_parent_memory(pid: int) -> bool:
    """Whether `pid` still runs in its parent's address space: a vfork child before its exec (subprocess's
    way; Dask's client runs `uname -p` so at start). Its PSS read then is its parent's again: counted once."""
    if _KCMP is None:
        return False
    try:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return False
    return _LIBC.syscall(_KCMP, parent, pid, KCMP_VM, 0, 0) == 0


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
    """The peak of the PSS summed over the trees of `pids`, sampled every 20 ms."""

    def __init__(self, *pids: int):
        super().__init__(daemon=True)
        self.pids, self.peak, self.stop = pids, 0, threading.Event()
        self.peaks = dict.fromkeys(pids, 0)  # each tree's own peak (the batch's, the Dask cluster's)

    def run(self) -> None:
        while not self.stop.is_set():
            sizes = {
                root: sum(pss(p) for p in descendants(root) if p == root or not in_parent_memory(p))
                for root in self.pids
            }
            self.peak = max(self.peak, sum(sizes.values()))
            self.peaks = {root: max(self.peaks[root], size) for root, size in sizes.items()}
            self.stop.wait(0.02)


@dataclass
class Run:
    seconds: float  # wall
    cpu: float  # the batch and all its children
    peak: int  # bytes
    summary: str
    peak_batch: int = 0  # bytes: the batch's own tree (without the Dask cluster)


def batch(
    folder: Path,
    out: Path,
    workers: int,
    cache: Path | None,
    referentiel: str | None,
    *,
    cwd: Path = ROOT,
    dask: str | None = None,
    watch_also: int | None = None,
) -> Run:
    """One `acv batch` in its own process, run from `cwd` (this code, or the reference's checkout)."""
    command = ACV + ["batch", str(folder), "-o", str(out), "--date", DATE, "--silencieux"]
    command += ["--dask", dask] if dask else ["--workers", str(workers)]
    command += ["--referentiel", referentiel] if referentiel else []
    command += ["--cache", str(cache)] if cache else ["--sans-cache"]
    with tempfile.TemporaryDirectory(prefix="acv-bench-cache-") as pieces:
        env = {**os.environ, "ACV_CACHE": pieces}  # no piece read by an earlier run
        cpu, started = children_cpu(), time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        watch = PeakMemory(process.pid, *([watch_also] if watch_also else []))
        watch.start()
        stdout, stderr = process.communicate()
        seconds, cpu = time.perf_counter() - started, children_cpu() - cpu
    watch.stop.set()
    watch.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"acv batch a échoué ({process.returncode}) :\n{stderr}")
    return Run(seconds, cpu, watch.peak, stdout.splitlines()[0], watch.peaks[process.pid])


def generate(n: int, out: Path, communes: str | None, documents: bool) -> float:
    command = (
        ACV + ["samples", "generate", "--n", str(n), "-o", str(out)] + (["--communes", communes] if communes else [])
    )
    command += [] if documents else ["--sans-pieces"]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def replicate(base: Path, n: int, out: Path) -> Path:
    """`n` towns made of `base`'s generated ones, cycled, each copy under a name of its own (hard links: no
    bytes copied): generating 2 300 towns costs minutes on a busy machine, and the copies are the same work."""
    towns = sorted(p for p in base.iterdir() if p.is_dir())
    if n == len(towns):
        return base
    for i in range(n):
        town = towns[i % len(towns)]
        shutil.copytree(town, out / f"{i // len(towns):02d}-{town.name}", copy_function=os.link)
    return out


class DaskCluster:
    """A local Dask cluster in a child process of its own (its memory watched with the batch's)."""

    def __init__(self, settings: dict):
        self.settings = settings

    def __enter__(self) -> DaskCluster:
        self.process = subprocess.Popen(
            [sys.executable, "-c", CLUSTER.format(settings=self.settings)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.address = self.process.stdout.readline().strip()
        if not self.address:
            raise SystemExit("le cluster Dask local n'a pas démarré")
        return self

    def __exit__(self, *exc) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def dask_installed() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def default_table(args: argparse.Namespace, work: Path, referentiel: str | None) -> None:
    plain, full = work / "sans-pieces", work / "avec-pieces"
    print(
        f"generated {args.n} towns without documents in {generate(args.n, plain, args.communes, False):.1f} s, "
        f"with documents in {generate(args.n, full, args.communes, True):.1f} s"
    )
    pieces = sum(1 for _ in full.rglob("*") if _.suffix in {".pdf", ".docx"})
    size = sum(p.stat().st_size for p in full.rglob("*") if p.is_file())
    print(f"with documents: {pieces} PDF/DOCX pieces, {size / 1e6:.1f} MB in all\n")
    print(f"{'run':58} {'wall s':>7} {'towns/s':>8} {'CPU s':>7} {'peak MiB':>9}")
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
        result = results[key] = batch(folder, work / f"out-{key}", workers, cache, referentiel)
        print(
            f"{label:58} {result.seconds:7.2f} {args.n / result.seconds:8.1f} {result.cpu:7.2f} "
            f"{result.peak / MIB:9.0f}"
        )
    print(f"  last summary line: {results['rerun'].summary}")
    print(
        f"\nspeed-up 1 -> 2 processes: without documents x{results['sans-1'].seconds / results['sans-2'].seconds:.2f}, "
        f"with documents x{results['avec-1'].seconds / results['avec-2'].seconds:.2f}"
    )
    peak = max(r.peak for r in results.values())
    checks = [
        ("without documents < 5 s", results["sans-2"].seconds < 5),
        ("with documents < 60 s", results["first"].seconds < 60),
        ("unchanged rerun < 2 s", results["rerun"].seconds < 2),
        ("memory < 1 GiB", peak < 2**30),
    ]
    print("targets: " + "; ".join(f"{name}: {'atteinte' if ok else 'NON atteinte'}" for name, ok in checks))


LABELS = {
    "local": "local pool, 2 processes",
    "dask": "Dask, flat settings (cluster incl.)",
    "dask-defauts": "Dask, Dask's defaults (cluster incl.)",
}


def scaling(args: argparse.Namespace, work: Path, referentiel: str | None) -> None:
    """Peak memory without documents at each size, locally and on Dask: does it grow with the towns?"""
    sizes = args.echelle
    modes = ["local"] + (["dask"] if args.dask else []) + (["dask-defauts"] if args.dask and args.dask_defauts else [])
    if args.dask and not dask_installed():
        print("Dask distributed n'est pas installé : mesure locale seulement")
        modes = ["local"]
    base = work / f"sans-pieces-{sizes[0]}"
    print(f"generated {sizes[0]} towns without documents in {generate(sizes[0], base, args.communes, False):.1f} s")
    folders = {n: replicate(base, n, work / f"sans-pieces-{n}") for n in sizes}
    if len(sizes) > 1:
        print(f"larger sets: the {sizes[0]} generated towns again (hard links) under other names, up to the size")
    print(
        f"\n{'run (without documents, no cache)':40} {'towns':>6} {'wall s':>7} {'CPU s':>7} {'CPU ms/town':>12} "
        f"{'peak MiB':>9} {'peak / smallest':>16}"
    )
    for mode in modes:
        peaks: dict[int, list[int]] = {}
        for _ in range(args.passes):
            for n in sizes:
                out = work / f"out-{mode}-{n}"
                if mode.startswith("dask"):
                    with DaskCluster(DASK_FLAT if mode == "dask" else {}) as cluster:
                        result = batch(
                            folders[n], out, 2, None, referentiel, dask=cluster.address, watch_also=cluster.process.pid
                        )
                else:
                    result = batch(folders[n], out, 2, None, referentiel)
                shutil.rmtree(out, ignore_errors=True)
                peaks.setdefault(n, []).append(result.peak)
                ratio = result.peak / statistics.median(peaks[sizes[0]])
                label = LABELS[mode]
                print(
                    f"{label:40} {n:6} {result.seconds:7.2f} {result.cpu:7.2f} {result.cpu / n * 1000:12.1f} "
                    f"{result.peak / MIB:9.0f} {ratio:16.2f}"
                    + (f"  (acv batch alone {result.peak_batch / MIB:.0f} MiB)" if mode != "local" else "")
                )
        small, large = statistics.median(peaks[sizes[0]]), statistics.median(peaks[sizes[-1]])
        met = large < 300 * MIB and large <= 1.2 * small
        print(
            f"  {mode}: peak {summary(peaks[sizes[0]], 1 / MIB, 'MiB')} at {sizes[0]} towns, "
            f"{summary(peaks[sizes[-1]], 1 / MIB, 'MiB')} at {sizes[-1]}: ratio {large / small:.2f} "
            f"(target < 300 MiB and ≤ 1.20: {'atteinte' if met else 'NON atteinte'})"
        )


def against_reference(args: argparse.Namespace, work: Path, referentiel: str | None) -> None:
    """CPU per town with documents, this code vs the reference, runs interleaved, medians."""
    full = work / "avec-pieces"
    print(f"generated {args.n} towns with documents in {generate(args.n, full, args.communes, True):.1f} s")
    pieces = sum(1 for _ in full.rglob("*") if _.suffix in {".pdf", ".docx"})
    print(f"{pieces} PDF/DOCX pieces; each run: acv batch --workers 2 --sans-cache, empty ACV_CACHE\n")
    cpu: dict[str, list[float]] = {"reference": [], "current": []}
    with reference_tree(REFERENCE) as tree:
        for i in range(args.passes):
            for name, cwd in (("reference", tree), ("current", ROOT)):
                out = work / f"out-{name}-{i}"
                result = batch(full, out, 2, None, referentiel, cwd=cwd)
                shutil.rmtree(out, ignore_errors=True)
                cpu[name].append(result.cpu / args.n)
                print(
                    f"pass {i + 1} {name:9} wall {result.seconds:6.2f} s, CPU {result.cpu:6.2f} s, "
                    f"{result.cpu / args.n * 1000:6.1f} ms/town, peak {result.peak / MIB:4.0f} MiB"
                )
    ratio = statistics.median(cpu["current"]) / statistics.median(cpu["reference"])
    print(
        f"\nCPU per town with documents: reference {REFERENCE} {summary(cpu['reference'])}, "
        f"this code {summary(cpu['current'])}: ratio {ratio:.2f} "
        f"(target ≤ 0.50: {'atteinte' if ratio <= 0.5 else 'NON atteinte'})"
    )


def sizes(text: str) -> list[int]:
    try:
        values = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError("des nombres de communes séparés par des virgules, ex. 230,2300") from None
    if not values or values[0] < 1:
        raise argparse.ArgumentTypeError("au moins une taille, chacune ≥ 1")
    return values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=222, help="towns generated (default and --reference modes)")
    parser.add_argument("--communes", help="acv-communes.csv: real names and places (the dossiers stay synthetic)")
    parser.add_argument("--echelle", type=sizes, help="sizes, e.g. 230,2300: peak memory without documents at each")
    parser.add_argument("--dask", action="store_true", help="with --echelle: also on a local Dask cluster")
    parser.add_argument(
        "--dask-defauts", action="store_true", help="with --dask: also on a cluster with Dask's default settings"
    )
    parser.add_argument("--reference", action="store_true", help=f"CPU per town with documents vs {REFERENCE}")
    parser.add_argument("--passes", type=int, default=1, help="runs of each (--echelle, --reference), interleaved")
    add_clock_argument(parser, default="cpu")
    args = parser.parse_args()
    print(header("acv-instruct — national batch benchmark (benchmarks/batch.py)", args))
    print(f"date of judgement {DATE}; CPU = the batch and all its children (getrusage RUSAGE_CHILDREN)")
    work = Path(tempfile.mkdtemp(prefix="acv-bench-lot-"))
    try:
        # invented towns are in no official list: judged without one (PROG-01 à vérifier); real ones with theirs
        referentiel = str(Path(args.communes).resolve().parent) if args.communes else None
        if args.echelle:
            scaling(args, work, referentiel)
        elif args.reference:
            against_reference(args, work, referentiel)
        else:
            default_table(args, work, referentiel)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
