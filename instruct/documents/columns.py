"""Which column of a table of actions holds what, from its header row's cells.

Towns name the same column many ways (« Intitulé », « Libellé de l'action », « Axe / Action »;
« Coût HT », « Montant prévisionnel », « Budget (€ HT) »; « Maître d'ouvrage », « Porteur »…).
Each heading is scored against every column's names and the columns are given out best score
first; a heading that names the financements is not the cost's (« Montant des financements »).
"""

from __future__ import annotations

import re
from decimal import Decimal

from instruct.documents.text import normal
from instruct.french import header_scale

# column -> (pattern on the normalised heading, how surely it names that column)
TABLE_COLUMNS: dict[str, tuple[tuple[str, float], ...]] = {
    "id": (
        (r"^(n°|no|n|nr|num|numero|ref|reference|id|code|#)\.?( (de l'|d')?(action|fiche|operation))?$", 1.0),
        (r"^fiches?( actions?)?( n°)?$", 0.8),
    ),
    "intitule": (
        (r"intitule|libelle|nom (de l'action|du projet|de l'operation)|designation", 1.0),
        (r"^(etudes?|actions?)( ?(et|/|ou) ?(etudes?|actions?))?$", 0.8),
        (r"^(axes? ?[/-] ?)?(fiches?[ -])?actions?\b|^operations?\b|^projets?\b", 0.8),
        (r"\bactions?$|\boperations?$|^objet\b|^nature\b|^description\b", 0.6),
    ),
    "maitre_ouvrage": (
        (r"maitr(e|ise) d'ouvrage|porteurs?\b|^m\.?o\.?a?\.?$", 1.0),
        (r"^pilotes?\b|^responsables?\b|^operateurs?\b|^beneficiaires?\b|^structure porteuse", 0.8),
    ),
    "calendrier": (
        (r"calendrier|echeancier|echeances?\b|planning|^periode|programmation", 1.0),
        (r"^dates?\b|^delais?\b|^annees?\b|^duree\b|^realisation\b", 0.7),
    ),
    "debut": ((r"^(date de )?debut\b|^demarrage\b|^lancement\b", 0.9),),
    "fin": ((r"^(date de )?fin\b|^achevement\b|^livraison\b", 0.9),),
    "cout": (
        (r"^cout|^montant|^budget|\bcout (total|global|previsionnel|estime|ht|ttc)\b", 1.0),
        (r"\bcouts?\b|\bmontants?\b|\bbudgets?\b|^estimation|^enveloppe|^depenses?\b|^investissement", 0.8),
        (r"^total( general)?( ht| ttc)?$", 0.7),
        (r"^\(?(k|m)?(€|eur|euros)\s*(ht|ttc)?\)?$", 0.85),  # a heading that is only the unit: « k€ HT »
    ),
    "financeurs": (
        (r"financeurs?|financements?|partenaires? financ|cofinanc|plan de financement", 1.0),
        (r"^partenaires?\b|subventions?|participations?|^aides?\b", 0.7),
    ),
}
# A column's name in a heading counts more than a word that merely appears in it: « Montant des
# financements » names the financements first.
LEADING = 0.05
UNIT_BONUS = 0.02
SUBHEADING = 0.2


def column_scores(cell: str) -> dict[str, float]:
    """How surely one heading names each column (0 when it does not). A heading over two rows
    (« Calendrier | Début ») is named by its lower row first: the columns under a merged one."""
    if " | " in cell:
        scores = column_scores(cell.replace(" | ", " "))
        for name, score in column_scores(cell.rsplit(" | ", 1)[1]).items():
            scores[name] = max(scores.get(name, 0.0), score + SUBHEADING)
        return scores
    text = normal(cell.replace("\n", " "))
    text = re.sub(r"\((.*?)\)", " ", text).strip(" :.*")  # « Coût (€ HT) » reads as « Coût »
    text = " ".join(text.split())
    scores = {}
    for name, patterns in TABLE_COLUMNS.items():
        best = 0.0
        for pattern, score in patterns:
            match = re.search(pattern, text)
            if match:
                best = max(best, score + (LEADING if match.start() == 0 else 0.0))
        if best:
            scores[name] = best
    if "financ" in text and "cout" not in text:
        scores.pop("cout", None)
    elif "cout" in scores and header_scale(cell) is not None:
        scores["cout"] += UNIT_BONUS  # of two cost headings, the one that gives the unit
    return scores


def scored_columns(header: list[str] | tuple[str, ...]) -> dict[str, tuple[int, float]]:
    """column -> (index of its cell, how surely); each cell names one column, each column one cell,
    best score first, the leftmost cell first on a tie."""
    candidates = sorted(
        ((-score, index, name) for index, cell in enumerate(header) for name, score in column_scores(cell).items()),
    )
    found: dict[str, tuple[int, float]] = {}
    used: set[int] = set()
    for minus, index, name in candidates:
        if name not in found and index not in used:
            found[name] = (index, -minus)
            used.add(index)
    return found


def table_columns(header: list[str] | tuple[str, ...]) -> dict[str, int]:
    """Which column holds what, from the header row's cells."""
    return {name: index for name, (index, _) in scored_columns(header).items()}


def column_scales(header: list[str] | tuple[str, ...]) -> dict[int, Decimal]:
    """The unit each heading gives its bare numbers: « Budget (€ HT) » -> 1, « Coût (k€) » -> 1000."""
    found = {}
    for index, cell in enumerate(header):
        scale = header_scale(cell)
        if scale is not None:
            found[index] = scale
    return found


def looks_like_header(cells: list[str]) -> bool:
    columns = table_columns(cells)
    return "intitule" in columns and len(columns) >= 3
