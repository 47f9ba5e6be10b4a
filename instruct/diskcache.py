"""Results kept on disk between commands, so that a command does not redo what an earlier one did with the
same inputs and the same code: the compiled rule catalogue (rules.compiled), the pieces already read
(documents.piece_cache). One folder per kind under `$ACV_CACHE` (default `~/.cache/acv-instruct`;
`ACV_CACHE=0` turns every kind off), one file per key; a key that changes is a new file, nothing is updated
in place.

The files are pickles, so a file is read only from a folder and a file owned by this user and writable by
no one else, and written whole then renamed; anything unexpected (missing, damaged, foreign, from another
version) means: compute again. A kind given a size budget is pruned after a write, least recently used
first (a hit touches its file)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent


def folder(kind: str) -> Path | None:
    raw = os.environ.get("ACV_CACHE")
    if raw == "0":
        return None
    base = Path(raw) if raw else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "acv-instruct"
    return base / kind


@functools.cache
def code_digest() -> str:
    """The Python version and the package's code (each module's path, size and modification time: an edit
    or an upgrade changes it), once per process."""
    modules: list[str] = []
    _modules(str(PACKAGE), "", modules)
    return hashlib.sha256("".join([f"{sys.version}\0", *sorted(modules)]).encode()).hexdigest()


def _modules(folder: str, prefix: str, out: list[str]) -> None:
    """`path\0mtime\0size` of every .py below `folder` (os.scandir: 4× faster than Path.rglob)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                _modules(entry.path, f"{prefix}{entry.name}/", out)
            elif entry.name.endswith(".py"):
                st = entry.stat()
                out.append(f"{prefix}{entry.name}\0{st.st_mtime_ns}\0{st.st_size}\n")


def _trusted(path: Path) -> bool:
    """Owned by this user and writable by no one else: what someone else could have written is never unpickled."""
    st = path.stat()
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(kind: str, key: str) -> Any | None:
    where = folder(kind)
    if where is None:
        return None
    path = where / f"{key}.pickle"
    try:
        if not (_trusted(where) and _trusted(path)):
            return None
        with open(path, "rb") as f:
            value = pickle.load(f)
    except Exception:  # missing, damaged or from an incompatible version: computed again
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return value


def write(kind: str, key: str, value: Any, budget: int | None = None) -> None:
    """Keep `value` under `key`; with a `budget` (bytes), then remove the least recently used files of this
    kind until it holds again (down to 80 % of it, so that not every write prunes)."""
    where = folder(kind)
    if where is None:
        return
    import tempfile  # on a write only: a command that finds what it needs never pays it

    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ecriture-", dir=where)
    except OSError:
        return  # a read-only home costs the next command its shortcut, nothing else
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, where / f"{key}.pickle")
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return
    if budget is not None:
        _prune(where, budget)


def _prune(where: Path, budget: int) -> None:
    files = []
    for path in where.glob("*.pickle"):
        with contextlib.suppress(OSError):
            st = path.stat()
            files.append((st.st_mtime_ns, st.st_size, path))
    total = sum(size for _, size, _ in files)
    if total <= budget:
        return
    for _, size, path in sorted(files):
        if total <= budget * 0.8:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
