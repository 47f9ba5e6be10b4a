"""Safe YAML/JSON reading with limits, and line numbers for error messages.

Parsing uses the C safe loader when available (fast path); line numbers are only computed,
from a second node-level parse, when a problem has to be reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from instruct.errors import InputError, Problem

MAX_BYTES = 5 * 1024 * 1024  # a dossier.yaml above 5 MB is not a dossier
MAX_DEPTH = 40

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """Safe loader that refuses duplicate keys: YAML would silently keep the last one."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor`: merged keys may be overridden, that is its purpose
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"clé en double « {key} » : la seconde valeur écraserait la première",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        """Dates stay text: the model parses them, so 2019-02-30 is an error with its path."""
        return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    size = path.stat().st_size
    if size > limit:
        raise InputError(str(path), [Problem("", f"fichier trop volumineux ({size} octets, maximum {limit})")])
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), [Problem("", f"le fichier n'est pas en UTF-8 (octet {exc.start})")]) from None


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max([_depth(v, level + 1) for v in value.values()] or [level])
    if isinstance(value, list):
        return max([_depth(v, level + 1) for v in value] or [level])
    return level


def parse(text: str, source: str) -> Any:
    """Parse YAML (JSON is YAML) safely; raise InputError with the line on syntax errors."""
    if source.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(source, [Problem("", f"JSON invalide : {exc.msg}", exc.lineno)]) from None
    else:
        try:
            data = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            what = getattr(exc, "problem", None) or str(exc)
            raise InputError(source, [Problem("", f"YAML invalide : {what}", line)]) from None
    if _depth(data) > MAX_DEPTH:
        raise InputError(source, [Problem("", f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)")])
    return data


def line_index(text: str) -> dict[tuple, int]:
    """Map each path (tuple of keys and indexes) of a YAML document to its 1-based line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple, int] = {}
    stack: list[tuple[Any, tuple]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if node is None:
            continue
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[path + (str(key.value),)] = key.start_mark.line + 1
                stack.append((value, path + (str(key.value),)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, path + (i,)))
    return lines


def line_of(lines: dict[tuple, int], loc: tuple) -> int | None:
    """Line of the deepest known prefix of `loc` (a missing key points at its parent)."""
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in lines:
            return lines[tuple(loc[:end])]
    return None
