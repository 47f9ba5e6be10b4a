"""The compiled catalogue kept on disk, so that a command does not read and validate every rule file again
(≈ 150 ms of a cold `acv check`): one file per key, the key being the digest of the rule files, their folder,
the package's code (each module's path, size and modification time: an edit or an upgrade changes it) and the
Python version. A key that changes is a new file; nothing is ever updated in place.

The cache folder is `$ACV_CACHE/catalogue` (default `~/.cache/acv-instruct/catalogue`); `ACV_CACHE=0` turns it off.
The file is a pickle, so it is read only from a folder and a file owned by this user and writable by no one
else, and written whole then renamed; anything unexpected (missing, damaged, foreign) means: compile again."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path | None:
    raw = os.environ.get("ACV_CACHE")
    if raw == "0":
        return None
    base = Path(raw) if raw else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "acv-instruct"
    return base / "catalogue"


def key_of(directory: Path, rules_digest: str) -> str:
    h = hashlib.sha256(f"{sys.version}\0{directory.resolve()}\0{rules_digest}\0".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.relative_to(PACKAGE)}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    return h.hexdigest()


def _trusted(path: Path) -> bool:
    """Owned by this user and writable by no one else: what someone else could have written is never unpickled."""
    st = path.stat()
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(key: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}.pickle"
    try:
        if not (_trusted(folder) and _trusted(path)):
            return None
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, damaged or from an incompatible version: compiled again
        return None


def write(key: str, catalogue: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".catalogue-", dir=folder)
    except OSError:
        return  # a read-only home costs the next command its shortcut, nothing else
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(catalogue, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pickle")
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
