"""Dossiers evaluated in worker processes: a crash in durable-rules' C code (a segfault kills the
process running it) then fails the one request being evaluated, and the server keeps serving.

Each worker is a process of its own, one evaluation at a time; a request waits for a free worker.
Workers come from a forkserver (a clean single-threaded process, so forking is safe beside
uvicorn's threads; spawn where there is none) and receive the app's catalogue and referentiel once,
when they start (pickled: about 0.1 MB, 1 ms). For each evaluation they receive the uploaded files
and the date, and do the whole CLI path (unpack, load, read the pieces, check), then send back the
Report. They unpack into a folder the server makes in its own temporary directory (service/scratch)
and removes after the answer, or after the worker's death: nothing is left behind by a killed worker.
A worker that dies, or overruns the time limit (it is then killed), fails its request with
EvaluationFailed and a log line, and is replaced at once.

Settings (EvaluationSettings.read): ACV_MOTEUR, `durable` (default) or `python`; ACV_EVALUATEURS,
worker processes per server process, 2 by default (the C engine holds the GIL, so processes, not
threads, add speed: two on the usual 2 cores ≈ 1.5× one; each worker holds the catalogue and its
engine, tens of MB); ACV_DELAI_EVALUATION, seconds an evaluation may take, 300 by default.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import gc
import hashlib
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from instruct.documents.compare import compare
from instruct.documents.fill import fill
from instruct.documents.load import load, validate
from instruct.documents.reconcile import Documents, document_files, get_path, read_files
from instruct.engine.check import ENGINES, check_dossier
from instruct.errors import InputError, Problem
from instruct.model.report import GAPS, Report, gap_counts
from instruct.model.validation import validate_dossier
from instruct.referentiel.registry import Referentiel
from instruct.reports import json as report_json
from instruct.rules.catalogue import Catalogue
from instruct.service import scratch, uploads

logger = logging.getLogger(__name__)

DEFAULT_WORKERS = 2
DEFAULT_TIMEOUT = 300.0


class EvaluationFailed(Exception):
    """The evaluation ended without a report (its worker died or overran); the message is French."""


@dataclass(frozen=True)
class EvaluationSettings:
    engine: str = "durable"
    workers: int = DEFAULT_WORKERS
    timeout: float = DEFAULT_TIMEOUT  # seconds

    @classmethod
    def read(cls, environ: Mapping[str, str] = os.environ) -> EvaluationSettings:
        """From ACV_MOTEUR, ACV_EVALUATEURS and ACV_DELAI_EVALUATION; a bad value is an InputError at start."""
        engine = environ.get("ACV_MOTEUR", "").strip() or "durable"
        if engine not in ENGINES:
            raise _setting("ACV_MOTEUR", f"moteur inconnu : {engine} (valeurs possibles : {', '.join(ENGINES)})")
        workers = _number("ACV_EVALUATEURS", environ, int, DEFAULT_WORKERS, "un nombre entier de processus, au moins 1")
        timeout = _number("ACV_DELAI_EVALUATION", environ, float, DEFAULT_TIMEOUT, "un nombre de secondes positif")
        return cls(engine, workers, timeout)


def _setting(name: str, message: str) -> InputError:
    return InputError(name, [Problem("", message)])


def _number(name: str, environ: Mapping[str, str], kind: type, default, expected: str):
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not value > 0:
        raise _setting(name, f"valeur invalide : {text} ({expected})")
    return value


@dataclass(frozen=True)
class Evaluated:
    """What the server stores of a report, made in the worker: the JSON report rendered there, and its gaps
    counted from the findings, so that the request's process neither renders it nor parses it back (rendering
    and re-reading were a third of a loaded server's time at saturation: benchmarks/load.py --profil)."""

    insee: str | None
    commune: str
    evaluated_on: dt.date
    recevable: bool
    bloquants: int  # blocking findings not conforme
    summary: dict[str, str]  # verdict per rule set
    report_json: str
    gaps: dict[tuple[str, str], int]  # (rule, status) -> how many findings, for GAPS statuses

    @classmethod
    def of(cls, report: Report) -> Evaluated:
        blocking = {"non_conforme", "incomplet"}
        return cls(
            insee=report.insee,
            commune=report.commune,
            evaluated_on=report.evaluated_on,
            recevable=report.recevable,
            bloquants=sum(1 for f in report.findings if f.severity == "bloquant" and f.status in blocking),
            summary={code: r.verdict for code, r in report.rulesets.items()},
            report_json=report_json.render(report),
            gaps=gap_counts((f.rule, f.status) for f in report.findings),
        )


def evaluate_files(
    files: dict[str, bytes],
    as_of: dt.date,
    catalogue: Catalogue,
    referentiel: Referentiel | None,
    engine: str,
    folder: str | None = None,
) -> Report:
    """The CLI's path: the files as a folder -> load (pieces read) -> check. Paths name the upload (`envoi`).
    `folder`: an empty folder to unpack into (the server's, which removes it too), else one of this process's
    scratch directory; emptied here in a `finally` either way."""
    with contextlib.nullcontext(Path(folder)) if folder else scratch.scratch().folder() as where:
        try:
            return _evaluate(files, as_of, catalogue, referentiel, engine, where)
        finally:
            scratch.remove(where)


def _evaluate(files, as_of, catalogue, referentiel, engine, folder: Path) -> Report:
    try:
        loaded = load(uploads.write_folder(files, folder))
    except InputError as exc:  # name the file as sent, not where it was unpacked
        exc.source = exc.source.replace(str(folder), "envoi")
        raise
    return check_dossier(
        loaded.dossier,
        catalogue,
        as_of,
        referentiel=referentiel,
        engine=engine,
        documents=loaded.documents,
        source=loaded.source.replace(str(folder), "envoi"),
    )


# --- the guided form's drafts -------------------------------------------------------------------

FORM_TASK = "formulaire"
STORE_TASK = "stocke"  # a submission: the files evaluated, answered as Evaluated
_PIECES_CACHE: dict[str, Documents] = {}  # in each worker: what the pieces gave, read once per content
_PIECES_CACHE_SIZE = 16
_FROZEN: list[bool] = []


def evaluate_form(
    data: dict,
    pieces: dict[str, bytes],
    as_of: dt.date,
    folder: str | None,
    catalogue: Catalogue,
    referentiel: Referentiel | None,
    engine: str,
) -> Report:
    """A draft's dossier (a dict a Dossier validates) with its pieces, judged as `acv check` judges the
    exported folder: what the pieces say and the dossier does not is filled in, both are compared. The
    pieces are read once per content, declared kinds and ville (cached in the worker), not on every save."""
    if not _FROZEN:  # after the first draft, what the worker holds for good (catalogue, compiled engine) is left
        _FROZEN.append(True)  # out of the collector's full passes, which otherwise cost a save 100 ms now and then
        check_dossier(validate_dossier(data), catalogue, as_of, referentiel=referentiel, engine=engine)
        gc.freeze()
    if not pieces:
        return check_dossier(validate_dossier(data), catalogue, as_of, referentiel=referentiel, engine=engine)
    declared = data.get("pieces") if isinstance(data.get("pieces"), list) else []
    ville = get_path(data, "collectivites", "ville_centre", "nom")
    key = hashlib.sha256(
        pickle.dumps((sorted((n, hashlib.sha256(b).hexdigest()) for n, b in pieces.items()), declared, ville))
    ).hexdigest()
    documents = _PIECES_CACHE.get(key)
    if documents is None:
        with contextlib.nullcontext(Path(folder)) if folder else scratch.scratch().folder() as where:
            try:
                written = uploads.write_folder({f"pieces/{n}": b for n, b in pieces.items()}, where)
                files = document_files(written, written / "pieces")
                documents = read_files(files, declared, ville if isinstance(ville, str) else None)
            finally:
                scratch.remove(where)
        if len(_PIECES_CACHE) >= _PIECES_CACHE_SIZE:
            _PIECES_CACHE.pop(next(iter(_PIECES_CACHE)))
        _PIECES_CACHE[key] = documents
    documents = copy.deepcopy(documents)  # fill and compare add to it
    filled = copy.deepcopy(data)
    fill(filled, documents)
    try:
        dossier = validate(filled, "formulaire", None, documents.provenance)
    except InputError:  # what a piece adds does not validate: the draft as typed, its pieces still examined
        filled, dossier = data, validate_dossier(data)
    compare(dossier, documents, filled)
    return check_dossier(
        dossier, catalogue, as_of, referentiel=referentiel, engine=engine, documents=documents, source="formulaire"
    )


def _serve(conn: Connection, catalogue: Catalogue, referentiel: Referentiel | None, engine: str) -> None:
    """A worker's life: evaluate each (files, date, folder) received until None or the server's end of the
    pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its workers
    from instruct.documents import piece_cache

    piece_cache.keep = False  # a town's pieces live in the database only: a deleted dossier leaves no reading behind
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            if task[0] == FORM_TASK:  # a draft of the guided form (evaluate_form): only its gaps travel back
                report = evaluate_form(*task[1:], catalogue, referentiel, engine)
                report.findings = [f for f in report.findings if f.status in GAPS]
                answer = ("rapport", report)
            elif task[0] == STORE_TASK:
                _, files, as_of, folder = task
                answer = ("rapport", Evaluated.of(evaluate_files(files, as_of, catalogue, referentiel, engine, folder)))
            else:
                files, as_of, folder = task
                answer = ("rapport", evaluate_files(files, as_of, catalogue, referentiel, engine, folder))
        except InputError as exc:  # rebuilt by the server: its pickled form loses the problems
            answer = ("entree", exc.source, exc.problems)
        except Exception:
            answer = ("erreur", traceback.format_exc())
        conn.send(answer)


class _Worker:
    """One worker process and the server's end of its pipe; used by one request at a time."""

    def __init__(self, context, args: tuple):
        self.context, self.args = context, args
        self.process = None
        self.conn: Connection | None = None

    def start(self) -> None:
        self.conn, child = self.context.Pipe()
        self.process = self.context.Process(target=_serve, args=(child, *self.args), name="acv-evaluateur", daemon=True)
        self.process.start()
        child.close()

    def evaluate(self, files: dict[str, bytes], as_of: dt.date, timeout: float) -> Report:
        """The worker unpacks into a folder the server owns, made here and removed here whatever happens
        (the worker's own `finally` does not run when it is killed)."""
        with scratch.scratch().folder() as folder:
            return self._evaluate(files, as_of, timeout, str(folder))

    def evaluate_form(self, data: dict, pieces: dict[str, bytes], as_of: dt.date, timeout: float) -> Report:
        with scratch.scratch().folder() as folder:
            return self._evaluate((FORM_TASK, data, pieces, as_of, str(folder)), as_of, timeout, str(folder))

    def evaluate_stored(self, files: dict[str, bytes], as_of: dt.date, timeout: float) -> Evaluated:
        with scratch.scratch().folder() as folder:
            return self._evaluate((STORE_TASK, files, as_of, str(folder)), as_of, timeout, str(folder))

    def _evaluate(self, files, as_of: dt.date, timeout: float, folder: str):
        """`files`: the uploaded files, or a whole task (a tuple: evaluate_form's)."""
        if self.process is None:
            self.start()
        elif not self.process.is_alive():  # died between two evaluations (killed from outside)
            logger.warning("processus évaluateur %d arrêté hors évaluation (%s) : remplacé", *self._end())
            self.start()
        pid = self.process.pid
        logger.debug("évaluation confiée au processus %d", pid)
        try:
            self.conn.send(files if isinstance(files, tuple) else (files, as_of, folder))
            answer = self.conn.recv() if self.conn.poll(timeout) else None
        except (EOFError, OSError):
            logger.error(
                "processus évaluateur %d arrêté pendant une évaluation (%s) : la requête échoue, il est remplacé",
                *self._end(),
            )
            self.start()
            raise EvaluationFailed(
                "évaluation du dossier interrompue : le processus d'évaluation s'est arrêté"
            ) from None
        if answer is None:
            self.process.kill()
            self._end()
            logger.error("évaluation arrêtée après %g s : processus évaluateur %d tué et remplacé", timeout, pid)
            self.start()
            raise EvaluationFailed(f"évaluation du dossier interrompue après {timeout:g} s")
        if answer[0] == "rapport":
            return answer[1]
        if answer[0] == "entree":
            raise InputError(answer[1], answer[2])
        logger.error("erreur pendant une évaluation (processus évaluateur %d) :\n%s", pid, answer[1])
        raise EvaluationFailed("erreur interne pendant l'évaluation du dossier")

    def _end(self) -> tuple[int, str]:
        """Reap the dead (or killed) process: its pid and how it ended."""
        process, self.process = self.process, None
        process.join(5)
        if process.is_alive():  # its pipe broke but it lives on: it must not outlive its slot
            process.kill()
            process.join()
        self.conn.close()
        code = process.exitcode
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"code {code}"
        return process.pid, how

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(OSError):  # already gone
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
        self._end()


def _context():
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # workers start with the engine, the readers and the geometry library imported (the CLI imports shapely and numpy
    # on its first geometry; a worker that did would make its first submission wait ≈ 0.2 s more)
    context.set_forkserver_preload([__name__, "shapely.geometry"])
    return context


class Evaluators:
    """An app's worker processes. start() and stop() follow the app's lifespan; evaluate() also starts
    a missing worker, so an app served without a lifespan still works (its workers end with the process)."""

    def __init__(self, catalogue: Catalogue, referentiel: Referentiel | None, settings: EvaluationSettings):
        self.catalogue, self.settings = catalogue, settings
        self.scratch = scratch.scratch()  # made at start-up, sweeping what dead services left
        context = _context()
        self._workers = [_Worker(context, (catalogue, referentiel, settings.engine)) for _ in range(settings.workers)]
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        for worker in self._workers:
            self._idle.put(worker)

    def start(self) -> None:
        for worker in self._workers:
            if worker.process is None:
                worker.start()

    def stop(self) -> None:
        for worker in self._workers:
            worker.stop()

    def evaluate(self, files: dict[str, bytes], as_of: dt.date) -> Report:
        """The report of an uploaded dossier; InputError as `load` raises it; EvaluationFailed if the
        worker died or overran (that worker is replaced, the others are untouched)."""
        worker = self._idle.get()
        try:
            return worker.evaluate(files, as_of, self.settings.timeout)
        finally:
            self._idle.put(worker)

    def evaluate_stored(self, files: dict[str, bytes], as_of: dt.date) -> Evaluated:
        """evaluate(), answered as what the server stores (Evaluated, made in the worker); same failures."""
        worker = self._idle.get()
        try:
            return worker.evaluate_stored(files, as_of, self.settings.timeout)
        finally:
            self._idle.put(worker)

    def evaluate_form(self, data: dict, pieces: dict[str, bytes], as_of: dt.date) -> Report:
        """A draft's report (evaluate_form) in a worker: same failures as evaluate()."""
        worker = self._idle.get()
        try:
            return worker.evaluate_form(data, pieces, as_of, self.settings.timeout)
        finally:
            self._idle.put(worker)
