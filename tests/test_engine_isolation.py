"""durable-rules kept apart: `--moteur python` never imports it (a real `acv` process), and the web service
evaluates in worker processes, so that a worker killed mid-evaluation fails that request alone."""

import json
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from conftest import ROOT, SAMPLES, acv_command
from sqlalchemy import func, select
from test_service import PASSWORD, Server

from instruct.service import accounts
from instruct.service.app import create_app
from instruct.service.evaluator import EvaluationSettings
from instruct.service.storage import Dossier, Version

# Runs the CLI's main() for each argv, then reports which durable-rules modules the process holds.
RUN_CLI = """
import json, sys
from instruct.cli.main import main
codes = [main(argv) for argv in json.loads(sys.argv[1])]
held = sorted(m for m in sys.modules if m.split(".")[0] in ("durable", "durable_rules_engine"))
print(json.dumps({"codes": codes, "durable": held}))
"""


def _cli(commands: list[list[str]]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, json.dumps(commands)], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _checks(engine: str, out) -> list[list[str]]:
    common = ["--date", "2026-11-26", "--referentiel", str(SAMPLES / "referentiel"), "--moteur", engine]
    return [
        ["check", str(SAMPLES / name), *common, "--format", fmt, "-o", str(out / f"{name}.{fmt}")]
        for name in ("villebelle", "saint-aubin")
        for fmt in ("text", "json", "markdown", "html", "docx")
    ]


def test_the_python_engine_never_imports_durable_rules(tmp_path):
    result = _cli(_checks("python", tmp_path))
    assert set(result["codes"]) <= {0, 1}, result  # 1: gaps found, the report is still written
    assert result["durable"] == []
    assert all(path.stat().st_size > 0 for path in tmp_path.iterdir()) and len(list(tmp_path.iterdir())) == 10


def test_the_durable_engine_imports_it_on_first_use(tmp_path):
    result = _cli(_checks("durable", tmp_path)[:1])
    assert result["codes"][0] in {0, 1}
    assert "durable_rules_engine" in result["durable"]


# --- the service: evaluation in worker processes -----------------------------------------------------------------

LOGGER = "instruct.service.evaluator"
DATE = {"date": "2026-11-26"}
YAML = (SAMPLES / "villebelle" / "dossier.yaml").read_bytes()  # no pieces: an evaluation of a few tens of ms


def _served(tmp_path, **settings):
    """A real uvicorn on loopback serving an app whose evaluation settings are `settings`, with one town."""
    app = create_app(f"sqlite:///{tmp_path / 'acv.sqlite3'}", evaluation=EvaluationSettings(**settings))
    with app.state.sessions() as session:
        accounts.create_user(session, "villebelle", PASSWORD, "collectivite", commune_insee="99101")
        session.commit()
    return app, Server(app)


def _town(base: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=60)
    token = c.post("/api/session", json={"identifiant": "villebelle", "mot_de_passe": PASSWORD}).json()["jeton"]
    c.cookies.clear()
    c.headers["Authorization"] = f"Bearer {token}"
    return c


def _submit(c: httpx.Client) -> httpx.Response:
    return c.post("/api/dossiers", files={"dossier": ("dossier.yaml", YAML)}, data=DATE)


def _handed(caplog) -> list[int]:
    """The worker pid of each evaluation so far, from the evaluator's debug log."""
    return [r.args[0] for r in caplog.records if r.name == LOGGER and r.msg.startswith("évaluation confiée")]


def _stopped_in_flight(caplog, request) -> tuple[int, list]:
    """Freeze the worker (SIGSTOP), send `request` from a thread, and return once the worker has been handed
    the evaluation: the request is then in flight, its worker mid-evaluation, deterministically."""
    pid = _handed(caplog)[-1]  # one worker: the one that served the last evaluation
    before = len(_handed(caplog))
    os.kill(pid, signal.SIGSTOP)
    answer: list = []
    thread = threading.Thread(target=lambda: answer.append(request()))
    thread.start()
    deadline = time.monotonic() + 30
    while len(_handed(caplog)) == before:
        assert time.monotonic() < deadline, "l'évaluation n'a pas été confiée au processus"
        time.sleep(0.01)
    assert not answer, "la requête a abouti alors que son processus était arrêté"
    return pid, [thread, answer]


def _answer(pending) -> httpx.Response:
    thread, answer = pending
    thread.join(60)
    return answer[0]


def _maps(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_a_worker_killed_mid_evaluation_fails_that_request_alone(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    app, server = _served(tmp_path, engine="durable", workers=1)
    with server as base:
        town = _town(base)
        first = _submit(town)
        assert first.status_code == 201, first.text
        assert "durable_rules_engine" in _maps(_handed(caplog)[-1])  # the worker evaluated with durable-rules
        with app.state.sessions() as session:
            versions = session.scalar(select(func.count()).select_from(Version))

        pid, pending = _stopped_in_flight(caplog, lambda: _submit(town))
        os.kill(pid, signal.SIGKILL)
        failed = _answer(pending)
        assert failed.status_code == 500
        assert failed.json() == {
            "erreur": "évaluation du dossier interrompue : le processus d'évaluation s'est arrêté ; réessayez"
        }
        crash = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.ERROR]
        assert len(crash) == 1 and crash[0].getMessage() == (
            f"processus évaluateur {pid} arrêté pendant une évaluation (signal SIGKILL) : "
            "la requête échoue, il est remplacé"
        )
        with app.state.sessions() as session:  # nothing stored for the failed request
            assert session.scalar(select(func.count()).select_from(Version)) == versions

        again = _submit(town)  # the next request: a new worker, the same report as before the crash
        assert again.status_code == 201, again.text
        assert _handed(caplog)[-1] != pid
        with app.state.sessions() as session:
            reports = [d.versions[0].reports[0].report_json for d in session.scalars(select(Dossier))]
        assert len(reports) == 2 and reports[0] == reports[1]

        # A page: the same crash gives a French HTML error page, and the page works again after it.
        page = httpx.Client(base_url=base, timeout=60, cookies={"acv_session": town.headers["Authorization"][7:]})
        address = f"/dossiers/{first.json()['id']}/versions/1/rapport.html"
        pid, pending = _stopped_in_flight(caplog, lambda: page.get(address))
        os.kill(pid, signal.SIGKILL)
        failed = _answer(pending)
        assert failed.status_code == 500 and failed.headers["content-type"].startswith("text/html")
        assert "Erreur du service" in failed.text and "processus d&#39;évaluation s&#39;est arrêté" in failed.text
        shown = page.get(address)
        assert shown.status_code == 200 and "Villebelle" in shown.text
    assert not any(p.is_alive() for p in multiprocessing.active_children() if p.name == "acv-evaluateur")


def test_an_evaluation_over_the_time_limit_is_stopped_and_its_worker_replaced(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    app, server = _served(tmp_path, engine="python", workers=1, timeout=1.5)
    with server as base:
        town = _town(base)
        assert _submit(town).status_code == 201
        worker = _handed(caplog)[-1]
        assert "durable_rules_engine" not in _maps(worker)  # the python engine: durable-rules never loaded

        pid, pending = _stopped_in_flight(caplog, lambda: _submit(town))  # frozen: it never answers
        started = time.monotonic()
        failed = _answer(pending)
        assert failed.status_code == 500 and 1.4 < time.monotonic() - started < 30
        assert failed.json() == {"erreur": "évaluation du dossier interrompue après 1.5 s ; réessayez"}
        assert any(
            r.getMessage() == f"évaluation arrêtée après 1.5 s : processus évaluateur {pid} tué et remplacé"
            for r in caplog.records
        )
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
        assert _submit(town).status_code == 201


def test_an_unknown_engine_is_refused_at_start_in_french(tmp_path):
    done = subprocess.run(
        [*acv_command(), "serve", "--port", "9", "--base", f"sqlite:///{tmp_path / 'acv.sqlite3'}"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ACV_MOTEUR": "drools"},
    )
    assert done.returncode == 2
    assert done.stderr.startswith("Erreur : ACV_MOTEUR : 1 problème(s)\n  - moteur inconnu : drools")
    assert not (tmp_path / "acv.sqlite3").exists()  # refused before anything was created
