"""List actions on the form's values: add an item, remove one, move one up or down. Indexes are
renumbered so that the values typed stay with their item; nothing else is touched."""

from __future__ import annotations

import re

from instruct.form.raw import AUCUN, COUNT, MAX_ITEMS, Raw, join, list_sizes
from instruct.form.schema import LISTE, spec_at

VERBS = ("ajouter", "supprimer", "monter", "descendre")


class ActionError(ValueError):
    """An action the form does not know (a forged or stale button): French message."""


def _item(path: str) -> tuple[str, int]:
    match = re.fullmatch(r"(.+)\.(\d+)", path)
    if not match:
        raise ActionError("élément de liste inconnu")
    return match.group(1), int(match.group(2))


def _check_list(path: str) -> None:
    spec = spec_at(path)
    if spec is None or spec.kind != LISTE:
        raise ActionError("liste inconnue")


def _renumber(raw: Raw, prefix: str, mapping: dict[int, int | None]) -> Raw:
    """Keys under `prefix.<i>.` moved to `prefix.<mapping[i]>.` (None: dropped)."""
    out: Raw = {}
    head = prefix + "."
    for key, value in raw.items():
        if key.startswith(head):
            rest = key[len(head) :]
            index, dot, tail = rest.partition(".")
            if index.isdigit() and int(index) in mapping:
                target = mapping[int(index)]
                if target is None:
                    continue
                key = f"{head}{target}{dot}{tail}"
        out[key] = value
    return out


def apply(raw: Raw, action: str) -> Raw:
    """`ajouter:<list>`, `supprimer:<item>`, `monter:<item>`, `descendre:<item>` -> the new values
    (ActionError, in French, for an action that names no list or item of the form)."""
    verb, _, path = action.partition(":")
    if verb not in VERBS:
        raise ActionError("action inconnue")
    sizes = list_sizes(raw)
    raw = dict(raw)
    if verb == "ajouter":
        _check_list(path)
        count = sizes.get(path, 0)
        if count >= MAX_ITEMS:
            raise ActionError(f"au plus {MAX_ITEMS} éléments dans une liste")
        raw[join(path, COUNT)] = str(count + 1)
        raw.pop(join(path, AUCUN), None)
        return raw
    prefix, index = _item(path)
    _check_list(prefix)
    count = sizes.get(prefix, 0)
    if index >= count:
        raise ActionError("élément de liste inconnu")
    if verb == "supprimer":
        mapping: dict[int, int | None] = {index: None} | {i: i - 1 for i in range(index + 1, count)}
        raw = _renumber(raw, prefix, mapping)
        raw[join(prefix, COUNT)] = str(count - 1)
        return raw
    other = index - 1 if verb == "monter" else index + 1
    if not 0 <= other < count:
        return raw
    raw = _renumber(raw, prefix, {index: other, other: index})
    raw[join(prefix, COUNT)] = str(count)
    return raw
