"""What a délibération signs with: the body whose paper it is on (its letterhead, « COMMUNE DE
KERBRIVAN », « MONTREVAL MÉTROPOLE ») for a bare « Le Maire, » or « Le Président, » (the séance
and its date: deliberations.py)."""

from __future__ import annotations

import re

from instruct.documents.evidence import SURE
from instruct.documents.parties import organisme_name
from instruct.documents.people import clean
from instruct.documents.read import PieceText
from instruct.documents.roles import role_scored
from instruct.documents.text import normal


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
