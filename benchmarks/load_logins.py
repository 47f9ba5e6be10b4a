"""The login scenario of benchmarks/load.py (`--scenario connexions`): argon2 under a burst of logins.

16 clients (`--connexions`) log in at the same moment, again and again for warm-up + duration
seconds: each round starts when all 16 are ready (a barrier), each client a fresh session
(`POST /api/session`, argon2id verification) per round. Meanwhile 4 other clients (`--lecteurs`)
read without pause: the list of their town's dossiers, their dossier, its JSON report (one
dossier each, submitted before the window). Printed: login and read latencies (wall clock, what
users wait), the server's CPU per request, and the targets: login p95 < 1 s, read p95 < 300 ms.
"""

from __future__ import annotations

import collections
import statistics
import threading
import time
from pathlib import Path

import httpx
from load import (
    HEADER,
    PASSWORD,
    Outcome,
    Recorder,
    Sample,
    Served,
    cpu_seconds,
    cpu_used,
    login,
    machine_busy,
    make_accounts,
    p95,
    row,
    run_threads,
)

LOGIN_TARGET_MS = 1000.0
READ_TARGET_MS = 300.0
READS = ("liste", "dossier", "rapport_json")


def login_loop(base: str, number: int, until: float, barrier: threading.Barrier, timeout: float, rec: Recorder):
    """Rounds of logins in step with the other login clients, until `until` (checked by all before each round)."""
    body = {"identifiant": f"charge{number:02d}", "mot_de_passe": PASSWORD}
    with httpx.Client(base_url=base, timeout=timeout) as client:
        while True:
            try:
                barrier.wait(timeout)
            except threading.BrokenBarrierError:
                return
            if time.monotonic() >= until:
                barrier.abort()  # the others stop at their next wait
                return
            rec.call("session", lambda: client.post("/api/session", json=body))


def read_loop(base: str, token: str, ident: str, until: float, timeout: float, rec: Recorder) -> None:
    with httpx.Client(base_url=base, timeout=timeout, headers={"authorization": f"Bearer {token}"}) as client:
        while time.monotonic() < until:
            rec.call("liste", lambda: client.get("/api/dossiers"))
            rec.call("dossier", lambda: client.get(f"/api/dossiers/{ident}"))
            rec.call(
                "rapport_json",
                lambda: client.get(f"/api/dossiers/{ident}/versions/1/rapport", params={"format": "json"}),
            )


def scenario(title: str, url: str, workers: int, args, yaml: bytes, work: Path, postgres_root: int | None) -> Outcome:
    out: list[str] = []
    w = out.append
    logging, readers = args.connexions, args.lecteurs
    make_accounts(url, logging + readers)
    tag = "connexions-" + title.replace(", ", "-").replace(" ", "")
    with Served(url, workers, work / f"serve-{tag}.log") as served:
        w(f"{title}, logins: server pid {served.process.pid}; {logging} clients log in together, {readers} read")
        setup = Recorder()
        tokens = [login(served.base, logging + i, args.timeout, setup) for i in range(readers)]
        if not all(tokens):
            return Outcome(title, out + ["  a reader's login failed"], None, 1)
        idents = []
        for token in tokens:
            with httpx.Client(base_url=served.base, timeout=args.timeout) as client:
                created = setup.call(
                    "depot",
                    lambda token=token: client.post(
                        "/api/dossiers",
                        files={"dossier": ("dossier.yaml", yaml, "application/x-yaml")},
                        data={"date": args.date},
                        headers={"authorization": f"Bearer {token}"},
                    ),
                )
            if created is None:
                return Outcome(title, out + [f"  a reader's dossier was refused: {setup.samples[-1].error}"], None, 1)
            idents.append(created.json()["id"])

        t0 = time.monotonic()
        measured_from, until = t0 + args.warmup, t0 + args.warmup + args.duration
        barrier = threading.Barrier(logging)
        login_recs = [Recorder() for _ in range(logging)]
        read_recs = [Recorder() for _ in range(readers)]
        start: dict = {}

        def mark_start():
            start.update(
                server=cpu_seconds(served.process.pid),
                postgres=cpu_seconds(postgres_root),
                machine=machine_busy(),
                at=time.monotonic(),
            )

        sampler = threading.Timer(args.warmup, mark_start)
        sampler.start()
        run_threads(
            [
                lambda i=i: login_loop(served.base, i, until, barrier, args.timeout, login_recs[i])
                for i in range(logging)
            ]
            + [
                lambda i=i: read_loop(served.base, tokens[i], idents[i], until, args.timeout, read_recs[i])
                for i in range(readers)
            ]
        )
        ended = time.monotonic()
        sampler.join()
        server_cpu = cpu_used(start["server"], cpu_seconds(served.process.pid))
        postgres_cpu = cpu_used(start["postgres"], cpu_seconds(postgres_root))
        machine_cpu = machine_busy() - start["machine"]
        cpu_window = ended - start["at"]
        exceptions = served.exceptions()

    samples = [s for r in login_recs + read_recs for s in r.samples]
    # every login round counts (each is 16 logins at once, the case judged; a round can outlast the window on a busy
    # machine); reads only in the measured window
    counted = [s for s in samples if s.kind == "session" or s.start >= measured_from]
    window = max((s.start + s.seconds for s in counted if s.kind != "session"), default=until) - measured_from
    by_kind: dict[str, list[Sample]] = collections.defaultdict(list)
    for s in counted:
        by_kind[s.kind].append(s)
    rounds = len(by_kind["session"]) / logging
    w(
        f"  measured window {window:.1f} s after {args.warmup:.0f} s of warm-up (reads); "
        f"{rounds:.1f} rounds of logins from the start"
    )
    w(HEADER)
    for kind in ("session", *READS):
        if by_kind[kind]:
            w(row(kind, by_kind[kind], window))
    reads = [s for kind in READS for s in by_kind[kind]]
    w(row("reads", reads, window))
    parts = [f"server {server_cpu / cpu_window:.2f}"]
    if postgres_root is not None:
        parts.append(f"PostgreSQL {postgres_cpu / cpu_window:.2f}")
    parts.append(f"other processes {max(0.0, machine_cpu - server_cpu - postgres_cpu) / cpu_window:.2f}")
    per_login = (
        f"; server CPU per request {1e3 * server_cpu / len(counted):.1f} ms (logins and reads)" if counted else ""
    )
    w(f"  CPU during the window, in cores: {', '.join(parts)}{per_login}")
    errors = [s for s in samples + setup.samples if not 200 <= s.status < 300]
    if errors:
        w(f"  errors: {len(errors)}; first ones:")
        for s in errors[:5]:
            w(f"    {s.kind} -> {s.status or 'no answer'}: {s.error[:200]}")
    for line, n in exceptions.most_common(3):
        w(f"    {n} × {line}")
    login_ms = [s.seconds * 1e3 for s in by_kind["session"] if 200 <= s.status < 300]
    read_ms = [s.seconds * 1e3 for s in reads if 200 <= s.status < 300]
    verdicts = []
    for label, values, target in (("connexion", login_ms, LOGIN_TARGET_MS), ("lectures", read_ms, READ_TARGET_MS)):
        if not values:
            verdicts.append(f"{label} : non mesurée")
            continue
        value = p95(values)
        verdicts.append(
            f"{label} p95 < {target:.0f} ms : {'atteinte' if value < target else 'non atteinte'} "
            f"(p95 = {value:.0f} ms, médiane {statistics.median(values):.0f} ms)"
        )
    w("  cibles : " + " ; ".join(verdicts))
    return Outcome(f"{title}, connexions", out, p95(login_ms) if login_ms else None, len(errors))
