"""What every geometry file reader shares: the limits, the French error, positions and rings
read as floats and closed, the vertex budget, the reprojection to WGS 84 (pyproj) and the
check that coordinates without a stated projection are degrees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import PurePosixPath

from instruct.model.geometry import MAX_VERTICES

MAX_FILE = 10 * 1024 * 1024  # a town's périmètres: a few hundred kB at most
MAX_ENTRIES = 100  # files in a zip (a Shapefile is 3 to 8 of them)
MAX_UNZIPPED = 50 * 1024 * 1024  # all entries together, counted while reading, not as declared
MAX_DEPTH = 32  # nested JSON, GeometryCollections, KML folders
MAX_SHAPES = 500
DECIMALS = 7
NAME_KEYS = ("nom", "name", "libelle", "libellé", "label", "titre", "title", "intitule", "id")


class GeoFileError(ValueError):
    """A geometry file that cannot be used: a French message, one line per problem."""

    def __init__(self, message: str, problemes: list[str] | None = None):
        self.problemes = problemes or [message]
        super().__init__(message)


@dataclass
class Budget:
    """The vertices read so far, across the whole file."""

    vertices: int = 0

    def count(self, n: int) -> None:
        self.vertices += n
        if self.vertices > MAX_VERTICES:
            raise GeoFileError(
                f"Le fichier est trop détaillé : plus de {MAX_VERTICES:,} sommets. ".replace(",", " ")
                + "Simplifiez les contours avant de l'importer."
            )


def short(name: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name or "sans nom"
    return base if len(base) <= 80 else base[:77] + "…"


def unknown(name: str) -> str:
    return (
        f"Le fichier « {short(name)} » n'est pas un fichier de périmètres reconnu : "
        "importez un GeoJSON (.geojson, .json), un KML, un KMZ ou un Shapefile zippé (.zip)."
    )


def decode_text(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeoFileError(f"Le fichier « {short(name)} » n'est pas un texte UTF-8 : {unknown(name)}") from None


def number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise GeoFileError(f"{where} : une coordonnée n'est pas un nombre.")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise GeoFileError(f"{where} : une coordonnée n'est pas un nombre (« {str(value)[:20]} »).") from None
    if not math.isfinite(number):
        raise GeoFileError(f"{where} : une coordonnée n'est pas un nombre fini.")
    return number


def read_ring(points, where: str, budget: Budget) -> list[list[float]]:
    """A list of positions as [x, y] floats, closed, with at least 4 positions."""
    if not isinstance(points, list | tuple):
        raise GeoFileError(f"{where} : un contour doit être une liste de positions.")
    budget.count(len(points))
    ring = []
    for point in points:
        if not isinstance(point, list | tuple) or len(point) < 2:
            raise GeoFileError(f"{where} : une position doit avoir une longitude et une latitude.")
        ring.append([number(point[0], where), number(point[1], where)])
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    if len(ring) < 4:
        raise GeoFileError(f"{where} : un contour a besoin d'au moins trois sommets distincts.")
    return ring


def read_polygon(rings, where: str, budget: Budget) -> list:
    if not isinstance(rings, list | tuple) or not rings:
        raise GeoFileError(f"{where} : un polygone doit avoir au moins un contour.")
    return [read_ring(r, where, budget) for r in rings]


def in_degrees(found: list[tuple[str, dict]]) -> bool:
    for _, geometry in found:
        for ring in rings(geometry):
            if any(abs(x) > 180 or abs(y) > 90 for x, y in ring):
                return False
    return True


def rings(geometry: dict):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        yield from polygon


def reproject(found: list[tuple[str, dict]], crs, name: str) -> list[tuple[str, dict]]:
    """Every position from `crs` (anything pyproj reads: WKT, « EPSG:2154 ») to WGS 84 lon/lat."""
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
    except CRSError:
        raise GeoFileError(
            f"La projection de « {short(name)} » n'est pas reconnue : exportez le fichier en "
            "Lambert-93 (EPSG:2154) ou en WGS 84 (EPSG:4326)."
        ) from None
    if source.to_epsg() == 4326:
        return found
    transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    result = []
    for nom, geometry in found:
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        moved = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                xs, ys = transformer.transform([p[0] for p in ring], [p[1] for p in ring])
                if not all(math.isfinite(v) for v in (*xs, *ys)):
                    raise GeoFileError(
                        f"« {nom or short(name)} » : des coordonnées sont hors de la zone de la projection "
                        "annoncée ; vérifiez la projection du fichier."
                    )
                rings.append([[x, y] for x, y in zip(xs, ys)])
            moved.append(rings)
        coords = moved[0] if geometry["type"] == "Polygon" else moved
        result.append((nom, {"type": geometry["type"], "coordinates": coords}))
    return result


def check_degrees(found: list[tuple[str, dict]], name: str) -> list[tuple[str, dict]]:
    if not in_degrees(found):
        raise GeoFileError(
            f"Les coordonnées de « {short(name)} » ne sont pas des longitudes et latitudes en degrés "
            "(WGS 84) et le fichier ne dit pas sa projection : exportez-le en WGS 84, ou joignez "
            "sa projection (fichier .prj d'un Shapefile)."
        )
    return found


def name_of(properties) -> str:
    if not isinstance(properties, dict):
        return ""
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in NAME_KEYS:
        value = lowered.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()[:200]
    return ""
