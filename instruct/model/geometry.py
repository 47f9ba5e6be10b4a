"""GeoJSON geometries (WGS 84 lon/lat) and their measures in square metres.

Areas are computed in a local equirectangular projection centred on the shapes compared:
at the scale of a town (a few km) its error on areas stays well under 1 %, and it works the
same in metropolitan France and overseas, without a projection library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8
MAX_VERTICES = 200_000


class GeometryError(ValueError):
    """A geometry that cannot be used (French message)."""


def _count_vertices(coords) -> int:
    if coords and isinstance(coords[0], (int, float)):
        return 1
    return sum(_count_vertices(c) for c in coords)


def to_shape(geojson: dict) -> BaseGeometry:
    """Build a valid shapely geometry from a GeoJSON dict, or raise GeometryError."""
    coords = geojson.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise GeometryError("géométrie sans coordonnées")
    if _count_vertices(coords) > MAX_VERTICES:
        raise GeometryError(f"géométrie trop détaillée (plus de {MAX_VERTICES} sommets)")
    try:
        geom = shape(geojson)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise GeometryError(f"géométrie GeoJSON illisible : {exc}") from None
    lons_lats = shapely.get_coordinates(geom)
    if len(lons_lats) and ((abs(lons_lats[:, 0]) > 180).any() or (abs(lons_lats[:, 1]) > 90).any()):
        raise GeometryError("coordonnées hors bornes : attendu longitude, latitude en degrés (WGS 84)")
    if not geom.is_valid:
        raise GeometryError(f"géométrie invalide : {shapely.is_valid_reason(geom)}")
    return geom


def _project(geom: BaseGeometry, lat0: float) -> BaseGeometry:
    """Degrees -> metres, equirectangular around latitude lat0."""
    scale = np.array([math.cos(math.radians(lat0)), 1.0]) * EARTH_RADIUS_M * math.pi / 180
    return shapely.transform(geom, lambda coords: coords * scale)


@dataclass(frozen=True)
class Inclusion:
    """How much of `inner` lies outside `outer`."""

    inner_m2: float
    outside_m2: float

    @property
    def outside_share(self) -> float:
        return self.outside_m2 / self.inner_m2 if self.inner_m2 else 0.0


def project_pair(a: BaseGeometry, b: BaseGeometry) -> tuple[BaseGeometry, BaseGeometry]:
    lat0 = (a.centroid.y + b.centroid.y) / 2
    return _project(a, lat0), _project(b, lat0)


def inclusion(inner: BaseGeometry, outer: BaseGeometry) -> Inclusion:
    """Area of `inner` and of its part outside `outer`, in m²."""
    pi, po = project_pair(inner, outer)
    return Inclusion(inner_m2=pi.area, outside_m2=pi.difference(po).area)
