"""The layout of a PDF page, from where PDFium draws each character: fragments (runs of text in
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
from dataclasses import dataclass, field

from instruct.documents.tables import Fragment

WORD_GAP = 0.15  # × font size: a wider gap between two glyphs is a space
RUN_GAP = 1.0  # × font size: a wider gap ends a fragment (a table cell drawn in the same text object)
CELL_GAP = 1.5  # × font size: a wider gap between two fragments of one line separates two cells
BASELINE = 0.35  # × font size: glyphs whose baselines differ by less are on one line
BAND = 0.1  # top and bottom tenth of the page: where running headers and footers are drawn
BOLD_WEIGHT = 600
BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|-bd|,b\b|gras", re.IGNORECASE)
SHORT_HEADING = 20  # words: a bold line longer than this is emphasised body text, not a heading
LINE_BREAKS = {0x0A, 0x0D}
SPACES = {0x20, 0xA0, 0x09, 0x202F, 0x2009}


@dataclass
class Run:
    """A fragment being built, with the font it is drawn in."""

    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    chars: list[str] = field(default_factory=list)
    space: bool = False  # a space is pending before the next glyph

    def fragment(self) -> Fragment:
        return Fragment(self.x0, self.y, "".join(self.chars).strip(), self.x1, self.size, self.bold)


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

    @property
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
    """The page's text as fragments, in drawing order. `raw` is pypdfium2.raw."""
    count = raw.FPDFText_CountChars(textpage)
    x, y = ctypes.c_double(), ctypes.c_double()
    box = raw.FS_RECTF()
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    fonts: dict[int, tuple[float, bool]] = {}  # text object -> font size, bold
    unicode, origin, loose, text_object = (
        raw.FPDFText_GetUnicode,
        raw.FPDFText_GetCharOrigin,
        raw.FPDFText_GetLooseCharBox,
        raw.FPDFText_GetTextObject,
    )
    out: list[Fragment] = []
    run: Run | None = None
    for i in range(count):
        code = unicode(textpage, i)
        if code in LINE_BREAKS or code in SPACES or code == 0:
            if run is not None:
                run.space = True
            continue
        if not origin(textpage, i, x, y):
            continue
        loose(textpage, i, box)  # the glyph's advance, not its ink: « 1 » is narrow
        key = ctypes.cast(text_object(textpage, i), ctypes.c_void_p).value or 0
        font = fonts.get(key)
        if font is None:  # one font and size per text object
            font = fonts[key] = _font(textpage, i, raw, name, flags)
        size, bold = font
        char = _char(code)
        x0, x1 = min(x.value, box.left), max(box.right, x.value)
        if run is not None:
            gap = x0 - run.x1
            same = abs(y.value - run.y) <= BASELINE * max(size, run.size)
            if same and -0.5 * size <= gap <= RUN_GAP * max(size, run.size):
                if run.space or gap > WORD_GAP * size:
                    run.chars.append(" ")
                run.chars.append(char)
                run.x1 = max(run.x1, x1)
                run.space = False
                if len(run.chars) > 3 and size >= run.size * 0.8:
                    run.size, run.bold = max(run.size, size), run.bold and bold
                continue
            _close(run, out)
        run = Run(x0, x1, y.value, size, bold, [char])
    if run is not None:
        _close(run, out)
    return out


def _font(textpage, i: int, raw, name, flags) -> tuple[float, bool]:
    size = raw.FPDFText_GetFontSize(textpage, i) or 10.0
    weight = raw.FPDFText_GetFontWeight(textpage, i)
    raw.FPDFText_GetFontInfo(textpage, i, name, len(name), flags)
    bold = weight >= BOLD_WEIGHT or bool(BOLD_NAME.search(name.value.decode("latin-1", "replace")))
    return size, bold or bool(flags.value & (1 << 18))  # ForceBold


def _char(code: int) -> str:
    if code in (0x02, 0xAD, 0x2010, 0x2011):  # PDFium's hyphen at a line end, soft hyphen, unicode hyphens
        return "-"
    try:
        return chr(code)
    except ValueError:
        return "\ufffd"


def _close(run: Run, out: list[Fragment]) -> None:
    fragment = run.fragment()
    if fragment.text:
        out.append(fragment)


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
        lines.append(Line(group, page, cells, xs))
    return lines


# --- running headers, footers and page numbers --------------------------------------------------

PAGE_NUMBER = re.compile(
    r"^(page|p\.)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*((/|sur|of|de)\s*\d{1,4})?$|^[-–—]\s*[ivxlc]+\s*[-–—]$", re.IGNORECASE
)


def _band_key(line: Line) -> str:
    return re.sub(r"\d+", "#", " ".join(line.text.casefold().split()))


def drop_running(pages: list[tuple[list[Line], float]]) -> list[list[Line]]:
    """Each page's lines without its running header and footer (lines in the top or bottom band
    whose text, digits aside, is on most pages) nor its page number. A page left with nothing but
    such lines keeps them: a one-line page is content, not a header."""
    seen: dict[str, int] = {}
    for lines, height in pages:
        for key in {_band_key(line) for line in lines if _in_band(line, height)}:
            seen[key] = seen.get(key, 0) + 1
    running = {key for key, n in seen.items() if len(pages) >= 2 and n >= max(2, 0.5 * len(pages))}
    out = []
    for lines, height in pages:
        kept = [
            line
            for line in lines
            if not (_in_band(line, height) and (_band_key(line) in running or PAGE_NUMBER.match(line.text.strip())))
        ]
        out.append(kept if kept else lines)
    return out


def _in_band(line: Line, height: float) -> bool:
    return line.y >= height * (1 - BAND) or line.y <= height * BAND


# --- hyphens at line ends -----------------------------------------------------------------------

CUT = re.compile(r"[^\W\d_]-$")
FIRST_WORD = re.compile(r"^(\S+)\s*(.*)$", re.DOTALL)


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
        return last_kind == "grid" and pitch <= 2.0 * last.size and len(lines) < 6 and _in_grid(lines[0], line)
    if kind != last_kind or level != last_level or line.size != last.size:
        return False
    if kind == "heading":
        return len(lines) < 3 and pitch <= 1.6 * line.size
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
