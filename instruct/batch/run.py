"""`acv batch`: every dossier of one or more folders checked at once, before a committee.

The same path as `acv check` (load → check_dossier → report), once per dossier, in parallel
processes (or on a Dask cluster, `dask_runner`), then the national synthesis (outputs).
This module runs the batch; what it evaluates is found by `tasks`, judged with `settings`, one
dossier at a time by `worker`, and kept by `store` (cache, journal, reports).

- A dossier is a folder with dossier.yaml (or only pieces), or a YAML/JSON file; a folder that is
  neither is searched for dossiers (one level of grouping per région, say, is fine).
- A dossier that cannot be read gives a row saying why; the others go on.
- Each finished dossier is appended to OUT/.acv-batch.jsonl: `reprendre` skips those of the
  same run (same key) after an interruption.
- Reports are cached by key = content of the dossier's files + rules + date + referentiel +
  selected partners + this code: an unchanged dossier is not evaluated again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from instruct.batch.settings import Settings, prepared
from instruct.batch.store import (
    JOURNAL,
    REPORTS,
    Cache,
    Rows,
    read_journal,
    reports_present,
    unique_slugs,
    write_reports,
)
from instruct.batch.tasks import FileDigests, Task, discover, make_tasks, shipped, task_key
from instruct.errors import InputError, Problem


@dataclass
class Outcome:
    rows: Sequence[dict]  # store.Rows: each row kept compact, read back as a dict
    evaluated: int = 0
    from_cache: int = 0
    resumed: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.rows if r["etat"] == "erreur"]


Runner = Callable[[list[Task], Settings], Iterator[tuple[Task, dict]]]


# Tasks submitted ahead of the workers: enough to keep each busy, few enough that the results waiting to be
# written (a report of ~180 KiB each) do not grow with the number of towns.
IN_FLIGHT_PER_WORKER = 2
# Messages a Dask client keeps for debugging (Dask's default: 1 000, each submitted task among them).
CLIENT_LOG_LENGTH = 10
DIGESTS = "empreintes.json"  # in the cache: each file's digest by its signature (tasks.FileDigests)


def evaluate(task: Task, settings: Settings) -> dict:
    """worker.evaluate, imported where a dossier is evaluated (a local worker, a Dask worker): the process that
    only runs the batch, a Dask client, never loads the checking code (engine, reports, the dossier model)."""
    from instruct.batch.worker import evaluate as evaluate_here

    return evaluate_here(task, settings)


def _collect(pending: dict, done) -> Iterator[tuple[Task, dict]]:
    """The finished futures' results, each dropped from `pending` as it is handed on."""
    for future in done:
        yield pending.pop(future), future.result()


def local_runner(workers: int) -> Runner:
    """Results as they finish, from `workers` processes (1: in this process)."""

    def run(tasks: list[Task], settings: Settings) -> Iterator[tuple[Task, dict]]:
        if workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                yield task, evaluate(task, settings)
            return
        import multiprocessing

        prepared(settings)  # forked workers inherit the rules made ready here
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=prepared, initargs=(settings,)
        ) as pool:
            pending: dict = {}
            try:
                for task in tasks:
                    if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                        yield from _collect(pending, wait(pending, return_when=FIRST_COMPLETED).done)
                    pending[pool.submit(evaluate, task, settings)] = task
                while pending:
                    yield from _collect(pending, wait(pending, return_when=FIRST_COMPLETED).done)
            except BaseException:
                for future in pending:
                    future.cancel()
                raise

    return run


def run_batch(
    paths: list[str | Path],
    out: Path,
    settings: Settings,
    *,
    runner: Runner,
    cache: Cache | None,
    resume: bool = False,
    progress: Callable[[int, int, int], None] | None = None,
) -> Outcome:
    started = time.perf_counter()
    found = discover(paths, exclude=[out] + ([cache.root] if cache is not None else []))
    if not found:
        raise InputError(
            ", ".join(map(str, paths)),
            [Problem("", "aucun dossier trouvé (répertoire avec dossier.yaml ou pièces, fichier .yaml ou .json)")],
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / REPORTS).mkdir(exist_ok=True)
    digests = FileDigests(cache.root / DIGESTS) if cache is not None else None
    tasks = make_tasks(found, digests=digests)
    if digests is not None:
        digests.save()
    digest = settings.digest
    keys = {t.label: task_key(t, digest) for t in tasks}
    names = unique_slugs([t.label for t in tasks])
    rows: dict[str, bytes] = {}  # label -> the row for the synthesis, compact (Rows.encode)
    outcome = Outcome([])
    journal_done = read_journal(out) if resume else {}
    with open(out / JOURNAL, "a" if resume else "w", encoding="utf-8") as journal:
        if resume and journal.tell() > 0:
            journal.write("\n")  # after a line cut by the interruption, a fresh one

        def finish(task: Task, result: dict, *, from_cache: bool) -> None:
            row = dict(result["row"])
            row.update(
                write_reports(out, names[task.label], result),
                cache=from_cache,
                duree_s=round(result.get("duree_s", 0.0), 4),
            )
            rows[task.label] = Rows.encode(row)
            journal.write(
                json.dumps({"dossier": task.label, "cle": keys[task.label], "row": row}, ensure_ascii=False) + "\n"
            )
            journal.flush()
            if progress:
                progress(len(rows), len(tasks), outcome.from_cache + outcome.resumed)

        pending = []
        for task in tasks:
            done = journal_done.pop(task.label, None)
            if done is not None and done.get("cle") == keys[task.label] and reports_present(out, done["row"]):
                rows[task.label] = Rows.encode(done["row"])
                outcome.resumed += 1
                continue
            cached = cache.get(keys[task.label]) if cache is not None else None
            if cached is not None and (cached["html"] is not None or not settings.html or cached["json"] is None):
                outcome.from_cache += 1
                finish(task, {**cached, "duree_s": 0.0}, from_cache=True)
                continue
            pending.append(task)
        if progress and not pending:
            progress(len(rows), len(tasks), outcome.from_cache + outcome.resumed)
        for task, result in runner(pending, settings):
            outcome.evaluated += 1
            if cache is not None and result.get("cacheable"):
                cache.put(keys[task.label], result)
            finish(task, result, from_cache=False)
    outcome.rows = Rows(rows.pop(t.label) for t in tasks)
    outcome.seconds = time.perf_counter() - started
    return outcome


def dask_runner(address: str) -> Runner:
    """The same evaluation on an existing Dask cluster: each dossier travels with its files (read as it is
    submitted), the rules and the referentiel once to every worker; nothing needs a shared disk.

    A dossier's files are scattered to a worker, outside the task graph: Dask keeps the last messages of each
    of its streams for debugging (`distributed.admin.low-level-log-length`, 1 000 by default), the client's
    (graphs submitted) and the scheduler's (tasks sent to the workers), and a task carrying its files would
    keep a thousand towns' files there. The client's own log is kept short (CLIENT_LOG_LENGTH)."""

    def run(tasks: list[Task], settings: Settings) -> Iterator[tuple[Task, dict]]:
        try:
            import dask
            from distributed import Client
            from distributed import as_completed as completed
        except ImportError:
            raise InputError(
                "--dask", [Problem("", "Dask distributed n'est pas installé (pip install distributed)")]
            ) from None
        try:
            with dask.config.set({"distributed.admin.low-level-log-length": CLIENT_LOG_LENGTH}):
                client = Client(address, timeout="15s")
        except (OSError, TimeoutError) as exc:
            raise InputError("--dask", [Problem("", f"ordonnanceur Dask injoignable à {address} : {exc}")]) from None
        with client:
            shared = client.scatter(settings, broadcast=True)
            limit = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_WORKER
            queue = iter(tasks)
            which = {}

            def submit():
                task = next(queue, None)
                if task is None:
                    return None
                files = client.scatter(shipped(task), hash=False)
                future = client.submit(evaluate, files, settings=shared, pure=False)
                which[future.key] = task, files  # the task without its bytes: they are on a worker
                return future

            futures = completed([f for f in (submit() for _ in range(limit)) if f is not None])
            for future in futures:
                task, files = which.pop(future.key)
                yield task, future.result()
                future.release()
                files.release()
                following = submit()
                if following is not None:
                    futures.add(following)

    return run
