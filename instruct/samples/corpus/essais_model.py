"""The pieces of the « essais » corpus before they are drawn: a list of elements (headings,
paragraphs, tables, signature columns, page breaks) that the DOCX and PDF writers render, and the
French forms of amounts and dates the town clerks use. The truth of a piece is built beside its
elements from the same data, never read back from the file."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from instruct.samples.corpus.truth import FICTIF, Verite

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
NUMBERS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"]
ORDINAL_WORDS = {1: "premier", 2: "deuxième", 3: "troisième"}
FICTIF_LINE = f"— {FICTIF[0].upper()}{FICTIF[1:]} : toute ressemblance avec une commune réelle serait fortuite. —"


# --- elements -------------------------------------------------------------------------------------


@dataclass
class Heading:
    text: str
    level: int = 1
    number: str = ""  # the label as a reader sees it (« Article 1er – », « II. »); Word's numbering draws it


@dataclass
class Para:
    text: str
    bold: bool = False
    align: str = "left"  # left, center, right, justify
    size: float = 0  # 0: the body size
    keep: bool = False  # keep with the next element (a signature block)
    bullet: bool = False  # an item of a bulleted list


@dataclass
class Table:
    rows: list[list[str]]
    header_rows: int = 1
    ruled: bool = True
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (row, first column, last column) merged
    widths: list[float] | None = None  # PDF widths in points (481 in all)
    repeat_header: bool = True  # PDF: the header repeated on each page
    bold_rows: tuple[int, ...] = ()


@dataclass
class Columns:
    """A signature block drawn in columns: one list of lines per signatory, `per_row` a row."""

    blocks: list[list[str]]
    per_row: int = 2
    grid: bool = False  # DOCX: a table with borders


@dataclass
class TextBox:
    text: str


@dataclass
class PageBreak:
    pass


@dataclass
class ScannedPage:
    """A page that is an image of text (a scanned signature page): the lines are drawn, not written."""

    lines: list[str]


Element = Heading | Para | Table | Columns | TextBox | PageBreak | ScannedPage


@dataclass
class Piece:
    """One corpus piece: how it is drawn and what it says."""

    name: str  # the file name, with its extension
    title: str
    elements: list[Element]
    truth: Verite
    writer: str = "docx"  # docx, pdf, office_pdf (a DOCX exported by LibreOffice), office_docx, broken
    options: dict = field(default_factory=dict)  # the writer's options (headings, header/footer…)


# --- amounts --------------------------------------------------------------------------------------


def _groups(n: int, sep: str) -> str:
    text = f"{n:,}".replace(",", sep)
    return text


def amount(value: Decimal, form: str) -> str:
    """An amount the way a town writes it. `value` is in euros; the forms k€ and M€ need round values."""
    n = int(value)
    if form == "eur_ht":
        return f"{_groups(n, ' ')} € HT"
    if form == "eur":
        return f"{_groups(n, ' ')} €"
    if form == "points":
        return f"{_groups(n, '.')} €"
    if form == "EUR":
        return f"{_groups(n, ' ')} EUR"
    if form == "keur":
        assert n % 1000 == 0, n
        return f"{_groups(n // 1000, ' ')} k€"
    if form == "meur":
        assert n % 10_000 == 0, n
        text = f"{n / 1_000_000:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        return f"{text} M€"
    if form == "bare":
        return _groups(n, " ")
    if form == "bare_k":
        assert n % 1000 == 0, n
        return _groups(n // 1000, " ")
    raise ValueError(form)


def date_text(day: dt.date, form: str) -> str:
    """A date the way a town writes it."""
    if form == "long":
        return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
    if form == "slash":
        return day.strftime("%d/%m/%Y")
    if form == "dots":
        return day.strftime("%d.%m.%Y")
    if form == "dashes":
        return day.strftime("%d-%m-%Y")
    if form == "short":
        return f"{day.day}/{day.month}/{day.year % 100:02d}"
    if form == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    raise ValueError(form)


def years_text(years: int, form: str, subject: str = "La présente convention") -> str:
    """The sentence that states the duration: « d'une durée de six (6) ans », « pour 5 ans »."""
    if form == "words":
        return f"{subject}, d'une durée de {NUMBERS[years]} ({years}) ans, prend effet à la date de sa signature."
    if form == "digits":
        return f"{subject} est conclue pour {years} ans à compter de sa signature."
    return f"{subject} est conclue pour {NUMBERS[years]} années."


def hyphenate(text: str, every: int = 9) -> str:
    """Soft hyphens in the long words, so that reportlab cuts them at a line end with a hyphen."""
    out = []
    for word in text.split(" "):
        if len(word) > 11 and word.isalpha():
            cut = len(word) // 2
            word = word[:cut] + "\u00ad" + word[cut:]
        out.append(word)
    return " ".join(out)


def scan_font(size: int):
    """A TrueType font for the scanned images (reportlab ships Bitstream Vera): accents drawn right."""
    from pathlib import Path

    import reportlab
    from PIL import ImageFont

    return ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), size)


def ocr_noise(text: str) -> str:
    """What a poor OCR makes of a text layer: « 1'État », « Ia », « rn » for « m » in a few words."""
    text = re.sub(r"\bl'", "1'", text)
    text = re.sub(r"\bla\b", "Ia", text)
    return text.replace("commune ", "cornmune ").replace("programme", "prograrnme")


def noisy(piece: Piece) -> Piece:
    """The piece with OCR noise in its running text (its tables are left clean)."""
    out = []
    for el in piece.elements:
        if isinstance(el, (Para, Heading)):
            el = replace(el, text=ocr_noise(el.text))
        out.append(el)
    return replace(piece, elements=out)
