"""French numbers, amounts and dates, written once: reading them (`parse_date`, `parse_amount`,
`find_amount`) and displaying them (dates dd/mm/yyyy, amounts "1 234,50 €",
areas, shares). Every parser of the package calls these."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# --- reading --------------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """A name as compared: « Etat (DSIL) » names « État  (dsil) ». Accents, case, spacing,
    apostrophes and hyphens never make two names differ."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    plain = re.sub(r"[\u2019'`\u2010-\u2015-]", " ", plain)
    return " ".join(plain.split())


# The ways a date may be typed, by the name the error messages give them.
DATE_FORMS = {
    "AAAA-MM-JJ": re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
    "JJ/MM/AAAA": re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"),
    "JJ.MM.AAAA": re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"),
}
ISO = ("AAAA-MM-JJ",)
# Digits grouped by thousands with a space (plain, non-breaking or narrow) or a dot, and decimals
# after a comma: "1 234 567,50", "1.234.567,50", "4 180 000".
NUMBER = r"(\d{1,3}(?:[ \u202f\xa0.]\d{3})+|\d+)(?:,(\d+))?"
# Units after an amount, and what they multiply it by.
AMOUNT_UNITS = r"m\s?€|m\s?eur\b|millions? d'euros|k\s?€|k\s?eur\b|€|euros?|eur\b"
_AMOUNT_IN_TEXT = re.compile(NUMBER + r"\s*(" + AMOUNT_UNITS + ")", re.IGNORECASE)
_AMOUNT = re.compile(r"\s*" + NUMBER + r"\s*(" + AMOUNT_UNITS + r")?\s*", re.IGNORECASE)
AMOUNT_EXAMPLES = "par exemple 1 234 567,50 ou 4 180 000 €"


def parse_date(value: str | dt.date, forms: tuple[str, ...] = tuple(DATE_FORMS)) -> dt.date:
    """A date written in one of `forms` (by default AAAA-MM-JJ, JJ/MM/AAAA or JJ.MM.AAAA; a date
    is returned as it is); ValueError with a French message naming the expected forms otherwise.
    Files and the command line take ISO only (`forms=ISO`), as they always have."""
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for form in forms:
        match = DATE_FORMS[form].fullmatch(text)
        if match:
            try:
                return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                raise ValueError(f"date invalide « {text} » : ce jour n'existe pas") from None
    expected = ", ".join(forms[:-1]) + " ou " + forms[-1] if len(forms) > 1 else forms[0]
    raise ValueError(f"date invalide « {text} » : attendu {expected}")


def _decimal(whole: str, decimals: str | None) -> Decimal:
    digits = re.sub(r"[ \u202f\xa0.]", "", whole)
    return Decimal(f"{digits}.{decimals or 0}")


def _scaled(value: Decimal, unit: str | None) -> Decimal:
    unit = (unit or "").lower()
    if unit.startswith("m"):
        value *= 1_000_000
    elif unit.startswith("k"):
        value *= 1000
    return value.quantize(Decimal("0.01"))


def parse_amount(text: str) -> Decimal:
    """An amount in euros, the whole text: "1 234 567,50", "1.234.567,50 €", "4 180 000 €",
    "32 k€", "1,2 M€" -> Decimal with two decimals."""
    match = _AMOUNT.fullmatch(str(text))
    if not match:
        raise ValueError(f"montant invalide « {str(text).strip()} » : attendu {AMOUNT_EXAMPLES}")
    return _scaled(_decimal(match.group(1), match.group(2)), match.group(3))


def find_amount(text: str) -> Decimal | None:
    """The first amount with its unit in running text ("… pour 1 234 567,50 € TTC"), or None."""
    match = _AMOUNT_IN_TEXT.search(text)
    if not match:
        return None
    try:
        return _scaled(_decimal(match.group(1), match.group(2)), match.group(3))
    except InvalidOperation:
        return None


# --- amounts as the pieces write them ------------------------------------------------------------
# Wider and stricter than find_amount, for the readers of pieces: a number is never read inside a
# longer one (« en 2020 600 000 € » is 600 000 €), the unit may be « € », « EUR », « euros »,
# « k€ », « K€ », « milliers d'euros », « M€ », « M € », « millions d'euros », followed by HT or TTC.

_SCALES = {"": Decimal(1), "k": Decimal(1000), "M": Decimal(1_000_000)}
_UNIT = (
    r"(?P<M>m\s?€|m\s?eur(?:os?)?\b|meur\b|millions?\s+(?:d['’]\s?)?(?:euros?\b|€))"
    r"|(?P<k>k\s?€|k\s?eur(?:os?)?\b|keur\b|milliers?\s+(?:d['’]\s?)?(?:euros?\b|€))"
    r"|(?P<u>€|euros?\b|eur\b)"
)
_TAX = r"(?:\s*\(?\s*(?P<tax>h\.?\s?t\.?|t\.?\s?t\.?\s?c\.?)(?![a-z]))?"
_WRITTEN = re.compile(r"(?<![\d.,])" + NUMBER + r"(?![\d])\s*(?:" + _UNIT + ")" + _TAX, re.IGNORECASE)
_BARE = re.compile(r"\s*" + NUMBER + r"\s*(?:" + _UNIT + r")?" + _TAX + r"\s*", re.IGNORECASE)
_HEADER_UNIT = re.compile(
    r"(?P<M>\bm\s?€|\bm\s?eur(?:os?)?\b|\bmeur\b|millions?\s+(?:d['’]\s?)?(?:euros?|€))"
    r"|(?P<k>\bk\s?€|\bk\s?eur(?:os?)?\b|\bkeur\b|milliers?\s+(?:d['’]\s?)?(?:euros?|€))"
    r"|(?P<u>€|\beuros?\b|\beur\b|\bh\.?t\.?$|\(\s*h\.?t\.?\s*\)|\bttc\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """An amount written in a text: its value in euros, the scale it was written in ("", "k",
    "M"), HT or TTC when said, and where it stands in the text."""

    value: Decimal
    scale: str
    tax: str
    start: int
    end: int


def _tax(written: str | None) -> str:
    letters = re.sub(r"[^a-z]", "", (written or "").lower())
    return {"ht": "HT", "ttc": "TTC"}.get(letters, "")


def _scale_of(match: re.Match) -> str:
    return "M" if match.group("M") else "k" if match.group("k") else ""


def amounts(text: str) -> list[Amount]:
    """Every amount written with its unit in a text, in order: « 1 200 000 € HT », « 1.200.000 € »,
    « 1 200 000 EUR », « 1 200 k€ », « 1,2 M€ », « 1 200 000,00 euros »."""
    out = []
    for match in _WRITTEN.finditer(text):
        scale = _scale_of(match)
        try:
            value = (_decimal(match.group(1), match.group(2)) * _SCALES[scale]).quantize(Decimal("0.01"))
        except InvalidOperation:
            continue
        out.append(Amount(value, scale, _tax(match.group("tax")), match.start(), match.end()))
    return out


def header_scale(header: str) -> Decimal | None:
    """The unit a column heading gives its cells: « Budget (€ HT) » -> 1, « Coût (k€) » -> 1000,
    « Montant en M€ » -> 1 000 000; None when the heading names no unit."""
    match = _HEADER_UNIT.search(header)
    return None if match is None else _SCALES[_scale_of(match)]


def cell_amount(text: str, scale: Decimal | None = None) -> Decimal | None:
    """The amount a table cell holds, the whole cell: with its own unit (« 1,2 M€ »), or a bare
    number (« 1 200 ») in the unit its column heading gives (`scale`, from header_scale); None
    when the cell holds anything else (a percentage, words, two amounts) or a bare number under
    a heading that gives no unit."""
    match = _BARE.fullmatch(text.replace("\n", " "))
    if match is None:
        return None
    if match.group("M") or match.group("k") or match.group("u"):
        scale = _SCALES[_scale_of(match)]
    if scale is None:
        return None
    try:
        return (_decimal(match.group(1), match.group(2)) * scale).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


# --- display --------------------------------------------------------------------------------------


def french_number(value: Decimal | int, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def french_date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def french_date_text(text: Any) -> str:
    """An ISO date as text (a JSON field) in French; anything else shown as it is."""
    try:
        return french_date(dt.date.fromisoformat(str(text)))
    except ValueError:
        return str(text or "")


def french_datetime(value: dt.datetime) -> str:
    """« 28/09/2018 à 14:05 » (the caller chooses the time zone)."""
    return value.strftime("%d/%m/%Y à %H:%M")


def french_amount(value: Decimal | int) -> str:
    """1234567.5 -> « 1 234 567,50 € » (narrow no-break spaces), as a report shows an amount."""
    return french_number(value, 2) + " €"


def written_amount(value: Decimal | int | float) -> str:
    """4180000 -> « 4 180 000,00 € » with plain spaces, as a convention or an avenant writes it."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    return f"{'-' if amount < 0 else ''}{abs(amount):,.2f} €".replace(",", " ").replace(".", ",")


def written_date(day: dt.date) -> str:
    """2018-09-28 -> « 28 septembre 2018 »; the first day is « 1er », as a piece writes a date."""
    return f"{'1er' if day.day == 1 else day.day} {MOIS[day.month - 1]} {day.year}"


def written_month(day: dt.date) -> str:
    """2018-09-28 -> « septembre 2018 »."""
    return f"{MOIS[day.month - 1]} {day.year}"


def display(kind: str, value: Any) -> str:
    if value is None:
        return "non renseigné"
    if kind == "bool":
        return "oui" if value else "non"
    if kind == "date":  # YYYYMMDD int
        return f"{value % 100:02d}/{value // 100 % 100:02d}/{value // 10000}"
    if kind == "cents":
        return french_amount(Decimal(value) / 100)
    if kind == "m2":
        return french_number(value) + " m²"
    if kind == "m2c":  # hundredths of m²
        text = french_number(Decimal(value) / 100, 2)
        return (text[:-3] if text.endswith(",00") else text) + " m²"
    if kind == "pct":
        return french_number(Decimal(value) / 100, 2) + " %"
    if kind == "int":
        return french_number(value)
    return str(value)


def display_parameter(unit: str, value: Any) -> str:
    if value is None:
        return "aucune valeur en vigueur"
    if unit == "date":
        return french_date(value)
    if unit == "euros":
        return french_amount(value)
    if unit == "pourcent":
        return french_number(value, 2) + " %"
    if unit == "m2":
        return french_number(value) + " m²"
    if unit == "annees":
        return f"{value} an" + ("s" if value > 1 else "")
    if unit == "nombre":
        return str(value)
    return f"{value} {unit}"
