"""What a piece is (convention-cadre, avenant, délibération…) and an avenant's number, read from
its title and opening.

Each kind is a candidate scored by its clues: a clue in the title (the first short lines, the
first heading) counts in full, the same clue further in the opening counts less. The kinds
that name other pieces in their title win over what they name: a délibération « approuvant
l'avenant n° 1 à la convention-cadre » is a délibération, an « Avenant n° 1 à la convention
Action Cœur de Ville » an avenant. Below `evidence.SURE` the kind is only a proposal.
"""

from __future__ import annotations

import re

from instruct.documents.evidence import Quote
from instruct.documents.read import PieceText
from instruct.documents.text import normal

# kind -> (clue, weight in the title); the patterns read `normal` text
CLUES: dict[str, list[tuple[str, float]]] = {
    "deliberation": [
        (r"extrait (du registre|des registres|du proces[- ]verbal) des deliberations", 1.0),
        (r"registre des deliberations", 0.95),
        (r"^(\S+ ){0,2}deliberation (n ?°|no|n°)? ?[\w./-]* ?du (conseil|bureau|comite|commission)", 0.95),
        (r"deliberation (n ?°|no|n°)? ?[\w./-]* ?du (conseil|bureau|comite|commission)", 0.7),  # cited in a sentence
        (r"\bdeliberation (n ?°|no|n°) ?\d", 0.9),
        (r"^deliberation\b", 0.9),
        (r"apres en avoir delibere", 0.85),
        (r"\bseance du conseil (municipal|communautaire|metropolitain)", 0.85),
        (r"^(proces-verbal|compte rendu) du conseil", 0.6),
        (r"^(\S+ ){0,3}deliberation\b", 0.7),
    ],
    "avenant": [
        (r"\bavenant (n ?°|no\.?|nº|n\.|n|numero|num\.?)? ?(\d{1,2}|[ivx]{1,4})\b", 1.0),
        (r"\b(premier|1er|deuxieme|second|troisieme|quatrieme|cinquieme|[2-9] ?(e|eme|nd)) avenant\b", 1.0),
        (r"^avenant\b", 0.95),
        (r"\bavenant\b(?! ?s\b)", 0.85),
    ],
    "fiche_action": [(r"^fiches?[- ]actions?\b", 1.0), (r"\bfiches?[- ]actions?\b", 0.8)],
    "note_projet_urbain": [(r"\bnote\b.{0,30}\bprojet urbain", 1.0), (r"\bprojet urbain\b", 0.6)],
    "note_utilite_immeubles": [
        (r"\bnote\b.{0,40}\butilite", 1.0),
        (r"utilite (des|de l'|de ces) immeubles?", 0.9),
    ],
    "plan_situation": [(r"plans? de situation", 1.0), (r"plans? de (localisation|reperage)", 0.8)],
    "dossier_operateur": [(r"dossier (de l'|d'|de candidature de l'|de candidature d')?operateur", 1.0)],
    "convention_cadre": [
        (r"convention[- ]cadre", 1.0),
        (
            r"convention\W+(pluriannuelle\W+|de partenariat\W+)?(du programme\W+)?(action c(oe|œ)ur de ville|acv)\b",
            0.95,
        ),
        (r"^convention\b.*\b(action c(oe|œ)ur de ville|acv)\b", 0.9),
        (r"^convention (d'operation|d'ort)", 0.7),
    ],
}
# A piece naming another in its title is the naming one: this order breaks ties in the title.
PRECEDENCE = ["deliberation", "avenant", "fiche_action", "note_projet_urbain", "note_utilite_immeubles"]
PRECEDENCE += ["plan_situation", "dossier_operateur", "convention_cadre"]
TITLE_LINES = 10  # the title is among the first short lines (after a cover's names)
OPENING_LINES = 30
BODY = 0.65  # a clue found in the opening's body, not its title, counts this much
PARTIES = re.compile(  # the title ends at the parties, the first article, a representative
    r"^entre\b|^(\S+ )?(les )?parties\b|represente|^il est convenu|^preambule|en (sa|son) qualite|agissant\b"
    r"|^(article|titre) (1er|premier|1|i)\b"
)


def _opening(piece: PieceText) -> tuple[list[str], list[str]]:
    """(title lines, the rest of the opening), as `normal` text."""
    lines = [normal(line) for line, _ in piece.lines()[:OPENING_LINES]]
    first = next((normal(b.shown) for b in piece.blocks[:15] if b.heading and not b.cells), None)
    title, body = [], []
    in_title = True
    for n, line in enumerate(lines):
        if len(line) > 160 or n >= TITLE_LINES or PARTIES.search(line):
            in_title = False
        (title if in_title or line == first else body).append(line)  # the first heading: a title set apart
    return title, body


def _score(line: str, kind: str, factor: float) -> float:
    if line.startswith(("vu ", "considerant")) or (kind != "deliberation" and line.startswith("objet")):
        factor *= 0.5  # a visa or a délibération's object names another piece
    return max((w * factor for pattern, w in CLUES[kind] if re.search(pattern, line)), default=0.0)


def scores(piece: PieceText) -> dict[str, float]:
    """kind -> its best clue's weight, the title's clues in full and the body's reduced."""
    title, body = _opening(piece)
    out = {}
    whole = " ".join(line for line in title[:4] if not line.startswith(("objet", "vu ")))  # a title over lines
    for kind in CLUES:
        best = max(
            [_score(line, kind, 1.0) for line in title]
            + [
                _score(whole, kind, 0.95)
                if kind in ("convention_cadre", "note_projet_urbain", "plan_situation")
                else 0.0
            ]
            + [_score(line, kind, BODY) for line in body]
            + [0.0]
        )
        if best:
            out[kind] = best
    return out


def recognise_scored(piece: PieceText) -> tuple[str | None, float]:
    """The kind and how sure: the best-scored kind, the one naming the others in a tie."""
    found = scores(piece)
    if not found:
        return None, 0.0
    strong = [k for k in PRECEDENCE if found.get(k, 0) >= 0.85]
    kind = strong[0] if strong else max(found, key=lambda k: (found[k], -PRECEDENCE.index(k)))
    confidence = found[kind]
    rivals = [v for k, v in found.items() if k != kind and PRECEDENCE.index(k) < PRECEDENCE.index(kind)]
    if rivals and max(rivals) >= confidence - 0.1:  # a kind that should have won comes close: doubt
        confidence = min(confidence, 0.6)
    if confidence < 0.9 and any(v >= 1.0 for k, v in found.items() if k != kind):
        confidence = min(confidence, 0.7)  # the title names another kind outright: which is it?
    return kind, round(confidence, 2)


ORDINALS = {"premier": 1, "1er": 1, "deuxieme": 2, "second": 2, "troisieme": 3, "quatrieme": 4, "cinquieme": 5}
ORDINALS |= {"sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
NUMBER_AFTER = re.compile(r"\bavenant ?(?:n ?°|no\.?|nº|n\.|n|numero|num\.?)? ?(\d{1,2}|[ivx]{1,4})\b(?! ?[/.-]\d)")
NUMBER_BEFORE = re.compile(r"\b(" + "|".join(ORDINALS) + r"|\d{1,2} ?(?:e|eme|nd|er)) avenant\b")


def avenant_number(line: str) -> int | None:
    """« Avenant n°1 », « AVENANT N° 2 », « avenant numéro 3 », « premier avenant », « 2e avenant »
    (`line` in `normal` form)."""
    after = NUMBER_AFTER.search(line)
    if after:
        written = after.group(1)
        if written.isdigit():
            return int(written) or None
        if re.search(r"avenant ?(n ?°|no\.?|nº|n\.|numero)", after.group(0)):  # « avenant n° II », not « avenant i… »
            return ROMAN.get(written)
    before = NUMBER_BEFORE.search(line)
    if before:
        written = before.group(1).replace(" ", "")
        return ORDINALS.get(written) or int(re.match(r"\d+", written).group(0))
    return None


def numero(piece: PieceText) -> int | None:
    """The avenant's number from its title, or from « le présent avenant n° 2 » in its opening."""
    found = numero_scored(piece)
    return found[0] if found else None


def numero_scored(piece: PieceText) -> tuple[int, Quote] | None:
    """The avenant's number, with its line and how sure: in full from the title (« Avenant n° 2 »,
    « deuxième avenant »), less from « le présent avenant n° 2 » in the opening or a roman number,
    little from an « Objet : » line (it may name another avenant); two numbers that disagree are
    both in doubt."""
    title, body = _opening(piece)
    where = {normal(line): (line, at) for line, at in reversed(piece.lines()[:OPENING_LINES])}
    found: list[tuple[int, str, float]] = []
    for line in title:
        if line.startswith("vu "):
            continue
        number = avenant_number(line)
        if number:
            roman = not NUMBER_BEFORE.search(line) and not re.search(r"avenant\D{0,12}\d", line)
            found.append((number, line, 0.7 if line.startswith("objet") else 0.9 if roman else 1.0))
    for line in body:
        match = re.search(r"\b(le )?present (avenant.*)", line)
        number = avenant_number(match.group(2)) if match else None
        if number:
            found.append((number, line, 0.85))
    if not found:
        return None
    number, line, confidence = max(found, key=lambda f: f[2])
    if len({n for n, _, c in found if c >= 0.85}) > 1:  # « Avenant n° 2 » over « le présent avenant n° 3 »
        confidence = min(confidence, 0.6)
    text, at = where.get(line, (line, "titre"))
    return number, Quote(piece.file, at, text[:240], confidence)
