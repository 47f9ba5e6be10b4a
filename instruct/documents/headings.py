"""A piece's headings, as the reader saw them or as their text shows them.

A heading is recognised by what the reader saw (a heading style or font, Word's automatic
number) or by its text: « Article 1er », « Article premier », « ARTICLE 1 : », « 1. », « 1.1 »,
« Titre I », « IV – », « Chapitre 2 », « Annexe – … », « ANNEXE 3 : … », a short line in capitals;
a number alone on its line takes the next line as its title, a title cut over two lines is
joined. Each heading has a strength: how sure it is a heading. Table-of-contents lines, a list of
the annexes and an annex's own headings are told apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from instruct.documents.read import PieceText
from instruct.documents.text import normal

ROMAN = r"[IVXLC]{1,7}"
WORD_NUMBERS = {
    "un": 1,
    "une": 1,
    "premier": 1,
    "premiere": 1,
    "unique": 1,
    "deux": 2,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "trois": 3,
    "troisieme": 3,
    "quatre": 4,
    "quatrieme": 4,
    "cinq": 5,
    "cinquieme": 5,
    "six": 6,
    "sixieme": 6,
    "sept": 7,
    "septieme": 7,
    "huit": 8,
    "huitieme": 8,
    "neuf": 9,
    "neuvieme": 9,
    "dix": 10,
    "dixieme": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
}
SEPARATOR = r"\s*(?:[-–—:.)]+\s*|\s+|$)"
# A heading's number, by kind: the text after it is the title.
NUMBERING = (
    (
        "article",
        re.compile(
            r"^(?:art[il1]c[l1i]e|art\.)\s*(?:n°\s*)?(?P<n>\d{1,2}|[ivxlc]{1,6}|premier|unique|1er)(?P<sub>(?:\.\d{1,2})+)?"
            r"(?:er|e)?(?![\w'])" + SEPARATOR,
            re.I,
        ),
    ),
    (
        "titre",
        re.compile(
            r"^(?:titre|chapitre|partie|section|volet)\s+(?:n°\s*)?(?P<n>\d{1,2}|[ivxlc]{1,6}|premier|premiere|unique|"
            r"[a-h])(?![\w'])" + SEPARATOR,
            re.I,
        ),
    ),
    ("annexe", re.compile(r"^annexes?(?:\s*(?:n°|no|n)?\s*(?P<n>\d{1,2}|[IVXLC]{1,6}|[A-H])\b)?" + SEPARATOR, re.I)),
    ("decimal", re.compile(r"^(?P<n>\d{1,2})(?P<sub>(?:\.\d{1,2})+)?(?:\.|\)|\s*[-–—:])?\s+(?=\D)")),
    ("roman", re.compile(r"^(?P<n>" + ROMAN + r")(?:\.|\)|\s*[-–—:])\s*(?=\D)")),
    ("roman", re.compile(r"^(?P<n>[IVX]{1,5})\s+(?=[A-ZÀ-Ý][a-zà-ÿ'’])")),  # « IV Durée de la convention »
    ("lettre", re.compile(r"^(?P<n>[A-H])(?:\.|\))\s+(?=\D)")),
)
PAGE_NUMBER = re.compile(r"\s+\d{1,3}$")
TOC = re.compile(r"(\.{3,}|…{2,}|(\s\.){3,}|_{3,})\s*\d{0,3}\s*$|\t\s*\d{1,3}\s*$")
CONNECTOR = re.compile(r"(\b(et|de|des|du|la|le|les|d'|l'|en|a|au|aux|pour|sur|avec|par|ou)|[,'’-])$", re.I)
ARTICLES = re.compile(r"^(?:(?:les|le|la|un|une|des|du|de la) |l'|de l')")


@dataclass(frozen=True)
class Heading:
    title: str  # its text without its number, a title cut over two lines joined
    shown: str  # the line(s) as written, for the quote
    where: str
    kind: str  # article, titre, annexe, decimal, roman, lettre, style, capitales, ligne
    number: int | None  # the first-level number ("Article 3", "III.", "3." -> 3; "3.1" -> None)
    strength: float  # how sure this is a heading
    annexe: bool
    lines: tuple[int, int] = (0, 0)  # first and last line it takes


@dataclass(frozen=True)
class _Line:
    text: str
    where: str
    heading: int
    number: str  # Word's automatic number, on a block's first line
    alone: bool = False  # the whole block: a paragraph of one line
    block: int = 0  # the index of its block in the piece: a table between two lines keeps them apart


def _lines(piece: PieceText) -> list[_Line]:
    out = []
    for index, block in enumerate(piece.blocks):
        if block.cells:
            continue
        first = True
        alone = len([t for t in block.text.splitlines() if t.strip()]) == 1
        for line in block.text.splitlines():
            if line.strip():
                text = " ".join(line.split())
                out.append(_Line(text, block.where, block.heading, block.number if first else "", alone, index))
                first = False
    return out


def _value(n: str | None) -> int | None:
    if not n:
        return None
    plain = normal(n).rstrip(".")
    if plain.isdigit():
        return int(plain)
    if plain in ("1er", "premier", "premiere", "unique"):
        return 1
    if re.fullmatch(r"[ivxlc]+", plain):
        return _roman(plain.upper())
    if len(plain) == 1 and plain in "abcdefgh":
        return "abcdefgh".index(plain) + 1
    return None


def _roman(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total if total > 0 else None


def _numbering(text: str) -> tuple[str, int | None, str] | None:
    """(kind, first-level number, the title after it) when the text starts with a number."""
    for kind, pattern in NUMBERING:
        match = pattern.match(text)
        if match:
            sub = match.groupdict().get("sub")
            number = None if sub else _value(match.group("n"))
            return kind, number, text[match.end() :].strip(" -–—:.")
    return None


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _strength(line: _Line, kind: str, title: str) -> float:
    """How sure a line is a heading, from what the reader saw and its shape."""
    words = word_count(title)
    if words > 25 or (words > 15 and not line.heading):
        return 0.0
    if line.heading:
        return 1.0
    if kind in ("article", "titre", "annexe"):
        return 1.0 if words <= 15 else 0.7
    starts_upper = title[:1].isupper() or title[:1].isdigit()
    sentence = title.endswith((";", ",")) or (title.endswith(".") and words > 8)
    if line.number:  # Word's list numbering on a body paragraph: a heading, or an item of a list
        return 0.9 if starts_upper and words <= 12 and not sentence else 0.5
    if kind in ("decimal", "roman", "lettre"):
        return 0.9 if starts_upper and words <= 14 and not sentence else 0.0
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", title)
    if len(letters) >= 4 and letters.isupper() and words <= 12:
        return 0.85
    if starts_upper and words <= 8 and not title.endswith((".", ";", ",", ":")):
        return 0.6
    return 0.0


# The last piece read, its block count and its headings (read() asks three times); one tuple,
# read and replaced whole, so that two threads never mix two pieces.
_last: tuple = (None, 0, [])


def headings(piece: PieceText) -> list[Heading]:
    """The piece's headings in reading order, table-of-contents lines weakened."""
    global _last
    cached = _last
    if cached[0] is piece and cached[1] == len(piece.blocks):
        return cached[2]
    found = _headings(piece)
    _last = (piece, len(piece.blocks), found)
    return found


def _headings(piece: PieceText) -> list[Heading]:
    lines = _lines(piece)
    out: list[Heading] = []
    in_annexes = False  # after « ANNEXES »: the headings name annexes
    signed = False  # after « Fait à … »: what follows the signatures is annexed
    in_annex = False  # after « Annexe N – … »: the headings are the annex's own
    in_toc = False  # after « Sommaire »: lines ending with a page number
    skip = -1
    for i, line in enumerate(lines):
        if i <= skip:
            continue
        text = TOC.sub("", line.text).strip()
        toc = text != line.text.strip()
        if re.fullmatch(r"(sommaire|table des matieres)( :)?", normal(text)):
            in_toc = True
            continue
        if in_toc and PAGE_NUMBER.search(text):
            text, toc = PAGE_NUMBER.sub("", text), True  # « Article 3 – Engagements des parties 4 »
        elif not toc:
            in_toc = False
        if line.number:  # Word's automatic number: « Article 3 », « II. », « 2.1 »
            kind, number, _ = _numbering(f"{line.number} x") or ("decimal", None, "")
            title = text
        else:
            kind, number, title = _numbering(text) or ("", None, text)
        used = i
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if kind and not title and nxt is not None and not _numbering(nxt.text) and word_count(nxt.text) <= 15:
            title, used = TOC.sub("", nxt.text).strip(), i + 1  # « ARTICLE 3 » alone, its title below
        elif nxt is not None and used + 1 < len(lines) and _continues(line, title, nxt):
            title, used = f"{title} {nxt.text}", i + 1
        if kind == "annexe" and not title:  # « ANNEXES » alone: the list of the annexes follows
            kind, title = "", text
        strength = _strength(line, kind, title)
        signed = signed or bool(SIGNED.match(normal(text)))
        if not strength:
            continue
        if not kind and not line.heading and line.alone and strength < 0.85:
            kind, strength = "paragraphe", 0.75 if _body(nxt) else strength  # a short paragraph alone
        if kind in ("", "paragraphe") and re.fullmatch(r"(les |liste des )?annexes( a joindre)?:?", normal(title)):
            in_annexes, in_annex = True, False  # « ANNEXES », then « 1. Fiches actions », « 2. Calendrier »…
        elif kind == "annexe":
            in_annexes, in_annex = False, not toc  # « Annexe 2 – Fiches »: what follows is the fiches
        elif kind in ("article", "titre"):
            in_annexes = in_annex = False
        elif in_annex:
            continue  # a fiche's « Calendrier », « Plan de financement »: no part of the trame
        annexe = kind == "annexe" or (in_annexes and kind not in ("", "capitales"))
        annexe = annexe or (signed and kind not in ("paragraphe", "ligne") and strength >= 0.85)
        shown = " ".join(lines[k].text for k in range(i, used + 1))
        if line.number:
            shown = f"{line.number} {shown}"
        out.append(
            Heading(
                title,
                shown,
                line.where,
                kind or ("style" if line.heading else "capitales" if strength == 0.85 else "ligne"),
                number,
                strength * (0.7 if toc else 1.0),
                annexe,
                (i, used),
            )
        )
        skip = used
    return _listed_annexes(out, lines)


SIGNED = re.compile(r"^fait (a|en \w+ exemplaires)\b")


def _listed_annexes(found: list[Heading], lines: list[_Line]) -> list[Heading]:
    """Annex headings one right after the other, with nothing between them (no text, no table),
    are a list of the annexes (« Liste des annexes : Annexe 1 – …, Annexe 2 – … »), not the
    annexes themselves: they only propose their parts."""

    def adjacent(first: Heading, second: Heading) -> bool:
        last, next_ = first.lines[1], second.lines[0]
        return last + 1 == next_ and lines[next_].block - lines[last].block <= 1

    out = list(found)
    for n, heading in enumerate(found):
        if not heading.annexe:
            continue
        before = n > 0 and found[n - 1].annexe and adjacent(found[n - 1], heading)
        after = n + 1 < len(found) and found[n + 1].annexe and adjacent(heading, found[n + 1])
        if before or after:
            out[n] = replace(heading, strength=min(heading.strength, LISTED))
    return out


LISTED = 0.7


def _body(line: _Line | None) -> bool:
    """A paragraph of running text: long, or a sentence."""
    return line is not None and (word_count(line.text) > 12 or line.text.endswith((".", ":")))


def _continues(line: _Line, title: str, nxt: _Line) -> bool:
    """The next line carries on the title: cut after a connector, or starting lower case, short,
    not a heading of its own (two headings of the same style one after the other stay two)."""
    if _numbering(nxt.text) or nxt.number or word_count(nxt.text) > 10 or nxt.text.endswith((".", ";")):
        return False
    if line.heading != nxt.heading:
        return False  # the reader saw a heading and a body line
    return bool(title) and (bool(CONNECTOR.search(title)) or nxt.text[:1].islower())
