"""What every benchmark shares: the clock (`--horloge mur|cpu`), the header line (commit measured,
machine, load), medians with their range, and a reference commit checked out beside this one so
that a ratio "before / after" is measured in the same run on the same noisy machine.

On a shared machine the wall clock counts the time other processes take from ours; the CPU clock
(`time.process_time`: this process's user + system time, children excluded) does not. A benchmark
that runs children measures them with `children_cpu()` around the call.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCKS: dict[str, Callable[[], float]] = {
    "mur": time.perf_counter,
    "cpu": lambda: time.process_time() + children_cpu(),  # this process and the children it waited for
}


def add_clock_argument(parser: argparse.ArgumentParser, default: str = "mur") -> None:
    parser.add_argument(
        "--horloge",
        choices=sorted(CLOCKS),
        default=default,
        help="mur: wall-clock time (what a user waits); cpu: CPU time of this process and of the children "
        f"it waited for, robust to a busy machine (default {default})",
    )


def clock(args: argparse.Namespace) -> Callable[[], float]:
    """The timer chosen by --horloge."""
    return CLOCKS[getattr(args, "horloge", "mur")]


def children_cpu() -> float:
    """CPU seconds (user + system) of the children waited for so far: call before and after."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def code_state(root: Path = ROOT) -> str:
    """The commit measured, and whether instruct/ or rules/ differ from it (uncommitted edits)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "instruct", "rules"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    changed = [line[3:] for line in dirty if line.strip()]
    return (head or "?") + (f" + uncommitted changes in {', '.join(changed)}" if changed else " (clean)")


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def header(title: str, args: argparse.Namespace | None = None) -> str:
    """One block saying what was measured, where and with which clock."""
    chosen = getattr(args, "horloge", None)
    lines = [
        title,
        f"commit {code_state()}; {time.strftime('%Y-%m-%d %H:%M')}",
        f"machine: nproc {os.cpu_count()}, Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}; load average {load_average()} (1, 5, 15 min)",
    ]
    if chosen:
        what = "CPU time of this process and its children" if chosen == "cpu" else "wall clock"
        lines.append(f"horloge: {chosen} ({what})")
    return "\n".join(lines)


def summary(values: Sequence[float], scale: float = 1000.0, unit: str = "ms") -> str:
    """Median and range, e.g. « 412 ms (398–431) »."""
    if not values:
        return "—"
    med = statistics.median(values) * scale
    return f"{med:.0f} {unit} ({min(values) * scale:.0f}–{max(values) * scale:.0f})"


@contextlib.contextmanager
def reference_tree(revision: str) -> Iterator[Path]:
    """A detached checkout of `revision` in a temporary folder, removed afterwards.

    Code run there with this .venv's interpreter (`python -m instruct…`, cwd = the checkout)
    imports the reference's `instruct`, so the old and the new code are measured in the same run.
    """
    folder = Path(tempfile.mkdtemp(prefix="acv-ref-"))
    tree = folder / "tree"
    try:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), revision],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        sys.exit(f"référence {revision} introuvable : {exc.stderr.decode(errors='replace').strip()}")
    try:
        yield tree
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True, timeout=60
        )
        shutil.rmtree(folder, ignore_errors=True)


# The last commit before the work on start-up and throughput (issue 19): what "today" meant.
REFERENCE = "2ce9811"
