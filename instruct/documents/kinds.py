"""What a piece is (convention-cadre, avenant, délibération…) and an avenant's number."""

from __future__ import annotations

import re

from instruct.documents.read import PieceText
from instruct.documents.text import normal

KINDS = [  # first match on the document's opening text wins
    ("avenant", r"\bavenant\b"),
    ("convention_cadre", r"convention[- ]cadre"),
    ("note_projet_urbain", r"note (de |du )?projet urbain"),
    ("plan_situation", r"plan de situation"),
    ("note_utilite_immeubles", r"note (d'|sur l')utilite"),
    ("dossier_operateur", r"dossier (de l')?operateur"),
    ("fiche_action", r"fiche action"),
    ("deliberation", r"\bdeliberation\b"),
]


def recognise(piece: PieceText) -> str | None:
    opening = normal(" ".join(b.text for b in piece.blocks[:3]))[:400]
    for kind, pattern in KINDS:
        if re.search(pattern, opening):
            return kind
    return None


def numero(piece: PieceText) -> int | None:
    match = re.search(
        r"avenant (?:n|no|numero)?\s*°?\s*(\d{1,2})\b", normal(" ".join(b.text for b in piece.blocks[:3]))[:400]
    )
    return int(match.group(1)) if match else None
