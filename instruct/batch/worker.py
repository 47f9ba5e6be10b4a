"""One dossier of a batch, in a worker process (local or Dask): the path of `acv check`, a row
for the synthesis, and its reports. A dossier's own fault gives a row saying why, never an
exception: the other dossiers go on."""

from __future__ import annotations

import contextlib
import tempfile
import time
from pathlib import Path

from instruct.batch.settings import Settings, prepared
from instruct.batch.tasks import Task
from instruct.engine.check import check_path
from instruct.errors import InputError, Problem
from instruct.model.report import GAPS, SEVERITY_ORDER, STATUS_ORDER, Report
from instruct.referentiel.territoires import REGIONS, departement, region
from instruct.reports import html as report_html
from instruct.reports import json as report_json

FIRST_BLOCKING = 3


def evaluate(task: Task, settings: Settings) -> dict:
    """Check one dossier: {"row", "json", "html", "duree_s"}. Never raises for a dossier's own
    fault: a dossier that cannot be read gives a row with `erreur`."""
    started = time.perf_counter()
    catalogue, referentiel = prepared(settings)
    with (
        tempfile.TemporaryDirectory(prefix="acv-lot-") if task.files is not None else contextlib.nullcontext("") as tmp
    ):
        path = _unpack(task, Path(tmp)) if task.files is not None else Path(task.path)
        try:
            if task.unreadable:
                raise InputError(str(path), [Problem("", task.unreadable)])
            report = check_path(
                path,
                catalogue,
                settings.as_of,
                referentiel=referentiel,
                partenaires=list(settings.partenaires) if settings.partenaires else None,
                source=task.label,
            )
        except InputError as exc:
            row = error_row(task.label, _where(exc, path, task.label))
            return {
                "row": row,
                "json": None,
                "html": None,
                "duree_s": time.perf_counter() - started,
                "cacheable": not task.unreadable,
            }
        except Exception as exc:  # a fault of this program on one dossier must not stop the others
            row = error_row(task.label, f"erreur interne ({type(exc).__name__}) : {exc}")
            return {
                "row": row,
                "json": None,
                "html": None,
                "duree_s": time.perf_counter() - started,
                "cacheable": False,
            }
    return {
        "row": report_row(task.label, report),
        "json": report_json.render(report),
        "html": report_html.render(report) if settings.html else None,
        "duree_s": time.perf_counter() - started,
        "cacheable": True,
    }


def _unpack(task: Task, root: Path) -> Path:
    """A shipped dossier written back as files, under its own name, for load()."""
    target = root / Path(task.path).name
    files = task.files or {}
    if not task.folder:
        target.write_bytes(next(iter(files.values()), b""))
        return target
    target.mkdir()
    for name, data in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
    return target


def _where(exc: InputError, path: Path, label: str) -> str:
    """The problems as `acv check` words them, the file named from the dossier (« villebelle/dossier.yaml »),
    not from where it lies or was unpacked: the same message from a local or a remote worker."""
    try:
        inner = Path(exc.source).relative_to(path).as_posix()
        source = label if inner == "." else f"{label}/{inner}"
    except ValueError:
        source = exc.source
    return "; ".join(f"{source} : {p}" for p in exc.problems)


def report_row(label: str, report: Report) -> dict:
    """The dossier's line in the synthesis."""
    gaps = [f for f in report.findings if f.status in GAPS]
    by_severity = {s: sum(1 for f in gaps if f.severity == s) for s in SEVERITY_ORDER}
    worst: dict[str, str] = {}
    for f in gaps:
        if f.rule not in worst or STATUS_ORDER[f.status] < STATUS_ORDER[worst[f.rule]]:
            worst[f.rule] = f.status
    blocking = sorted((f for f in gaps if f.severity == "bloquant"), key=lambda f: f.sort_key())[:FIRST_BLOCKING]
    reg = region(report.insee)
    return {
        "dossier": label,
        "commune": report.commune,
        "insee": report.insee,
        "departement": departement(report.insee),
        "region": reg,
        "region_nom": REGIONS[reg][0] if reg in REGIONS else None,
        "fictif": report.fictif,
        "etat": "evalue",
        "erreur": None,
        "recevable": report.recevable,
        "verdicts": {code: r.verdict for code, r in report.rulesets.items()},
        "ecarts": by_severity,
        "premiers_bloquants": [
            {"regle": f.rule, "entite": f.entity.label, "statut": f.status, "message": f.message} for f in blocking
        ],
        "regles_en_ecart": dict(sorted(worst.items())),
    }


def error_row(label: str, message: str) -> dict:
    return {
        "dossier": label,
        "commune": None,
        "insee": None,
        "departement": None,
        "region": None,
        "region_nom": None,
        "fictif": False,
        "etat": "erreur",
        "erreur": message,
        "recevable": None,
        "verdicts": {},
        "ecarts": dict.fromkeys(SEVERITY_ORDER, 0),
        "premiers_bloquants": [],
        "regles_en_ecart": {},
    }
