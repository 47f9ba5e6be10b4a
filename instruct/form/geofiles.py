"""Périmètres from the files a town has at hand: GeoJSON, KML or KMZ, zipped Shapefile.

Every format ends as the same thing, a list of `Forme` (a name and a GeoJSON Polygon or
MultiPolygon in WGS 84 longitude/latitude, 7 decimals, about 1 cm), checked by the model's own
geometry code (`instruct.model.geometry.to_shape`), so a shape accepted here is one the dossier
accepts. The files come from a browser: every read is bounded (file size, zip entries and
their real uncompressed size, XML without entities, nesting depth, vertices, shapes) and every
refusal is a French sentence a town can act on (`GeoFileError`).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from instruct.errors import InputError
from instruct.form.geoshapes import (
    DECIMALS,
    MAX_DEPTH,
    MAX_ENTRIES,
    MAX_FILE,
    MAX_SHAPES,
    MAX_UNZIPPED,
    Budget,
    GeoFileError,
    check_degrees,
    decode_text,
    name_of,
    read_polygon,
    read_ring,
    reproject,
    short,
    unknown,
)
from instruct.model.geometry import GeometryError, to_shape
from instruct.yamlio import parse_json


@dataclass(frozen=True)
class Forme:
    """One shape read from a file: its name (from the file, or « Forme n° 2 ») and its
    GeoJSON geometry (Polygon or MultiPolygon, WGS 84 lon/lat)."""

    nom: str
    geometrie: dict = field(hash=False)

    @property
    def name(self) -> str:  # the spec's English names, for callers that use them
        return self.nom

    @property
    def geometry(self) -> dict:
        return self.geometrie

    def feature(self) -> dict:
        """The shape as a GeoJSON Feature (what the map widget shows)."""
        return {"type": "Feature", "properties": {"nom": self.nom}, "geometry": self.geometrie}


# --- entry point ------------------------------------------------------------------------------


def read_geometry_file(name: str, data: bytes) -> list[Forme]:
    """The polygons of a GeoJSON, KML, KMZ or zipped Shapefile (the kind is recognised from the
    content, the name only helps), as checked WGS 84 shapes; GeoFileError (French) otherwise."""
    if len(data) > MAX_FILE:
        raise GeoFileError(
            f"Le fichier « {short(name)} » dépasse {MAX_FILE // (1024 * 1024)} Mo : "
            "un fichier de périmètres est bien plus petit. Simplifiez-le ou n'envoyez que les périmètres."
        )
    if not data.strip():
        raise GeoFileError(f"Le fichier « {short(name)} » est vide.")
    budget = Budget()
    if data[:4] == b"PK\x03\x04":
        found = _read_zip(name, data, budget)
    elif name.lower().endswith(".shp"):
        raise GeoFileError(
            "Un Shapefile est fait de plusieurs fichiers (.shp, .shx, .dbf, .prj) : "
            "réunissez-les dans une archive ZIP et importez cette archive."
        )
    else:
        text = decode_text(name, data)
        head = text.lstrip()[:1]
        if head == "<":
            found = _read_kml(name, data, budget)
        elif head in "{[":
            found = _read_geojson(name, text, budget)
        else:
            raise GeoFileError(unknown(name))
    return _finish(name, found)


# --- checking and rounding -----------------------------------------------------------------


def _finish(name: str, found: list[tuple[str, dict]]) -> list[Forme]:
    if not found:
        raise GeoFileError(
            f"Le fichier « {short(name)} » ne contient aucun polygone : un périmètre est une surface "
            "fermée (les points et les lignes ne sont pas des périmètres)."
        )
    if len(found) > MAX_SHAPES:
        raise GeoFileError(f"Le fichier « {short(name)} » contient plus de {MAX_SHAPES} formes.")
    formes, problemes = [], []
    for index, (nom, geometry) in enumerate(found, 1):
        label = nom or f"Forme n° {index}"
        rounded = {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])}
        try:
            to_shape(rounded)
        except GeometryError as exc:
            problemes.append(f"« {label} » : {exc}")
            continue
        formes.append(Forme(label, rounded))
    if problemes:
        shown = problemes[:5] + ([f"… et {len(problemes) - 5} autre(s)"] if len(problemes) > 5 else [])
        raise GeoFileError(
            f"Le fichier « {short(name)} » contient {len(problemes)} forme(s) inutilisable(s) : " + " ; ".join(shown),
            shown,
        )
    return formes


def _round(coords):
    if coords and isinstance(coords[0], int | float):
        return [round(float(c), DECIMALS) for c in coords[:2]]
    return [_round(c) for c in coords]


# --- GeoJSON -------------------------------------------------------------------------------


def _read_geojson(name: str, text: str, budget: Budget) -> list[tuple[str, dict]]:
    try:
        document = parse_json(text, short(name), max_depth=MAX_DEPTH)
    except InputError as exc:
        detail = exc.problems[0].message if exc.problems else "illisible"
        raise GeoFileError(f"Le fichier « {short(name)} » n'est pas un GeoJSON lisible : {detail}.") from None
    found: list[tuple[str, dict]] = []
    _walk_geojson(document, "", found, budget, 0)
    crs = _geojson_crs(document)
    if crs and found:
        return reproject(found, crs, name)
    return check_degrees(found, name)


def _geojson_crs(document) -> str | None:
    """The old GeoJSON `crs` member (« urn:ogc:def:crs:EPSG::2154 »), still written by some tools."""
    if not isinstance(document, dict) or not isinstance(document.get("crs"), dict):
        return None
    properties = document["crs"].get("properties")
    text = str(properties.get("name", "")) if isinstance(properties, dict) else ""
    match = re.search(r"EPSG:+(\d+)", text)
    if match and match.group(1) != "4326":
        return f"EPSG:{match.group(1)}"
    return None


def _walk_geojson(obj, nom: str, found: list, budget: Budget, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise GeoFileError(f"Le GeoJSON est imbriqué trop profondément (plus de {MAX_DEPTH} niveaux).")
    if not isinstance(obj, dict):
        raise GeoFileError("Ce n'est pas un GeoJSON : un objet avec un « type » est attendu.")
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise GeoFileError("GeoJSON : la collection n'a pas de liste « features ».")
        for feature in features:
            _walk_geojson(feature, "", found, budget, depth + 1)
    elif kind == "Feature":
        if obj.get("geometry") is not None:
            _walk_geojson(obj["geometry"], name_of(obj.get("properties")), found, budget, depth + 1)
    elif kind == "GeometryCollection":
        for geometry in obj.get("geometries") or []:
            _walk_geojson(geometry, nom, found, budget, depth + 1)
    elif kind == "Polygon":
        where = f"« {nom} »" if nom else f"Forme n° {len(found) + 1}"
        found.append((nom, {"type": "Polygon", "coordinates": read_polygon(obj.get("coordinates"), where, budget)}))
    elif kind == "MultiPolygon":
        where = f"« {nom} »" if nom else f"Forme n° {len(found) + 1}"
        polygons = obj.get("coordinates")
        if not isinstance(polygons, list) or not polygons:
            raise GeoFileError(f"{where} : un multipolygone sans polygone.")
        coords = [read_polygon(p, where, budget) for p in polygons]
        found.append((nom, {"type": "MultiPolygon", "coordinates": coords}))
    elif kind in ("Point", "MultiPoint", "LineString", "MultiLineString"):
        return  # not a surface: left out (a file of only these says « aucun polygone »)
    else:
        raise GeoFileError(
            "Ce n'est pas un GeoJSON : type « "
            + str(kind)[:40]
            + " » inconnu (attendu Feature, FeatureCollection, Polygon, MultiPolygon…)."
        )


# --- KML and KMZ ------------------------------------------------------------------------------


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _read_kml(name: str, data: bytes, budget: Budget) -> list[tuple[str, dict]]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise GeoFileError(
            f"Le fichier « {short(name)} » déclare des entités ou une DTD : refusé par sécurité. "
            "Exportez à nouveau le KML depuis votre logiciel de cartographie."
        ) from None
    except (ParseError, LookupError, ValueError) as exc:  # LookupError: an unknown encoding declared
        line = getattr(exc, "position", (None,))[0]
        where = f" (ligne {line})" if line else ""
        raise GeoFileError(f"Le fichier « {short(name)} » n'est pas un XML lisible{where}.") from None
    if _local(root.tag) != "kml":
        raise GeoFileError(unknown(name))
    _check_depth(root)
    found: list[tuple[str, dict]] = []
    placemarks = [e for e in root.iter() if _local(e.tag) == "Placemark"]
    for placemark in placemarks:
        nom = next((c.text or "" for c in placemark if _local(c.tag) == "name"), "").strip()[:200]
        polygons = [_kml_polygon(p, nom or f"Forme n° {len(found) + 1}", budget) for p in _kml_polygons(placemark)]
        if len(polygons) == 1:
            found.append((nom, {"type": "Polygon", "coordinates": polygons[0]}))
        elif polygons:
            found.append((nom, {"type": "MultiPolygon", "coordinates": polygons}))
    if not placemarks:  # polygons outside any Placemark
        for polygon in (e for e in root.iter() if _local(e.tag) == "Polygon"):
            found.append(("", {"type": "Polygon", "coordinates": _kml_polygon(polygon, "Forme", budget)}))
    return check_degrees(found, name)


def _check_depth(root) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise GeoFileError(f"Le KML est imbriqué trop profondément (plus de {MAX_DEPTH} niveaux).")
        stack.extend((child, depth + 1) for child in element)


def _kml_polygons(placemark):
    return [e for e in placemark.iter() if _local(e.tag) == "Polygon"]


def _kml_polygon(polygon, nom: str, budget: Budget) -> list:
    where = f"« {nom} »"
    outer = [e for e in polygon if _local(e.tag) == "outerBoundaryIs"]
    inner = [e for e in polygon if _local(e.tag) == "innerBoundaryIs"]
    if len(outer) != 1:
        raise GeoFileError(f"{where} : un polygone KML doit avoir un contour extérieur (outerBoundaryIs).")
    return [_kml_ring(b, where, budget) for b in outer + inner]


def _kml_ring(boundary, where: str, budget: Budget) -> list:
    coordinates = next((e for e in boundary.iter() if _local(e.tag) == "coordinates"), None)
    if coordinates is None or not (coordinates.text or "").strip():
        raise GeoFileError(f"{where} : un contour KML sans coordonnées.")
    tuples = coordinates.text.split()
    budget.count(len(tuples))
    return read_ring([t.split(",") for t in tuples], where, Budget())


# --- zip archives: KMZ and Shapefile ---------------------------------------------------------


def _read_zip(name: str, data: bytes, budget: Budget) -> list[tuple[str, dict]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [i for i in archive.infolist() if not i.is_dir()]
    except Exception:  # BadZipFile, NotImplementedError (zip version), OSError...: never shown as they are
        raise GeoFileError(f"L'archive « {short(name)} » est endommagée ou illisible.") from None
    if len(entries) > MAX_ENTRIES:
        raise GeoFileError(f"L'archive « {short(name)} » contient plus de {MAX_ENTRIES} fichiers.")
    if sum(i.file_size for i in entries) > MAX_UNZIPPED:
        raise GeoFileError(_bomb(name))
    reader = _Unzipper(archive, name)
    by_suffix: dict[str, list[zipfile.ZipInfo]] = {}
    for info in entries:
        path = PurePosixPath(info.filename)
        if path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        by_suffix.setdefault(path.suffix.lower(), []).append(info)
    if ".shp" in by_suffix:
        return _read_shapefiles(name, by_suffix, reader, budget)
    if ".kml" in by_suffix:
        kml = min(by_suffix[".kml"], key=lambda i: (i.filename.count("/"), i.filename != "doc.kml"))
        return _read_kml(kml.filename, reader.read(kml), budget)
    raise GeoFileError(
        f"L'archive « {short(name)} » ne contient ni Shapefile (.shp) ni KML : "
        "importez un Shapefile zippé (.shp, .shx, .dbf, .prj) ou un KMZ."
    )


def _bomb(name: str) -> str:
    return (
        f"L'archive « {short(name)} » se décompresse en plus de {MAX_UNZIPPED // (1024 * 1024)} Mo : "
        "refusée (un fichier de périmètres est bien plus petit)."
    )


class _Unzipper:
    """Reads entries counting the bytes really produced (a zip may lie about its sizes)."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self.archive, self.name, self.total = archive, name, 0

    def read(self, info: zipfile.ZipInfo) -> bytes:
        left = MAX_UNZIPPED - self.total
        try:
            with self.archive.open(info) as handle:
                content = handle.read(left + 1)
        except Exception:  # zlib.error, BadZipFile, EOFError, NotImplementedError...: a damaged entry
            raise GeoFileError(
                f"L'archive « {short(self.name)} » : « {short(info.filename)} » ne peut pas être décompressé "
                "(archive endommagée, chiffrée ou compression non prise en charge)."
            ) from None
        self.total += len(content)
        if len(content) > left:
            raise GeoFileError(_bomb(self.name))
        return content


def _read_shapefiles(name: str, by_suffix: dict, reader: _Unzipper, budget: Budget) -> list[tuple[str, dict]]:
    found: list[tuple[str, dict]] = []
    for shp in sorted(by_suffix[".shp"], key=lambda i: i.filename):
        stem = str(PurePosixPath(shp.filename).with_suffix("")).lower()
        companions = {
            suffix: next((i for i in infos if str(PurePosixPath(i.filename).with_suffix("")).lower() == stem), None)
            for suffix, infos in by_suffix.items()
        }
        label = PurePosixPath(shp.filename).name
        shapes = _shapefile(label, reader.read(shp), companions, reader, budget)
        prj = companions.get(".prj")
        if prj is not None and shapes:
            wkt = reader.read(prj).decode("latin-1").strip()
            shapes = reproject(shapes, _lambert93_first(wkt), label)
        else:
            shapes = check_degrees(shapes, label)
        found.extend(shapes)
    return found


def _lambert93_first(wkt: str) -> str:
    """Lambert-93, the projection French towns use, as its EPSG code when the .prj names it
    (ESRI's WKT spells it differently from the EPSG's); other projections as written."""
    squashed = re.sub(r"[^a-z0-9]", "", wkt.lower())
    if "lambert93" in squashed or "rgf93lambert93" in squashed or "rgf1993lambert93" in squashed:
        return "EPSG:2154"
    return wkt


def _shapefile(label: str, shp: bytes, companions: dict, reader: _Unzipper, budget: Budget) -> list:
    import shapefile

    shx, dbf, cpg = (companions.get(suffix) for suffix in (".shx", ".dbf", ".cpg"))
    try:
        parts = {"shp": io.BytesIO(shp)}
        if shx is not None:
            parts["shx"] = io.BytesIO(reader.read(shx))
        source = shapefile.Reader(**parts)
        if source.shapeType not in (shapefile.POLYGON, shapefile.POLYGONZ, shapefile.POLYGONM):
            return []
        names = _dbf_names(reader.read(dbf), reader.read(cpg) if cpg else b"") if dbf is not None else []
        found = []
        for index, geometry_shape in enumerate(source.iterShapes(), 1):
            if len(found) >= MAX_SHAPES:
                break
            budget.count(len(geometry_shape.points))
            if not geometry_shape.points:
                continue
            nom = names[index - 1] if index <= len(names) else ""
            geojson = geometry_shape.__geo_interface__
            where = f"« {nom or label + ' n° ' + str(index)} »"
            polygons = [geojson["coordinates"]] if geojson["type"] == "Polygon" else geojson["coordinates"]
            coords = [read_polygon([list(map(list, r)) for r in polygon], where, Budget()) for polygon in polygons]
            if len(coords) == 1:
                found.append((nom, {"type": "Polygon", "coordinates": coords[0]}))
            else:
                found.append((nom, {"type": "MultiPolygon", "coordinates": coords}))
        return found
    except GeoFileError:
        raise
    except Exception:  # pyshp's own errors on a damaged file: never shown as they are
        raise GeoFileError(f"Le Shapefile « {label} » est endommagé ou illisible.") from None


CPG = {"ansi 1252": "cp1252", "1252": "cp1252", "utf8": "utf-8", "88591": "latin-1", "iso88591": "latin-1"}


def _dbf_names(dbf: bytes, cpg: bytes) -> list[str]:
    """The shapes' names from the .dbf, in the encoding its .cpg states, else UTF-8, else Windows-1252
    (what French tools without a .cpg write)."""
    import codecs

    import shapefile

    stated = cpg.decode("ascii", "ignore").strip().lower()
    stated = CPG.get(stated.replace("-", "").replace("_", ""), CPG.get(stated, stated))
    encodings = ["utf-8", "cp1252"]
    try:
        if stated:
            encodings = [codecs.lookup(stated).name]
    except LookupError:
        pass
    for encoding in encodings:
        try:
            table = shapefile.Reader(dbf=io.BytesIO(dbf), encoding=encoding, encodingErrors="strict")
            return [name_of(record.as_dict()) for record in table.iterRecords()]
        except (UnicodeDecodeError, shapefile.ShapefileException):  # pyshp 3 says it so
            continue
    table = shapefile.Reader(dbf=io.BytesIO(dbf), encoding="utf-8", encodingErrors="replace")
    return [name_of(record.as_dict()) for record in table.iterRecords()]


def as_surface(formes: list[Forme]) -> dict:
    """All the shapes as the one geometry a périmètre field holds: a Polygon, or a MultiPolygon
    when there are several; GeoFileError when they overlap (a MultiPolygon's parts may not)."""
    polygons = []
    for forme in formes:
        geometry = forme.geometrie
        polygons += [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    surface = {"type": "MultiPolygon", "coordinates": polygons}
    try:
        to_shape(surface)
    except GeometryError:
        raise GeoFileError(
            f"Les {len(formes)} formes du fichier se chevauchent ou se touchent : un périmètre fait de plusieurs "
            "morceaux doit avoir des morceaux séparés. Fusionnez-les, ou importez un fichier par périmètre."
        ) from None
    return surface


def read_surface(name: str, data: bytes) -> dict:
    """A périmètre field's geometry from a file or a pasted GeoJSON text (any of the formats above)."""
    return as_surface(read_geometry_file(name, data))


def as_feature_collection(formes: list[Forme]) -> str:
    """The shapes as the GeoJSON text the map widget's textarea holds."""
    return json.dumps({"type": "FeatureCollection", "features": [f.feature() for f in formes]}, ensure_ascii=False)
