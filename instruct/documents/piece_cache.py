"""A piece already read is not read again: its text and what it says (extract.Reading) are kept on disk
(instruct.diskcache, kind « pieces ») under the digest of its bytes, its name (quoted in the report), its
declared kind and town, the package's code and the reader libraries' versions. A town that checks its
dossier again after changing a date, or sends a new version with the same pieces, waits for the check
only: reading the pieces is ~90 % of a check with documents (a fork, pypdfium2 or python-docx, the page
layout, then the reading of its parties, dates, budget and actions).

Only a complete reading is kept: a piece read in full, with text. A reading stopped by a limit (time,
memory, pages), a scanned or damaged file is read again every time: it is cheap, and a limit may change.
The folder is bounded (BUDGET, least recently used pieces removed first)."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from instruct import diskcache
from instruct.documents.read import MAX_BYTES, PieceText, read_piece_isolated

if TYPE_CHECKING:
    from instruct.documents.readings import Reading

KIND = "pieces"
BUDGET = 512 * 1024 * 1024  # bytes of kept readings; a 60-page avenant's reading is ~0.3 MB
# The web service's evaluation workers set it False: a piece of a deleted dossier must not outlive it in a
# cache outside the database (the CLI and the batch read the user's own files).
keep = True
READER_DISTRIBUTIONS = ("pypdf", "pypdfium2", "pdfplumber", "pdfminer.six", "python-docx", "lxml")


@functools.cache
def _readers() -> str:
    """`name=version;…` of the reader libraries, once per process. The version is read in the name of the
    distribution's `NAME-VERSION.dist-info` folder (an upgrade installs a new one, so the key changes), the
    first in sys.path order, as importlib.metadata finds it: one listing per sys.path folder instead of
    importlib.metadata's search and parse of each METADATA file (≈ 15 ms of a warm check). A reader not
    found that way (an egg, a zip) is asked of importlib.metadata."""
    wanted = {_normal(name): name for name in READER_DISTRIBUTIONS}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip, a missing folder
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            dist, dash, version = stem.partition("-")
            if dot and suffix == "dist-info" and dash and version and (key := _normal(dist)) in wanted:
                found.setdefault(key, version)
        if len(found) == len(wanted):
            break
    versions = []
    for key, name in wanted.items():
        version = found.get(key) or _metadata_version(name)
        versions.append(f"{name}={version}")
    return ";".join(versions)


def _normal(name: str) -> str:
    """A distribution's name as its dist-info folder spells it, lower case (PEP 503, `_` for `-` and `.`)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def read_piece_cached(path: Path, kind: str | None, ville: str | None) -> tuple[PieceText, Reading]:
    """The piece's text (`read_piece_isolated`) and what it says (`extract.read(piece, kind, ville)`), or the
    same kept from an earlier command for the same bytes, declared kind and town."""
    if not keep or diskcache.folder(KIND) is None:
        return _read(path, kind, ville)
    try:
        if path.stat().st_size > MAX_BYTES:
            return _read(path, kind, ville)  # it says why it is not read
        data = path.read_bytes()
    except OSError:
        return _read(path, kind, ville)
    described = f"{diskcache.code_digest()}\0{_readers()}\0{path.name}\0{kind}\0{ville}\0"  # quotes name the file
    key = hashlib.sha256(described.encode() + data).hexdigest()
    kept = diskcache.read(KIND, key)
    if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], PieceText):
        return kept
    piece, reading = _read(path, kind, ville)
    if piece.readable and not piece.truncated and not piece.problems:
        diskcache.write(KIND, key, (piece, reading), budget=BUDGET)
    return piece, reading


def _read(path: Path, kind: str | None, ville: str | None) -> tuple[PieceText, Reading]:
    from instruct.documents.extract import read

    piece = read_piece_isolated(path)
    return piece, read(piece, kind, ville)
