"""The compiled catalogue kept on disk (instruct.diskcache, kind « catalogue »), so that a command does not
read and validate every rule file again (≈ 150 ms of a cold `acv check`): the key is the digest of the rule
files, their folder, and the package's code and Python version (diskcache.code_digest)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from instruct import diskcache

KIND = "catalogue"


def cache_dir() -> Path | None:
    return diskcache.folder(KIND)


def key_of(directory: Path, rules_digest: str) -> str:
    return hashlib.sha256(f"{diskcache.code_digest()}\0{directory.resolve()}\0{rules_digest}".encode()).hexdigest()


def read(key: str) -> Any | None:
    return diskcache.read(KIND, key)


def write(key: str, catalogue: Any) -> None:
    diskcache.write(KIND, key, catalogue)
