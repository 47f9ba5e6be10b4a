"""The parts of the trame found in a piece's headings, its duration, whether it is worth a convention d'ORT."""

from __future__ import annotations

import re

from instruct.documents.evidence import Quote
from instruct.documents.read import PieceText
from instruct.documents.text import normal
from instruct.vocabulary import PartieTrame

# A heading, whatever its numbering: "Article 5 –", "V.", "5.2", "Annexe 1 –".
HEADING = re.compile(
    r"^\s*((article|titre|chapitre|partie|annexe)\s+\w+|[ivxlc]+\.|\d+(\.\d+)*\.?)\s*[-:.–]?\s*", re.IGNORECASE
)


# Parts of the convention-cadre (PROG-04) and of the avenant (PROG-09), recognised in numbered
# headings ("Article 5 –", "V.", "Annexe 1 –") by the patterns of vocabulary.TRAMES; parts
# named annexe_* only in annex headings.


def trame(piece: PieceText, parts: tuple[PartieTrame, ...]) -> dict[str, Quote]:
    found: dict[str, Quote] = {}
    for line, where in piece.lines():
        if len(line) > 160 or not HEADING.match(line):
            continue
        annex = normal(line).startswith("annexe")
        text = normal(HEADING.sub("", line, count=1)).lstrip("-:. ")
        for part in parts:
            if part.code not in found and part.annexe == annex and re.search(part.motif, text):
                found[part.code] = Quote(piece.file, where, line)
                break
    return found


DUREE = re.compile(r"\bd'une duree de (\d{1,2}) ans\b")


def duree(piece: PieceText) -> tuple[int, Quote] | None:
    for line, where in piece.lines():
        match = DUREE.search(normal(line))
        if match:
            return int(match.group(1)), Quote(piece.file, where, line[:240])
    return None


def valant_ort(piece: PieceText) -> Quote | None:
    """The opening text names the opération de revitalisation de territoire."""
    for line, where in piece.lines()[:12]:
        if re.search(r"revitalisation de territoire|\bort\b", normal(line)):
            return Quote(piece.file, where, line[:240])
    return None
