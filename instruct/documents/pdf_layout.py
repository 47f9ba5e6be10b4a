"""The layout of a PDF page, from where PDFium draws its text: fragments (PDFium's runs of text, in
drawing order, what the table rebuild reads), visual lines (fragments on one baseline, left to
right, split into cells where a gap is far wider than a word space), and the blocks of the
running text (paragraphs, headings, lines drawn in columns).

Sizes are in points; gaps are measured against the font size, so that the rules hold for 8 pt
table cells as for 14 pt titles.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from dataclasses import dataclass
from functools import cached_property

WORD_GAP = 0.15  # × font size: a narrower gap between two fragments is no space
CELL_GAP = 1.5  # × font size: a wider gap between two fragments of one line separates two cells
BASELINE = 0.35  # × font size: glyphs whose baselines differ by less are on one line
BAND = 0.1  # top and bottom tenth of the page: where running headers and footers are drawn
BOLD_WEIGHT = 600
BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|-bd|,b\b|gras", re.IGNORECASE)
GRID_COLUMNS = 3  # a signature grid's columns at most: its lines are joined column by column
SHORT_HEADING = 20  # words: a bold line longer than this is emphasised body text, not a heading


@dataclass(frozen=True, eq=False)
class Fragment:
    """A run of text drawn in one go: its left edge and baseline, its right edge, font size and weight."""

    x: float
    y: float
    text: str
    x1: float = 0.0
    size: float = 10.0
    bold: bool = False


@dataclass
class Line:
    """One visual line: its fragments left to right and its cells (fragments grouped across small gaps)."""

    fragments: list[Fragment]
    page: int
    cells: list[str]
    xs: list[float]  # each cell's left edge

    @property
    def text(self) -> str:
        return " ".join(self.cells)

    @property
    def y(self) -> float:
        return self.fragments[0].y

    @property
    def x0(self) -> float:
        return self.fragments[0].x

    @property
    def x1(self) -> float:
        return max(f.x1 for f in self.fragments)

    @cached_property
    def size(self) -> float:
        """The line's font size: the size of most of its characters."""
        weights: dict[float, int] = {}
        for f in self.fragments:
            weights[round(f.size * 2) / 2] = weights.get(round(f.size * 2) / 2, 0) + len(f.text)
        return max(weights, key=weights.__getitem__)

    @property
    def bold(self) -> bool:
        return all(f.bold for f in self.fragments)


# --- characters -> fragments --------------------------------------------------------------------


def page_fragments(textpage, raw) -> list[Fragment]:
    """The page's text as fragments, in drawing order. PDFium already cuts the page's text into
    rectangles (a run of characters drawn together on one line, in order): one fragment each,
    its text taken from the page's text between the characters at its two ends, its font from
    its first character. `raw` is pypdfium2.raw."""
    count = raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * count].decode("utf-16-le", "replace").translate(CHARS)
    indexed = len(text) == count  # else characters outside the BMP: no index to follow
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    rects = []
    for i in range(raw.FPDFText_CountRects(textpage, 0, -1)):
        raw.FPDFText_GetRect(textpage, i, left, top, right, bottom)
        inset = min(0.5, (right.value - left.value) / 4)
        first = _char_at(textpage, raw, left.value + inset, bottom.value, top.value)
        rects.append((left.value, bottom.value, right.value, top.value, first))
    x, y = ctypes.c_double(), ctypes.c_double()
    name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    out: list[Fragment] = []
    for i, (x0, y0, x1, y1, first) in enumerate(rects):
        end = rects[i + 1][4] if i + 1 < len(rects) else count
        if indexed and 0 <= first < end:  # a rectangle runs from its first character to the next one's
            words = text[first:end]
        else:  # PDFium did not place its first character: ask for the text inside it
            words = raw_bounded(textpage, x0, y0, x1, y1).translate(CHARS)
            first = max(0, _char_at(textpage, raw, (x0 + x1) / 2, y0, y1))
        words = " ".join(words.split())
        if not words:
            continue
        size, bold = _font(textpage, first, raw, name, flags)
        raw.FPDFText_GetCharOrigin(textpage, first, x, y)
        out.append(Fragment(x0, y.value if abs(y.value - y0) < y1 - y0 + 2 else y0, words, x1, size, bold))
    return out


def raw_bounded(textpage, left: float, bottom: float, right: float, top: float) -> str:
    """PDFium's text within a rectangle (FPDFText_GetBoundedText, UTF-16)."""
    import pypdfium2.raw as raw

    size = raw.FPDFText_GetBoundedText(textpage, left, top, right, bottom, None, 0)
    if size <= 0:
        return ""
    buffer = ctypes.create_string_buffer(2 * (size + 1))
    raw.FPDFText_GetBoundedText(
        textpage, left, top, right, bottom, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size
    )
    return buffer.raw[: 2 * size].decode("utf-16-le", "replace").rstrip("\x00")


def _char_at(textpage, raw, x: float, bottom: float, top: float) -> int:
    """The index of the character drawn at x between bottom and top (a period sits low, an
    apostrophe high): -1 when there is none."""
    height = top - bottom
    for y in (bottom + height / 2, bottom + height * 0.15, top - height * 0.15, bottom + 0.3, top - 0.3):
        index = raw.FPDFText_GetCharIndexAtPos(textpage, x, y, 0.5, 0.5)
        if index >= 0:
            return index
    return -1


def _font(textpage, i: int, raw, name, flags) -> tuple[float, bool]:
    size = raw.FPDFText_GetFontSize(textpage, i) or 10.0
    weight = raw.FPDFText_GetFontWeight(textpage, i)
    raw.FPDFText_GetFontInfo(textpage, i, name, len(name), flags)
    bold = weight >= BOLD_WEIGHT or bool(BOLD_NAME.search(name.value.decode("latin-1", "replace")))
    return size, bold or bool(flags.value & (1 << 18))  # ForceBold


# PDFium marks a hyphen at a line end 0x02 or 0xFFFE; soft and unicode hyphens are hyphens
CHARS = str.maketrans({0x02: "-", 0xFFFE: "-", 0xAD: "-", 0x2010: "-", 0x2011: "-", 0: " "})


# --- fragments -> visual lines --------------------------------------------------------------------


def page_lines(fragments: list[Fragment], page: int) -> list[Line]:
    """Fragments grouped by baseline, top to bottom; each line's fragments left to right."""
    ordered = sorted(fragments, key=lambda f: -f.y)
    groups: list[list[Fragment]] = []
    for f in ordered:
        if groups and abs(groups[-1][0].y - f.y) <= BASELINE * max(f.size, groups[-1][0].size):
            groups[-1].append(f)
        else:
            groups.append([f])
    lines = []
    for group in groups:
        group.sort(key=lambda f: f.x)
        cells, xs = [group[0].text], [group[0].x]
        for before, f in zip(group, group[1:]):
            gap = f.x - before.x1
            if gap >= CELL_GAP * max(f.size, before.size):
                cells.append(f.text)
                xs.append(f.x)
            else:
                cells[-1] = f"{cells[-1]}{'' if gap < WORD_GAP * f.size and cells[-1].endswith('-') else ' '}{f.text}"
        if len(cells) == 2 and NUMBERING.match(cells[0]):  # « TITRE III - » <tab> « Périmètre … »: one heading
            cells, xs = [f"{cells[0]} {cells[1]}"], xs[:1]
        lines.append(Line(group, page, cells, xs))
    return lines


HEADING_START = re.compile(
    r"^((article|titre|chapitre|partie|annexe|axe|fiche)\b|[ivxlcdm]+\s*[.–—-]\s|\d+(\.\d+)*\s*[.)–—-]?\s)",
    re.IGNORECASE,
)
NUMBERING = re.compile(
    r"^((titre|article|chapitre|partie|annexe|axe)\s+)?([ivxlcdm]+|\d+(\.\d+)*|[a-z]|premier|1er)\s*[.):°-]?\s*[-–—:]?$",
    re.IGNORECASE,
)


# --- running headers, footers and page numbers --------------------------------------------------

PAGE_NUMBER = re.compile(
    r"^(page|p\.)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*((/|sur|of|de)\s*\d{1,4})?$|^[-–—]\s*[ivxlc]+\s*[-–—]$", re.IGNORECASE
)


def _band_key(line: Line, count: int) -> str:
    """The line's text with its page number (and the page count) put aside: « Page 3 / 12 » is
    the same on every page, « Fiche action n° 3 » is not."""
    text = " ".join(line.text.casefold().split())
    return re.sub(r"\d+", lambda m: "#" if int(m.group()) in (line.page, count) else m.group(), text)


def drop_running(pages: list[tuple[list[Line], float]]) -> list[list[Line]]:
    """Each page's lines without its running header and footer (lines in the top or bottom band
    whose text, page number aside, is on most pages) nor its page number. A page left with nothing
    but such lines keeps them: a one-line page is content, not a header."""
    count = len(pages)
    seen: dict[str, int] = {}
    for lines, height in pages:
        for key in {_band_key(line, count) for line in lines if _in_band(line, height)}:
            seen[key] = seen.get(key, 0) + 1
    running = {key for key, n in seen.items() if len(pages) >= 2 and n >= max(2, 0.5 * len(pages))}
    out = []
    for lines, height in pages:
        kept = [
            line
            for line in lines
            if not (
                _in_band(line, height) and (_band_key(line, count) in running or PAGE_NUMBER.match(line.text.strip()))
            )
        ]
        out.append(kept if kept else lines)
    return out


def _in_band(line: Line, height: float) -> bool:
    return line.y >= height * (1 - BAND) or line.y <= height * BAND


# --- hyphens at line ends -----------------------------------------------------------------------

CUT = re.compile(r"[^\W\d_]-$")
FIRST_WORD = re.compile(r"^(\S+)\s*(.*)$", re.DOTALL)


def joined(lines: list[str]) -> str:
    """Lines of one cell or paragraph as one text, hyphenated words made whole."""
    out = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        first, rest = rejoin(out, line)
        out = (first + (" " + rest if rest else "")) if first != out else f"{out} {line}".strip()
    return out


def rejoin(first: str, second: str) -> tuple[str, str]:
    """A word cut by a hyphen at the end of `first` is made whole on `first`; the hyphen goes
    unless the word goes on with a capital (« Saint-» + « Aubin »)."""
    if not CUT.search(first) or not second or not second[0].isalpha():
        return first, second
    word, rest = FIRST_WORD.match(second).groups()
    if second[0].islower():
        return first[:-1] + word, rest
    return first + word, rest


# --- lines -> blocks ------------------------------------------------------------------------------


@dataclass
class Style:
    """What the whole document's lines say about its body text: its font size, its line pitch, and
    the larger sizes its headings use (largest first)."""

    body: float
    pitch: float
    heading_sizes: list[float]

    def level(self, line: Line) -> int:
        if len(line.cells) > 1:
            return 0
        size = line.size
        if size in self.heading_sizes:
            return self.heading_sizes.index(size) + 1
        if line.bold and any(c.isalpha() for c in line.text):
            return len([s for s in self.heading_sizes if s > size]) + 1
        return 0


def document_style(pages: list[list[Line]]) -> Style:
    sizes: dict[float, int] = {}
    for lines in pages:
        for line in lines:
            sizes[line.size] = sizes.get(line.size, 0) + len(line.text)
    body = max(sizes, key=sizes.__getitem__) if sizes else 10.0
    pitches = [
        above.y - below.y
        for lines in pages
        for above, below in zip(lines, lines[1:])
        if above.size == below.size == body and len(above.cells) == len(below.cells) == 1
        if 0.8 * body <= above.y - below.y <= 2.5 * body
    ]
    pitch = statistics.median(pitches) if pitches else 1.3 * body
    larger = sorted((s for s in sizes if s >= body * 1.08), reverse=True)
    return Style(body, pitch, larger)


def page_blocks(lines: list[Line], style: Style) -> list[tuple[str, int, tuple[str, ...]]]:
    """The page's blocks as (text, heading level, cells): paragraphs of body lines (joined by
    "\\n", hyphenated words made whole), headings (a wrapped heading joined into one line), and
    lines drawn in columns (a signature grid: each column's lines joined by "\\n")."""
    groups: list[tuple[str, int, list[Line]]] = []  # kind ("body", "heading", "grid"), level, lines
    for line in lines:
        level = style.level(line)
        kind = "grid" if len(line.cells) > 1 else "heading" if level else "body"
        if groups and _continues(groups[-1], kind, level, line, style):
            groups[-1][2].append(line)
        else:
            groups.append((kind, level, [line]))
    out = []
    for kind, level, group in groups:
        if kind == "grid":
            cells = _grid_cells(group)
            out.append((" | ".join(c.replace("\n", " ") for c in cells), 0, cells))
        elif kind == "heading" and (group[0].size in style.heading_sizes or _short(group)):
            out.append((" ".join(_rejoined([line.text for line in group])), level, ()))
        else:
            out.append(("\n".join(_rejoined([line.text for line in group])), 0, ()))
    return [block for block in out if block[0].strip()]


def _short(group: list[Line]) -> bool:
    """A bold heading is short: emphasised body text is not a heading."""
    text = " ".join(line.text for line in group)
    return len(text.split()) <= SHORT_HEADING and not text.rstrip().endswith((".", ";", ","))


def _continues(group: tuple[str, int, list[Line]], kind: str, level: int, line: Line, style: Style) -> bool:
    last_kind, last_level, lines = group
    last = lines[-1]
    pitch = last.y - line.y
    if kind == "grid" or (last_kind == "grid" and kind == "body"):
        if len(line.cells) > 1 and all(cell.startswith("Pour ") for cell in line.cells):
            return False  # « Pour X » | « Pour Y »: the next signatories of a signature grid
        if last_kind != "grid" or len(lines[0].cells) > GRID_COLUMNS or len(lines) >= 6:
            return False  # more columns: a table's rows, each line its own block
        return pitch <= 2.0 * last.size and _in_grid(lines[0], line)
    if kind != last_kind or level != last_level or line.size != last.size:
        return False
    if kind == "heading":  # a heading wrapped over two lines, unless the next line starts a heading of its own
        return len(lines) < 3 and pitch <= 1.6 * line.size and not HEADING_START.match(line.text)
    return pitch <= style.pitch * 1.2 + 0.5


def _in_grid(first: Line, line: Line) -> bool:
    """A line drawn within the columns of a grid: each cell starting at a column, and a lone
    cell fitting in its column."""
    columns = first.xs
    for x in line.xs:
        if not any(abs(x - c) <= 4 for c in columns):
            return False
    if len(line.xs) == 1:
        k = max(i for i, c in enumerate(columns) if c - 4 <= line.x0)
        return k + 1 >= len(columns) or line.x1 < columns[k + 1]
    return True


def _grid_cells(lines: list[Line]) -> tuple[str, ...]:
    columns = lines[0].xs
    cells: list[list[str]] = [[] for _ in columns]
    for line in lines:
        for x, text in zip(line.xs, line.cells):
            k = min(range(len(columns)), key=lambda i: abs(columns[i] - x))
            cells[k].append(text)
    return tuple("\n".join(_rejoined(parts)) for parts in cells)


def _rejoined(texts: list[str]) -> list[str]:
    out = list(texts)
    for i in range(len(out) - 1):
        out[i], out[i + 1] = rejoin(out[i], out[i + 1])
    return [t for t in out if t.strip()]
