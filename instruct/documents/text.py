"""Text as the readers compare it: lower case, no accents, one space."""

from __future__ import annotations

import unicodedata


def normal(text: str) -> str:
    """Lower case, no accents, single spaces, typographic quotes and dashes folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("–", "-").replace("—", "-").replace("\u202f", " ").replace("\xa0", " ")
    return " ".join(text.lower().split())
