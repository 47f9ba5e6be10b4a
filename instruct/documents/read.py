"""Reading the pieces a town sends (PDF: read_pdf, DOCX: read_docx) into their structure: blocks
of text in reading order (paragraphs, lines, table rows), headings, tables, each with where it
was found. A bad file is a finding, never a crash: corrupt, encrypted, scanned (no text), too
big, a zip bomb, too long to read.

Limits: MAX_BYTES per file, MAX_PAGES per PDF, MAX_SECONDS per document, and for a DOCX the
total uncompressed size and compression ratio of the archive. python-docx parses its XML
without resolving entities (its parser sets resolve_entities=False).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import pickle
import select
import signal
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


# What reading a kind of piece imports: imported once in the parent before the fork, so that every child
# starts with it (each child importing pypdfium2, pdfplumber or python-docx again cost ~100 ms a piece).
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
    """`read_piece` in a child process of its own, with a memory limit and a hard time limit: a
    document that makes the reader loop or swell stops alone, and says so. A plain fork (the child
    starts at once with everything loaded), not multiprocessing: it also works inside a daemonic
    worker (a Dask worker, a pool's process). Without fork the reading stays in this process."""
    path = Path(path)
    if not hasattr(os, "fork"):
        return read_piece(path)
    preload_readers(path.suffix.lower())
    receiver, sender = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, send, and leave without running the parent's exit handlers
        code = 0
        try:
            os.close(receiver)
            with os.fdopen(sender, "wb") as out:
                out.write(pickle.dumps(_read_limited(path), protocol=pickle.HIGHEST_PROTOCOL))
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(sender)
    data, finished = _receive(receiver, time.monotonic() + MAX_SECONDS + GRACE_SECONDS)
    if not finished:
        os.kill(pid, signal.SIGKILL)
    exitcode = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if finished and exitcode == 0:
        try:
            return pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, ValueError):
            pass
    piece = PieceText(path.name, path.suffix.lower().lstrip("."))
    if not finished:
        piece.problems.append(f"lecture interrompue après {MAX_SECONDS + GRACE_SECONDS:.0f} s")
    else:
        piece.problems.append(f"lecture impossible : le lecteur s'est arrêté (code {exitcode})")
    return piece


def _receive(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes until it closes the pipe (True), or what came by the deadline (False)."""
    chunks = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return b"".join(chunks), False
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)
    finally:
        os.close(fd)


def _read_limited(path: Path) -> PieceText:
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + MAX_MEMORY
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (ImportError, ValueError, OSError):
        pass
    try:
        return read_piece(path)
    except MemoryError:
        piece = PieceText(path.name, path.suffix.lower().lstrip("."))
        piece.problems.append(f"lecture arrêtée : plus de {MAX_MEMORY // (1024 * 1024)} Mio de mémoire")
        return piece


def _address_space() -> int:
    """This process's virtual memory size, in bytes (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0
