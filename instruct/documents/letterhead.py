"""What a délibération signs with: the body whose paper it is on (its letterhead, « COMMUNE DE
KERBRIVAN », « MONTREVAL MÉTROPOLE ») for a bare « Le Maire, » or « Le Président, », and the date
of its séance when the extract is signed « les jour, mois et an susdits »."""

from __future__ import annotations

import datetime as dt
import re

from instruct.documents.evidence import SURE, Quote
from instruct.documents.parties import organisme_name
from instruct.documents.people import clean
from instruct.documents.read import PieceText
from instruct.documents.roles import role_scored
from instruct.documents.text import normal
from instruct.documents.values import date_spans


def seance_date(piece: PieceText) -> tuple[dt.date, Quote] | None:
    """A délibération signed without a date (« Fait et délibéré les jour, mois et an susdits »):
    the date of its séance (« Séance du 25 septembre 2018 », « réuni le … »)."""
    for line, where in piece.lines()[:40]:
        plain = normal(line)
        if re.match(r"^((seance|reunion) (publique )?du|l'an)\b", plain) or re.search(r"\breuni\w* le\b", plain):
            found = date_spans(line)
            if found:
                return found[0][0], Quote(piece.file, where, line[:240], 0.85)
    return None


def letterhead_of(piece: PieceText) -> tuple[str, str] | None:
    """The body whose paper the piece is on (« COMMUNE DE KERBRIVAN », « MONTREVAL MÉTROPOLE » at
    the head of a délibération): (name, role), when one of the first lines names a commune or an
    intercommunalité."""
    lines = [clean(line) for block in piece.blocks[:8] if not block.cells for line in block.text.splitlines()]
    for line in lines[:8]:
        if len(line) > 80 or re.search(r"convention|avenant|programme|registre|deliberation", normal(line)):
            continue
        role, confidence = role_scored(line)
        if role in ("commune", "intercommunalite") and confidence >= SURE:
            return organisme_name(_capitalised(line) if line.isupper() else line), role
    return None


def _capitalised(line: str) -> str:
    """« COMMUNE DE SAINT-AUBIN-SUR-MER » -> « Commune de Saint-Aubin-sur-Mer »."""
    small = {"de", "du", "des", "la", "le", "les", "sur", "sous", "en", "et", "lès", "aux", "d", "l"}
    words = re.split(r"([\s\-'’])", line.lower())
    return "".join(w if n and w in small else w[:1].upper() + w[1:] for n, w in enumerate(words))


# What a bare title (« Le Maire, », « Le Président, ») signs for.
TITLE_BODIES = {"commune": r"\bmaire\b", "intercommunalite": r"\bpresident"}
