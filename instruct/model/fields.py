"""The building blocks of the dossier model: bounded amounts, dates and texts, the base model
that refuses unknown keys, GeoJSON geometries, and the signatory roles a town may name.
Everything a town writes in dossier.yaml is checked against these (pydantic v2)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator
from shapely.geometry.base import BaseGeometry

from instruct.model.geometry import GeometryError, to_shape

# Bounds that catch absurd input (a typo of three zeros) rather than real limits.
MONTANT_MAX = Decimal("10000000000")  # 10 Md€
DATE_MIN = dt.date(1950, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)

Montant = Annotated[Decimal, Field(ge=0, le=MONTANT_MAX, decimal_places=2)]
Date = Annotated[dt.date, Field(ge=DATE_MIN, le=DATE_MAX)]
Texte = Annotated[str, Field(min_length=1, max_length=20000)]
Court = Annotated[str, Field(min_length=1, max_length=500)]
Identifiant = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


class Modele(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


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
    type: Literal["Point", "MultiPoint", "Polygon", "MultiPolygon"]
    coordinates: list[Any]

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

    type: Literal["Polygon", "MultiPolygon"]


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
