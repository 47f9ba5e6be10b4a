"""Load benchmark of the web service: concurrent clients on loopback, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/load.py                      # 20 clients, 1 and 2 workers, both databases
    .venv/bin/python benchmarks/load.py --duration 10 --base sqlite --workers 1

For each (database, workers) scenario, in one run:
- a fresh database (SQLite file in a temporary directory; a new database in one throwaway
  PostgreSQL server from tests/pg.py, skipped with the reason printed when it cannot start),
  the schema created and one `collectivite` account per client (commune 99101, villebelle);
- `acv serve --hote 127.0.0.1 --workers N` in its own process group (never in this process:
  the load generator must not share the server's GIL), waited for until it answers;
- the clients (threads, one httpx.Client each) log in at the same moment, then loop for
  warm-up + duration seconds: submit samples/villebelle/dossier.yaml alone (multipart field
  `dossier`, no pieces: a new dossier each time), read the list, read the dossier, read its
  JSON report, and every `--version-every`-th loop submit a new version of that dossier.
  Requests started during the warm-up are not counted in the figures (their errors are);
- a short sequential pass (1 client, submissions only) for the unloaded latency;
- the server is stopped (SIGTERM, then SIGKILL of its process group after a timeout).

Printed: per request kind, count, requests/s, median, p95 (nearest rank), max, errors; the
overall line; the CPU used during the measured window by the server, PostgreSQL and the load
generator itself (they share the machine's cores); the first error messages; and whether the
target holds: p95 of a submission (the check of a sample dossier without documents) < 200 ms.

With `--profil DIR` and py-spy on PATH or next to this Python (`pip install py-spy`; it is
not a dependency), the server is sampled during the measured window (`py-spy record --gil
--subprocesses --nonblocking`, raw collapsed stacks in DIR) and the share of the GIL held per
endpoint and per kind of work is printed.

`--pause S` makes each client wait after each response, S seconds on average (exponential, so
the clients do not submit in step); default 0: the clients saturate the server, and the
latencies are then mostly queueing (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import math
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import httpx  # noqa: E402
import pg  # noqa: E402
from common import add_clock_argument, header  # noqa: E402  (tests/pg.py: throwaway PostgreSQL, free_port)

SAMPLE = ROOT / "samples" / "villebelle" / "dossier.yaml"
INSEE = "99101"
PASSWORD = "mot-de-passe-de-charge"
TARGET_MS = 200.0
KINDS = ("depot", "liste", "dossier", "rapport_json", "version")
LABELS = {
    "depot": "POST /api/dossiers",
    "liste": "GET /api/dossiers",
    "dossier": "GET /api/dossiers/{id}",
    "rapport_json": "GET /api/dossiers/{id}/versions/1/rapport?format=json",
    "version": "POST /api/dossiers/{id}/versions",
}
START_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0


# --- measurements ---------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    start: float  # time.monotonic() when the request was sent
    seconds: float
    status: int  # 0: no HTTP answer (exception)
    error: str = ""


@dataclass
class Recorder:
    """One client's requests. `pause`: mean seconds to wait after each response, drawn from an exponential
    distribution (independent users: the clients do not fall into step and submit in bursts)."""

    pause: float = 0.0
    seed: int = 0
    samples: list[Sample] = field(default_factory=list)

    def __post_init__(self):
        self.random = random.Random(self.seed)

    def think(self) -> None:
        if self.pause:
            time.sleep(self.random.expovariate(1 / self.pause))

    def call(self, kind: str, send) -> httpx.Response | None:
        start = time.monotonic()
        t0 = time.perf_counter()
        try:
            response = send()
        except httpx.HTTPError as exc:
            self.samples.append(Sample(kind, start, time.perf_counter() - t0, 0, f"{type(exc).__name__}: {exc}"))
            response = None
        else:
            ok = 200 <= response.status_code < 300
            self.samples.append(
                Sample(kind, start, time.perf_counter() - t0, response.status_code, "" if ok else response.text[:300])
            )
            response = response if ok else None
        self.think()
        return response


def p95(values: list[float]) -> float:
    """Nearest rank: the smallest value with at least 95 % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def row(label: str, samples: list[Sample], window: float) -> str:
    ok = [s.seconds * 1e3 for s in samples if 200 <= s.status < 300]
    errors = len(samples) - len(ok)
    if not ok:
        return f"  {label:<14}{len(samples):>7}{len(samples) / window:>9.1f}{'—':>10}{'—':>10}{'—':>10}{errors:>8}"
    return (
        f"  {label:<14}{len(samples):>7}{len(samples) / window:>9.1f}{statistics.median(ok):>10.1f}{p95(ok):>10.1f}"
        f"{max(ok):>10.1f}{errors:>8}"
    )


HEADER = f"  {'kind':<14}{'count':>7}{'req/s':>9}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}{'errors':>8}"


# --- CPU of process trees, from /proc -------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()  # fields from 3 (state) on


def descendants(root: int) -> list[int]:
    """root and every process below it."""
    parents = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields:
                parents[int(fields[1])].append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


def cpu_seconds(root: int | None) -> dict[int, float]:
    """user + system CPU seconds of each live process of the tree (processes that end are lost)."""
    if root is None:
        return {}
    out = {}
    for pid in descendants(root):
        fields = _stat(pid)
        if fields:
            out[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return out


def machine_busy() -> float:
    """CPU seconds spent by the whole machine so far (every core, every process: /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:7]) - idle  # user nice system idle iowait irq softirq (guest is inside user; steal left out)
    return busy / CLOCK_TICKS


def cpu_used(before: dict[int, float], after: dict[int, float], only=None) -> float:
    """CPU seconds of the tree between two readings; `only(pid)`: the processes counted (default all)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items() if only is None or only(pid))


def evaluating(pid: int) -> bool:
    """An evaluation worker (or their forkserver): the processes that hold no request's GIL."""
    try:
        return b"multiprocessing.forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


# --- the server -----------------------------------------------------------------------------------


def acv_command() -> list[str]:
    script = Path(sys.executable).with_name("acv")
    return [str(script)] if script.exists() else [sys.executable, "-m", "instruct.cli.main"]


class Served:
    """`acv serve` in its own process group, on a free loopback port, until stopped."""

    def __init__(self, url: str, workers: int, log: Path):
        self.url, self.workers, self.log_path = url, workers, log
        self.port = pg.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Served:
        command = acv_command() + [
            "serve",
            "--hote",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--base",
            self.url,
            "--workers",
            str(self.workers),
        ]
        env = {k: v for k, v in os.environ.items() if k not in {"ACV_DATABASE_URL", "ACV_REFERENTIEL"}}
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
        )  # this tree's code
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        with httpx.Client(base_url=self.base, timeout=5) as client:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"acv serve exited with code {self.process.returncode}:\n{self.log_tail()}")
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"acv serve did not answer within {START_TIMEOUT:.0f} s:\n{self.log_tail()}")
                try:
                    if client.get("/api/regles").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            self.log.close()
            return
        process.terminate()  # uvicorn shuts down gracefully and stops its workers
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the group this Popen created (start_new_session)
            process.wait(STOP_TIMEOUT)
        self.log.close()

    def exceptions(self) -> collections.Counter[str]:
        """The exception lines of the tracebacks in the server's log, counted."""
        self.log.flush()
        found: collections.Counter[str] = collections.Counter()
        in_traceback, last = False, None
        for line in self.log_path.read_text(errors="replace").splitlines() + ["INFO: (end)"]:
            if line.startswith("Traceback (most recent call last)"):
                in_traceback = True
            elif line.startswith(("The above exception", "During handling")):
                last = None  # a chained exception: the last one of the chain is kept
            elif in_traceback and line and not line[0].isspace():
                last, in_traceback = line[:240], False
            elif last is not None and line.startswith(
                "("
            ):  # SQLAlchemy's next lines: the driver's error, the help link
                last = f"{last} {line}"[:400]
            elif (
                line.startswith(("INFO:", "WARNING:", "ERROR:", "CRITICAL:")) and last is not None
            ):  # the next log record
                found[last] += 1
                last = None
        return found

    def log_tail(self, lines: int = 25) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def make_accounts(url: str, clients: int) -> None:
    """Schema at the newest revision and one collectivite account per client (before the server starts:
    the workers then find the schema up to date)."""
    from instruct.service import accounts
    from instruct.service.storage import make_engine, sessions, upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
        with sessions(engine)() as session:
            for i in range(clients):
                accounts.create_user(session, f"charge{i:02d}", PASSWORD, "collectivite", commune_insee=INSEE)
            session.commit()
    finally:
        engine.dispose()


def new_postgres_database(server: pg.TemporaryPostgres, name: str) -> str:
    import psycopg

    with psycopg.connect(server.libpq_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{pg.USER}"')
    return server.url.rsplit("/", 1)[0] + f"/{name}"


def postmaster_pid(server: pg.TemporaryPostgres) -> int | None:
    try:
        return int((server.data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


# --- the clients ----------------------------------------------------------------------------------


def login(base: str, number: int, timeout: float, recorder: Recorder) -> str | None:
    with httpx.Client(base_url=base, timeout=timeout) as client:
        response = recorder.call(
            "session",
            lambda: client.post("/api/session", json={"identifiant": f"charge{number:02d}", "mot_de_passe": PASSWORD}),
        )
    return response.json()["jeton"] if response is not None else None


def client_loop(base: str, token: str, until: float, args, yaml: bytes, recorder: Recorder) -> None:
    try:
        _client_loop(base, token, until, args, yaml, recorder)
    except Exception as exc:
        recorder.samples.append(
            Sample("client", time.monotonic(), 0.0, 0, f"client stopped: {type(exc).__name__}: {exc}")
        )


def _client_loop(base: str, token: str, until: float, args, yaml: bytes, recorder: Recorder) -> None:
    upload = {"dossier": ("dossier.yaml", yaml, "application/x-yaml")}
    form = {"date": args.date}
    headers = {"authorization": f"Bearer {token}"}
    loops = 0
    recorder.think()  # with a pause, the clients start at different moments
    with httpx.Client(base_url=base, timeout=args.timeout, headers=headers) as client:
        while time.monotonic() < until:
            loops += 1
            created = recorder.call("depot", lambda: client.post("/api/dossiers", files=upload, data=form))
            if created is None:
                continue
            ident = created.json()["id"]
            recorder.call("liste", lambda: client.get("/api/dossiers"))
            recorder.call("dossier", lambda ident=ident: client.get(f"/api/dossiers/{ident}"))
            recorder.call(
                "rapport_json",
                lambda ident=ident: client.get(f"/api/dossiers/{ident}/versions/1/rapport", params={"format": "json"}),
            )
            if args.version_every and loops % args.version_every == 0:
                recorder.call(
                    "version",
                    lambda ident=ident: client.post(f"/api/dossiers/{ident}/versions", files=upload, data=form),
                )


def sequential(base: str, token: str, until: float, args, yaml: bytes, recorder: Recorder) -> None:
    upload = {"dossier": ("dossier.yaml", yaml, "application/x-yaml")}
    with httpx.Client(base_url=base, timeout=args.timeout, headers={"authorization": f"Bearer {token}"}) as client:
        while time.monotonic() < until:
            recorder.call("depot", lambda: client.post("/api/dossiers", files=upload, data={"date": args.date}))


def run_threads(targets: list) -> None:
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- one scenario ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    title: str
    lines: list[str]
    depot_p95: float | None
    errors: int


def scenario(
    title: str, url: str, workers: int, args, yaml: bytes, work: Path, postgres_root: int | None, profile: Path | None
) -> Outcome:
    out: list[str] = []
    w = out.append
    t_setup = time.perf_counter()
    make_accounts(url, args.clients)
    setup = time.perf_counter() - t_setup
    tag = title.replace(", ", "-").replace(" ", "")
    with Served(url, workers, work / f"serve-{tag}.log") as served:
        started = time.perf_counter() - t_setup - setup
        w(
            f"{title}: server pid {served.process.pid}, answered {started:.1f} s after launch "
            f"({args.clients} accounts created in {setup:.1f} s)"
        )

        logins = Recorder()
        tokens: list[str | None] = [None] * args.clients

        def log_in(i):
            tokens[i] = login(served.base, i, args.timeout, logins)

        run_threads([lambda i=i: log_in(i) for i in range(args.clients)])
        if not all(tokens):
            bad = [s for s in logins.samples if not 200 <= s.status < 300]
            return Outcome(title, out + [f"  login failed: {bad[0].status} {bad[0].error}"], None, len(bad))

        recorders = [Recorder(args.pause, seed=i) for i in range(args.clients)]
        t0 = time.monotonic()
        measured_from = t0 + args.warmup
        until = measured_from + args.duration
        spy = None
        if profile is not None:
            spy_out = profile / f"py-spy-{tag}.txt"
            spy = subprocess.Popen(
                [
                    str(py_spy()),
                    "record",
                    "--pid",
                    str(served.process.pid),
                    "--subprocesses",
                    "--nonblocking",
                    "--gil",
                    "--format",
                    "raw",
                    "--rate",
                    "100",
                    "--duration",
                    str(int(args.duration)),
                    "--output",
                    str(spy_out),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        cpu_start: dict[str, object] = {}

        def mark_start():
            cpu_start.update(
                server=cpu_seconds(served.process.pid),
                postgres=cpu_seconds(postgres_root),
                me=os.times(),
                machine=machine_busy(),
                at=time.monotonic(),
            )

        sampler = threading.Timer(max(0.0, measured_from - time.monotonic()), mark_start)
        sampler.start()
        run_threads(
            [
                lambda i=i: client_loop(served.base, tokens[i], until, args, yaml, recorders[i])
                for i in range(args.clients)
            ]
        )
        ended = time.monotonic()
        sampler.join()
        server_after = cpu_seconds(served.process.pid)
        server_cpu = cpu_used(cpu_start["server"], server_after)
        evaluation_cpu = cpu_used(cpu_start["server"], server_after, evaluating)
        postgres_cpu = cpu_used(cpu_start["postgres"], cpu_seconds(postgres_root))
        me_before, me_after = cpu_start["me"], os.times()
        me_cpu = (me_after.user - me_before.user) + (me_after.system - me_before.system)
        machine_cpu = machine_busy() - cpu_start["machine"]
        cpu_window = ended - cpu_start["at"]
        spy_summary = finish_py_spy(spy, profile / f"py-spy-{tag}.txt") if spy is not None else []

        unloaded = Recorder()
        if args.baseline > 0:
            sequential(served.base, tokens[0], time.monotonic() + args.baseline, args, yaml, unloaded)
        server_exceptions = served.exceptions()
        if served.process.poll() is not None:
            w(f"  the server exited during the run (code {served.process.returncode}):\n{served.log_tail()}")

    samples = [s for r in recorders for s in r.samples]
    counted = [s for s in samples if s.start >= measured_from]
    warmup_errors = [s for s in samples if s.start < measured_from and not 200 <= s.status < 300]
    window = max(s.start + s.seconds for s in counted) - measured_from if counted else args.duration
    by_kind = collections.defaultdict(list)
    for s in counted:
        by_kind[s.kind].append(s)

    pause = (
        f"a pause after each response, exponential, mean {args.pause * 1e3:.0f} ms"
        if args.pause
        else "no pause between requests (saturation)"
    )
    w(f"  measured window {window:.1f} s after {args.warmup:.0f} s of warm-up; {args.clients} clients, {pause}")
    w(HEADER)
    for kind in KINDS:
        if by_kind[kind]:
            w(row(kind, by_kind[kind], window))
    w(row("overall", counted, window))
    login_ok = [s.seconds * 1e3 for s in logins.samples if 200 <= s.status < 300]
    w(
        f"  session: {len(logins.samples)} logins at once before the window (argon2id): "
        f"median {statistics.median(login_ok):.0f} ms, max {max(login_ok):.0f} ms, "
        f"errors {len(logins.samples) - len(login_ok)}"
    )
    created = sum(1 for s in samples if s.kind == "depot" and 200 <= s.status < 300)
    w(
        f"  dossiers of the commune at the end of the window: {created} "
        "(the list answers its first page: the 100 most recent)"
    )
    ok_seq = [s.seconds * 1e3 for s in unloaded.samples if 200 <= s.status < 300]
    if ok_seq:
        w(
            f"  unloaded (1 client, {len(unloaded.samples)} submissions in sequence, {args.baseline:.0f} s): "
            f"median {statistics.median(ok_seq):.1f} ms, p95 {p95(ok_seq):.1f} ms, "
            f"errors {len(unloaded.samples) - len(ok_seq)}"
        )
    cores = os.cpu_count() or 1
    parts = [f"server {server_cpu / cpu_window:.2f}"]
    if postgres_root is not None:
        parts.append(f"PostgreSQL {postgres_cpu / cpu_window:.2f}")
    parts.append(f"load generator {me_cpu / cpu_window:.2f}")
    others = machine_cpu - server_cpu - postgres_cpu - me_cpu
    if not math.isnan(others):
        parts.append(f"other processes {max(0.0, others) / cpu_window:.2f}")
    w(
        f"  CPU during the window, in cores (of {cores}): "
        + ", ".join(parts)
        + (
            f"; server CPU per request {1e3 * server_cpu / len(counted):.1f} ms (its request processes "
            f"{1e3 * (server_cpu - evaluation_cpu) / len(counted):.1f}, evaluation workers "
            f"{1e3 * evaluation_cpu / len(counted):.1f})"
            if counted
            else ""
        )
    )
    for line in spy_summary:
        w("  " + line)

    errors = [s for s in counted + unloaded.samples + logins.samples if not 200 <= s.status < 300]
    if warmup_errors or errors:
        w(f"  errors: {len(errors)} counted, {len(warmup_errors)} during the warm-up; first ones:")
        for s in (warmup_errors + errors)[:5]:
            w(f"    {s.kind} -> {s.status or 'no answer'}: {s.error[:200]}")
    if server_exceptions:
        w(f"  exceptions in the server's log ({sum(server_exceptions.values())}):")
        for line, n in server_exceptions.most_common(5):
            w(f"    {n} × {line}")
    depot = [s.seconds * 1e3 for s in by_kind["depot"] if 200 <= s.status < 300]
    value = p95(depot) if depot else None
    if value is None:
        w(f"  cible p95 < {TARGET_MS:.0f} ms pour le contrôle (dépôt sans pièces) : non mesurée (aucun dépôt réussi)")
    else:
        w(
            f"  cible p95 < {TARGET_MS:.0f} ms pour le contrôle (dépôt sans pièces) : "
            f"{'atteinte' if value < TARGET_MS else 'non atteinte'} (p95 = {value:.0f} ms)"
        )
    return Outcome(title, out, value, len(errors) + len(warmup_errors))


# --- py-spy (optional) ----------------------------------------------------------------------------


def py_spy() -> Path | None:
    near = Path(sys.executable).with_name("py-spy")
    if near.exists():
        return near
    found = shutil.which("py-spy")
    return Path(found) if found else None


ENDPOINTS = {
    "login": "POST /api/session",
    "submit": "depot",
    "list_dossiers": "liste",
    "show": "dossier",
    "report": "rapport_json",
    "add_version": "version",
    "current_user": "authentication (token -> user), any endpoint",
}
ACROSS = (  # (label, substrings of a frame): shares across endpoints, in the server's processes
    (
        "waiting for an evaluation worker and unpickling its answer",
        ("Evaluators.evaluate",),  # evaluate, evaluate_stored, evaluate_form
    ),
    ("the JSON report rendered (reports/json.py)", ("render (instruct/reports/json.py",)),
    ("the report's index rows (report_index.py)", ("index_report (instruct/service/report_index.py",)),
    ("json.loads", ("loads (json/__init__.py",)),
    ("summary() of a dossier (lazy loads of versions and reports)", ("summary (instruct/service/usecases.py",)),
    ("SQLAlchemy and the database driver", ("sqlalchemy/",)),
    ("argon2", ("argon2",)),
    ("multipart form parsing", ("multipart",)),
)
WAITING = ("Condition.wait", "EpollSelector.select", "_write_to_self", "Event.wait", "Thread.join")


def finish_py_spy(process: subprocess.Popen, path: Path) -> list[str]:
    """Shares of the samples where a thread held the GIL (py-spy --gil), by endpoint and across them."""
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return ["py-spy did not finish"]
    if not path.exists():
        return [f"py-spy wrote nothing: {stderr.decode(errors='replace').strip()[-300:]}"]
    endpoints: collections.Counter[str] = collections.Counter()
    across: collections.Counter[str] = collections.Counter()
    total = evaluating = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        frames = [f.split(" (")[0] for f in stack.split(";")]
        if frames[-1].endswith(WAITING):
            continue
        n = int(number)
        if "_serve (instruct/service/evaluator.py" in stack:  # an evaluation worker: its own process and GIL
            evaluating += n
            continue
        total += n
        name = next(
            (f for f, full in zip(frames, stack.split(";")) if f in ENDPOINTS and "service/api.py" in full), None
        )
        endpoints[ENDPOINTS[name] if name else "server machinery (uvicorn, asyncio, Starlette, middleware)"] += n
        for label, keys in ACROSS:
            if any(k in stack for k in keys):
                across[label] += n
    if not total:
        return ["py-spy: no sample"]
    out = [
        f"py-spy --gil: {total} samples of a server process's thread holding its GIL ({path.name}; "
        f"the evaluation workers, {evaluating} more samples, apart); by endpoint:"
    ]
    out += [f"  {100 * n / total:5.1f} %  {label}" for label, n in endpoints.most_common()]
    out.append("  across endpoints:")
    out += [f"  {100 * across[label] / total:5.1f} %  {label}" for label, _ in ACROSS]
    return out


# --- main -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20, help="measured seconds per scenario (default 20)")
    parser.add_argument(
        "--warmup", type=float, default=3, help="seconds of load before the measured window (default 3)"
    )
    parser.add_argument(
        "--baseline", type=float, default=3, help="seconds of sequential submissions after the load (0: none)"
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="uvicorn worker counts (default 1 2)")
    parser.add_argument("--base", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument(
        "--pause",
        type=float,
        default=0,
        help="mean seconds a client waits after each response, exponential (default 0: saturation)",
    )
    parser.add_argument(
        "--version-every", type=int, default=4, help="a new version every N loops of a client (0: never)"
    )
    parser.add_argument("--date", default="2026-11-26", help="evaluation date sent with each submission")
    parser.add_argument("--timeout", type=float, default=60, help="seconds allowed per request")
    parser.add_argument("--profil", type=Path, help="sample the server with py-spy into this directory")
    parser.add_argument(
        "--scenario",
        nargs="+",
        choices=["depot", "connexions"],
        default=["depot", "connexions"],
        help="depot: the clients submit and read; connexions: a burst of logins while others read (both by default)",
    )
    parser.add_argument("--connexions", type=int, default=16, help="clients logging in together (default 16)")
    parser.add_argument("--lecteurs", type=int, default=4, help="clients reading during the logins (default 4)")
    add_clock_argument(parser)
    args = parser.parse_args()
    if args.profil is not None:
        if py_spy() is None:
            parser.error("--profil: py-spy not found (pip install py-spy)")
        args.profil.mkdir(parents=True, exist_ok=True)
    yaml = SAMPLE.read_bytes()

    print(header("acv-instruct — load benchmark of the web service (benchmarks/load.py)", args))
    if args.horloge == "cpu":
        print("(latencies stay wall-clock: what users wait; the server's CPU per request is printed beside them)")
    print(
        f"{args.clients} clients on loopback; per loop: submit {SAMPLE.relative_to(ROOT)} "
        f"({len(yaml)} bytes, no pieces, date {args.date}), list, dossier, JSON report"
        + (f", a new version every {args.version_every} loops" if args.version_every else "")
    )
    print("kinds: " + "; ".join(f"{k} = {v}" for k, v in LABELS.items()))
    print(
        f"server: {' '.join(_relative(part) for part in acv_command())} serve --hote 127.0.0.1 --workers N, "
        f"its own process; latencies as seen by the clients; p95 = nearest rank"
    )
    print()

    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="acv-load-") as tmp:
        work = Path(tmp)
        for base in args.base:
            if base == "sqlite":
                for workers in args.workers:
                    url = f"sqlite:///{work / f'load-w{workers}.sqlite3'}"
                    outcomes += run_all(
                        f"SQLite, {workers} worker{'s' if workers > 1 else ''}", url, args, yaml, work, None
                    )
                continue
            reason = pg.unavailable_reason()
            if reason:
                print(f"PostgreSQL skipped: {reason}\n")
                continue
            try:
                server = pg.TemporaryPostgres().start()
            except pg.PostgresError as exc:
                print(f"PostgreSQL skipped: it did not start: {exc}\n")
                continue
            try:
                version = subprocess.run(
                    [str(server.bin_dir / "postgres"), "--version"], capture_output=True, text=True
                ).stdout.strip()
                print(
                    f"PostgreSQL: {version}, throwaway cluster on 127.0.0.1:{server.port} (fsync off), "
                    f"started in {server.startup_seconds:.1f} s\n"
                )
                for workers in args.workers:
                    outcomes += run_all(
                        f"PostgreSQL, {workers} worker{'s' if workers > 1 else ''}",
                        lambda name, workers=workers, server=server: new_postgres_database(
                            server, f"load_w{workers}_{name}"
                        ),
                        args,
                        yaml,
                        work,
                        postmaster_pid(server),
                    )
            finally:
                server.stop()

    print(
        "summary: p95 of a submission (check of villebelle without pieces) under load, target < 200 ms; "
        f"p95 of a login among {args.connexions} at once, target < 1000 ms (reads: see each scenario)"
    )
    for o in outcomes:
        target = 1000.0 if o.title.endswith("connexions") else TARGET_MS
        verdict = (
            "—"
            if o.depot_p95 is None
            else f"{o.depot_p95:.0f} ms, {'atteinte' if o.depot_p95 < target else 'non atteinte'}"
        )
        print(f"  {o.title:<38} {verdict}; errors {o.errors}")
    return 0 if outcomes and all(o.errors == 0 for o in outcomes) else 1


def run_all(title, url, args, yaml, work, postgres_root) -> list[Outcome]:
    """The scenarios asked for, each on a fresh database: `url` is a SQLite URL or a function of the scenario's
    name that makes a PostgreSQL database."""
    import load_logins

    workers = int(title.split(", ")[1].split()[0])
    outcomes = []
    for name in args.scenario:
        where = url(name) if callable(url) else url.replace(".sqlite3", f"-{name}.sqlite3")
        if name == "depot":
            run, extra = scenario, (args.profil,)
        else:
            run, extra = load_logins.scenario, ()
        outcomes.append(run_one(title, run, (title, where, workers, args, yaml, work, postgres_root, *extra)))
    return outcomes


def run_one(title, run, arguments: tuple) -> Outcome:
    try:
        outcome = run(*arguments)
    except RuntimeError as exc:
        outcome = Outcome(title, [f"{title}: failed: {exc}"], None, 1)
    print("\n".join(outcome.lines), flush=True)
    print()
    return outcome


def _relative(part: str) -> str:
    """A path inside the repository shown relative to it (no machine path in printed figures)."""
    try:
        return str(Path(part).resolve().relative_to(ROOT))
    except ValueError:
        return part


if __name__ == "__main__":
    sys.exit(main())
