"""acv batch's memory does not grow with the number of towns: few tasks in flight per worker (locally and on
Dask), a dossier's bytes read only when it is sent, each result written as it arrives and dropped after."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import weakref
from pathlib import Path

import pytest

from instruct.batch import run as batch
from instruct.batch import tasks as batch_tasks
from instruct.batch.settings import make_settings
from instruct.batch.store import JOURNAL, REPORTS
from instruct.batch.tasks import discover, make_tasks, shipped

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DAY = dt.date(2026, 11, 26)
TOWNS = 10


@pytest.fixture(scope="module")
def settings():
    return make_settings(DAY, None, SAMPLES / "referentiel")[0]


@pytest.fixture()
def many(tmp_path):
    """TOWNS single-file dossiers (the smallest sample), each under its own name."""
    root = tmp_path / "lot"
    root.mkdir()
    for i in range(TOWNS):
        shutil.copy(SAMPLES / "ort-sans-ville-principale.yaml", root / f"commune-{i:02d}.yaml")
    return root


def test_the_local_pool_keeps_only_a_few_tasks_in_flight(many, settings, monkeypatch):
    submitted = []

    class Counting(batch.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            submitted.append(args[0].label)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Counting)
    workers = 2
    tasks = make_tasks(discover([many]))
    received = 0
    for _task, result in batch.local_runner(workers)(tasks, settings):
        assert len(submitted) - received <= workers * batch.IN_FLIGHT_PER_WORKER
        assert result["row"]["etat"] == "evalue"
        received += 1
    assert received == TOWNS and sorted(submitted) == sorted(t.label for t in tasks)


def test_a_dossier_s_bytes_are_read_only_when_it_is_sent(tmp_path, monkeypatch):
    folder = tmp_path / "ville"
    (folder / "pieces").mkdir(parents=True)
    (folder / "dossier.yaml").write_bytes(b"id: ville\n")
    (folder / "pieces" / "avenant.pdf").write_bytes(b"%PDF-1.4 " + b"x" * 100)
    (task,) = make_tasks([("ville", folder)])
    assert task.files is None  # the batch holds digests, not the towns' files
    sent = shipped(task)
    assert sent.files == {"dossier.yaml": b"id: ville\n", "pieces/avenant.pdf": b"%PDF-1.4 " + b"x" * 100}
    assert sent.content == task.content and sent.unreadable is None
    monkeypatch.setattr(batch_tasks, "MAX_SHIPPED", 50)
    too_big = shipped(task)
    assert too_big.files == {} and "trop volumineux pour être envoyé (119 octets, maximum 50)" in too_big.unreadable
    (folder / "dossier.yaml").unlink()
    (folder / "pieces" / "avenant.pdf").unlink()
    (folder / "pieces").rmdir()
    folder.rmdir()
    gone = shipped(task)
    assert gone.files == {} and gone.unreadable.endswith("introuvable")


def test_on_dask_only_the_tasks_in_flight_carry_their_files(many, settings, monkeypatch):
    distributed = pytest.importorskip("distributed")
    sent = []

    def counting(task):
        sent.append(task.label)
        return shipped(task)

    monkeypatch.setattr(batch, "shipped", counting)
    tasks = make_tasks(discover([many]))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        received = 0
        for task, result in batch.dask_runner(c.scheduler_address)(tasks, settings):
            assert len(sent) - received <= 1 * batch.IN_FLIGHT_PER_WORKER
            assert task.files is None and result["row"]["etat"] == "evalue"
            received += 1
    assert received == TOWNS and sorted(sent) == sorted(t.label for t in tasks)


class Result(dict):
    """A result that can be watched (a plain dict cannot be weakly referenced)."""


def test_each_result_is_written_as_it_arrives_and_dropped_after(many, tmp_path, settings):
    out = tmp_path / "out"
    watched: list[weakref.ref] = []

    def runner(tasks, config):
        for i, task in enumerate(tasks):
            if i:
                journal = (out / JOURNAL).read_text(encoding="utf-8").splitlines()
                assert len(journal) == i and json.loads(journal[-1])["dossier"] == tasks[i - 1].label
                assert (out / REPORTS / f"{Path(tasks[i - 1].label).stem}.json").is_file()
            if i >= 2:  # the loop holds the result just handed on; none before it is kept
                assert watched[i - 2]() is None
            result = Result(batch.evaluate(task, config))
            watched.append(weakref.ref(result))
            yield task, result

    outcome = batch.run_batch([many], out, settings, runner=runner, cache=None)
    assert outcome.evaluated == TOWNS and len(watched) == TOWNS
