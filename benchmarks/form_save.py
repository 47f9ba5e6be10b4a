"""How long the guided form takes to save a step and answer with the rules' verdict, on a 50-fiche dossier.

    .venv/bin/python benchmarks/form_save.py [--saves 40] [--fiches 50] [--pieces] [--seed 1]

A real server on loopback (uvicorn in a thread, SQLite in a temporary folder, the app's worker pool), a town
logged in, a draft holding a generated dossier of `--fiches` fiches actions (benchmarks/engine.make_dossier,
fiches repeated to reach the count). Each save is what formulaire.js sends a few seconds after typing: the
fiches step's values posted (one amount changed each time), stored on the draft's revision, the draft
validated, evaluated in a worker and the step's gaps rendered (`X-Enregistrement: auto`).

Printed, in the same run: the saves' median, p95 and max (the target: p95 < 300 ms); the baseline, the same
dossier submitted as a dossier.yaml on the existing path (the worker unpacks, loads and checks: what a
deposit costs), median; the stages of a save measured apart in this process (from_raw/validated, the
worker's evaluation, the gaps); the ratios. With --pieces the draft also holds Villebelle's
convention-cadre and avenant: the first save reads them (in each worker), the following ones reuse what
they gave.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import common
import httpx
import uvicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine import make_dossier  # noqa: E402

from instruct import form  # noqa: E402
from instruct.service import accounts, drafts  # noqa: E402
from instruct.service.app import create_app  # noqa: E402

PASSWORD = "Bench-Formulaire-2026"
AS_OF = dt.date(2026, 11, 26)


def dossier(fiches: int, seed: int) -> dict:
    data = make_dossier(1, random.Random(seed), AS_OF)
    found = data["fiches_actions"]
    while len(found) < fiches:
        extra = copy.deepcopy(found[len(found) % 40])
        extra["id"] = f"FA-X{len(found):03d}"
        found.append(extra)
    data["fiches_actions"] = found[:fiches]
    return data


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


class Server:
    def __init__(self, app, port: int):
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--fiches", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pieces", action="store_true")
    common.add_clock_argument(parser)
    args = parser.parse_args(argv)
    clock = common.clock(args)  # the stages measured in this process; the saves are latencies (wall)
    print(common.header("acv-instruct — saving a step of the guided form (benchmarks/form_save.py)", args))

    data = dossier(args.fiches, args.seed)
    raw = form.to_raw(data)
    insee = data["collectivites"]["ville_centre"]["insee"]
    folder = Path(tempfile.mkdtemp(prefix="acv-form-bench-"))
    app = create_app(f"sqlite:///{folder / 'acv.sqlite3'}")
    pieces = {}
    if args.pieces:
        where = ROOT / "samples" / "villebelle" / "pieces"
        pieces = {n: (where / n).read_bytes() for n in ("convention-cadre.docx", "avenant-1.pdf")}
    with app.state.sessions() as session:
        user = accounts.create_user(session, "mesure", PASSWORD, "collectivite", commune_insee=insee)
        draft = drafts.create(session, user, raw, {}, pieces)
        session.commit()
        draft_id = draft.id
    port = free_port()
    with Server(app, port), httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
        login = client.get("/connexion").text
        token = login.split('name="jeton" value="', 1)[1].split('"', 1)[0]
        client.post("/connexion", data={"jeton": token, "identifiant": "mesure", "mot_de_passe": PASSWORD})
        page = client.get(f"/brouillons/{draft_id}/fiches").text
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        revision = int(page.split('name="revision" value="', 1)[1].split('"', 1)[0])
        step_values = {k: v for k, v in raw.items() if k.split(".")[0] == "fiches_actions"}
        cost_key = next(k for k in step_values if k.endswith(".cout"))
        times, first = [], None
        for n in range(args.saves + 3):
            values = dict(step_values)
            values[cost_key] = f"{100000 + 1000 * n:,}".replace(",", " ") + ",00"  # a new valid amount each time
            start = time.perf_counter()
            answer = client.post(
                f"/brouillons/{draft_id}/fiches",
                data={**values, "csrf": csrf, "revision": str(revision), "action": "enregistrer"},
                headers={"X-Enregistrement": "auto"},
            )
            elapsed = time.perf_counter() - start
            assert answer.status_code == 200, answer.text[:500]
            revision = answer.json()["revision"]
            assert cost_key not in answer.json()["erreurs"], answer.json()["erreurs"][cost_key]
            if first is None:
                first = elapsed
            if n >= 3:  # the first saves start the workers (and read the pieces, with --pieces)
                times.append(elapsed)
        evaluators = app.state.evaluators
        yaml_text = form.dump_yaml(form.validated(raw)[0]).encode()
        files = {"dossier.yaml": yaml_text} | {f"pieces/{n}": b for n, b in pieces.items()}
        baseline = []
        for _ in range(max(5, args.saves // 4)):
            start = time.perf_counter()
            evaluators.evaluate(files, AS_OF)
            baseline.append(time.perf_counter() - start)
        stage_valid, stage_eval, stage_gaps = [], [], []
        for _ in range(max(5, args.saves // 4)):
            t0 = clock()
            built, errors = form.validated(raw)
            t1 = clock()
            report = evaluators.evaluate_form(built.model_dump(mode="json", exclude_none=True), pieces, AS_OF)
            t2 = clock()  # with --horloge cpu, the evaluation in a worker process is not counted
            drafts.judged(report, errors)
            t3 = clock()
            stage_valid.append(t1 - t0)
            stage_eval.append(t2 - t1)
            stage_gaps.append(t3 - t2)
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    base = statistics.median(baseline)
    print(f"dossier: {args.fiches} fiches actions, {len(raw)} valeurs de formulaire, pièces: {len(pieces)}")
    print(f"enregistrement d'une étape (HTTP, {len(times)} mesures): médiane {ms(p50)}, p95 {ms(p95)}", end="")
    print(f", max {ms(max(times))}")
    print(f"  premier enregistrement (workers à démarrer{', pièces à lire' if pieces else ''}): {ms(first)}")
    print(f"  cible p95 < 300 ms: {'atteinte' if p95 < 0.3 else 'MANQUÉE'}")
    print(f"référence, le même dossier envoyé en dossier.yaml (chemin du dépôt): médiane {ms(base)}")
    print(
        f"étapes (médianes): validation {ms(statistics.median(stage_valid))}, "
        f"évaluation {ms(statistics.median(stage_eval))}, écarts {ms(statistics.median(stage_gaps))}"
    )
    print(f"ratio enregistrement / référence: {p50 / base:.2f} (médianes)")
    return 0 if p95 < 0.3 else 1


if __name__ == "__main__":
    sys.exit(main())
