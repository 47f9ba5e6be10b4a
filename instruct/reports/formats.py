"""The report formats, found rather than listed: every module of instruct.reports that declares
`FORMAT = ReportFormat(...)` is one, named after its module. The CLI's `--format`, the API's `?format=`
and `Accept`, and the pages' download links all read this registry, so a new format is its module and its
test."""

from __future__ import annotations

import contextlib
import functools
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from instruct.model.report import Report


@dataclass(frozen=True)
class Options:
    """What a person at a terminal may ask for; the other formats ignore it."""

    colour: bool = False
    show_all: bool = False  # --tout: each cause's evidence, quotes and parameters, and what is conforme


PLAIN = Options()


@dataclass(frozen=True)
class ReportFormat:
    name: str  # --format and ?format=
    media_type: str  # the API's Content-Type, and what `Accept` asks for
    extension: str  # of a file holding it: « .docx »
    render: Callable[[Report, Options], str | bytes]
    binary: bool = False  # bytes for a file, never for a terminal
    label: str | None = None  # with a label, the dossier page links to it: « télécharger en DOCX (Word) »

    def render_bytes(self, report: Report, options: Options = PLAIN) -> bytes:
        body = self.render(report, options)
        return body if isinstance(body, bytes) else body.encode("utf-8")

    @property
    def base_media_type(self) -> str:
        return self.media_type.split(";")[0].strip()


@functools.cache
def registry(package: str = "instruct.reports") -> dict[str, ReportFormat]:
    """name -> format, by name, from the modules of `package` that declare a FORMAT."""
    root = importlib.import_module(package)
    found: dict[str, ReportFormat] = {}
    for module in pkgutil.iter_modules(root.__path__, prefix=f"{package}."):
        declared = getattr(importlib.import_module(module.name), "FORMAT", None)
        if isinstance(declared, ReportFormat):
            if declared.name != module.name.rpartition(".")[2]:
                raise RuntimeError(f"le format « {declared.name} » doit être déclaré dans {package}.{declared.name}")
            found[declared.name] = declared
    return dict(sorted(found.items()))


def names(package: str = "instruct.reports") -> list[str]:
    """The formats' names without importing them (`acv --help` and `acv rules` need no renderer): the
    modules whose source declares `FORMAT = ReportFormat(`; each is named after its module (registry checks)."""
    found = []
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        source = Path(getattr(module.module_finder, "path", "")) / f"{module.name}.py"
        with contextlib.suppress(OSError):
            if "\nFORMAT = ReportFormat(" in source.read_text(encoding="utf-8"):
                found.append(module.name)
    return sorted(found)


def get(name: str) -> ReportFormat | None:
    """The format `name`, importing its module only."""
    if name not in names():
        return None
    declared = getattr(importlib.import_module(f"instruct.reports.{name}"), "FORMAT", None)
    return declared if isinstance(declared, ReportFormat) and declared.name == name else registry().get(name)


def downloads() -> list[ReportFormat]:
    """The formats the dossier page offers as a file."""
    return [f for f in registry().values() if f.label]


def from_accept(accept: str) -> ReportFormat | None:
    """The first media type of an `Accept` header that names a format (parameters and q ignored)."""
    by_media = {f.base_media_type: f for f in registry().values()}
    for media in (part.split(";")[0].strip() for part in accept.split(",")):
        if media in by_media:
            return by_media[media]
    return None
