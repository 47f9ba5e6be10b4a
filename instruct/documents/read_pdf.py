"""Reading a PDF: text by page, and the tables of actions rebuilt from where the text is drawn."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from instruct.documents.columns import looks_like_header
from instruct.documents.read import MAX_PAGES, MAX_SECONDS, Block, PieceText, Row, Table
from instruct.documents.tables import Fragment, collector, page_tables


def read_pdf(path: Path, piece: PieceText) -> None:
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
