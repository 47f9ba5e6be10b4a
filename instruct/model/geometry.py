"""GeoJSON geometries (WGS 84 lon/lat) and their measures in square metres.

Areas are computed in a local equirectangular projection centred on the shapes compared:
at the scale of a town (a few km) its error on areas stays well under 1 %, and it works the
same in metropolitan France and overseas, without a projection library.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # shapely and numpy (≈ 0.2 s) are imported by the first geometry built, not by the model
    from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8
MAX_VERTICES = 200_000


class GeometryError(ValueError):
    """A geometry that cannot be used (French message)."""


# What each GeoJSON type's coordinates are: the depth of lists above a position, and the
# fewest positions each innermost list needs (a ring: 4 with its closing point; see _rings).
DEPTHS = {"Point": 0, "MultiPoint": 1, "Polygon": 2, "MultiPolygon": 3}
NOUNS = {0: "position", 1: "liste de positions", 2: "liste d'anneaux", 3: "liste de polygones"}

# GEOS's reasons for an invalid geometry (shapely.is_valid_reason), in French.
INVALID_REASONS = {
    "Self-intersection": "le contour se recoupe lui-même",
    "Ring Self-intersection": "un anneau se recoupe lui-même",
    "Too few points in geometry component": "trop peu de points distincts pour former une surface",
    "Hole lies outside shell": "un trou est hors du contour extérieur",
    "Nested holes": "des trous sont imbriqués",
    "Interior is disconnected": "l'intérieur est coupé en morceaux par les trous",
    "Duplicate Rings": "anneaux en double",
    "Nested shells": "des polygones sont imbriqués",
    "Invalid Coordinate": "coordonnée invalide",
    "Ring is not closed": "anneau non fermé",
}


def _where(path: tuple[int, ...]) -> str:
    return "coordinates" + "".join(f"[{i}]" for i in path)


def _position(value, path: tuple[int, ...]) -> None:
    if not isinstance(value, list):
        raise GeometryError(f"{_where(path)} : position attendue [longitude, latitude]")
    if len(value) not in (2, 3):
        raise GeometryError(
            f"{_where(path)} : position de {len(value)} nombre(s) ; "
            "attendu [longitude, latitude] (altitude facultative)"
        )
    for number in value:
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise GeometryError(f"{_where(path)} : longitude et latitude sont des nombres")
        if isinstance(number, float) and not math.isfinite(number):
            raise GeometryError(f"{_where(path)} : nombre fini attendu (ni NaN ni infini)")
    if abs(value[0]) > 180 or abs(value[1]) > 90:
        raise GeometryError(
            f"coordonnées hors bornes ({_where(path)}) : attendu longitude, latitude en degrés (WGS 84)"
        )


def check_coordinates(kind: str, coords) -> int:
    """Check a GeoJSON geometry's coordinates against its type, without recursion: lists nested
    as the type says, positions of 2 or 3 finite numbers in WGS 84, rings of 4 positions or more,
    at most MAX_VERTICES positions. Returns the number of positions; GeometryError (French, with
    the position's path) otherwise."""
    if kind not in DEPTHS:
        raise GeometryError(f"type de géométrie inconnu : attendu {', '.join(DEPTHS)}")
    depth, count = DEPTHS[kind], 0
    stack: list[tuple[object, tuple[int, ...], int]] = [(coords, (), depth)]
    while stack:
        value, path, level = stack.pop()
        if level == 0:
            _position(value, path)
            count += 1
            if count > MAX_VERTICES:
                raise GeometryError(f"géométrie trop détaillée (plus de {MAX_VERTICES} sommets)")
            continue
        if not isinstance(value, list):
            raise GeometryError(f"{_where(path)} : {NOUNS[level]} attendue pour un {kind}")
        if not value:
            raise GeometryError(f"{_where(path)} : {NOUNS[level]} vide")
        if level == 1 and kind in ("Polygon", "MultiPolygon") and len(value) < 4:
            raise GeometryError(
                f"{_where(path)} : un anneau a au moins 4 positions (la dernière répète la première), "
                f"{len(value)} reçue(s)"
            )
        stack.extend((item, (*path, i), level - 1) for i, item in reversed(list(enumerate(value))))
    return count


def _invalid_reason(geom: BaseGeometry) -> str:
    import shapely

    reason = shapely.is_valid_reason(geom)
    name, _, where = reason.partition("[")
    french = INVALID_REASONS.get(name.strip(), "contour mal formé")
    point = where.rstrip("]").split()
    if len(point) >= 2:
        with contextlib.suppress(ValueError):
            french += f" (près de {float(point[0]):.6f}, {float(point[1]):.6f})"
    return french


def to_shape(geojson: dict) -> BaseGeometry:
    """Build a valid shapely geometry from a GeoJSON dict, or raise GeometryError (French:
    shapely's and numpy's own messages never reach a user)."""
    coords = geojson.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise GeometryError("géométrie sans coordonnées")
    check_coordinates(str(geojson.get("type")), coords)
    import numpy as np
    from shapely.geometry import shape

    try:
        with np.errstate(all="ignore"):
            geom = shape({"type": geojson["type"], "coordinates": coords})
    except Exception:  # checked above: left for what shapely alone would refuse
        raise GeometryError("géométrie GeoJSON illisible : coordonnées mal formées") from None
    if geom.is_empty:
        raise GeometryError("géométrie vide")
    if not geom.is_valid:
        raise GeometryError(
            f"géométrie invalide : {_invalid_reason(geom)} ; corrigez le tracé (un contour ne doit pas se croiser)"
        )
    return geom


def _project(geom: BaseGeometry, lat0: float) -> BaseGeometry:
    """Degrees -> metres, equirectangular around latitude lat0."""
    import numpy as np
    import shapely

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


def union(shapes: list[BaseGeometry]) -> BaseGeometry:
    """One geometry covering all of `shapes` (shapely's unary_union)."""
    from shapely.ops import unary_union

    return unary_union(shapes)


def inclusion(inner: BaseGeometry, outer: BaseGeometry) -> Inclusion:
    """Area of `inner` and of its part outside `outer`, in m²."""
    pi, po = project_pair(inner, outer)
    return Inclusion(inner_m2=pi.area, outside_m2=pi.difference(po).area)
