"""Values written in running text: dates the French ways (amounts: french.find_amount)."""

from __future__ import annotations

import datetime as dt
import re

from instruct.documents.text import normal
from instruct.french import MOIS, parse_date

# Month names as `normal` writes them ("fevrier", "aout"), from french.MOIS.
MONTHS = {normal(name): number for number, name in enumerate(MOIS, 1)}
DATE_WORDS = re.compile(r"\b(\d{1,2})(?:er)? (" + "|".join(MONTHS) + r") (\d{4})\b")
DATE_NUM = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


def dates(text: str) -> list[dt.date]:
    """Dates in running text: « 1er février 2019 », « 28 septembre 2018 », then « 28/09/2018 »."""
    out = []
    plain = normal(text)
    for d, m, y in DATE_WORDS.findall(plain):
        try:
            out.append(dt.date(int(y), MONTHS[m], int(d)))
        except ValueError:
            continue
    for written in DATE_NUM.findall(plain):
        try:
            out.append(parse_date(written))
        except ValueError:
            continue
    return out
