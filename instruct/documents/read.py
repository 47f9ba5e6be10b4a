"""Reading the pieces a town sends (PDF, DOCX): text and tables with where they were found, and
the French ways of writing dates in running text (amounts: french.find_amount). A bad file is
a finding, never a crash: corrupt, encrypted, scanned (no text), too big, a zip bomb, too long
to read.

Limits: MAX_BYTES per file, MAX_PAGES per PDF, MAX_SECONDS per document, and for a DOCX the
total uncompressed size and compression ratio of the archive. python-docx parses its XML
without resolving entities (its parser sets resolve_entities=False).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
import re
import select
import signal
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from instruct.documents.tables import Fragment, collector, page_tables
from instruct.french import MOIS, parse_date

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 300
MAX_SECONDS = 20.0
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMORY = 1024 * 1024 * 1024  # address space one reading may add, in bytes
GRACE_SECONDS = 5.0  # after MAX_SECONDS, a reading that has not stopped by itself is killed


@dataclass(frozen=True)
class Block:
    text: str
    where: str  # "page 3", "paragraphe 12", "tableau 2, ligne 3"


# Column headings of the tables of actions (convention's phase d'initialisation, avenant's plan
# d'actions): column -> pattern on the normalised heading.
TABLE_COLUMNS = {
    "id": r"^(n°|no|n|numero|ref|reference|id|code)\.?$",
    "intitule": r"intitule|^action|operation|^objet",
    "maitre_ouvrage": r"maitre d'ouvrage|maitrise d'ouvrage|porteur",
    "calendrier": r"calendrier|echeancier|periode",
    "cout": r"cout|montant|budget",
    "financeurs": r"financeurs?|financements?",
}


def table_columns(header: list[str] | tuple[str, ...]) -> dict[str, int]:
    """Which column holds what, from the header row's cells."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = normal(cell)
        for name, pattern in TABLE_COLUMNS.items():
            if name not in found and re.search(pattern, text):
                found[name] = index
                break
    return found


def looks_like_header(cells: list[str]) -> bool:
    columns = table_columns(cells)
    return "intitule" in columns and len(columns) >= 3


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

    @property
    def readable(self) -> bool:
        return bool(self.blocks)


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
    (_read_pdf if kind == "pdf" else _read_docx)(path, piece)
    if not piece.blocks and not piece.problems:
        piece.problems.append("document scanné : pas de texte" if kind == "pdf" else "document sans texte")
    return piece


def read_piece_isolated(path: str | Path) -> PieceText:
    """`read_piece` in a child process of its own, with a memory limit and a hard time limit: a
    document that makes the reader loop or swell stops alone, and says so. A plain fork (the child
    starts at once with everything loaded), not multiprocessing: it also works inside a daemonic
    worker (a Dask worker, a pool's process). Without fork the reading stays in this process."""
    path = Path(path)
    if not hasattr(os, "fork"):
        return read_piece(path)
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


def _read_pdf(path: Path, piece: PieceText) -> None:
    """pypdf's own warnings (a damaged cross-reference table…) stay quiet: what matters to the
    user is in piece.problems."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        _read_pdf_pages(path, piece)
    finally:
        logger.setLevel(level)


def _read_pdf_pages(path: Path, piece: PieceText) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    start = time.monotonic()
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            piece.problems.append("PDF chiffré : fournir une version non protégée")
            return
        pages = reader.pages
        count = len(pages)
        for number in range(min(count, MAX_PAGES)):
            if time.monotonic() - start > MAX_SECONDS:
                piece.truncated = True
                piece.problems.append(f"lecture arrêtée après {MAX_SECONDS:.0f} s, à la page {number}")
                return
            fragments: list[Fragment] = []
            text = pages[number].extract_text(visitor_text=collector(fragments)) or ""
            if text.strip():
                piece.blocks.append(Block(text, f"page {number + 1}"))
            for t, rows in enumerate(page_tables(fragments, number + 1, is_header=looks_like_header), 1):
                where = f"page {number + 1}, tableau {t}"
                piece.tables.append(
                    Table(where, [Row(tuple(cells), f"{where}, ligne {r}") for r, cells in enumerate(rows, 1)])
                )
        if count > MAX_PAGES:
            piece.truncated = True
            piece.problems.append(f"document de {count} pages : seules les {MAX_PAGES} premières sont lues")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        damage = _pdf_damage(path, exc)
        if piece.blocks:  # the pages before the damage were read
            piece.truncated = True
            piece.problems.append(f"{damage} : lecture arrêtée après la page {piece.blocks[-1].where.split()[-1]}")
        else:
            piece.problems.append(f"{damage} : rien n'a pu être lu")


def _pdf_damage(path: Path, exc: Exception) -> str:
    """What is wrong with a PDF, in words a town understands (never an exception's name)."""
    try:
        with path.open("rb") as file:
            head = file.read(1024)
            file.seek(max(0, path.stat().st_size - 2048))
            tail = file.read()
    except OSError:
        return "PDF inaccessible"
    if not head.lstrip().startswith(b"%PDF-"):
        return "fichier nommé .pdf qui n'est pas un PDF"
    if b"%%EOF" not in tail:
        return "PDF endommagé (fin de fichier manquante : fichier tronqué, à déposer à nouveau)"
    if "xref" in str(exc).casefold():
        return "PDF endommagé (table des objets illisible)"
    return "PDF endommagé (structure interne illisible)"


def _read_docx(path: Path, piece: PieceText) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unzipped = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
                piece.problems.append(
                    f"archive DOCX suspecte (taille décompressée {unzipped} octets, "
                    f"rapport {unzipped // packed}) : non lue"
                )
                return
    except zipfile.BadZipFile:
        piece.problems.append("DOCX illisible ou corrompu (archive invalide)")
        return
    from docx import Document

    try:
        document = Document(str(path))
    except Exception:  # python-docx raises several types on a malformed package
        piece.problems.append("DOCX illisible : son contenu (document.xml) ne peut être lu")
        return
    for number, paragraph in enumerate(document.paragraphs, 1):
        if paragraph.text.strip():
            piece.blocks.append(Block(paragraph.text, f"paragraphe {number}"))
    for t, table in enumerate(document.tables, 1):
        rows = []
        for r, row in enumerate(table.rows, 1):
            cells = tuple(" ".join(c.text.split()) for c in row.cells)
            if any(cells):
                piece.blocks.append(Block(" | ".join(cells), f"tableau {t}, ligne {r}"))
                rows.append(Row(cells, f"tableau {t}, ligne {r}"))
        piece.tables.append(Table(f"tableau {t}", rows))


# --- what is read from the text -----------------------------------------------------------------


def normal(text: str) -> str:
    """Lower case, no accents, single spaces, typographic quotes and dashes folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("–", "-").replace("—", "-").replace("\u202f", " ").replace("\xa0", " ")
    return " ".join(text.lower().split())


# A heading, whatever its numbering: "Article 5 –", "V.", "5.2", "Annexe 1 –".
HEADING = re.compile(
    r"^\s*((article|titre|chapitre|partie|annexe)\s+\w+|[ivxlc]+\.|\d+(\.\d+)*\.?)\s*[-:.–]?\s*", re.IGNORECASE
)


# Month names as `normal` writes them ("fevrier", "aout"), from french.MOIS.
MONTHS = {normal(name): number for number, name in enumerate(MOIS, 1)}
DATE_WORDS = re.compile(r"\b(\d{1,2})(?:er)? (" + "|".join(MONTHS) + r") (\d{4})\b")
DATE_NUM = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


def dates(text: str) -> list[dt.date]:
    """Dates in running text: « 1er février 2019 », « 28 septembre 2018 », then « 28/09/2018 »."""
    out = []
    plain = normal(text)
    for d, m, y in DATE_WORDS.findall(plain):
        try:
            out.append(dt.date(int(y), MONTHS[m], int(d)))
        except ValueError:
            continue
    for written in DATE_NUM.findall(plain):
        try:
            out.append(parse_date(written))
        except ValueError:
            continue
    return out
