"""Périmètres read from real files written here: GeoJSON, KML, KMZ, a zipped Lambert-93
Shapefile made with pyshp; and hostile ones (entities, billion laughs, a zip bomb, a huge
list of coordinates, deep nesting, a self-crossing polygon, no polygon at all): every refusal
is a French sentence, never a library's message."""

import contextlib
import io
import json
import random
import zipfile

import pytest
import shapefile
from pyproj import CRS, Transformer

from instruct.form.geofiles import Forme, GeoFileError, as_feature_collection, read_geometry_file, read_surface
from instruct.form.geoshapes import MAX_UNZIPPED
from instruct.model.fields import Surface

# A square of about 200 m in Villebelle (fictitious), lon/lat.
SQUARE = [[2.35, 48.85], [2.353, 48.85], [2.353, 48.852], [2.35, 48.852], [2.35, 48.85]]
BOWTIE = [[2.35, 48.85], [2.353, 48.852], [2.353, 48.85], [2.35, 48.852], [2.35, 48.85]]
ENGLISH = ("Self-intersection", "Traceback", "Error", "Exception", "entity", "expected")


def french(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert not any(word in message for word in ENGLISH), message
    return message


def feature(coords, nom="Centre-ville", kind="Polygon") -> dict:
    return {"type": "Feature", "properties": {"nom": nom}, "geometry": {"type": kind, "coordinates": coords}}


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- GeoJSON ------------------------------------------------------------------------------------


def test_geojson_feature_collection_gives_named_wgs84_shapes():
    hole = [[2.351, 48.8505], [2.351, 48.851], [2.352, 48.851], [2.352, 48.8505], [2.351, 48.8505]]
    document = {
        "type": "FeatureCollection",
        "features": [
            feature([SQUARE, hole], "Périmètre d'intervention"),
            feature([[[[2.4, 48.9], [2.41, 48.9], [2.41, 48.91], [2.4, 48.9]]]], "Secteur gare", "MultiPolygon"),
            feature([2.35, 48.85], "Mairie", "Point"),
        ],
    }
    formes = read_geometry_file("perimetres.geojson", json.dumps(document).encode())
    assert [f.nom for f in formes] == ["Périmètre d'intervention", "Secteur gare"]
    assert formes[0].geometrie == {"type": "Polygon", "coordinates": [SQUARE, hole]}
    assert formes[1].geometrie["type"] == "MultiPolygon"
    for forme in formes:
        Surface.model_validate(forme.geometrie)  # what the dossier accepts
    collection = json.loads(as_feature_collection(formes))
    assert collection["features"][0]["properties"]["nom"] == "Périmètre d'intervention"


def test_geojson_bare_geometry_rounded_and_closed():
    open_ring = [[2.350000012345, 48.85], [2.353, 48.85], [2.353, 48.852], [2.35, 48.852]]
    (forme,) = read_geometry_file("p.json", json.dumps({"type": "Polygon", "coordinates": [open_ring]}).encode())
    assert forme.nom == "Forme n° 1"
    ring = forme.geometrie["coordinates"][0]
    assert ring[0] == [2.35, 48.85] and ring[-1] == ring[0] and len(ring) == 5


def test_geojson_with_a_lambert93_crs_is_reprojected():
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    ring = [list(to_l93.transform(x, y)) for x, y in SQUARE]
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        "features": [feature([ring])],
    }
    (forme,) = read_geometry_file("l93.geojson", json.dumps(document).encode())
    for (x, y), (ex, ey) in zip(forme.geometrie["coordinates"][0], SQUARE):
        assert abs(x - ex) < 1e-6 and abs(y - ey) < 1e-6


def test_self_crossing_polygon_named_in_french():
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("noeud.geojson", json.dumps(feature([BOWTIE], "Secteur des halles")).encode())
    message = french(exc)
    assert "« Secteur des halles »" in message and "se recoupe" in message and "près de 2.351500" in message


def test_not_a_polygon_and_not_geojson():
    line = {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": SQUARE}}
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("rue.geojson", json.dumps(line).encode())
    assert "aucun polygone" in french(exc)
    for data, words in [
        (b'{"type": "Polygone", "coordinates": []}', "inconnu"),
        (b'{"type": "Polygon", "coordinates": [[[2.35, 48.85], [2.36, 48.85]]]}', "trois sommets"),
        (b'{"type": "Polygon", "coordinates": [[["a", 48.85], [2.36, 48.85], [2, 4], [1, 1]]]}', "pas un nombre"),
        (b'{"type": "Polygon", "coordinates": [[[2.35, 48.85], [2.36, 48.85 ', "pas un GeoJSON lisible"),
        (b"bonjour", "pas un fichier de périmètres reconnu"),
        (b"\xff\xfe\x00", "pas un texte UTF-8"),
        (b"   ", "vide"),
    ]:
        with pytest.raises(GeoFileError) as exc:
            read_geometry_file("x.geojson", data)
        assert words in french(exc), (data, str(exc.value))


def test_coordinates_that_are_not_degrees_without_a_projection():
    metres = [[650000, 6860000], [651000, 6860000], [651000, 6861000], [650000, 6860000]]
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("l93.geojson", json.dumps(feature([metres])).encode())
    assert "ne sont pas des longitudes et latitudes en degrés" in french(exc)


def test_huge_coordinates_list_and_deep_nesting_refused():
    ring = [[2.35 + i * 1e-7, 48.85] for i in range(210_000)] + [[2.36, 48.86], [2.35, 48.85]]
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("enorme.geojson", json.dumps({"type": "Polygon", "coordinates": [ring]}).encode())
    assert "trop détaillé" in french(exc)
    deep = b'{"type": "GeometryCollection", "geometries": ' * 40 + b"[]" + b"}" * 40
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("profond.geojson", deep)
    assert "imbrication trop profonde" in french(exc)
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("gros.geojson", b" " * (10 * 1024 * 1024 + 1))
    assert "dépasse 10 Mo" in french(exc)


# --- KML and KMZ ---------------------------------------------------------------------------------


def kml(placemarks: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}\n<kml xmlns="http://www.opengis.net/kml/2.2">'
        f"<Document><Folder>{placemarks}</Folder></Document></kml>"
    ).encode()


def placemark(name: str, *rings: list) -> str:
    def coords(ring):
        return " ".join(f"{x},{y},0" for x, y in ring)

    inner = "".join(
        f"<innerBoundaryIs><LinearRing><coordinates>{coords(r)}</coordinates></LinearRing></innerBoundaryIs>"
        for r in rings[1:]
    )
    return (
        f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>\n"
        f"{coords(rings[0])}\n</coordinates></LinearRing></outerBoundaryIs>{inner}</Polygon></Placemark>"
    )


def test_kml_and_kmz_with_names_and_multigeometry():
    other = [[x + 0.01, y] for x, y in SQUARE]
    multi = placemark("Secteurs", SQUARE).replace("<Polygon>", "<MultiGeometry><Polygon>", 1)
    multi = multi.replace("</Polygon>", "</Polygon>" + placemark("x", other).split("</name>")[1][:-12], 1)
    multi = multi.replace("</Placemark>", "</MultiGeometry></Placemark>")
    data = kml(placemark("Périmètre d'étude", SQUARE) + multi)
    formes = read_geometry_file("perimetres.kml", data)
    assert [f.nom for f in formes] == ["Périmètre d'étude", "Secteurs"]
    assert formes[0].geometrie == {"type": "Polygon", "coordinates": [SQUARE]}
    assert formes[1].geometrie["type"] == "MultiPolygon" and len(formes[1].geometrie["coordinates"]) == 2
    kmz = zipped({"doc.kml": data, "files/logo.png": b"\x89PNG"})
    assert read_geometry_file("perimetres.kmz", kmz) == formes


def test_kml_entities_and_billion_laughs_refused():
    laughs = (
        '<!DOCTYPE kml [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
    )
    external = '<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    for prolog, body in [(laughs, "&lol2;"), (external, "&xxe;")]:
        with pytest.raises(GeoFileError) as exc:
            read_geometry_file("piege.kml", kml(placemark(body, SQUARE), prolog))
        assert "refusé par sécurité" in french(exc)
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("casse.kml", kml(placemark("a", SQUARE))[:-20])
    assert "pas un XML lisible" in french(exc)


def test_kml_self_crossing_and_no_polygon():
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("noeud.kml", kml(placemark("Îlot nord", BOWTIE)))
    assert "« Îlot nord » : géométrie invalide : le contour se recoupe" in french(exc)
    point = "<Placemark><name>Mairie</name><Point><coordinates>2.35,48.85</coordinates></Point></Placemark>"
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("mairie.kml", kml(point))
    assert "aucun polygone" in french(exc)


# --- Shapefile ----------------------------------------------------------------------------------


def shapefile_zip(
    rings_by_name: dict[str, list], prj: str | None, stem: str = "perimetres", encoding: str = "utf-8", cpg: str = ""
) -> bytes:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding=encoding)
    writer.field("NOM", "C", 80)
    for name, ring in rings_by_name.items():
        writer.poly([ring])
        writer.record(name)
    writer.close()
    files = {f"{stem}.shp": shp.getvalue(), f"{stem}.shx": shx.getvalue(), f"{stem}.dbf": dbf.getvalue()}
    if prj is not None:
        files[f"{stem}.prj"] = prj.encode()
    if cpg:
        files[f"{stem}.cpg"] = cpg.encode()
    return zipped(files)


def clockwise(ring: list) -> list:
    return ring[::-1]  # SQUARE is counter-clockwise; a Shapefile's outer rings turn clockwise


def test_zipped_lambert93_shapefile_reprojected_to_wgs84():
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    ring = [list(to_l93.transform(x, y)) for x, y in clockwise(SQUARE)]
    esri_wkt = CRS.from_epsg(2154).to_wkt("WKT1_ESRI")  # what ArcGIS and QGIS write in a .prj
    formes = read_geometry_file("Perimetres.zip", shapefile_zip({"Secteur de la gare": ring}, esri_wkt))
    assert [f.nom for f in formes] == ["Secteur de la gare"]
    got = formes[0].geometrie["coordinates"][0]
    for (x, y), (ex, ey) in zip(got, clockwise(SQUARE)):
        assert abs(x - ex) < 1e-6 and abs(y - ey) < 1e-6
    Surface.model_validate(formes[0].geometrie)


def test_shapefile_other_projection_and_none():
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32631", always_xy=True)
    ring = [list(to_utm.transform(x, y)) for x, y in clockwise(SQUARE)]
    (forme,) = read_geometry_file("utm.zip", shapefile_zip({"A": ring}, CRS.from_epsg(32631).to_wkt()))
    assert abs(forme.geometrie["coordinates"][0][0][0] - 2.35) < 1e-6
    (forme,) = read_geometry_file("wgs.zip", shapefile_zip({"B": clockwise(SQUARE)}, None))
    assert forme.geometrie["coordinates"][0] == clockwise(SQUARE)
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("sans-prj.zip", shapefile_zip({"C": ring}, None))
    assert "ne dit pas sa projection" in french(exc)
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("bizarre.zip", shapefile_zip({"D": ring}, 'PROJCS["n\'importe quoi"]'))
    assert "n'est pas reconnue" in french(exc)


def test_shapefile_self_crossing_and_damaged():
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("noeud.zip", shapefile_zip({"Îlot sud": BOWTIE}, None))
    assert "« Îlot sud »" in french(exc) and "se recoupe" in str(exc.value)
    damaged = zipped({"p.shp": b"\x00\x00\x27\x0a" + b"\x00" * 60, "p.dbf": b"rien"})
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("casse.zip", damaged)
    assert "endommagé" in french(exc)
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("p.shp", b"\x00\x00\x27\x0a")
    assert "archive ZIP" in french(exc)
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("rien.zip", zipped({"lisezmoi.txt": b"bonjour"}))
    assert "ni Shapefile" in french(exc)


def test_zip_bombs_refused():
    bomb = zipped({"doc.kml": b" " * (MAX_UNZIPPED + 1)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("bombe.kmz", bomb)
    assert "se décompresse en plus de 50 Mo" in french(exc)
    # An archive that lies: its directory says 10 bytes, its data inflates to 60 MB.
    liar = bytearray(bomb)
    real = (MAX_UNZIPPED + 1).to_bytes(4, "little")
    for offset in range(len(liar) - 4):
        if liar[offset : offset + 4] == real:
            liar[offset : offset + 4] = (10).to_bytes(4, "little")
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("menteuse.kmz", bytes(liar))
    assert "se décompresse" in french(exc) or "ne peut pas être décompressé" in str(exc.value)
    many = zipped({f"f{i}.txt": b"" for i in range(101)})
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("nombreux.zip", many)
    assert "plus de 100 fichiers" in french(exc)
    with pytest.raises(GeoFileError) as exc:
        read_geometry_file("casse.zip", b"PK\x03\x04" + b"\x00" * 40)
    assert "endommagée" in french(exc)


def test_forme_is_a_value():
    assert Forme("a", {"type": "Polygon", "coordinates": [SQUARE]}) == Forme(
        "a", {"type": "Polygon", "coordinates": [SQUARE]}
    )


def test_several_shapes_as_one_surface():
    other = [[x + 0.01, y] for x, y in SQUARE]
    both = {"type": "FeatureCollection", "features": [feature([SQUARE], "a"), feature([other], "b")]}
    assert read_surface("deux.geojson", json.dumps(both).encode()) == {
        "type": "MultiPolygon",
        "coordinates": [[SQUARE], [other]],
    }
    assert read_surface("un.geojson", json.dumps(feature([SQUARE])).encode()) == {
        "type": "Polygon",
        "coordinates": [SQUARE],
    }
    overlapping = {"type": "FeatureCollection", "features": [feature([SQUARE], "a"), feature([SQUARE], "b")]}
    with pytest.raises(GeoFileError) as exc:
        read_surface("doubles.geojson", json.dumps(overlapping).encode())
    assert "se chevauchent" in french(exc)


def test_shapefile_names_in_their_encoding_and_with_holes():
    outer = clockwise([[2.34, 48.84], [2.36, 48.84], [2.36, 48.86], [2.34, 48.86], [2.34, 48.84]])
    hole = [[2.345, 48.845], [2.35, 48.845], [2.35, 48.85], [2.345, 48.85], [2.345, 48.845]]  # counter-clockwise
    for encoding, cpg in [("utf-8", ""), ("cp1252", ""), ("latin-1", "ISO-8859-1"), ("cp1252", "ANSI 1252")]:
        shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
        writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding=encoding)
        writer.field("LIBELLE", "C", 80)
        writer.poly([outer, hole])
        writer.record("Îlot de l'Hôtel-Dieu")
        writer.close()
        files = {"p.shp": shp.getvalue(), "p.shx": shx.getvalue(), "p.dbf": dbf.getvalue()}
        if cpg:
            files["p.cpg"] = cpg.encode()
        (forme,) = read_geometry_file("p.zip", zipped(files))
        assert forme.nom == "Îlot de l'Hôtel-Dieu", (encoding, cpg, forme.nom)
        assert forme.geometrie["type"] == "Polygon" and len(forme.geometrie["coordinates"]) == 2
        Surface.model_validate(forme.geometrie)


def test_damaged_files_only_ever_give_a_french_refusal():
    """Bytes flipped, inserted, cut in valid files of each kind (a fixed seed): a Forme list or a
    GeoFileError, never zlib's, expat's or pyshp's own exception."""
    rng = random.Random(16)
    seeds = [
        json.dumps(feature([SQUARE])).encode(),
        kml(placemark("a", SQUARE)),
        zipped({"doc.kml": kml(placemark("a", SQUARE))}),
        shapefile_zip({"a": clockwise(SQUARE)}, None),
    ]
    for _ in range(600):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(data)) if data else 0
            op = rng.random()
            if op < 0.4 and data:
                data[i] = rng.randrange(256)
            elif op < 0.6:
                data[i:i] = bytes([rng.randrange(256)])
            elif op < 0.8:
                del data[i : i + rng.randint(1, 20)]
            else:
                del data[i:]
        with contextlib.suppress(GeoFileError):
            read_geometry_file(rng.choice(["a.geojson", "a.kml", "a.zip", "a.kmz", "x"]), bytes(data))
