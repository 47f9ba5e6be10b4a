"""The guided form's core (instruct.form) as the service's pages use it, in one place: its public API
when the package exports it, else the same names taken from its modules (and a plain YAML export)."""

from __future__ import annotations

import functools
import importlib

import yaml

from instruct.model.dossier import Dossier


def _pick(name: str, *modules: str):
    for module in ("instruct.form", *modules):
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            found = None
        if found is not None:
            return found
    return None


STEPS = _pick("STEPS", "instruct.form.steps")
build = _pick("build", "instruct.form.steps")
to_raw = _pick("to_raw", "instruct.form.raw")
from_raw = _pick("from_raw", "instruct.form.raw")
apply = _pick("apply", "instruct.form.actions")
# A report names the same paths save after save: their labels are computed once.
label_of = functools.lru_cache(maxsize=50000)(_pick("label_of", "instruct.form.paths"))
step_of = functools.lru_cache(maxsize=50000)(_pick("step_of", "instruct.form.paths"))
anchor_of = functools.lru_cache(maxsize=50000)(_pick("anchor_of", "instruct.form.paths"))
_validated = _pick("validated", "instruct.form.raw")
_dump_yaml = _pick("dump_yaml", "instruct.form.export", "instruct.form.raw")


def validated(raw: dict[str, str]) -> tuple[Dossier, dict[str, str]]:
    """The largest Dossier the values give, and the French errors by field name."""
    if _validated is not None:
        return _validated(raw)
    conversion = from_raw(raw)
    return conversion.dossier or Dossier.model_validate(conversion.data), conversion.errors


def dump_yaml(dossier: Dossier) -> str:
    """The dossier.yaml `acv check` reads back to the same Dossier."""
    if _dump_yaml is not None:
        return _dump_yaml(dossier)
    data = dossier.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
