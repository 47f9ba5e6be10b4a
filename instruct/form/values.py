"""One value of the form, read and written the French way: amounts « 1 234 567,50 », dates
« 15/06/2019 » (or ISO, from a date picker), numbers « 12,5 », yes/no, GeoJSON text. Reading
raises ValueError with the French message shown beside the field."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from instruct.form.schema import BOOLEEN, CHOIX, DATE, ENTIER, GEOMETRIE, LISTE_TEXTES, MONTANT, NOMBRE, Spec
from instruct.french import parse_amount, parse_date

YES, NO = "oui", "non"
TRUE_MARKS = frozenset({"on", "oui", "1", "true", "vrai"})
_SPACES = re.compile(r"[ \u202f\xa0]")
MAX_GEOJSON = 2_000_000  # characters of a pasted geometry


def lines(text: str) -> list[str]:
    """A textarea's non-empty lines, stripped."""
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def parse(spec: Spec, text: str) -> Any:
    """A value typed in the form -> the model's value (ValueError in French)."""
    kind = spec.kind
    if kind == MONTANT:
        value = parse_amount(text)
        return value
    if kind == DATE:
        try:
            return parse_date(text)
        except ValueError as exc:
            if "ce jour n'existe pas" in str(exc):
                raise
            raise ValueError(
                f"date invalide « {text.strip()[:40]} » : attendu JJ/MM/AAAA (par exemple 15/06/2019)"
            ) from None
    if kind == ENTIER:
        digits = _SPACES.sub("", text)
        if not re.fullmatch(r"-?\d{1,12}", digits):
            raise ValueError(f"« {text.strip()[:40]} » : nombre entier attendu (par exemple 12)")
        return int(digits)
    if kind == NOMBRE:
        cleaned = _SPACES.sub("", text).replace(",", ".")
        cleaned = re.sub(r"(m²|m2|%)$", "", cleaned)
        try:
            value = Decimal(cleaned) if re.fullmatch(r"-?\d{1,15}(\.\d{1,20})?", cleaned) else None
        except InvalidOperation:
            value = None
        if value is None:
            raise ValueError(f"« {text.strip()[:40]} » : nombre attendu (par exemple 12,5)")
        return value
    if kind == BOOLEEN:
        answer = text.strip().lower()
        if answer in (YES, "true", "1"):
            return True
        if answer in (NO, "false", "0"):
            return False
        raise ValueError("répondez oui ou non")
    if kind == CHOIX:
        if spec.multiple:
            values = lines(text)
        else:
            values = [text.strip()]
        known = {v for v, _ in spec.choices}
        wrong = [v for v in values if v not in known]
        if wrong:
            raise ValueError("choisissez une valeur de la liste")
        converted = [int(v) if spec.integer_choices else v for v in values]
        return converted if spec.multiple else converted[0]
    if kind == LISTE_TEXTES:
        return lines(text)
    if kind == GEOMETRIE:
        if len(text) > MAX_GEOJSON:
            raise ValueError("géométrie trop volumineuse : simplifiez le tracé")
        try:
            value = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise ValueError(
                "géométrie illisible : collez un GeoJSON (Polygon ou MultiPolygon) ou tracez-la sur la carte"
            ) from None
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        if isinstance(value, dict) and value.get("type") == "FeatureCollection":
            features = value.get("features") or []
            if len(features) != 1:
                raise ValueError("un seul contour attendu : fusionnez les formes ou gardez-en une")
            value = features[0].get("geometry") if isinstance(features[0], dict) else None
        if not isinstance(value, dict):
            raise ValueError("géométrie illisible : un objet GeoJSON est attendu")
        return value
    return text.strip()


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value)) if isinstance(value, int | float | Decimal | str) else None
    except InvalidOperation:
        return None


def group_thousands(value: Decimal, decimals: int | None) -> str:
    """1234567.5 -> « 1 234 567,50 » (plain spaces, easy to edit); integral amounts without « ,00 »."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if decimals is None:  # as many decimals as the value has
        text = (
            format(value.normalize(), "f")
            if value != value.to_integral_value()
            else format(value.to_integral_value(), "f")
        )
    elif value == value.to_integral_value():
        text = format(value.to_integral_value(), "f")
    else:
        text = format(value.quantize(Decimal(10) ** -decimals), "f")
    whole, _, frac = text.partition(".")
    whole = f"{int(whole):,}".replace(",", " ")
    return sign + whole + ("," + frac if frac else "")


def write(spec: Spec, value: Any) -> str:
    """The model's value (or a dossier file's) -> the text the form shows."""
    if value is None:
        return ""
    kind = spec.kind
    if kind == MONTANT:
        number = _decimal(value)
        return group_thousands(number, 2) if number is not None and number.is_finite() else str(value)
    if kind == NOMBRE:
        number = _decimal(value)
        return group_thousands(number, None) if number is not None and number.is_finite() else str(value)
    if kind == DATE:
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    if kind == BOOLEEN:
        return YES if value is True else NO if value is False else str(value)
    if kind == CHOIX and spec.multiple:
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == LISTE_TEXTES:
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == GEOMETRIE:
        if hasattr(value, "model_dump"):
            value = value.model_dump()
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
