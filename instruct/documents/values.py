"""Values written in running text: dates the French ways (amounts: french.find_amount).

A date is found where a town writes it: « 1er octobre 2018 », « 01/10/2018 », « 12.10.2018 »,
« 12-10-2018 », « 1/10/18 » (a two-digit year is 20yy), « 2018-10-01 »; `date_spans` gives each
with its place in the text, so that a date can be tied to the label before it. « octobre 2018 »
is a month (`month_spans`), for calendars: never a day.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from instruct.documents.text import normal
from instruct.french import MOIS

# Month names as `normal` writes them ("fevrier", "aout"), from french.MOIS.
MONTHS = {normal(name): number for number, name in enumerate(MOIS, 1)}
_MONTH = "(" + "|".join(MONTHS) + ")"
_SPACE = r"[\s\u00a0\u202f]"
# « 1er octobre 2018 », « 1 er octobre 2018 », « 01 octobre 2018 », « 1° octobre 2018 »
DATE_WORDS = re.compile(
    r"(?<![\d])(\d{1,2})" + _SPACE + r"*(?:er|°)?" + _SPACE + r"+" + _MONTH + _SPACE + r"+(\d{4})(?!\d)"
)
# « 01/10/2018 », « 12.10.2018 », « 12-10-2018 », « 1/10/18 »: the same separator twice
DATE_NUM = re.compile(r"(?<![\d./-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[./-]\d)")
DATE_ISO = re.compile(r"(?<![\d./-])(\d{4})-(\d{2})-(\d{2})(?![\d]|[./-]\d)")
# « le vingt-cinq septembre deux mille dix-huit », « l'an deux mille dix-huit, le vingt-cinq septembre »
NUMBER_WORDS = {"premier": 1, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}
NUMBER_WORDS |= {"sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13}
NUMBER_WORDS |= {"quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30}
_WORD = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + "|mille|mil)"
_NUMBER = _WORD + r"(?:(?:-|" + _SPACE + r"+et" + _SPACE + r"+|" + _SPACE + r"+)" + _WORD + r")*"
DATE_LETTERS = re.compile(r"\b(" + _NUMBER + r")" + _SPACE + r"+" + _MONTH + _SPACE + r"+(" + _NUMBER + r")\b")
YEAR_FIRST = re.compile(
    r"\bl'an"
    + _SPACE
    + r"+("
    + _NUMBER
    + r"),?"
    + _SPACE
    + r"+le"
    + _SPACE
    + r"+("
    + _NUMBER
    + r")"
    + _SPACE
    + r"+"
    + _MONTH
    + r"\b"
)
MONTH_YEAR = re.compile(r"(?<![\w])" + _MONTH + _SPACE + r"+(\d{4})(?!\d)")


def folded(text: str) -> str:
    """Lower case, accents folded, typographic apostrophes and dashes plain, and the same length
    as `text`: an offset in the folded text is an offset in the original."""
    return "".join(map(_fold, text))


@lru_cache(maxsize=4096)
def _fold(c: str) -> str:
    plain = normal(c)
    return plain if len(plain) == 1 else c.lower() if len(c.lower()) == 1 else c


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _number(words: str) -> int | None:
    """« vingt-cinq » 25, « trente et un » 31, « deux mille dix-huit » 2018."""
    total = current = 0
    for word in re.split(r"[\s\-]+", words):
        if word in ("mille", "mil"):
            total, current = (current or 1) * 1000, 0
        elif word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
        elif word != "et":
            return None
    return total + current or None


def _in_letters(plain: str) -> list[tuple[dt.date, int, int]]:
    found = []
    for match in DATE_LETTERS.finditer(plain):
        day, year = _number(match[1]), _number(match[3])
        if day and year and 1900 < year < 2100 and "mil" in match[3]:
            when = _day(year, MONTHS[match[2]], day)
            found += [(when, match.start(), match.end())] if when else []
    for match in YEAR_FIRST.finditer(plain):
        year, day = _number(match[1]), _number(match[2])
        if day and year and 1900 < year < 2100:
            when = _day(year, MONTHS[match[3]], day)
            found += [(when, match.start(), match.end())] if when else []
    return found


def date_spans(text: str) -> list[tuple[dt.date, int, int]]:
    """(date, start, end) of every date written in `text`, in the order of the text."""
    plain = folded(text)
    found = []
    for match in DATE_WORDS.finditer(plain):
        day = _day(int(match[3]), MONTHS[match[2]], int(match[1]))
        if day:
            found.append((day, match.start(), match.end()))
    for match in DATE_NUM.finditer(plain):
        year = int(match[4]) + (2000 if len(match[4]) == 2 else 0)
        day = _day(year, int(match[3]), int(match[1]))
        if day and 1900 < year < 2100:
            found.append((day, match.start(), match.end()))
    for match in DATE_ISO.finditer(plain):
        day = _day(int(match[1]), int(match[2]), int(match[3]))
        if day:
            found.append((day, match.start(), match.end()))
    found += _in_letters(plain)
    return sorted(found, key=lambda f: f[1])


def dates(text: str) -> list[dt.date]:
    """Dates in running text: « 1er février 2019 », « 28/09/2018 », « 28.09.2018 », in the order of the text."""
    return [day for day, _, _ in date_spans(text)]


def month_spans(text: str) -> list[tuple[dt.date, int, int]]:
    """(first day of the month, start, end) of each « octobre 2018 » not preceded by its day."""
    plain = folded(text)
    days = [(start, end) for _, start, end in date_spans(text)]
    return [
        (dt.date(int(m[2]), MONTHS[m[1]], 1), m.start(), m.end())
        for m in MONTH_YEAR.finditer(plain)
        if not any(start <= m.start() < end for start, end in days)
    ]
