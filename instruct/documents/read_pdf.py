"""Reading a PDF with PDFium (pypdfium2): the running text by page as blocks (paragraphs, headings,
lines drawn in columns), without running headers, footers and page numbers; the tables rebuilt
from where the text is drawn, and read by pdfplumber on the pages that hold one (pdfplumber is
far slower: it never reads the other pages)."""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from instruct.documents.columns import looks_like_header
from instruct.documents.pdf_layout import (
    Fragment,
    Line,
    document_style,
    drop_running,
    joined,
    page_blocks,
    page_fragments,
    page_lines,
)
from instruct.documents.read import MAX_PAGES, MAX_SECONDS, Block, PieceText, Row, Table
from instruct.documents.tables import Found, aligned, continued_table, page_tables

ENCRYPTED = "PDF chiffré : fournir une version non protégée"


def read_pdf(path: Path, piece: PieceText) -> None:
    """Never raises: what is wrong with the file goes to piece.problems, in French."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with path.open("rb") as file:
            head = file.read(1024)
    except OSError:
        piece.problems.append("PDF inaccessible")
        return
    if b"%PDF-" not in head:
        piece.problems.append("fichier nommé .pdf qui n'est pas un PDF")
        return
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium.raw.FPDF_ERR_PASSWORD, pdfium.raw.FPDF_ERR_SECURITY):
            piece.problems.append(ENCRYPTED)
        else:
            piece.problems.append(f"{_pdf_damage(path, exc)} : rien n'a pu être lu")
        return
    except Exception as exc:  # a file PDFium cannot even open (unreadable path…)
        piece.problems.append(f"{_pdf_damage(path, exc)} : rien n'a pu être lu")
        return
    try:
        _read_document(document, path, piece)
    finally:
        document.close()


def _read_document(document, path: Path, piece: PieceText) -> None:
    import pypdfium2 as pdfium

    start = time.monotonic()
    count = len(document)
    piece.pages = count
    piece.reader = "pypdfium2"
    pages: list[tuple[list[Line], float]] = []
    fragments: list[list[Fragment]] = []
    textless, failed = [], []
    for number in range(1, min(count, MAX_PAGES) + 1):
        if time.monotonic() - start > MAX_SECONDS:
            piece.truncated = True
            piece.problems.append(f"lecture arrêtée après {MAX_SECONDS:.0f} s, à la page {number - 1}")
            break
        try:
            page = document[number - 1]
            textpage = page.get_textpage()
            found = page_fragments(textpage, pdfium.raw)
            height = page.get_height()
            if (not found and _has_image(page, pdfium.raw)) or _mostly_image(page, found, pdfium.raw):
                textless.append(number)
        except Exception:  # PdfiumError, or a page PDFium cannot build
            failed.append(number)
            found, height = [], 842.0
        pages.append((page_lines(found, number), height))
        fragments.append(found)
    try:
        kept = drop_running(pages)
        style = document_style(kept)
        placed = _tables(path, kept, fragments, [h for _, h in pages], piece, start)
        for number, lines in enumerate(kept, 1):
            _page_blocks(piece, number, lines, placed[number - 1], style)
    except Exception:  # a layout this reader cannot follow: the text still counts, page by page
        piece.blocks = [
            Block("\n".join(line.text for line in lines), f"page {n}", n)
            for n, (lines, _) in enumerate(pages, 1)
            if lines
        ]
        piece.tables = []
        piece.problems.append("mise en page du PDF non reconnue : texte lu page par page, sans ses tableaux")
    if count > MAX_PAGES:
        piece.truncated = True
        piece.problems.append(f"document de {count} pages : seules les {MAX_PAGES} premières sont lues")
    _damage_problems(path, piece, failed, textless, len(pages))


def _page_blocks(piece: PieceText, number: int, lines: list[Line], tables: list[Placed], style) -> None:
    """The page's blocks in reading order: each table's rows (as blocks with cells) where the table
    is drawn, the running text around them."""
    pending: list[Line] = []
    for line in lines:
        table = next((t for t in tables if t.bottom - 1 <= line.y <= t.top + 1), None)
        if table is None:
            pending.append(line)
            continue
        if not table.shown:
            _text_blocks(piece, number, pending, style)
            pending = []
            for row in table.table.rows:
                piece.blocks.append(Block(" | ".join(row.cells), row.where, number, 0, "", row.cells))
            table.shown = True
    _text_blocks(piece, number, pending, style)


def _text_blocks(piece: PieceText, number: int, lines: list[Line], style) -> None:
    for text, level, cells in page_blocks(lines, style):
        piece.blocks.append(Block(text, f"page {number}", number, level, "", cells))


SCAN_AREA = 0.4  # an image over this share of the page…
SCAN_TEXT = 200  # …with fewer characters of text than this: a page scanned (a signature page)


def _mostly_image(page, found: list[Fragment], raw) -> bool:
    """A page whose text is a line or two beside an image covering much of it (a scanned signature
    page under a typed footer): what the image shows is not read."""
    if not found or sum(len(f.text) for f in found) >= SCAN_TEXT:
        return False
    width, height = page.get_size()
    for image in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, bottom, right, top = image.get_bounds()
        if (right - left) * (top - bottom) >= SCAN_AREA * width * height:
            return True
    return False


def _has_image(page, raw) -> bool:
    return any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _damage_problems(path: Path, piece: PieceText, failed: list[int], textless: list[int], read: int) -> None:
    damage = _tail_damage(path)
    if damage or failed:
        damage = damage or "PDF endommagé (pages illisibles)"
        if piece.blocks:
            piece.truncated = True
            lost = f" ; {_pages(failed)} illisible{'s' if len(failed) > 1 else ''}" if failed else ""
            done = read - len(failed)
            piece.problems.insert(
                0, f"{damage} : lecture partielle ({done} page{'s' * (done > 1)} lue{'s' * (done > 1)}{lost})"
            )
        else:
            piece.problems.insert(0, f"{damage} : rien n'a pu être lu")
    if textless and piece.blocks:
        plural = len(textless) > 1
        piece.problems.append(f"{_pages(textless)} scannée{'s' if plural else ''} : pas de texte")


def _pages(numbers: list[int]) -> str:
    """« page 3 », « pages 3 à 4 », « pages 2, 5 à 7 »."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    return "pages " + ", ".join(f"{a}" if a == b else f"{a} à {b}" for a, b in spans)


# --- tables ---------------------------------------------------------------------------------------


@dataclass
class Placed:
    """A table and where it is drawn on its page (baselines of its first and last lines)."""

    table: Table
    top: float
    bottom: float
    shown: bool = False  # its rows are already among the blocks


def _tables(
    path: Path,
    pages: list[list[Line]],
    fragments: list[list[Fragment]],
    heights: list[float],
    piece: PieceText,
    start: float,
) -> list[list[Placed]]:
    """The tables, page by page: rebuilt from positions, and read with pdfplumber on the pages
    that hold a table header or continue the previous page's table."""
    columns: list[float] = []  # the columns of a table that runs to the bottom of its page
    width = 0  # its number of columns
    plumber = _Plumber(path)
    placed: list[list[Placed]] = []
    try:
        for number, lines in enumerate(pages, 1):
            shown = {id(f) for line in lines for f in line.fragments}
            drawn = [f for f in fragments[number - 1] if id(f) in shown]
            found = page_tables(drawn, is_header=looks_like_header)
            continued = _continuation(lines, drawn, columns) if columns else None
            tables = ([continued] if continued else []) + found
            header = found or any(looks_like_header(line.cells) for line in lines if len(line.cells) > 1)
            maybe_continued = width and any(len(line.cells) >= 2 for line in lines[:3])
            if (header or maybe_continued) and time.monotonic() - start < MAX_SECONDS / 2:  # pdfplumber is slow
                better = plumber.tables(
                    number, heights[number - 1], width if maybe_continued else 0, drawn, fragments[number - 1]
                )
                if better:
                    tables = better
                    piece.reader = "pypdfium2+pdfplumber"
            placed.append([])
            for t, table in enumerate(tables, 1):
                where = f"page {number}, tableau {t}"
                rows = [Row(tuple(c), f"{where}, ligne {r}") for r, c in enumerate(table.rows, 1)]
                piece.tables.append(Table(where, rows))
                placed[-1].append(Placed(piece.tables[-1], table.top, table.bottom))
            low = tables and tables[-1].bottom < heights[number - 1] * 0.3
            low = low and not any(line.y < tables[-1].bottom - 2 for line in lines)  # no text after it
            columns = (found[-1].columns if found else continued.columns if continued else []) if low else []
            width = len(tables[-1].rows[0]) if low else 0
    finally:
        plumber.close()
    return placed


def _continuation(lines: list[Line], drawn: list[Fragment], columns: list[float]) -> Found | None:
    """The rows at the top of the page that go on with the previous page's table (same columns, no
    header): among the page's first lines, one drawn in all (or all but one) of the columns."""
    for line in lines[:3]:
        if looks_like_header(line.cells):
            return None  # the header is repeated: a table of its own
        if len(line.cells) < max(2, len(columns) - 1) or line.bold or not aligned(line.xs, columns):
            continue
        if all(any(abs(x - c) <= 5 for c in columns) for x in line.xs) and not looks_like_header(line.cells):
            first = min(drawn.index(f) for f in line.fragments if f in drawn)
            return continued_table(drawn, first, columns)
    return None


class _Plumber:
    """pdfplumber, opened on the first page that needs it. Its tables are found on the page's
    rulings alone (pdfminer told to leave the text out: reading every character was ~90 % of the
    time); the page is read again whole only when a cell where PDFium draws nothing may hold text
    of pdfplumber's own, so that the tables stay those of a whole reading."""

    def __init__(self, path: Path):
        self.path = path
        self.pdf = None
        self.broken = False
        self.whole = 0  # pages read again whole (for the tests)

    def tables(
        self, number: int, height: float, continued_width: int, drawn: list[Fragment], every: list[Fragment]
    ) -> list[Found]:
        """The page's ruled tables that are tables of actions (their header recognised) or, first
        on the page, the continuation of one (`continued_width` columns). pdfplumber gives the
        cells; their text is PDFium's (`drawn`: the page's fragments shown, `every`: all of them),
        as everywhere else."""
        if self.broken:
            return []
        try:
            if self.pdf is None:
                import pdfplumber

                self.pdf = pdfplumber.open(str(self.path))
            page = self.pdf.pages[number - 1]
            page._layout = _rulings_layout(self.pdf, page)
            ruled = page.find_tables()
            boxes = [[r.cells for r in t.rows] for t in ruled]
            if any(_own_text(box, drawn, every, height) for b in boxes for row in b for box in row):
                page.flush_cache()  # its layout too: read again with the text
                ruled = page.find_tables()
                found = [(t.bbox, t.extract(), [r.cells for r in t.rows]) for t in ruled]
                self.whole += 1
            else:
                found = [(t.bbox, [[None] * len(row) for row in b], b) for t, b in zip(ruled, boxes)]
        except Exception:  # pdfminer raises many kinds on a damaged file: the positional tables stay
            self.broken = True
            return []
        tables = []
        for n, ((_, top, _, bottom), texts, boxes) in enumerate(found):
            rows = [[_cell_text(box, text, drawn, height) for box, text in zip(b, t)] for b, t in zip(boxes, texts)]
            rows = [row for row in rows if any(row)]
            if len(rows) < 2 or len(rows[0]) < 2:
                continue
            if looks_like_header(rows[0]) or (n == 0 and continued_width and len(rows[0]) == continued_width):
                tables.append(Found(rows, [], height - top, height - bottom))
        return tables

    def close(self) -> None:
        if self.pdf is not None:
            with contextlib.suppress(Exception):
                self.pdf.close()


NEAR = 3.0  # points: PDFium's and pdfminer's places of one character differ by less
# pdfminer counts a character in a cell by the middle of its box: between a quarter of the font size
# under the baseline and three quarters over it, whatever the font's ascent and descent


def _rulings_layout(pdf, page):
    """The page's layout as pdfplumber builds it, without its text: the same lines, rectangles,
    curves and images, in less than half the time."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Rulings(PDFPageInterpreter):
        """Text shown draws nothing (its state is set as usual; no text operator touches a path)."""

        def do_TJ(self, seq) -> None:
            pass

    device = PDFPageAggregatorWithMarkedContent(pdf.rsrcmgr, pageno=page.page_number, laparams=pdf.laparams)
    Rulings(pdf.rsrcmgr, device).process_page(page.page_obj)
    return device.get_result()


def _own_text(box, drawn: list[Fragment], every: list[Fragment], height: float) -> bool:
    """Whether pdfplumber's text may count in this cell (its box from the page's top): PDFium draws
    nothing shown inside it, yet some text of the page lies near it."""
    if box is None:
        return False
    if any(_in_cell(f, box, height) for f in drawn):
        return False
    x0, top, x1, bottom = box
    low, high = height - bottom - NEAR, height - top + NEAR
    return any(
        f.x - NEAR <= x1 and max(f.x1, f.x) + NEAR >= x0 and f.y - 0.25 * f.size <= high and f.y + 0.75 * f.size >= low
        for f in every
    )


def _in_cell(f: Fragment, box, height: float) -> bool:
    """Whether PDFium draws `f` in a cell of pdfplumber's (its box from the page's top)."""
    x0, top, x1, bottom = box
    return x0 - 1 <= f.x < x1 and height - bottom <= f.y + 0.25 * f.size <= height - top


def _cell_text(box, plumbed: str | None, drawn: list[Fragment], height: float) -> str:
    """The text PDFium draws in a cell of pdfplumber's (its box from the page's top), line by line;
    pdfplumber's own text when PDFium draws nothing there."""
    if box is None:
        return ""
    inside = [f for f in drawn if _in_cell(f, box, height)]
    if not inside:
        return _cell(plumbed)
    lines: list[list[Fragment]] = []
    for f in sorted(inside, key=lambda f: (-f.y, f.x)):
        if lines and abs(lines[-1][0].y - f.y) <= 0.35 * f.size:
            lines[-1].append(f)
        else:
            lines.append([f])
    return _cell("\n".join(" ".join(f.text for f in sorted(line, key=lambda f: f.x)) for line in lines))


def _cell(text: str | None) -> str:
    return joined((text or "").splitlines())


# --- damage ---------------------------------------------------------------------------------------


def _tail_damage(path: Path) -> str | None:
    """The damage seen at the file's end (a truncated download), without reading it whole."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, path.stat().st_size - 2048))
            tail = file.read()
    except OSError:
        return "PDF inaccessible"
    if b"%%EOF" not in tail:
        return "PDF endommagé (fin de fichier manquante : fichier tronqué, à déposer à nouveau)"
    return None


def _pdf_damage(path: Path, exc: Exception) -> str:
    """What is wrong with a PDF, in words a town understands (never an exception's name); pypdf
    tells a broken cross-reference table from other damage."""
    try:
        with path.open("rb") as file:
            head = file.read(1024)
    except OSError:
        return "PDF inaccessible"
    if not head.lstrip().startswith(b"%PDF-"):
        return "fichier nommé .pdf qui n'est pas un PDF"
    tail = _tail_damage(path)
    if tail:
        return tail
    try:
        from pypdf import PdfReader

        PdfReader(str(path)).pages[0]
    except Exception as pypdf_error:
        if "xref" in str(pypdf_error).casefold():
            return "PDF endommagé (table des objets illisible)"
    return "PDF endommagé (structure interne illisible)"
