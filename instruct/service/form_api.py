"""The guided form's core (instruct.form) as the service's pages use it, in one place; the labels of the
paths a report cites are computed once (a report names the same paths save after save)."""

from __future__ import annotations

import functools

from instruct.form import STEPS, ActionError, apply, build, build_at, dump_yaml, from_raw, to_raw, validated
from instruct.form import anchor_of as _anchor_of
from instruct.form import label_of as _label_of
from instruct.form import step_of as _step_of

__all__ = [
    "STEPS",
    "ActionError",
    "anchor_of",
    "apply",
    "build",
    "build_at",
    "dump_yaml",
    "from_raw",
    "label_of",
    "step_of",
    "to_raw",
    "validated",
]

label_of = functools.lru_cache(maxsize=50000)(_label_of)
step_of = functools.lru_cache(maxsize=50000)(_step_of)
anchor_of = functools.lru_cache(maxsize=50000)(_anchor_of)
