"""The parts of the trame found in a piece's headings (headings.py), its duration, whether it is
worth a convention d'ORT. Each part found carries its heading's strength as its quote's
confidence; `trame_sure` says whether the piece's headings were found well enough that a part
not found is truly absent.
"""

from __future__ import annotations

import re

from instruct.documents.actions import unnoised
from instruct.documents.evidence import SURE, Quote
from instruct.documents.headings import ARTICLES, WORD_NUMBERS, Heading, headings, word_count
from instruct.documents.read import PieceText
from instruct.documents.text import normal
from instruct.vocabulary import PartieTrame

# A heading's start, whatever its numbering ("Article 5 –", "V.", "5.2", "Annexe 1 –"): what
# parties.py uses to see where the parties block ends.
HEADING = re.compile(
    r"^\s*((article|titre|chapitre|partie|annexe)\s+\w+|[ivxlc]+\.|\d+(\.\d+)*\.?)\s*[-:.–]?\s*", re.IGNORECASE
)

# --- the trame -----------------------------------------------------------------------------------


def _fit(title: str) -> float:
    words = word_count(title)
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
