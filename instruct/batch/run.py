"""`acv batch`: every dossier of one or more folders checked at once, before a committee.

The same path as `acv check` (load → check_dossier → report), once per dossier, in parallel
processes (or on a Dask cluster, `dask_runner`), then the national synthesis (batch_outputs).

- A dossier is a folder with dossier.yaml (or only pieces), or a YAML/JSON file; a folder that is
  neither is searched for dossiers (one level of grouping per région, say, is fine).
- A dossier that cannot be read gives a row saying why; the others go on.
- Each finished dossier is appended to OUT/.acv-batch.jsonl: `reprendre` skips those of the
  same run (same key) after an interruption.
- Reports are cached by key = content of the dossier's files + rules + date + referentiel +
  selected partners + this code: an unchanged dossier is not evaluated again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from instruct.documents.load import DOSSIER_FILES, load
from instruct.engine.check import check_dossier
from instruct.errors import InputError, Problem
from instruct.french import french_number
from instruct.model.report import GAPS, SEVERITY_ORDER, STATUS_ORDER, Report
from instruct.referentiel.registry import load_referentiel
from instruct.referentiel.territoires import REGIONS, departement, region
from instruct.reports import html as report_html
from instruct.reports import json as report_json
from instruct.rules.catalogue import Catalogue, load_catalogue

REPORTS = "rapports"
JOURNAL = ".acv-batch.jsonl"
DOSSIER_SUFFIXES = {".yaml", ".yml", ".json"}
PIECE_SUFFIXES = {".pdf", ".docx"}
MAX_DOSSIERS = 100_000
MAX_SHIPPED = 250 * 1024 * 1024  # a dossier sent to a Dask worker: 200 pieces of a few hundred KB, with room
FIRST_BLOCKING = 3


# --- what to evaluate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What every dossier of a batch is judged with. The rule and referentiel files travel as
    bytes, so that a Dask worker on another machine needs no shared disk."""

    as_of: dt.date
    rules: dict[str, bytes]  # file name -> content
    referentiel: dict[str, bytes] | None
    partenaires: tuple[str, ...] | None = None
    html: bool = False

    @functools.cached_property
    def digest(self) -> str:
        h = hashlib.sha256()
        for part in (
            self.as_of.isoformat(),
            ",".join(self.partenaires or ()),
            code_digest(),
        ):  # not `html`: see Cache.put
            h.update(part.encode() + b"\0")
        for bundle in (self.rules, self.referentiel or {}):
            for name in sorted(bundle):
                h.update(name.encode() + b"\0" + hashlib.sha256(bundle[name]).digest())
            h.update(b"\1")
        return h.hexdigest()


@dataclass(frozen=True)
class Task:
    label: str  # the dossier as the user names it: its path relative to the folder given
    path: str
    folder: bool
    content: str  # SHA-256 of its files
    files: dict[str, bytes] | None = None  # its files, sent to a remote worker (Dask); None: read `path`
    unreadable: str | None = None  # why its files could not be read here


@functools.cache
def code_digest() -> str:
    """This package's source: a report cached by an older version of the code is not reused."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def synthesis_catalogue(catalogue: Catalogue, partenaires: list[str] | None) -> tuple[list[dict], dict[str, dict]]:
    """The rule sets (columns of the synthesis) and each rule's title, severity and source (its chart)."""
    selected = catalogue.select(partenaires)
    rulesets = [{"code": rs.code, "titre": rs.title, "partenaire": rs.partenaire} for rs in selected]
    rules: dict[str, dict] = {}
    for rs in selected:
        for rule in rs.rules:
            rules.setdefault(
                rule.id, {"titre": rule.title, "severite": rule.severity, "jeu": rs.code, "source": str(rule.source)}
            )
    return rulesets, rules


def read_bundle(directory: Path, suffixes: set[str]) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file() and p.suffix.lower() in suffixes}


def make_settings(
    as_of: dt.date,
    rules_dir: str | Path | None,
    referentiel_dir: str | Path | None,
    partenaires: list[str] | None = None,
    html: bool = False,
) -> tuple[Settings, Catalogue]:
    """The settings and the catalogue, read once and checked here: a bad rule file or referentiel
    stops the batch before it starts, with its message."""
    catalogue = load_catalogue(rules_dir)
    catalogue.select(partenaires)  # an unknown partner is an InputError now, not 222 times
    referentiel = load_referentiel(referentiel_dir) if referentiel_dir else None
    settings = Settings(
        as_of,
        read_bundle(catalogue.directory, {".yaml", ".yml"}),
        read_bundle(Path(referentiel_dir), {".csv"}) if referentiel_dir else None,
        tuple(partenaires) if partenaires else None,
        html,
    )
    _PREPARED.clear()
    _PREPARED[settings.digest] = (
        catalogue,
        referentiel,
    )  # this process and its forked workers need not read them again
    return settings, catalogue


def discover(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """(label, path) of every dossier under the paths given, in a stable order; `exclude`: folders
    not to search (the batch's own output, when it lies among the dossiers)."""
    skip = {Path(p).resolve() for p in exclude}
    found: list[tuple[str, Path]] = []
    for given in paths:
        given = Path(given)
        if not given.exists():
            raise InputError(str(given), [Problem("", "fichier ou dossier introuvable")])
        if given.is_file() or _is_dossier(given):
            found.append((given.name if given.is_file() else given.resolve().name, given))
            continue
        for path in _walk(given, skip):
            found.append((path.relative_to(given).as_posix(), path))
        if len(found) > MAX_DOSSIERS:
            raise InputError(str(given), [Problem("", f"plus de {MAX_DOSSIERS} dossiers : découpez le lot")])
    labels = [label for label, _ in found]
    if len(set(labels)) != len(labels):  # two folders given with dossiers of the same name
        found = [(f"{path.parent.name}/{label}" if labels.count(label) > 1 else label, path) for label, path in found]
    return found


def _is_dossier(folder: Path) -> bool:
    return (
        any((folder / name).is_file() for name in DOSSIER_FILES)
        or (folder / "pieces").is_dir()
        or any(p.suffix.lower() in PIECE_SUFFIXES for p in folder.iterdir() if p.is_file())
    )


def _walk(folder: Path, skip: set[Path]) -> Iterator[Path]:
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_symlink() or path.resolve() in skip:
            continue
        if path.is_dir():
            yield from ([path] if _is_dossier(path) else _walk(path, skip))
        elif path.suffix.lower() in DOSSIER_SUFFIXES:
            yield path


def dossier_files(path: Path) -> dict[str, Path]:
    """The files a dossier is made of, by relative path (hidden files and links left out, as load does)."""
    if path.is_file():
        return {path.name: path}
    return {
        p.relative_to(path).as_posix(): p
        for p in sorted(path.rglob("*"))
        if p.is_file() and not p.is_symlink() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    }


def content_hash(files: dict[str, Path]) -> str:
    """Read in blocks: a stray video in a town's folder is hashed, not loaded into memory."""
    h = hashlib.sha256()
    for name in sorted(files):
        with open(files[name], "rb") as f:
            h.update(name.encode() + b"\0" + hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()


def make_tasks(found: list[tuple[str, Path]], *, ship_files: bool = False) -> list[Task]:
    """With `ship_files` (a remote worker), each dossier's files travel with it: at most MAX_SHIPPED bytes."""
    tasks = []
    for label, path in found:
        shipped, unreadable = None, None
        try:
            files = dossier_files(path)
            content = content_hash(files)
            if ship_files:
                size = sum(f.stat().st_size for f in files.values())
                if size > MAX_SHIPPED:
                    unreadable = f"dossier trop volumineux pour être envoyé ({size} octets, maximum {MAX_SHIPPED})"
                shipped = {} if unreadable else {name: f.read_bytes() for name, f in files.items()}
        except OSError as exc:
            content, shipped, unreadable = (
                hashlib.sha256(label.encode()).hexdigest(),
                {},
                f"lecture impossible de {exc.filename or path} ({exc.strerror})",
            )
        tasks.append(Task(label, str(path), path.is_dir(), content, shipped, unreadable))
    return tasks


def task_key(task: Task, settings_digest: str) -> str:
    """The label is in the key: the row and the messages name the dossier by it."""
    return hashlib.sha256(f"{task.label}\0{task.content}\0{settings_digest}".encode()).hexdigest()


# --- one dossier (in a worker) ------------------------------------------------------------------

_PREPARED: dict[str, tuple] = {}  # settings digest -> (catalogue, referentiel), once per process


def _prepared(settings: Settings):
    key = settings.digest
    if key not in _PREPARED:
        root = Path(tempfile.mkdtemp(prefix="acv-regles-"))
        for name, data in settings.rules.items():
            (root / "regles").mkdir(exist_ok=True)
            (root / "regles" / name).write_bytes(data)
        catalogue = load_catalogue(root / "regles")
        referentiel = None
        if settings.referentiel is not None:
            (root / "referentiel").mkdir()
            for name, data in settings.referentiel.items():
                (root / "referentiel" / name).write_bytes(data)
            referentiel = load_referentiel(root / "referentiel")
        shutil.rmtree(root, ignore_errors=True)
        _PREPARED.clear()
        _PREPARED[key] = (catalogue, referentiel)
    return _PREPARED[key]


def evaluate(task: Task, settings: Settings) -> dict:
    """Check one dossier: {"row", "json", "html", "duree_s"}. Never raises for a dossier's own
    fault: a dossier that cannot be read gives a row with `erreur`."""
    started = time.perf_counter()
    catalogue, referentiel = _prepared(settings)
    with (
        tempfile.TemporaryDirectory(prefix="acv-lot-") if task.files is not None else contextlib.nullcontext("") as tmp
    ):
        path = _unpack(task, Path(tmp)) if task.files is not None else Path(task.path)
        try:
            if task.unreadable:
                raise InputError(str(path), [Problem("", task.unreadable)])
            loaded = load(path)
            report = check_dossier(
                loaded.dossier,
                catalogue,
                settings.as_of,
                referentiel=referentiel,
                partenaires=list(settings.partenaires) if settings.partenaires else None,
                documents=loaded.documents,
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


# --- the cache and the journal ------------------------------------------------------------------


def default_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "acv-instruct" / "lot"


class Cache:
    """One folder per key (row.json, rapport.json, rapport.html), written whole then renamed:
    a batch killed while writing leaves no half entry."""

    def __init__(self, root: Path):
        self.root = root

    def _folder(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> dict | None:
        folder = self._folder(key)
        try:
            row = json.loads((folder / "row.json").read_text(encoding="utf-8"))
            html = folder / "rapport.html"
            return {
                "row": row,
                "json": (folder / "rapport.json").read_text(encoding="utf-8") if row["etat"] == "evalue" else None,
                "html": html.read_text(encoding="utf-8") if html.is_file() else None,
            }
        except (OSError, ValueError, KeyError):
            return None

    def put(self, key: str, result: dict) -> None:
        folder = self._folder(key)
        if folder.is_dir():  # known, perhaps without the HTML a run with --html now adds
            html = folder / "rapport.html"
            if result["html"] is not None and not html.is_file():
                tmp = folder / f".rapport-{os.getpid()}.html"
                tmp.write_text(result["html"], encoding="utf-8")
                os.replace(tmp, html)
            return
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key[:8]}-", dir=folder.parent))
        (tmp / "row.json").write_text(json.dumps(result["row"], ensure_ascii=False), encoding="utf-8")
        for name, text in (("rapport.json", result["json"]), ("rapport.html", result["html"])):
            if text is not None:
                (tmp / name).write_text(text, encoding="utf-8")
        try:
            tmp.rename(folder)
        except OSError:  # another batch put it first
            shutil.rmtree(tmp, ignore_errors=True)


def read_journal(out: Path) -> dict[str, dict]:
    """label -> {"cle", "row"} of the dossiers a previous run of this batch finished."""
    done = {}
    try:
        lines = (out / JOURNAL).read_text(encoding="utf-8").splitlines()
    except OSError:
        return done
    for line in lines:
        try:
            entry = json.loads(line)
            done[entry["dossier"]] = entry
        except (ValueError, KeyError, TypeError):
            continue  # the line being written when the batch was stopped
    return done


# --- the batch ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    rows: list[dict]
    evaluated: int = 0
    from_cache: int = 0
    resumed: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.rows if r["etat"] == "erreur"]


def slug(label: str) -> str:
    """A file name for a dossier's report: « bretagne/saint-aubin » -> « bretagne--saint-aubin »."""
    name = label[: -len(Path(label).suffix)] if Path(label).suffix.lower() in DOSSIER_SUFFIXES else label
    keep = "".join(c if c.isalnum() or c in "-_." else "-" for c in name.replace("/", "--"))
    return keep.strip(".-") or "dossier"


Runner = Callable[[list[Task], Settings], Iterator[tuple[Task, dict]]]


def local_runner(workers: int) -> Runner:
    """Results as they finish, from `workers` processes (1: in this process)."""

    def run(tasks: list[Task], settings: Settings) -> Iterator[tuple[Task, dict]]:
        if workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                yield task, evaluate(task, settings)
            return
        import multiprocessing

        _prepared(settings)  # forked workers inherit the rules made ready here
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_prepared, initargs=(settings,)
        ) as pool:
            futures = {pool.submit(evaluate, task, settings): task for task in tasks}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            except BaseException:
                for future in futures:
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
    ship_files: bool = False,
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
    tasks = make_tasks(found, ship_files=ship_files)
    digest = settings.digest
    keys = {t.label: task_key(t, digest) for t in tasks}
    names = unique_slugs([t.label for t in tasks])
    rows: dict[str, dict] = {}
    outcome = Outcome([])
    journal_done = read_journal(out) if resume else {}
    with open(out / JOURNAL, "a" if resume else "w", encoding="utf-8") as journal:
        if resume and journal.tell() > 0:
            journal.write("\n")  # after a line cut by the interruption, a fresh one

        def finish(task: Task, result: dict, *, from_cache: bool) -> None:
            row = dict(result["row"])
            row.update(
                _write_reports(out, names[task.label], result),
                cache=from_cache,
                duree_s=round(result.get("duree_s", 0.0), 4),
            )
            rows[task.label] = row
            journal.write(
                json.dumps({"dossier": task.label, "cle": keys[task.label], "row": row}, ensure_ascii=False) + "\n"
            )
            journal.flush()
            if progress:
                progress(len(rows), len(tasks), outcome.from_cache + outcome.resumed)

        pending = []
        for task in tasks:
            done = journal_done.get(task.label)
            if done is not None and done.get("cle") == keys[task.label] and _reports_present(out, done["row"]):
                rows[task.label] = done["row"]
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
    outcome.rows = [rows[t.label] for t in tasks]
    outcome.seconds = time.perf_counter() - started
    return outcome


def unique_slugs(labels: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    taken: set[str] = set()
    for label in labels:
        name, n = slug(label), 1
        while name.lower() in taken:  # « a/b » and « a--b », or two names on a case-blind disk
            n += 1
            name = f"{slug(label)}-{n}"
        taken.add(name.lower())
        names[label] = name
    return names


def _write_reports(out: Path, name: str, result: dict) -> dict:
    written = {"rapport_json": None, "rapport_html": None}
    for kind, suffix in (("json", ".json"), ("html", ".html")):
        if result.get(kind) is not None:
            relative = f"{REPORTS}/{name}{suffix}"
            (out / relative).write_text(result[kind], encoding="utf-8")
            written[f"rapport_{kind}"] = relative
    return written


def _reports_present(out: Path, row: dict) -> bool:
    return all((out / row[k]).is_file() for k in ("rapport_json", "rapport_html") if row.get(k))


def dask_runner(address: str) -> Runner:
    """The same evaluation on an existing Dask cluster: each dossier travels with its files, the
    rules and the referentiel once to every worker; nothing needs a shared disk."""

    def run(tasks: list[Task], settings: Settings) -> Iterator[tuple[Task, dict]]:
        try:
            from distributed import Client
            from distributed import as_completed as completed
        except ImportError:
            raise InputError(
                "--dask", [Problem("", "Dask distributed n'est pas installé (pip install distributed)")]
            ) from None
        try:
            client = Client(address, timeout="15s")
        except (OSError, TimeoutError) as exc:
            raise InputError("--dask", [Problem("", f"ordonnanceur Dask injoignable à {address} : {exc}")]) from None
        with client:
            shared = client.scatter(settings, broadcast=True)
            futures = client.map(evaluate, tasks, settings=shared, pure=False)
            which = {future.key: task for future, task in zip(futures, tasks)}
            for future in completed(futures):
                yield which[future.key], future.result()

    return run


class Progress:
    """« 120/222 dossiers · 45,2 /s · reste ~2 s » on stderr: redrawn in place on a terminal,
    a line every few seconds in a log."""

    def __init__(self, stream, every: float = 5.0):
        self.stream, self.every = stream, every
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.perf_counter()
        self.last = -every
        self.width = 0  # of the line drawn last, to wipe what a shorter one leaves

    def __call__(self, done: int, total: int, reused: int) -> None:
        now = time.perf_counter()
        if not self.tty and done < total and now - self.last < self.every:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0.0
        width = 24
        bar = "█" * (width * done // total) + "·" * (width - width * done // total)
        text = (
            f"{bar} {done}/{total} dossiers · {french_number(rate, 1)} /s · "
            + (f"reste ~{french_number(left, 0)} s" if done < total else f"fini en {french_number(elapsed, 1)} s")
            + (f" · {reused} repris" if reused else "")
        )
        self.stream.write(
            ("\r" + text.ljust(self.width) + ("\n" if done >= total else "")) if self.tty else text + "\n"
        )
        self.width = len(text)
        self.stream.flush()
