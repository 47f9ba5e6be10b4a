"""Safe YAML/JSON reading with limits, and line numbers for error messages.

Only a regular file is read (a FIFO, a device or a directory is refused without being opened
for reading), its size checked before and bounded while reading. YAML is parsed by libyaml and
composed under a budget (yamlcompose: MAX_NODES once aliases are expanded, MAX_DEPTH nested
containers) before any object is built; JSON's depth is measured on its text before it is
parsed. Every error is French with its line. Line numbers for the model's errors are only
computed, from a second node-level parse, when a problem has to be reported.

A text of at most PLAIN_CHARS is first read by `_fast`: libyaml's own composer, then `_build`, a tight
constructor (texts, lists and mappings directly; null, booleans and numbers by PyYAML's SafeConstructor's
own builders; dates as text; duplicate keys and the composer's limits checked): a generated 42 KiB dossier
is read in half the time (benchmarks/README.md, "YAML parsing"). A list or a mapping met twice in libyaml's
tree (an alias, a cycle, a bomb) is declined when it is met again, before anything is expanded. Whatever
`_build` would not build as PyYAML does (that, a merge key `<<`, a tag of its own, a key that is not a
scalar, a duplicate key, a value its tag cannot build, a limit passed) and any syntax error go through the
path before (`_parse_slow`), so that the objects, the errors and their lines are the same
(tests/test_yaml_constructor.py).
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from instruct.errors import InputError, Problem
from instruct.yamlcompose import PLAIN_CHARS, BudgetComposer, LimitError, TreeLoader, french, loader_class

MAX_BYTES = 5 * 1024 * 1024  # a dossier.yaml above 5 MB is not a dossier
MAX_DEPTH = BudgetComposer.max_depth  # nested lists and objects
MAX_NODES = BudgetComposer.max_nodes  # values, lists and objects, aliases expanded


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe constructor that refuses duplicate keys: YAML would silently keep the last one."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor`: merged keys may be overridden, that is its purpose
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # a list or a mapping as a key: SafeConstructor says so
            if key in seen:
                raise LimitError(
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


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Loader = loader_class(_Constructor)
_Composer = loader_class(yaml.constructor.BaseConstructor)  # nodes only, for line_index

_KINDS = [
    (stat.S_ISDIR, "c'est un répertoire, pas un fichier"),
    (stat.S_ISFIFO, "c'est un tube (FIFO), pas un fichier ordinaire : il n'est pas lu"),
    (stat.S_ISSOCK, "c'est une socket, pas un fichier ordinaire : elle n'est pas lue"),
    (stat.S_ISCHR, "c'est un périphérique, pas un fichier ordinaire : il n'est pas lu"),
    (stat.S_ISBLK, "c'est un périphérique, pas un fichier ordinaire : il n'est pas lu"),
]


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes (a symbolic link is followed), at most `limit`: anything else is
    refused without blocking (opened non-blocking, checked with fstat before a byte is read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(str(path), [Problem("", "fichier introuvable")]) from None
    except PermissionError:
        raise InputError(str(path), [Problem("", "lecture refusée (droits du fichier)")]) from None
    except OSError as exc:
        raise InputError(str(path), [Problem("", f"fichier illisible (erreur système {exc.errno})")]) from None
    try:
        mode = os.fstat(fd)
        if not stat.S_ISREG(mode.st_mode):
            kind = next((text for test, text in _KINDS if test(mode.st_mode)), "ce n'est pas un fichier ordinaire")
            raise InputError(str(path), [Problem("", kind)])
        if mode.st_size > limit:
            raise InputError(str(path), [_too_big(mode.st_size, limit)])
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise InputError(str(path), [_too_big(size, limit)])
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(str(path), [Problem("", f"fichier illisible (erreur système {exc.errno})")]) from None
    finally:
        os.close(fd)


def _too_big(size: int, limit: int) -> Problem:
    return Problem("", f"fichier trop volumineux ({size} octets, maximum {limit})")


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    try:
        return read_bytes(path, limit).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), [Problem("", f"le fichier n'est pas en UTF-8 (octet {exc.start})")]) from None


def parse(text: str, source: str) -> Any:
    """Parse YAML, or JSON for a `.json` source, safely: InputError in French with the line on a
    syntax error, a document too deep or (YAML) too large once its aliases are expanded."""
    if source.endswith(".json"):
        return parse_json(text, source)
    if TreeLoader is not None and len(text) <= PLAIN_CHARS and not _SHARED_HINT.search(text):
        data = _fast(text)
        if data is not _DECLINED:
            return data
    return _parse_slow(text, source)


def _parse_slow(text: str, source: str) -> Any:
    """Our budgeted composer or libyaml's (yamlcompose), PyYAML's constructor: every text went this way
    before `_fast`, any text `_fast` declines still does (the tests compare both on every YAML file)."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        message, line = french(exc, text)
        raise InputError(source, [Problem("", f"YAML invalide : {message}", line)]) from None
    except (ValueError, TypeError, LookupError, OverflowError, RecursionError):  # !!int x, !!bool peut-être…
        raise InputError(
            source, [Problem("", "YAML invalide : une valeur ne peut pas être lue (étiquette « !! » ?)")]
        ) from None
    finally:
        loader.dispose()


_DECLINED = object()  # _fast's answer for a text left to _parse_slow
# An anchor that may stand for a list or a mapping (`&id001` at the end of a line, `&a [`): _fast would
# decline its alias (a shared node), so such a text goes to _parse_slow at once. A guess made for speed only.
_SHARED_HINT = re.compile(r"&[^\s,\[\]{}]+[ \t]*(?:$|[\n\[{#])")


def _fast(text: str) -> Any:
    """libyaml's composer (a text of at most PLAIN_CHARS: its tree, aliases shared, costs no more than
    its text) and _build, or _DECLINED: any error or anything unusual is left to _parse_slow, so that
    the errors, their lines and the limits are said as before."""
    loader = TreeLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(node)
    except Exception:  # a syntax error, _Declined, a value its tag cannot build: _parse_slow says it
        return _DECLINED
    finally:
        loader.dispose()


class _Declined(Exception):
    """A node `_build` leaves to PyYAML's constructor."""


_TAG = "tag:yaml.org,2002:"
_SAFE = yaml.constructor.SafeConstructor()
_SCALARS = {  # tag -> PyYAML's builder (a text is its value; merge `<<`, value `=` and other tags: _Declined)
    _TAG + "null": _SAFE.construct_yaml_null,
    _TAG + "bool": _SAFE.construct_yaml_bool,
    _TAG + "int": _SAFE.construct_yaml_int,
    _TAG + "float": _SAFE.construct_yaml_float,
    _TAG + "timestamp": _SAFE.construct_scalar,  # dates stay text, as _Constructor.construct_yaml_timestamp
}
_STR, _MAP, _SEQ = _TAG + "str", _TAG + "map", _TAG + "seq"


def _build(root) -> Any:
    """The objects _Constructor (PyYAML's safe constructor, duplicate keys refused, dates as text) builds
    from `root`, or _Declined: for a list or a mapping met twice (an alias: PyYAML would share it; a
    cycle), a tag it does not build, a key that is not a scalar, a duplicate key, and BudgetComposer's
    limits passed (nodes, an alias of a scalar counting one as there; nesting)."""
    nodes, seen = 1, set()

    def build(node, level: int) -> Any:
        nonlocal nodes
        kind, tag = type(node), node.tag
        if kind is ScalarNode:
            if tag == _STR:
                return node.value
            builder = _SCALARS.get(tag)
            if builder is None:
                raise _Declined(tag)
            return builder(node)
        if level > MAX_DEPTH or id(node) in seen:
            raise _Declined("imbrication, ou alias d'une liste ou d'un objet")
        seen.add(id(node))
        nodes += len(node.value) * (2 if kind is MappingNode else 1)
        if nodes > MAX_NODES:
            raise _Declined("taille")
        if kind is SequenceNode and tag == _SEQ:
            return [build(item, level + 1) for item in node.value]
        if kind is not MappingNode or tag != _MAP:
            raise _Declined(tag)
        mapping = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise _Declined("clé non scalaire")
            key = build(key_node, level + 1)
            if key in mapping:
                raise _Declined("clé en double")
            mapping[key] = build(value_node, level + 1)
        return mapping

    return build(root, 1)


_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_JSON_MESSAGES = [
    ("Expecting value", "valeur attendue"),
    ("Expecting property name", "nom de clé entre guillemets doubles attendu"),
    ("Expecting ',' delimiter", "« , » attendu"),
    ("Expecting ':' delimiter", "« : » attendu"),
    ("Extra data", "contenu en trop après la fin du document"),
    ("Unterminated string", "texte entre guillemets non refermé"),
    ("Invalid control character", "caractère de contrôle dans un texte (\\n, \\t… s'écrivent ainsi)"),
    ("Invalid \\uXXXX", "séquence « \\u » invalide (4 chiffres hexadécimaux)"),
    ("Invalid \\escape", "séquence « \\ » invalide"),
]


def parse_json(text: str, source: str, max_depth: int = MAX_DEPTH) -> Any:
    """JSON, its nesting measured on the text first (the parser recurses): InputError in French."""
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > max_depth:
                line = text.count("\n", 0, token.start()) + 1
                message = f"JSON invalide : imbrication trop profonde (plus de {max_depth} niveaux)"
                raise InputError(source, [Problem("", message, line)])
        elif mark in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = next((fr for en, fr in _JSON_MESSAGES if exc.msg.startswith(en)), "syntaxe JSON invalide")
        problem = Problem("", f"JSON invalide : {message} (colonne {exc.colno})", exc.lineno)
        raise InputError(source, [problem]) from None
    except (ValueError, RecursionError):  # an integer of more than 4 300 digits…
        raise InputError(source, [Problem("", "JSON invalide : une valeur ne peut pas être lue")]) from None


def line_index(text: str) -> dict[tuple, int]:
    """Map each path (tuple of keys and indexes) of a YAML document to its 1-based line."""
    loader = _Composer(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return {}
    finally:
        loader.dispose()
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


class LazyLines:
    """`line_index(text)`, composed only when a problem asks for a line: composing a rule file again with
    PyYAML's pure-Python composer cost half of a clean load, and a clean load never needs it."""

    def __init__(self, text: str):
        self._text = text
        self._lines: dict[tuple, int] | None = None

    def __contains__(self, path: tuple) -> bool:
        return path in self.lines

    def __getitem__(self, path: tuple) -> int:
        return self.lines[path]

    @property
    def lines(self) -> dict[tuple, int]:
        if self._lines is None:
            self._lines = line_index(self._text)
        return self._lines


def line_of(lines: dict[tuple, int] | LazyLines, loc: tuple) -> int | None:
    """Line of the deepest known prefix of `loc` (a missing key points at its parent)."""
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in lines:
            return lines[tuple(loc[:end])]
    return None
