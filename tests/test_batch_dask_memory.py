"""acv batch --dask leaves nothing behind that grows with the number of towns: no town's files in the messages
Dask keeps for debugging (the client's, the scheduler's, the workers'), the client's own log short, and after
20 then 80 towns the same state on the scheduler, the workers and the client."""

from __future__ import annotations

import datetime as dt
import time
import types
from collections import deque
from pathlib import Path

import pytest

from instruct.batch import run as batch
from instruct.batch.settings import make_settings
from instruct.batch.tasks import discover, make_tasks

distributed = pytest.importorskip("distributed", reason="Dask distributed n'est pas installé")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "ort-sans-ville-principale.yaml"
DAY = dt.date(2026, 11, 26)
MARK = b"marqueur-des-fichiers-de-la-commune"


@pytest.fixture(scope="module")
def settings():
    return make_settings(DAY, None, ROOT / "samples" / "referentiel")[0]


def towns(root: Path, n: int) -> Path:
    """`n` single-file dossiers, each with MARK in its file: found again wherever its bytes are kept."""
    root.mkdir()
    text = SAMPLE.read_bytes()
    for i in range(n):
        (root / f"commune-{i:03d}.yaml").write_bytes(text + b"\n# " + MARK + f"-{i}\n".encode())
    return root


def holding_mark(obj, limit: int = 500_000) -> list[str]:
    """The types of the objects reachable from `obj` whose bytes contain MARK (Dask's messages, tasks, events)."""
    seen, stack, found = set(), [obj], []
    while stack and len(seen) < limit:
        o = stack.pop()
        if id(o) in seen or isinstance(o, (type, types.ModuleType, types.FunctionType, types.MethodType)):
            continue
        seen.add(id(o))
        if isinstance(o, (bytes, bytearray, memoryview)):
            if MARK in bytes(o):
                found.append(type(o).__name__)
        elif isinstance(o, str):
            if MARK.decode() in o:
                found.append("str")
        elif isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset, deque)):
            stack.extend(o)
        else:
            stack.extend(getattr(o, "__dict__", {}).values())
            stack.extend(getattr(o, s) for k in type(o).__mro__ for s in getattr(k, "__slots__", ()) if hasattr(o, s))
    return found


def scheduler_view(dask_scheduler) -> dict:
    """What the scheduler keeps between tasks (its debug logs of messages, transitions and events, its tasks) and
    where a town's files are among it; run on its event loop."""
    s = dask_scheduler
    kept = {
        "messages aux workers": [b.recent_message_log for b in s.stream_comms.values()],
        "transitions": s.transition_log,
        "événements": [topic.events for topic in s._broker._topics.values()],
        "tâches": s.tasks,
    }
    return {
        "fichiers": {where: holding_mark(what) for where, what in kept.items()},
        "état": {"tâches": len(s.tasks), "groupes": len(s.task_groups), "préfixes": len(s.task_prefixes)},
    }


def worker_view(dask_worker) -> dict:
    w = dask_worker
    kept = {"messages": w.batched_stream.recent_message_log, "journaux": [w.state.log, w.state.stimulus_log]}
    return {"fichiers": {where: holding_mark(what) for where, what in kept.items()}, "données": len(w.data)}


def test_on_dask_nothing_kept_grows_with_the_towns(tmp_path, settings):
    client_state: dict[int, dict] = {}
    after: dict[int, dict] = {}
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c,
        distributed.Client(c, set_as_default=False) as probe,
    ):
        for n in (20, 80):
            tasks = make_tasks(discover([towns(tmp_path / f"lot-{n}", n)]))
            received = 0
            for task, result in batch.dask_runner(c.scheduler_address)(tasks, settings):
                assert result["row"]["etat"] == "evalue", task.label
                received += 1
                if received == n:  # every result in, the batch's client not closed yet
                    client = distributed.default_client()
                    assert holding_mark(client.scheduler_comm.recent_message_log) == [], (
                        "le client garde les fichiers des communes dans son journal de messages"
                    )
                    client_state[n] = {
                        "futures": len(client.futures),
                        "messages gardés": len(client.scheduler_comm.recent_message_log),
                    }
            assert received == n
            deadline = time.monotonic() + 10
            while (view := probe.run_on_scheduler(scheduler_view))["état"]["tâches"] and time.monotonic() < deadline:
                time.sleep(0.05)  # the batch's client gone, the scheduler forgets its tasks
            assert view["fichiers"] == dict.fromkeys(view["fichiers"], []), "l'ordonnanceur garde des fichiers"
            workers = probe.run(worker_view)
            for address, seen in workers.items():
                assert seen["fichiers"] == dict.fromkeys(seen["fichiers"], []), f"{address} garde des fichiers"
            after[n] = {**view["état"], "données des workers": sum(w["données"] for w in workers.values())}
    assert after[20]["tâches"] == 0 and after[20]["données des workers"] == 0
    assert after[80] == after[20]
    assert client_state[80] == client_state[20]
    assert client_state[80]["messages gardés"] <= batch.CLIENT_LOG_LENGTH
