"""Which column of a table of actions holds what, from its header row's cells."""

from __future__ import annotations

import re

from instruct.documents.text import normal

# Column headings of the tables of actions (convention's phase d'initialisation, avenant's plan
# d'actions): column -> pattern on the normalised heading.
TABLE_COLUMNS = {
    "id": r"^(n°|no|n|numero|ref|reference|id|code)\.?$",
    "intitule": r"intitule|^action|operation|^objet",
    "maitre_ouvrage": r"maitre d'ouvrage|maitrise d'ouvrage|porteur",
    "calendrier": r"calendrier|echeancier|periode",
    "cout": r"cout|montant|budget",
    "financeurs": r"financeurs?|financements?",
}


def table_columns(header: list[str] | tuple[str, ...]) -> dict[str, int]:
    """Which column holds what, from the header row's cells."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = normal(cell)
        for name, pattern in TABLE_COLUMNS.items():
            if name not in found and re.search(pattern, text):
                found[name] = index
                break
    return found


def looks_like_header(cells: list[str]) -> bool:
    columns = table_columns(cells)
    return "intitule" in columns and len(columns) >= 3
