"""Where uploads are unpacked: each server process's own directory in the OS's temporary directory,
removed on every path (a `finally` for each evaluation, a sweep at start-up for the directories of
services that died: a kill -9 runs no `finally`)."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no lock, no sweep
    fcntl = None


class Scratch:
    """A server process's own directory under `root` (`acv-instruct-<uid>` in the OS's temporary
    directory), locked (flock) for the process's life: each evaluation unpacks into an `acv-` folder
    there and removes it in a `finally`. A process killed mid-evaluation leaves its directory
    unlocked (the kernel drops the lock), and the next service to start removes it: only directories
    of dead services, under `root`, are ever removed, never another program's files."""

    def __init__(self, root: Path):
        self.pid = os.getpid()
        self.root = _own_directory(root)
        self.swept = self.sweep()
        handle, lock = tempfile.mkstemp(prefix="service-", suffix=".verrou", dir=self.root)
        self._lock = os.fdopen(handle, "w")
        if fcntl is not None:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.dir = Path(lock).with_suffix("")
        self.dir.mkdir(mode=0o700)
        atexit.register(self.close)  # a clean exit leaves nothing; a kill, the sweep of the next start

    def sweep(self) -> list[Path]:
        """Remove the directories of services that are no longer running (their lock is free)."""
        removed = []
        for lock in sorted(self.root.glob("service-*.verrou")) if fcntl is not None else []:
            try:
                with open(lock, "a") as handle:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    shutil.rmtree(lock.with_suffix(""), ignore_errors=True)
                    lock.unlink(missing_ok=True)
                    removed.append(lock.with_suffix(""))
            except OSError:  # held: that service is running
                continue
        return removed

    @contextlib.contextmanager
    def folder(self) -> Iterator[Path]:
        """A new empty `acv-` folder, removed on the way out whatever happens."""
        self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # a temp cleaner may have taken it
        path = Path(tempfile.mkdtemp(prefix="acv-", dir=self.dir))
        try:
            yield path
        finally:
            remove(path)

    def close(self) -> None:
        if os.getpid() != self.pid or self._lock.closed:  # a forked child's copy, or closed already
            return
        shutil.rmtree(self.dir, ignore_errors=True)
        Path(f"{self.dir}.verrou").unlink(missing_ok=True)
        self._lock.close()


def _own_directory(root: Path) -> Path:
    """`root`, made private to this user; a fresh directory if `root` is someone else's or a link."""
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(root)
        if not stat.S_ISLNK(info.st_mode) and stat.S_ISDIR(info.st_mode) and info.st_uid == _uid():
            return root
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="acv-instruct-"))


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else -1


_SCRATCH: list[Scratch] = []
_SCRATCH_LOCK = threading.Lock()


def scratch() -> Scratch:
    """This process's Scratch, made (and stale ones swept) on first use: the app makes it at start."""
    with _SCRATCH_LOCK:
        if not _SCRATCH or _SCRATCH[-1].pid != os.getpid():
            _SCRATCH.append(Scratch(Path(tempfile.gettempdir()) / f"acv-instruct-{_uid()}"))
        return _SCRATCH[-1]


def remove(folder: Path | str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
