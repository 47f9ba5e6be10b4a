"""Reading the pieces a town sends (PDF: read_pdf, DOCX: read_docx) into their structure: blocks
of text in reading order (paragraphs, lines, table rows), headings, tables, each with where it
was found. A bad file is a finding, never a crash: corrupt, encrypted, scanned (no text), too
big, a zip bomb, too long to read.

Limits: MAX_BYTES per file, MAX_PAGES per PDF, MAX_SECONDS per document, and for a DOCX the
total uncompressed size and compression ratio of the archive. python-docx parses its XML
without resolving entities (its parser sets resolve_entities=False).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 300
MAX_SECONDS = 20.0
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMORY = 1024 * 1024 * 1024  # address space one reading may add, in bytes
GRACE_SECONDS = 5.0  # after MAX_SECONDS, a reading that has not stopped by itself is killed


@dataclass(frozen=True)
class Block:
    """One paragraph (DOCX), one line or re-joined paragraph (PDF), or one table row, in reading
    order. A table row's `text` is its cells joined by « | »."""

    text: str
    where: str  # French, for the evidence: "page 3", "paragraphe 12", "tableau 2, ligne 3"
    page: int | None = None  # PDF page, from 1
    heading: int = 0  # 0: body text; 1, 2…: a heading's level (style, outline level, font, bold)
    number: str = ""  # an automatic number shown before the text and absent from it ("Article 3", "II.", "2.1")
    cells: tuple[str, ...] = ()  # a table row, or a PDF line drawn in separate columns: its cells, left to right

    @property
    def shown(self) -> str:
        """The text as the reader sees it, with its automatic number."""
        return f"{self.number} {self.text}" if self.number else self.text


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    where: str  # "tableau 2, ligne 3" / "page 4, tableau 1, ligne 3"


@dataclass
class Table:
    where: str
    rows: list[Row]


@dataclass
class PieceText:
    file: str
    kind: str  # pdf | docx
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # French, for the report
    truncated: bool = False

    pages: int = 0  # PDF: pages in the file
    reader: str = ""  # which reader read it (for the benchmark): "pypdfium2", "pdfplumber", "python-docx"…

    @property
    def readable(self) -> bool:
        return bool(self.blocks)

    def lines(self) -> list[tuple[str, str]]:
        """(line, where) over the running text, automatic numbers included; table rows are read apart."""
        return [
            (line.strip(), b.where) for b in self.blocks if not b.cells for line in b.shown.splitlines() if line.strip()
        ]


def read_piece(path: str | Path) -> PieceText:
    path = Path(path)
    suffix = path.suffix.lower()
    kind = {".pdf": "pdf", ".docx": "docx"}.get(suffix)
    piece = PieceText(path.name, kind or suffix.lstrip("."))
    if kind is None:
        piece.problems.append("format non lu : seuls les PDF et DOCX sont lus")
        return piece
    size = path.stat().st_size
    if size > MAX_BYTES:
        piece.problems.append(f"fichier trop volumineux ({size} octets, maximum {MAX_BYTES})")
        return piece
    if kind == "pdf":
        from instruct.documents.read_pdf import read_pdf

        read_pdf(path, piece)
    else:
        from instruct.documents.read_docx import read_docx

        read_docx(path, piece)
    if not piece.blocks and not piece.problems:
        piece.problems.append("document scanné : pas de texte" if kind == "pdf" else "document sans texte")
    return piece


# What reading a kind of piece imports: once by the reading child, before its memory is limited; and by this
# process before forking a child for one piece (`_read_once`), which then starts with it (each child importing
# pypdfium2, pdfplumber or python-docx again cost ~100 ms a piece).
READER_LIBRARIES = {
    ".pdf": ("instruct.documents.read_pdf", "pypdfium2", "pypdfium2.raw", "pdfplumber", "pypdf"),
    ".docx": ("instruct.documents.read_docx", "docx"),
}


@functools.cache
def preload_readers(suffix: str) -> None:
    """Import the reader of `suffix` (« .pdf », « .docx ») and its libraries into this process, once."""
    for name in READER_LIBRARIES.get(suffix, ()):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def read_piece_isolated(path: str | Path) -> PieceText:
    """`read_piece` in a child process, with a memory limit and a hard time limit: a document that makes
    the reader loop or swell stops alone, and says so. The child is a plain fork (it starts at once with
    everything loaded), not multiprocessing: it also works inside a daemonic worker (a Dask worker, a
    pool's process). Without fork the reading stays in this process.

    One child reads the pieces one after another (`_Reader`): forking one per piece cost about 25 ms of
    CPU a piece. A piece that fails in a child that has read others before (its memory, a crash) is read
    again in a child of its own (`_read_once`), so that no piece pays for another."""
    path = Path(path)
    if not hasattr(os, "fork"):
        return read_piece(path)
    if not _READER_LOCK.acquire(blocking=False):  # another thread is reading: a child of its own
        return _read_once(path)
    try:
        global _reader
        wanted = _reader_signature()
        if _reader is None or _reader.signature != wanted:
            if _reader is not None:
                _reader.stop()
            _reader = _Reader(wanted)
            _end_with_this_process()
        piece, fresh = _reader.read(path)
        if not _reader.alive:
            _reader = None
        if piece is None or (not fresh and piece.problems[-1:] == [_memory_problem()]):
            return _read_once(path)
        return piece
    finally:
        _READER_LOCK.release()


def _read_once(path: Path) -> PieceText:
    """`read_piece` in a child of its own, for this piece alone."""
    with _FORK_LOCK:
        preload_readers(path.suffix.lower())
    receiver, sender = os.pipe()
    pid = _fork()
    if pid == 0:  # the child: read, send, and leave without running the parent's exit handlers
        code = 0
        try:
            _keep_only(sender)
            _send(sender, _read_limited(path))
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(sender)
    try:
        piece, timed_out = _answer(receiver, time.monotonic() + MAX_SECONDS + GRACE_SECONDS)
    finally:
        os.close(receiver)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    exitcode = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if piece is not None and exitcode == 0:
        return piece
    return _stopped(path, not timed_out, exitcode)


_FORK_LOCK = threading.Lock()


def _fork() -> int:
    """os.fork, never while another thread imports a reader here (`_read_once`): a module half imported at the
    fork stays locked in the child, whose reading then waits until it is killed."""
    with _FORK_LOCK:
        return os.fork()


def _stopped(path: Path, finished: bool, exitcode: int) -> PieceText:
    piece = PieceText(path.name, path.suffix.lower().lstrip("."))
    if not finished:
        piece.problems.append(f"lecture interrompue après {MAX_SECONDS + GRACE_SECONDS:.0f} s")
    else:
        piece.problems.append(f"lecture impossible : le lecteur s'est arrêté (code {exitcode})")
    return piece


# --- one child for many pieces ------------------------------------------------------------------

RETIRE_GROWTH = 256 * 1024 * 1024  # a reading child that has grown by this much leaves after its answer
_HEADER = struct.Struct("!Q")
_READER_LOCK = threading.Lock()
_reader: _Reader | None = None


def _reader_signature() -> tuple:
    """What a child keeps from the moment it was forked: a change (a test's) needs a new child."""
    return (read_piece, MAX_MEMORY)


class _Reader:
    """A child that reads the pieces it is sent, one at a time, under the same limits as a child of its own:
    its address space limited to what it had plus MAX_MEMORY, each reading timed by the parent and killed
    past MAX_SECONDS + GRACE_SECONDS. It leaves after a memory error or once it has grown by RETIRE_GROWTH,
    and when this process closes its end (exit)."""

    def __init__(self, signature: tuple):
        self.signature = signature
        self.owner = os.getpid()
        self.served = 0
        requests, self._requests = os.pipe()
        self._replies, replies = os.pipe()
        self.pid = _fork()
        if self.pid == 0:
            code = 0
            try:
                _keep_only(requests, replies)
                _serve(requests, replies)
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        os.close(requests)
        os.close(replies)
        self.alive, self.reaped = True, False

    def read(self, path: Path) -> tuple[PieceText | None, bool]:
        """The piece, and whether this child read nothing before it; None when the child stopped without
        answering (it is then read again in a child of its own)."""
        fresh = self.served == 0
        self.served += 1
        name = os.fsencode(os.path.abspath(path))  # the child keeps the directory it was forked in
        try:
            os.write(self._requests, _HEADER.pack(len(name)) + name)
        except OSError:  # the child is gone
            self.stop()
            return None, fresh
        answer, timed_out = _answer(self._replies, time.monotonic() + MAX_SECONDS + GRACE_SECONDS)
        if answer is None:
            self.stop()
            return (_stopped(path, False, 0) if timed_out else None), fresh
        piece, retiring = answer
        if retiring:
            self.stop()
        return piece, fresh

    def stop(self) -> None:
        """The child killed (it may be reading) and reaped, unless it has left; its pipes closed."""
        if not self.alive:
            return
        self.alive = False
        self.close_requests()
        with contextlib.suppress(OSError):
            os.close(self._replies)
        if os.getpid() == self.owner and not self.reaped:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.reaped = True

    def close_requests(self) -> None:
        """No more pieces: the child reads the end of its requests and leaves."""
        if self._requests >= 0:
            with contextlib.suppress(OSError):
                os.close(self._requests)
            self._requests = -1

    def left(self, seconds: float) -> bool:
        """Whether the child has left within `seconds` (reaped if so)."""
        until = time.monotonic() + seconds
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > until:
                    return False
                time.sleep(0.01)
        self.reaped = True
        return True


def _serve(requests: int, replies: int) -> None:
    """The reading child's loop: a path, then its PieceText, until this process's parent closes its end."""
    _limit_memory()
    start = _address_space()
    loaded = set()
    while True:
        header, finished = _receive_exactly(requests, _HEADER.size, None)
        if not finished:
            return
        name, finished = _receive_exactly(requests, _HEADER.unpack(header)[0], None)
        if not finished:
            return
        path = Path(os.fsdecode(name))
        if path.suffix.lower() not in loaded:  # the reader's libraries are not the piece's memory
            loaded.add(path.suffix.lower())
            before = _address_space()
            preload_readers(path.suffix.lower())
            start += _address_space() - before
            _limit_memory()
        piece = _read_reporting_memory(path)
        retiring = piece.problems[-1:] == [_memory_problem()] or _address_space() - start > RETIRE_GROWTH
        _send(replies, (piece, retiring))
        if retiring:
            return


_ending_registered = 0  # the pid that registered _end_reader to run at its exit


def _end_with_this_process() -> None:
    """_end_reader at this process's exit, once per process: by atexit, and by multiprocessing's finalizers in a
    pool's or a worker's process (which leaves by os._exit, without atexit). The child is then reaped here, so
    that its CPU counts in this process's children (what the benchmarks read) and no orphan is left."""
    global _ending_registered
    if _ending_registered == os.getpid():
        return
    _ending_registered = os.getpid()
    atexit.register(_end_reader)
    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        util.Finalize(None, _end_reader, exitpriority=10)


def _end_reader() -> None:
    """The reading child told to leave (its requests closed), given two seconds, then killed; reaped."""
    reader = _reader
    if reader is None or not reader.alive or reader.owner != os.getpid():
        return
    reader.close_requests()
    reader.left(2.0)
    reader.stop()


def _forget_reader() -> None:
    """In a forked child of this process: the parent's reader is the parent's (its pipes closed here, the
    reading child left alone), and the locks new (a thread of the parent may have held them at the fork)."""
    global _reader, _READER_LOCK, _FORK_LOCK
    _READER_LOCK, _FORK_LOCK = threading.Lock(), threading.Lock()
    if _reader is not None:
        _reader.stop()
        _reader = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_reader)


def _keep_only(*fds: int) -> None:
    """In a child just forked: every file descriptor closed but stdio and `fds`. A child keeping a copy of
    another's pipe, or of a server's sockets, would hold them open: a reading never seen to end, a connection
    the server closed still open for its client."""
    low = 3
    for fd in sorted(fds):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)


def _send(fd: int, answer: object) -> None:
    """`answer` pickled, after its length: the reader knows when it has all of it, whoever else holds the pipe."""
    data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _answer(fd: int, deadline: float) -> tuple[object | None, bool]:
    """What a child `_send`s, and whether the deadline passed first; None when the child stopped before its
    whole answer (or sent something that does not unpickle)."""
    header, finished = _receive_exactly(fd, _HEADER.size, deadline)
    if finished:
        data, finished = _receive_exactly(fd, _HEADER.unpack(header)[0], deadline)
    if not finished:
        return None, time.monotonic() >= deadline
    try:
        return pickle.loads(data), False
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None, False


def _receive_exactly(fd: int, size: int, deadline: float | None) -> tuple[bytes, bool]:
    """`size` bytes from `fd` (True), or what came before the end or the deadline (False)."""
    chunks, left = [], size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                return b"".join(chunks), False
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks), True


def _read_limited(path: Path) -> PieceText:
    _limit_memory()
    return _read_reporting_memory(path)


def _limit_memory() -> None:
    """This process's address space limited to what it has now plus MAX_MEMORY."""
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + MAX_MEMORY
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (ImportError, ValueError, OSError):
        pass


def _memory_problem() -> str:
    return f"lecture arrêtée : plus de {MAX_MEMORY // (1024 * 1024)} Mio de mémoire"


def _read_reporting_memory(path: Path) -> PieceText:
    try:
        return read_piece(path)
    except MemoryError:
        piece = PieceText(path.name, path.suffix.lower().lstrip("."))
        piece.problems.append(_memory_problem())
        return piece


def _address_space() -> int:
    """This process's virtual memory size, in bytes (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0
