"""Benchmark of the instruction queue (« file d'instruction ») with 10 000 dossiers on PostgreSQL.

    .venv/bin/python benchmarks/file_instruction.py            # a throwaway PostgreSQL (tests/pg.py), 10 000 dossiers
    .venv/bin/python benchmarks/file_instruction.py --url postgresql+psycopg://… --dossiers 10000 --repeat 30
    make bench-file

In one run:
- a fresh database: a new database in a throwaway PostgreSQL server (tests/pg.py), or `--url` / ACV_DATABASE_URL
  (which must be empty of dossiers, or be one this script seeded);
- scripts/seed_queue.py seeds it (dossiers, versions, reports and their index rows, tracks, accounts), timed;
- `acv serve --workers 1` on loopback in its own process group (benchmarks/load.py's `Served`);
- for an admin (every track, ~25 000) and for an instructeur of the DDT of a région (its partner's tracks there),
  each typical request of the queue, through the JSON API and the HTML page, `--repeat` times one after the other
  (one client: the latency of a request, not a load test), after two warm-up calls; and a baseline in the same run
  (`/api/moi`: the session read and nothing else);
- printed: per request, median, p95 (nearest rank) and max in ms, the CPU time the server and PostgreSQL spent per
  call (what a request costs whatever else runs on the machine: the latencies of a loaded machine are mostly
  waiting for a core; the load average is printed), rows shown and tracks in the tab; whether the
  target holds: p95 < 200 ms for every queue request; the query plans (EXPLAIN ANALYZE) of a search, so that the
  use of the GIN index ix_dossiers_recherche is seen.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import common  # noqa: E402
import httpx  # noqa: E402
import pg  # noqa: E402


def _sibling(name: str):
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", HERE.parent / name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


load = _sibling("benchmarks/load.py")
seed_queue = _sibling("scripts/seed_queue.py")
TARGET_MS = 200.0
REQUESTS = [  # (label, path and query) — the API's; the page's are the same under /instruction
    ("onglet à traiter", "onglet=a_traiter"),
    ("onglet suivis", "onglet=suivis"),
    ("onglet traités", "onglet=traites"),
    ("onglet tous", "onglet=tous"),
    ("tri commune", "onglet=tous&tri=commune&ordre=asc"),
    ("tri verdict", "onglet=tous&tri=verdict&ordre=desc"),
    ("tri jours", "onglet=tous&tri=jours&ordre=desc"),
    ("recherche « belc »", "onglet=tous&q=belc"),
    ("recherche INSEE", "onglet=tous&q=38"),
    ("filtre verdict", "onglet=tous&verdict=non_recevable"),
    ("filtre règle", "onglet=tous&regle=PROG-05"),
    ("page 5", "onglet=tous&page=5"),
]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(client: httpx.Client, path: str, repeat: int, roots: list[int]) -> tuple[list[float], httpx.Response, float]:
    """The latencies in ms, the last response, and the CPU ms per request of the server and PostgreSQL (the
    processes under `roots`): what a request costs whatever else the machine runs."""
    for _ in range(2):  # warm-up: the first call of a kind pays for imports, plans and caches
        response = client.get(path)
    times = []
    before = [load.cpu_seconds(root) for root in roots]
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1e3)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
    cpu = sum(load.cpu_used(b, load.cpu_seconds(root)) for b, root in zip(before, roots, strict=True))
    return times, response, cpu * 1e3 / repeat


def log_in(base: str, login: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    r = client.post("/api/session", json={"identifiant": login, "mot_de_passe": seed_queue.PASSWORD})
    r.raise_for_status()
    client.cookies.clear()
    client.headers["Authorization"] = f"Bearer {r.json()['jeton']}"
    return client


def page_client(base: str, login: str) -> httpx.Client:
    """The page needs the session cookie: the API's login sets it."""
    client = httpx.Client(base_url=base, timeout=60)
    client.post("/api/session", json={"identifiant": login, "mot_de_passe": seed_queue.PASSWORD}).raise_for_status()
    return client


def measure(base: str, login: str, repeat: int, roots: list[int]) -> list[tuple[str, list[float], float, str]]:
    api, web = log_in(base, login), page_client(base, login)
    results = []
    times, _, cpu = timed(api, "/api/moi", repeat, roots)
    results.append(("référence /api/moi", times, cpu, ""))
    for label, query in REQUESTS:
        times, response, cpu = timed(api, f"/api/file?{query}", repeat, roots)
        body = response.json()
        results.append((f"API {label}", times, cpu, f"{len(body['pistes'])} / {body['total']}"))
    for label, query in REQUESTS[:1] + REQUESTS[5:6] + REQUESTS[7:8]:
        times, response, cpu = timed(web, f"/instruction?{query}", repeat, roots)
        results.append((f"page {label}", times, cpu, f"{len(response.text) // 1024} Kio"))
    api.close()
    web.close()
    return results


def explain(url: str) -> str:
    """The plan of the search's count, as the service runs it (with the words of « belc »)."""
    from sqlalchemy import select, text

    from instruct.rules.catalogue import load_catalogue
    from instruct.service import queue
    from instruct.service.storage import User, make_engine, sessions

    engine = make_engine(url)
    try:
        with sessions(engine)() as session:
            admin = session.scalar(select(User).where(User.login == "admin"))
            catalogue = load_catalogue()
            found = queue.criteria({"onglet": "tous", "q": "belc"}, admin, catalogue)
            query = queue.rows_query(session, admin, catalogue, found, queue.now(), queue.PAGE_SIZE)
            compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
            plan = session.execute(text(f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}")).scalars().all()
            return "\n".join(plan)
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark of the instruction queue (benchmarks/file_instruction.py)")
    parser.add_argument("--url", default=os.environ.get("ACV_DATABASE_URL"), help="PostgreSQL (default: throwaway)")
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40, help="timed calls per request (default 40)")
    parser.add_argument("--plan", action="store_true", help="print the search's query plan")
    args = parser.parse_args()
    print(common.header("acv-instruct — instruction queue (benchmarks/file_instruction.py)"))
    print("latencies: wall clock as a client waits; the CPU the server and PostgreSQL spent per call beside them")
    server = None
    url = args.url
    if not url:
        reason = pg.unavailable_reason()
        if reason:
            print(f"PostgreSQL absent: {reason}")
            return 2
        server = pg.TemporaryPostgres().start()
        url = load.new_postgres_database(server, "file")
        version = subprocess.run([str(server.bin_dir / "postgres"), "--version"], capture_output=True, text=True)
        print(f"PostgreSQL: {version.stdout.strip()}, throwaway cluster (fsync off)")
    try:
        started = time.perf_counter()
        made = seed_queue.seed(url, args.dossiers)
        print(f"seeded in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{n} {k}" for k, n in made.items()))
        failed = []
        with tempfile.TemporaryDirectory() as work, load.Served(url, 1, Path(work) / "serve.log") as served:
            roots = [served.process.pid] + ([load.postmaster_pid(server)] if server else [])
            for login in ("admin", "ddt-reg84", "al-dep38"):
                print(f"\n{login}: {args.repeat} calls each, one client, ms (cpu: server + PostgreSQL per call)")
                print(f"  {'request':<34}{'median':>8}{'p95':>8}{'max':>8}{'cpu':>8}   rows")
                for label, times, cpu, note in measure(served.base, login, args.repeat, roots):
                    high = p95(times)
                    if not label.startswith("référence") and high >= TARGET_MS:
                        failed.append(f"{login} {label}")
                    line = f"{statistics.median(times):>8.1f}{high:>8.1f}{max(times):>8.1f}{cpu:>8.1f}"
                    print(f"  {label:<34}{line}   {note}")
                print(f"  (load average of the machine: {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
            errors = served.exceptions()
            if errors:
                print("\nserver errors:", dict(errors))
        if args.plan:
            print("\nplan of the search « belc » (admin, tab tous):\n" + explain(url))
        verdict = "holds" if not failed else "MISSED: " + ", ".join(failed)
        print(f"\ntarget p95 < {TARGET_MS:.0f} ms on every queue request: {verdict}")
        return 0 if not failed else 1
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
