"""One description of an A4 document a partner signs and sends (a gap report, a decision letter), rendered by two
backends: a4_docx (python-docx) and a4_pdf (reportlab). The description holds what a French administrative
document needs: the partner's name (and logo when one is configured) at the top, a running header « dossier … —
commune — date », a footer « page n / N », headings, paragraphs, bullet lists and tables.

What both backends share is decided here once: French typography (no-break spaces before « : ; ? ! » and inside
« »), the fonts (DejaVu Sans Condensed, else DejaVu Sans, when the system has it: every French glyph, « œ », « € »
and the narrow no-break space, at about the width of the DOCX's Arial; else Helvetica, whose Latin-1 encoding has
« œ » and « € » but no narrow space), and the width of each table column, measured on its content: a column is
never narrower than its longest word (« RECEVABLE » is never cut), and the 17 cm of text width go to the columns
that hold the most text."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from instruct.french import written_date

PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0
POINTS_PER_CM = 72 / 2.54
TEXT_WIDTH = (PAGE_WIDTH_CM - 2 * MARGIN_CM) * POINTS_PER_CM  # 17 cm, in points
BODY_SIZE, SMALL_SIZE, TABLE_SIZE = 10.0, 8.5, 9.0
CELL_PADDING = 6.0  # points left and right of a cell's text, in both backends
NBSP, NNBSP = "\u00a0", "\u202f"
LOGO_DIRECTORY = "ACV_LOGOS"  # the environment variable naming a folder of logos; default ./logos
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
FONT_DIRECTORIES = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)


# --- the description ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: a section, 2: a subsection


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    small: bool = False  # sources, notes
    keep_with_next: bool = False  # an item's first line: with what follows, a little space above


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Run, ...], ...]
    small: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""  # said before the table (a table is never announced by its position alone)
    small: bool = False  # an annex: small print

    @property
    def size(self) -> float:
        return SMALL_SIZE if self.small else TABLE_SIZE


Block = Heading | Paragraph | Bullets | Table


@dataclass
class Document:
    title: str
    partner: str  # who signs: always named at the top
    header: str  # « dossier … — commune — date », on every page
    blocks: list[Block] = field(default_factory=list)
    subtitle: str = ""
    logo: Path | None = None  # the partner's logo, when one is configured
    author: str = ""

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


def runs(*parts: str | Run) -> tuple[Run, ...]:
    return tuple(part if isinstance(part, Run) else Run(part) for part in parts if part)


def para(*parts: str | Run, small: bool = False, keep_with_next: bool = False) -> Paragraph:
    """A paragraph of plain text and `bold(…)` runs."""
    return Paragraph(runs(*parts), small=small, keep_with_next=keep_with_next)


def bold(text: str) -> Run:
    return Run(text, bold=True)


def bullets(items: list[tuple[Run, ...] | str], small: bool = False) -> Bullets:
    return Bullets(tuple(item if isinstance(item, tuple) else runs(item) for item in items), small=small)


def table(header: list[str], rows: list[list[str]], caption: str = "", small: bool = False) -> Table:
    return Table(tuple(header), tuple(tuple(row) for row in rows), caption, small)


# --- French typography ----------------------------------------------------------------------------

_BEFORE_HIGH = re.compile(r"[ \u00a0\u202f]+([;?!])")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:(?=\s|$)")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")


def typography(text: str) -> str:
    """French spacing: a no-break space before « : » and inside « », a narrow one before « ; ? ! »; the spaces
    already written are replaced, none is added where the text has none (« 10:30 », « http:// » stay)."""
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_HIGH.sub(NNBSP + r"\1", text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    return _CLOSE_QUOTE.sub(NBSP + "»", text)


def long_date(day) -> str:
    """« 2 décembre 2026 », « 1er mars 2027 »: the date a letter is dated."""
    return written_date(day).replace(" ", NBSP)


# --- fonts and measures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    narrow_space: bool  # the font has U+202F (else it is written as a no-break space)


@functools.cache
def fonts() -> Fonts:
    """DejaVu Sans registered with reportlab when the system has it, else the PDF's own Helvetica."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for family in ("DejaVuSansCondensed", "DejaVuSans"):  # condensed first: Arial's width, as the DOCX's text
        names = {"": f"{family}.ttf", "-Bold": f"{family}-Bold.ttf", "-Oblique": f"{family}-Oblique.ttf"}
        for directory in FONT_DIRECTORIES:
            paths = {suffix: Path(directory) / name for suffix, name in names.items()}
            if all(p.is_file() for p in paths.values()):
                for suffix, path in paths.items():
                    pdfmetrics.registerFont(TTFont(f"{family}{suffix}", str(path)))
                addMapping(family, 0, 0, family)
                addMapping(family, 1, 0, f"{family}-Bold")
                addMapping(family, 0, 1, f"{family}-Oblique")
                addMapping(family, 1, 1, f"{family}-Bold")
                return Fonts(family, f"{family}-Bold", f"{family}-Oblique", narrow_space=True)
    return Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", narrow_space=False)


def printable(text: str) -> str:
    """The text as the chosen font can draw it (a narrow no-break space becomes a no-break space in Helvetica)."""
    return text if fonts().narrow_space else text.replace(NNBSP, NBSP)


def text_width(text: str, bold_face: bool = False, size: float = TABLE_SIZE) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    chosen = fonts()
    return stringWidth(printable(text), chosen.bold if bold_face else chosen.regular, size)


_BREAKS = re.compile(r"[ \t\n]+")  # where a line may break: never at a no-break space


def column_widths(
    header: tuple[str, ...], rows: tuple[tuple[str, ...], ...], total: float = TEXT_WIDTH, size: float = TABLE_SIZE
) -> list[float]:
    """Points per column summing to `total`: each column at least its longest word (a word never breaks), the rest
    of the width shared in proportion to what each column would need to hold its longest line unbroken."""
    count = len(header)
    least, most = [0.0] * count, [0.0] * count
    for index in range(count):
        cells = [(typography(header[index]), True)] + [(typography(row[index]), False) for row in rows]
        for text, is_header in cells:
            words = [w for w in _BREAKS.split(text) if w]
            if words:
                least[index] = max(least[index], max(text_width(w, is_header, size) for w in words))
            for line in text.split("\n"):
                most[index] = max(most[index], text_width(line, is_header, size))
    least = [w + 2 * CELL_PADDING + 1 for w in least]
    most = [max(w + 2 * CELL_PADDING + 1, low) for w, low in zip(most, least)]
    if sum(most) <= total:  # everything fits on one line: the spare width in proportion
        return [w * total / sum(most) for w in most]
    if sum(least) >= total:  # too many columns for the page: shrink alike (cannot happen with our tables)
        return [w * total / sum(least) for w in least]
    spare, wanted = total - sum(least), [high - low for high, low in zip(most, least)]
    return [low + spare * want / sum(wanted) for low, want in zip(least, wanted)]


# --- the partner's logo ---------------------------------------------------------------------------


def logo_for(partner_key: str) -> Path | None:
    """The logo configured for a partner (« action-logement », « ddt »…): `<folder>/<key>.png|.jpg` where the folder
    is $ACV_LOGOS or ./logos. None when there is none: the document names the partner without an image (no logo is
    shipped: a partner's logo is its own to give)."""
    folder = Path(os.environ.get(LOGO_DIRECTORY) or "logos")
    if not re.fullmatch(r"[a-z0-9-]{1,40}", partner_key):
        return None
    for suffix in LOGO_SUFFIXES:
        candidate = folder / f"{partner_key}{suffix}"
        if candidate.is_file():
            return candidate
    return None
