"""The building blocks of the dossier model: bounded amounts, dates and texts, the base model
that refuses unknown keys, GeoJSON geometries, and the signatory roles a town may name.
Everything a town writes in dossier.yaml is checked against these (pydantic v2)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from instruct.model.geometry import GeometryError, to_shape

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

# Bounds that catch absurd input (a typo of three zeros) rather than real limits.
MONTANT_MAX = Decimal("10000000000")  # 10 Md€
DATE_MIN = dt.date(1950, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)

Montant = Annotated[Decimal, Field(ge=0, le=MONTANT_MAX, decimal_places=2)]
Date = Annotated[dt.date, Field(ge=DATE_MIN, le=DATE_MAX)]
NOM_MAX = 200  # a collectivité's name: the database's column (service.storage: Dossier.commune_nom) holds as much

# Characters no text of a dossier may hold: C0 and C1 controls (NUL first: PostgreSQL refuses it,
# and a DOCX cannot hold them), bidirectional overrides (they make a text read otherwise than it
# is written), lone surrogates and non-characters. A paragraph keeps its tabs and line breaks.
_CONTROLES = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
CONTROLE_PARAGRAPHE = re.compile(f"[{_CONTROLES}]")
CONTROLE_LIGNE = re.compile(f"[{_CONTROLES}\t\n\r\u2028\u2029]")


def control_problem(text: str, paragraph: bool = False) -> str | None:
    """The French reason `text` is refused (a control character, with its code and position), or None."""
    found = (CONTROLE_PARAGRAPHE if paragraph else CONTROLE_LIGNE).search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    what = "retour à la ligne" if found.group() in "\n\r\u2028\u2029" else "caractère de contrôle"
    if found.group() == "\t":
        what = "tabulation"
    return f"{what} {code} interdit (position {found.start() + 1}) : texte sur une ligne, sans caractère invisible"


def _ligne(text: str) -> str:
    problem = control_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def _paragraphe(text: str) -> str:
    problem = control_problem(text, paragraph=True)
    if problem:
        raise ValueError(problem.replace(" : texte sur une ligne,", " :"))
    return text


Ligne = Annotated[str, AfterValidator(_ligne)]
"""Any single-line text a user sends (a name, a code, a filter, a login): no control character."""
Paragraphe = Annotated[str, AfterValidator(_paragraphe)]
"""Any free text a user sends (a description, a note, a reason): tabs and line breaks allowed."""
Texte = Annotated[str, Field(min_length=1, max_length=20000), AfterValidator(_paragraphe)]
Court = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_ligne)]
Nom = Annotated[str, Field(min_length=1, max_length=NOM_MAX), AfterValidator(_ligne)]
Identifiant = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
Insee = Annotated[str, Field(pattern=r"^([0-9]{5}|2[AB][0-9]{3})$")]
Siren = Annotated[str, Field(pattern=r"^[0-9]{9}$")]
Nombre = Annotated[Decimal, Field(ge=-MONTANT_MAX, le=MONTANT_MAX, allow_inf_nan=False)]
"""A free quantity (an indicator's target): bounded, finite."""


SURFACE_VENTE_MAX = Decimal(1_000_000)


def read_point(text: str) -> tuple[float, float]:
    """« LON,LAT » (WGS 84 degrees) -> (lon, lat); ValueError with a French message otherwise."""
    parts = text.split(",")
    try:
        lon, lat = (float(x) for x in parts) if len(parts) == 2 else (math.nan, math.nan)
    except ValueError:
        lon = lat = math.nan
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError(f"« {text[:40]} » : point LON,LAT attendu en degrés (ex. 2.001,47.002)")
    if abs(lon) > 180 or abs(lat) > 90:
        raise ValueError(f"« {text[:40]} » : coordonnées hors bornes (longitude ±180, latitude ±90, WGS 84)")
    return lon, lat


def read_surface(text: str) -> Decimal:
    """A surface de vente in m² (« 1200 », « 1200,5 ») -> Decimal; ValueError with a French message otherwise."""
    try:
        value = Decimal(text.strip().replace(",", ".")) if len(text) <= 40 else Decimal("NaN")
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value > SURFACE_VENTE_MAX:
        raise ValueError(f"« {text[:40]} » : surface de vente en m² attendue (nombre entre 0 et 1 000 000)")
    return value


class Modele(BaseModel):
    # defer_build: a model's validator is built when it is first used, not at import. A check uses only the
    # dossier's (model.validation, built once and kept on disk); building each of the ~50 sub-models' own as
    # well, nested again in their parents', was ≈ 1/3 of importing the model. pydantic (pinned 2.14.4) builds a
    # deferred model under a lock: the service's threads may validate one first at the same time.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False, defer_build=True)


def refuse_duplicates(items: list | None, key: str, what: str) -> list | None:
    """Refuse two items of a list with the same identifier (French message naming them)."""
    counts = Counter(getattr(i, key) for i in items or [])
    doubles = sorted(str(v) for v, n in counts.items() if n > 1)
    if doubles:
        raise ValueError(f"{what} en double : {', '.join(doubles)}")
    return items


class Geometrie(Modele):
    """A GeoJSON geometry: Point, Polygon or MultiPolygon, longitude/latitude WGS 84."""

    model_config = ConfigDict(extra="allow")
    type: Literal["Point", "MultiPoint", "Polygon", "MultiPolygon"] = Field(title="Type de géométrie")
    coordinates: list[Any] = Field(title="Coordonnées (longitude, latitude)")

    _shape: BaseGeometry | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _valide(self) -> Geometrie:
        try:
            self._shape = to_shape({"type": self.type, "coordinates": self.coordinates})
        except GeometryError as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def shape(self) -> BaseGeometry:
        """The validated shapely geometry (built once, at validation)."""
        if self._shape is None:
            self._shape = to_shape({"type": self.type, "coordinates": self.coordinates})
        return self._shape


class Surface(Geometrie):
    """A perimeter: a Polygon or MultiPolygon (a point has no area to compare)."""

    type: Literal["Polygon", "MultiPolygon"] = Field(title="Type de géométrie")


RoleSignataire = Literal[
    "ville_centre",
    "intercommunalite",
    "prefet",
    "cdc",
    "action_logement",
    "anah",
    "anru",
    "region",
    "departement",
    "autre_commune",
    "autre",
]
