"""The parts of the trame found in a piece's headings, its duration, whether it is worth a convention d'ORT.

A heading is recognised by what the reader saw (a heading style or font, Word's automatic
number) or by its text: « Article 1er », « Article premier », « ARTICLE 1 : », « 1. », « 1.1 »,
« Titre I », « IV – », « Chapitre 2 », « Annexe – … », « ANNEXE 3 : … », a short line in capitals;
a number alone on its line takes the next line as its title, a title cut over two lines is
joined. Each heading has a strength (how sure it is a heading); each part found carries it as its
quote's confidence. `trame_sure` says whether the piece's headings were found well enough that a
part not found is truly absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from instruct.documents.actions import unnoised
from instruct.documents.evidence import SURE, Quote
from instruct.documents.read import PieceText
from instruct.documents.text import normal
from instruct.vocabulary import PartieTrame

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
# A heading's start, whatever its numbering ("Article 5 –", "V.", "5.2", "Annexe 1 –"): what
# parties.py uses to see where the parties block ends.
HEADING = re.compile(
    r"^\s*((article|titre|chapitre|partie|annexe)\s+\w+|[ivxlc]+\.|\d+(\.\d+)*\.?)\s*[-:.–]?\s*", re.IGNORECASE
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


def _lines(piece: PieceText) -> list[_Line]:
    out = []
    for block in piece.blocks:
        if block.cells:
            continue
        first = True
        alone = len([t for t in block.text.splitlines() if t.strip()]) == 1
        for line in block.text.splitlines():
            if line.strip():
                text = " ".join(line.split())
                out.append(_Line(text, block.where, block.heading, block.number if first else "", alone))
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


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _strength(line: _Line, kind: str, title: str) -> float:
    """How sure a line is a heading, from what the reader saw and its shape."""
    words = _words(title)
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
        if kind and not title and nxt is not None and not _numbering(nxt.text) and _words(nxt.text) <= 15:
            title, used = TOC.sub("", nxt.text).strip(), i + 1  # « ARTICLE 3 » alone, its title below
        elif nxt is not None and used + 1 < len(lines) and _continues(line, title, nxt):
            title, used = f"{title} {nxt.text}", i + 1
        if kind == "annexe" and not title:  # « ANNEXES » alone: the list of the annexes follows
            kind, title = "", text
        strength = _strength(line, kind, title)
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
    return _listed_annexes(out)


def _listed_annexes(found: list[Heading]) -> list[Heading]:
    """Annex headings one right after the other, with nothing between them, are a list of the
    annexes (« Liste des annexes : Annexe 1 – …, Annexe 2 – … »), not the annexes themselves:
    they only propose their parts."""
    out = list(found)
    for n, heading in enumerate(found):
        if not heading.annexe:
            continue
        before = n > 0 and found[n - 1].annexe and found[n - 1].lines[1] + 1 == heading.lines[0]
        after = n + 1 < len(found) and found[n + 1].annexe and heading.lines[1] + 1 == found[n + 1].lines[0]
        if before or after:
            out[n] = replace(heading, strength=min(heading.strength, LISTED))
    return out


LISTED = 0.7


def _body(line: _Line | None) -> bool:
    """A paragraph of running text: long, or a sentence."""
    return line is not None and (_words(line.text) > 12 or line.text.endswith((".", ":")))


def _continues(line: _Line, title: str, nxt: _Line) -> bool:
    """The next line carries on the title: cut after a connector, or starting lower case, short,
    not a heading of its own (two headings of the same style one after the other stay two)."""
    if _numbering(nxt.text) or nxt.number or _words(nxt.text) > 10 or nxt.text.endswith((".", ";")):
        return False
    if line.heading != nxt.heading:
        return False  # the reader saw a heading and a body line
    return bool(title) and (bool(CONNECTOR.search(title)) or nxt.text[:1].islower())


# --- the trame -----------------------------------------------------------------------------------


def _fit(title: str) -> float:
    words = _words(title)
    return 1.0 if words <= 10 else 0.9 if words <= 15 else 0.8


def _matches(piece: PieceText, parts: tuple[PartieTrame, ...]) -> list[tuple[Heading, str, float]]:
    """(heading, part code, confidence) for every heading naming a part. Short paragraphs alone
    that name four parts or more are the piece's headings even when the reader saw no style
    (bold lost, a DOCX written by hand): they are then as sure as a numbered heading."""
    out = []
    found = headings(piece)
    structured = len([h for h in found if _structural(h)]) >= 3
    for heading in found:
        title = ARTICLES.sub("", normal(unnoised(heading.title)).lstrip("-:. "))
        for part in parts:
            if part.annexe == heading.annexe and re.search(part.motif, title):
                out.append((heading, part.code, round(heading.strength * _fit(heading.title), 3)))
    plain = {code for h, code, _ in out if h.kind == "paragraphe"}
    if len(plain) >= COLLECTIVE:
        out = [(h, code, max(c, PLAIN_HEADINGS) if h.kind == "paragraphe" else c) for h, code, c in out]
    elif structured:  # « Préambule » alone before its text, among numbered headings
        out = [(h, code, max(c, PLAIN_HEADINGS) if h.kind == "paragraphe" and c >= 0.75 else c) for h, code, c in out]
    return out


def _structural(heading: Heading) -> bool:
    """A numbered or styled heading."""
    return heading.strength >= 0.9 and heading.kind not in ("capitales", "ligne", "paragraphe")


COLLECTIVE = 4  # parts named by plain short paragraphs that make them the piece's headings
PLAIN_HEADINGS = 0.85


def trame(piece: PieceText, parts: tuple[PartieTrame, ...]) -> dict[str, Quote]:
    """Part code -> the heading that names it, its confidence how sure the line is a heading; a
    heading may name two parts (« Calendrier et budget »); annex parts only in annex headings."""
    found: dict[str, Quote] = {}
    for heading, code, confidence in _matches(piece, parts):
        if code not in found or confidence > found[code].confidence:
            found[code] = Quote(piece.file, heading.where, heading.shown[:240], confidence)
    if "parties" in {p.code for p in parts} and "parties" not in found:
        block = parties_block(piece)
        if block is not None:
            found["parties"] = block
    return found


ENTRE = re.compile(r"^entre\b(?! (autres|deux|nous)\b)")
PART = re.compile(r"\bd'une part\b|\bd'autre part\b|\bci-apres (designe|denomme|appele)")


def parties_block(piece: PieceText) -> Quote | None:
    """The parties without a heading of their own: « ENTRE … d'une part, ET … d'autre part » near
    the start of the piece."""
    lines = piece.lines()[:120]
    for n, (line, where) in enumerate(lines):
        if ENTRE.match(normal(line)):
            follows = " ".join(normal(text) for text, _ in lines[n : n + 40])
            return Quote(piece.file, where, line[:240], 0.9 if PART.search(follows) else 0.6)
    return None


def trame_sure(piece: PieceText, parts: tuple[PartieTrame, ...] = ()) -> bool:
    """The piece's heading structure was found: several numbered or styled headings (or plain
    paragraphs naming `parts`), numbered without a gap, in a piece read whole. Then a part not
    found is truly absent; otherwise its absence is only to be checked."""
    if piece.truncated:
        return False
    strong = [h for h in headings(piece) if _structural(h)]
    plain = {code for h, code, c in _matches(piece, parts) if h.kind == "paragraphe" and c >= SURE}
    if len(strong) < 3 and len(plain) < COLLECTIVE:
        return False
    for kinds in (("article",), ("titre",), ("roman",), ("decimal",)):
        numbers = [h.number for h in strong if h.kind in kinds and h.number is not None and not h.annexe]
        if len(numbers) >= 2 and set(range(min(numbers), max(numbers) + 1)) - set(numbers):
            return False  # « Article 4 » then « Article 6 »: a heading was not read
    return not _doubtful_absence(piece, parts)


STOP = {"de", "des", "du", "la", "le", "les", "et", "en", "pour", "avec", "sur", "par", "aux", "au", "dans"}
GENERIC = {"general", "generale", "generaux", "convention", "projet", "programme", "annexe", "annexes"}


def _doubtful_absence(piece: PieceText, parts: tuple[PartieTrame, ...]) -> bool:
    """A part not found shares a word with a heading that named no part (« Bilan et suivi
    annuel » when « Modalités de suivi et évaluation » is missing): a name the motifs do not know."""
    matches = _matches(piece, parts)
    found = {code for _, code, _ in matches}
    named = {id(h) for h, _, _ in matches}
    unnamed = [_significant(h.title) for h in headings(piece) if id(h) not in named and h.strength >= SURE]
    for part in parts:
        if part.code in found or (part.code == "parties" and parties_block(piece) is not None):
            continue
        words = _significant(f"{part.libelle} {part.titre_piece}")
        if any(words & title for title in unnamed):
            return True
    return False


def _significant(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", normal(text)) if w not in STOP | GENERIC}


# --- durée, valant ORT ----------------------------------------------------------------------------

NUMBER_WORD = r"\d{1,2}|" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
YEARS = rf"(?P<n>{NUMBER_WORD})(?:\s*\((?P<m>{NUMBER_WORD})\))?\s+(?:ans|annees)\b"
DUREE = (
    re.compile(rf"\b(?:d'une|pour une|sur une|a une|une) duree (?:totale |globale )?(?:de |d')?{YEARS}"),
    re.compile(
        rf"\b(?:conclue?s?|signee?s?|etablie?s?|valables?|engagee?s?|prevue?s?) pour (?:une periode de )?{YEARS}"
    ),
    re.compile(rf"\bduree (?:de la (?:presente )?convention |de l'ort )?(?:est )?(?:fixee )?(?:a|de) {YEARS}"),
    re.compile(rf"\bpour (?:les |une periode de )?{YEARS}\b.{{0,40}}\b(?:a compter|a partir)"),
    re.compile(rf"\b(?:valables?|conclue?s?) (?:pendant |durant )?{YEARS}"),
)
YEAR_WORD = re.compile(r"\b(ans|ann[ée]es)\b", re.IGNORECASE)
ABOUT_CONVENTION = re.compile(r"\bconvention|\bpresente\b|\bort\b|\bprogramme\b|\bavenant|\bcontrat")
ABOUT_ELSE = re.compile(
    r"\bprorog|\bprolong|\bphase\b|\bopah|\boperation|\betude|\bmission|\bbail|\bmarche|\bpret\b|\bgarantie|\bfiche"
)


def _years(match: re.Match) -> int | None:
    values = {_count(match.group("n")), _count(match.group("m"))} - {None}
    return values.pop() if len(values) == 1 else None  # « six (7) ans »: which?


def _count(written: str | None) -> int | None:
    if not written:
        return None
    return int(written) if written.isdigit() else WORD_NUMBERS.get(written)


def duree(piece: PieceText) -> tuple[int, Quote] | None:
    """The convention's duration in years: « d'une durée de 6 ans », « pour une durée de six (6)
    ans », « conclue pour 5 années ». Sure when the sentence is about the convention (or sits
    under the durée heading) and no other sure sentence says otherwise."""
    lines = piece.lines()
    candidates: list[tuple[int, Quote]] = []
    for n, (line, where) in enumerate(lines):
        joined = line if n + 1 >= len(lines) else f"{line} {lines[n + 1][0]}"
        if not YEAR_WORD.search(joined):
            continue
        plain = normal(joined)
        for pattern in DUREE:
            match = pattern.search(plain)
            if match is None or match.start() > len(normal(line)):
                continue
            years = _years(match)
            if years is None or not 1 <= years <= 30:
                continue
            before = plain[max(0, match.start() - 120) : match.end() + 20]
            sure = 1.0 if ABOUT_CONVENTION.search(before) else 0.75
            if ABOUT_ELSE.search(plain[max(0, match.start() - 60) : match.start()]):
                sure = 0.5
            text = line if match.end() <= len(normal(line)) else joined
            candidates.append((years, Quote(piece.file, where, text[:240], sure)))
            break
    if not candidates:
        return None
    years, quote = max(candidates, key=lambda c: c[1].confidence)
    if any(y != years and q.confidence >= SURE for y, q in candidates):
        quote = Quote(quote.file, quote.where, quote.text, min(quote.confidence, 0.6))
    return years, quote


def valant_ort(piece: PieceText) -> Quote | None:
    """The opening text names the opération de revitalisation de territoire."""
    for line, where in piece.lines()[:12]:
        if re.search(r"revitalisation de territoire|\bort\b", normal(line)):
            return Quote(piece.file, where, line[:240])
    return None
