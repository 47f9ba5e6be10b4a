"""What a batch keeps on disk: the reports cache shared by batches (one folder per key, written
whole then renamed), the journal that lets `--reprendre` skip finished dossiers, and the
reports written under OUT/rapports."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from instruct.batch.tasks import DOSSIER_SUFFIXES

REPORTS = "rapports"
JOURNAL = ".acv-batch.jsonl"


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


class Rows(Sequence):
    """The batch's rows for the synthesis, in the dossiers' order, each kept as its JSON text (UTF-8)
    and read back when asked: ~1 KB a dossier, against ~5 KB as dicts and strings (2 300 towns: 2.5
    against 11 MiB). The synthesis reads them again for each file it writes, a row at a time."""

    __slots__ = ("_texts",)

    def __init__(self, texts: Iterable[bytes] = ()):
        self._texts = list(texts)

    @staticmethod
    def encode(row: dict) -> bytes:
        return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [json.loads(text) for text in self._texts[index]]
        return json.loads(self._texts[index])


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


def slug(label: str) -> str:
    """A file name for a dossier's report: « bretagne/saint-aubin » -> « bretagne--saint-aubin »."""
    name = label[: -len(Path(label).suffix)] if Path(label).suffix.lower() in DOSSIER_SUFFIXES else label
    keep = "".join(c if c.isalnum() or c in "-_." else "-" for c in name.replace("/", "--"))
    return keep.strip(".-") or "dossier"


def unique_slugs(labels: list[str]) -> dict[str, str]:
    return unique_names((label, label) for label in labels)


def unique_names(pairs) -> dict:
    """key -> a file name made of its label, none twice (« a/b » and « a--b », or two names on a
    case-blind disk: « x », « x-2 », whatever labels the others had)."""
    names: dict = {}
    taken: set[str] = set()
    for key, label in pairs:
        name, n = slug(label), 1
        while name.lower() in taken:
            n += 1
            name = f"{slug(label)}-{n}"
        taken.add(name.lower())
        names[key] = name
    return names


def write_reports(out: Path, name: str, result: dict) -> dict:
    written = {"rapport_json": None, "rapport_html": None}
    for kind, suffix in (("json", ".json"), ("html", ".html")):
        if result.get(kind) is not None:
            relative = f"{REPORTS}/{name}{suffix}"
            (out / relative).write_text(result[kind], encoding="utf-8")
            written[f"rapport_{kind}"] = relative
    return written


def reports_present(out: Path, row: dict) -> bool:
    return all((out / row[k]).is_file() for k in ("rapport_json", "rapport_html") if row.get(k))
