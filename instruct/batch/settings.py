"""What every dossier of a batch is judged with (date, rules, referentiel, partners), as bytes a
remote worker can receive, and the catalogue and referentiel made ready once per process."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from instruct.referentiel.registry import load_referentiel
from instruct.rules.catalogue import Catalogue, load_catalogue


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


_PREPARED: dict[str, tuple] = {}  # settings digest -> (catalogue, referentiel), once per process


def prepared(settings: Settings):
    """(catalogue, referentiel) of these settings, read from their bytes once per process."""
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
