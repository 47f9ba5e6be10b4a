"""Which dossiers a batch evaluates: found under the folders given, each with the digest of its
files (its cache key) and, for a remote worker, the files themselves."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from instruct.documents import DOSSIER_FILES
from instruct.errors import InputError, Problem

DOSSIER_SUFFIXES = {".yaml", ".yml", ".json"}
PIECE_SUFFIXES = {".pdf", ".docx"}
MAX_DOSSIERS = 100_000
MAX_SHIPPED = 250 * 1024 * 1024  # a dossier sent to a Dask worker: 200 pieces of a few hundred KB, with room


@dataclass(frozen=True)
class Task:
    label: str  # the dossier as the user names it: its path relative to the folder given
    path: str
    folder: bool
    content: str  # SHA-256 of its files
    files: dict[str, bytes] | None = None  # its files, sent to a remote worker (Dask); None: read `path`
    unreadable: str | None = None  # why its files could not be read here


def discover(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """(label, path) of every dossier under the paths given, in a stable order; `exclude`: folders
    not to search (the batch's own output, when it lies among the dossiers)."""
    skip = {Path(p).resolve() for p in exclude}
    found: list[tuple[str, Path]] = []
    for given in paths:
        given = Path(given)
        if not given.exists():
            raise InputError(str(given), [Problem("", "fichier ou dossier introuvable")])
        if given.is_file() or _is_dossier(given):
            found.append((given.name if given.is_file() else given.resolve().name, given))
            continue
        for path in _walk(given, skip):
            found.append((path.relative_to(given).as_posix(), path))
        if len(found) > MAX_DOSSIERS:
            raise InputError(str(given), [Problem("", f"plus de {MAX_DOSSIERS} dossiers : découpez le lot")])
    labels = [label for label, _ in found]
    if len(set(labels)) != len(labels):  # two folders given with dossiers of the same name
        found = [(f"{path.parent.name}/{label}" if labels.count(label) > 1 else label, path) for label, path in found]
    return found


def _is_dossier(folder: Path) -> bool:
    return (
        any((folder / name).is_file() for name in DOSSIER_FILES)
        or (folder / "pieces").is_dir()
        or any(p.suffix.lower() in PIECE_SUFFIXES for p in folder.iterdir() if p.is_file())
    )


def _walk(folder: Path, skip: set[Path]) -> Iterator[Path]:
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_symlink() or path.resolve() in skip:
            continue
        if path.is_dir():
            yield from ([path] if _is_dossier(path) else _walk(path, skip))
        elif path.suffix.lower() in DOSSIER_SUFFIXES:
            yield path


def dossier_files(path: Path) -> dict[str, Path]:
    """The files a dossier is made of, by relative path (hidden files and links left out, as load does)."""
    if path.is_file():
        return {path.name: path}
    return {
        p.relative_to(path).as_posix(): p
        for p in sorted(path.rglob("*"))
        if p.is_file() and not p.is_symlink() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    }


class FileDigests:
    """The SHA-256 of each file, remembered beside the cache with the file's mtime, ctime, size and inode: an
    unchanged rerun reads no file again; a file whose signature differs in any way is hashed anew."""

    MAX_ENTRIES = 500_000  # beyond, only this run's files are kept

    def __init__(self, path: Path | None):
        self.path = path
        self.known: dict[str, list] = {}
        self.seen: set[str] = set()
        self.changed = False
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                self.known = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                pass  # no memory yet, or a damaged one: everything is hashed

    def digest(self, file: Path) -> bytes:
        st = file.stat()
        key = str(file.resolve())
        signature = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
        self.seen.add(key)
        known = self.known.get(key)
        if isinstance(known, list) and len(known) == 2 and known[0] == signature:
            return bytes.fromhex(known[1])
        with open(file, "rb") as f:
            digest = hashlib.file_digest(f, "sha256").digest()
        self.known[key] = [signature, digest.hex()]
        self.changed = True
        return digest

    def save(self) -> None:
        """Written whole then renamed; a failure to write only costs the next run its shortcut."""
        if self.path is None or not self.changed:
            return
        if len(self.known) > self.MAX_ENTRIES:
            self.known = {key: value for key, value in self.known.items() if key in self.seen}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".empreintes-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.known, f, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            pass


def content_hash(files: dict[str, Path], digests: FileDigests | None = None) -> str:
    """Read in blocks: a stray video in a town's folder is hashed, not loaded into memory."""
    h = hashlib.sha256()
    for name in sorted(files):
        if digests is not None:
            h.update(name.encode() + b"\0" + digests.digest(files[name]))
            continue
        with open(files[name], "rb") as f:
            h.update(name.encode() + b"\0" + hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()


def make_tasks(found: list[tuple[str, Path]], *, digests: FileDigests | None = None) -> list[Task]:
    """Each dossier with the digest of its files; its bytes are read only when it is sent (`shipped`)."""
    tasks = []
    for label, path in found:
        unreadable = None
        try:
            content = content_hash(dossier_files(path), digests)
        except OSError as exc:
            content = hashlib.sha256(label.encode()).hexdigest()
            unreadable = f"lecture impossible de {exc.filename or path} ({exc.strerror})"
        tasks.append(Task(label, str(path), path.is_dir(), content, None, unreadable))
    return tasks


def shipped(task: Task) -> Task:
    """The task with its files, for a remote worker (Dask): at most MAX_SHIPPED bytes. Read when the task is
    submitted, not when the batch starts: only the few tasks in flight hold their bytes, whatever the number
    of towns."""
    if task.unreadable:
        return replace(task, files={})
    if not Path(task.path).exists():
        return replace(task, files={}, unreadable="fichier ou dossier introuvable")
    try:
        files = dossier_files(Path(task.path))
        size = sum(f.stat().st_size for f in files.values())
        if size > MAX_SHIPPED:
            return replace(
                task,
                files={},
                unreadable=f"dossier trop volumineux pour être envoyé ({size} octets, maximum {MAX_SHIPPED})",
            )
        return replace(task, files={name: f.read_bytes() for name, f in files.items()})
    except OSError as exc:
        return replace(task, files={}, unreadable=f"lecture impossible de {exc.filename or task.path} ({exc.strerror})")


def task_key(task: Task, settings_digest: str) -> str:
    """The label is in the key: the row and the messages name the dossier by it."""
    return hashlib.sha256(f"{task.label}\0{task.content}\0{settings_digest}".encode()).hexdigest()
