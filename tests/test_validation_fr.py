"""Every input is validated before use, in French (issue 13): every error type pydantic can raise
has a French message; malformed dossiers (geometries, types, control characters, lengths, absurd
numbers, NaN) are refused by `acv check` with exit 2 and by the API with a French 422, never an
internal error; the API's parameters (pages, ort-commerce, login, filters, notes, reasons) alike,
on PostgreSQL (SQLite too: make test-bases)."""

import copy
import io
import json
import re
import subprocess
import typing
import zipfile

import httpx
import pytest
from conftest import acv_command
from pydantic_core import ValidationError
from pydantic_core.core_schema import ErrorType
from test_service import PASSWORD, client, deposited, service  # noqa: F401 (fixtures)

from instruct.messages import MESSAGES, french_message
from instruct.model.fields import NOM_MAX
from instruct.model.geometry import MAX_VERTICES
from instruct.service import usecases
from instruct.service.storage import Dossier as StoredDossier

# Words of pydantic's, shapely's, numpy's or Python's English that must never reach a user.
ENGLISH = re.compile(
    r"\b(input|should|valid|invalid|field required|required|dimension|ordinate|traceback|error|expected|got|must|"
    r"string|integer|number|too few|self-intersection|not permitted|keys?|value)\b",
    re.IGNORECASE,
)

RING = [[1.99, 46.99], [2.01, 46.99], [2.01, 47.01], [1.99, 47.01], [1.99, 46.99]]
BASE = {
    "id": "validation",
    "fictif": True,
    "collectivites": {
        "ville_centre": {"nom": "Villebelle", "insee": "99101"},
        "intercommunalite": {"nom": "Communauté de Villebelle", "siren": "999000001"},
    },
    "perimetres": {"etude": {"type": "Polygon", "coordinates": [RING]}},
    "fiches_actions": [{"id": "FA-1", "intitule": "Halle", "cout": "1000"}],
}


def at(path: str, value):
    """A copy of BASE with `value` at the dotted path (list indexes as numbers)."""

    def make():
        data = copy.deepcopy(BASE)
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        node = data
        for part in parents:
            if isinstance(node, dict) and part not in node:
                node[part] = {}
            node = node[part]
        node[last] = value
        return data

    return make


def geometry(coordinates, kind="Polygon"):
    return at("perimetres.etude", {"type": kind, "coordinates": coordinates})


NAN, INF = float("nan"), float("inf")
# name -> (dossier, the path its error names)
MALFORMED = {
    "polygone vide": (geometry([[[]]]), "perimetres.etude"),
    "anneau vide": (geometry([[]]), "perimetres.etude"),
    "coordonnées nulles": (geometry(None), "perimetres.etude.coordinates"),
    "positions nulles": (geometry([[None, None, None, None]]), "perimetres.etude"),
    "nombres nuls": (geometry([[[None, None]] * 4]), "perimetres.etude"),
    "coordonnées en texte": (geometry("1.99 46.99"), "perimetres.etude.coordinates"),
    "anneau en texte": (geometry(["abc"]), "perimetres.etude"),
    "nombres en texte": (geometry([[["1.99", "46.99"]] * 4]), "perimetres.etude"),
    "booléens": (geometry([[[True, False]] + RING[1:]]), "perimetres.etude"),
    "4 dimensions": (geometry([[[*p, 0, 0] for p in RING]]), "perimetres.etude"),
    "1 dimension": (geometry([[[p[0]] for p in RING]]), "perimetres.etude"),
    "point au lieu d'un polygone": (geometry([2.0, 47.0], "Point"), "perimetres.etude.type"),
    "polygone sous un point": (
        at("fiches_actions.0.localisation", {"type": "Point", "coordinates": [RING]}),
        "fiches_actions[0].localisation",
    ),
    "multipolygone mal imbriqué": (geometry([RING], "MultiPolygon"), "perimetres.etude"),
    "trop peu de points": (geometry([[RING[0], RING[1], RING[0]]]), "perimetres.etude"),
    "contour qui se croise": (geometry([[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]), "perimetres.etude"),
    "trou hors du contour": (geometry([RING, [[3, 3], [3.1, 3], [3.1, 3.1], [3, 3]]]), "perimetres.etude"),
    "NaN dans une position": (geometry([[RING[0], [NAN, 47.0], *RING[2:]]]), "perimetres.etude"),
    "infini dans une position": (geometry([[RING[0], [INF, 47.0], *RING[2:]]]), "perimetres.etude"),
    "hors bornes WGS 84": (geometry([[[p[0] + 300, p[1]] for p in RING]]), "perimetres.etude"),
    "entier immense": (geometry([[[10**400, 47], *RING[1:]]]), "perimetres.etude"),
    "trop de sommets": (
        at("fiches_actions.0.localisation", {"type": "MultiPoint", "coordinates": [[2, 47]] * (MAX_VERTICES + 1)}),
        "fiches_actions[0].localisation",
    ),
    "nul dans un nom": (at("collectivites.ville_centre.nom", "Ville\x00belle"), "collectivites.ville_centre.nom"),
    "caractère de contrôle": (at("fiches_actions.0.intitule", "Halle\x07"), "fiches_actions[0].intitule"),
    "retour à la ligne dans un nom": (at("fiches_actions.0.intitule", "Halle\ncouverte"), "fiches_actions[0].intitule"),
    "nul dans un texte": (at("sujets_transversaux.innovation", "Un\x00texte"), "sujets_transversaux.innovation"),
    "inversion bidirectionnelle": (
        at("pieces", [{"id": "p", "type": "autre", "fichier": "avenant\u202efdp.docx"}]),
        "pieces[0].fichier",
    ),
    "demi-caractère Unicode": (at("collectivites.ville_centre.nom", "Ville\ud800"), "collectivites.ville_centre.nom"),
    "nom de 300 caractères": (at("collectivites.ville_centre.nom", "V" * 300), "collectivites.ville_centre.nom"),
    "texte au lieu d'un entier": (at("convention.cadre.duree_annees", "six"), "convention.cadre.duree_annees"),
    "entier de 2^63": (at("convention.cadre.duree_annees", 2**63), "convention.cadre.duree_annees"),
    "liste au lieu d'un texte": (at("collectivites.ville_centre.nom", ["a"]), "collectivites.ville_centre.nom"),
    "objet au lieu d'une liste": (at("fiches_actions", {"id": "FA-1"}), "fiches_actions"),
    "montant absurde": (at("fiches_actions.0.cout", 1e20), "fiches_actions[0].cout"),
    "montant NaN": (at("fiches_actions.0.cout", "NaN"), "fiches_actions[0].cout"),
    "montant infini": (at("fiches_actions.0.cout", "Infinity"), "fiches_actions[0].cout"),
    "montant négatif": (at("fiches_actions.0.cout", -5), "fiches_actions[0].cout"),
    "cible absurde": (
        at("indicateurs", [{"nom": "logements", "type": "resultats", "valeur_cible": 1e300}]),
        "indicateurs[0].valeur_cible",
    ),
    "surface NaN": (at("immeubles", [{"id": "I-1", "surface_m2": NAN}]), "immeubles[0].surface_m2"),
    "date impossible": (at("convention.cadre.date_signature", "2019-02-30"), "convention.cadre.date_signature"),
    "chiffres non ASCII": (at("collectivites.ville_centre.insee", "٩٩١٠١"), "collectivites.ville_centre.insee"),
}


def english_in(text: str) -> list[str]:
    return ENGLISH.findall(text.replace("coordinates", ""))


# --- the translation layer --------------------------------------------------------------------

CONTEXT = {  # every key an error type's context may need (pydantic_core checks them)
    "attribute": "a",
    "error": "some English detail",
    "method_name": "m",
    "class_name": "Model",
    "gt": 1,
    "ge": 1,
    "lt": 5,
    "le": 5,
    "multiple_of": 2,
    "field_type": "List",
    "min_length": 1,
    "max_length": 5,
    "actual_length": 9,
    "pattern": "^x$",
    "expected": "'a' or 'b'",
    "encoding": "base64",
    "encoding_error": "bad",
    "tz_expected": 0,
    "tz_actual": 1,
    "class": "Model",
    "discriminator": "type",
    "tag": "t",
    "expected_tags": "a, b",
    "expected_schemes": "https",
    "expected_version": 4,
    "max_digits": 3,
    "decimal_places": 2,
    "whole_digits": 1,
}


@pytest.mark.parametrize("kind", typing.get_args(ErrorType))
def test_every_pydantic_error_type_has_a_french_message(kind):
    assert kind in MESSAGES, f"{kind} : pas de message français"
    context = dict(CONTEXT, error=ValueError("message français du modèle")) if kind == "value_error" else CONTEXT
    error = ValidationError.from_exception_data("x", [{"type": kind, "loc": ("a",), "input": "v", "ctx": context}])
    details = error.errors()[0]
    message = french_message(details)
    assert message and message != details["msg"]
    assert not english_in(message), f"{kind} : « {message} »"
    assert "some English detail" not in message


def test_an_unknown_error_type_is_still_french():
    assert french_message({"type": "nouveau_type", "msg": "Input should be new"}) == "valeur invalide"


def test_the_model_bounds_names_as_the_database_column():
    assert StoredDossier.__table__.c.commune_nom.type.length == NOM_MAX


# --- acv check --------------------------------------------------------------------------------


def _check(path) -> subprocess.CompletedProcess:
    return subprocess.run([*acv_command(), "check", str(path)], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Every malformed dossier through one `acv check` of them all (the command takes several paths and says each
    one's problems under its name, as a delegation checks its immeubles): case -> what was said of its file."""
    folder = tmp_path_factory.mktemp("malformes")
    paths = {}
    for number, (name, (make, _)) in enumerate(MALFORMED.items()):
        paths[name] = folder / f"cas-{number}.json"
        paths[name].write_text(json.dumps(make()), encoding="utf-8")
    result = subprocess.run(
        [*acv_command(), "check", *map(str, paths.values())], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2, (result.stdout + result.stderr)[-2000:]
    assert "Erreur interne" not in result.stdout + result.stderr
    said = {}
    for part in re.split(r"^(?=Erreur : )", result.stderr, flags=re.MULTILINE):
        if part.startswith("Erreur : "):
            said[part.removeprefix("Erreur : ").split(" : ", 1)[0]] = part
    return {name: said.get(str(path), "") for name, path in paths.items()}


@pytest.mark.parametrize("name", MALFORMED)
def test_acv_check_refuses_in_french_naming_the_field(checked, name):
    said = checked[name]
    assert said, f"rien n'a été dit du dossier « {name} »"
    assert f"  - {MALFORMED[name][1]}" in said, said
    assert not english_in(said), said


@pytest.mark.parametrize("name", [next(iter(MALFORMED)), "polygone vide", next(reversed(MALFORMED))])
def test_one_malformed_dossier_alone_exits_2_in_french(tmp_path, name):
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(MALFORMED[name][0]()), encoding="utf-8")
    result = _check(path)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out[-2000:]
    assert f"  - {MALFORMED[name][1]}" in result.stderr, result.stderr
    assert not english_in(result.stderr), result.stderr
    assert "Erreur interne" not in out


def test_a_valid_dossier_and_a_paragraph_pass(tmp_path):
    """The base of the table is valid, and a paragraph keeps its line breaks and tabs."""
    data = at("sujets_transversaux.innovation", "Une halle.\n\tDes étals.")()
    path = tmp_path / "valide.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = _check(path)
    assert result.returncode in (0, 1), result.stdout + result.stderr


@pytest.mark.parametrize(
    "point, surface, option",
    [
        ("2,47", "NaN", "--surface"),
        ("2,47", "inf", "--surface"),
        ("2,47", "-3", "--surface"),
        ("2,47", "sNaN", "--surface"),
        ("nan,47", "1200", "--point"),
        ("2,47,3", "1200", "--point"),
        ("200,47", "1200", "--point"),
    ],
)
def test_ort_commerce_refuses_bad_numbers(point, surface, option):
    from conftest import SAMPLES

    result = subprocess.run(
        [*acv_command(), "ort", "commerce", str(SAMPLES / "ort-sans-ville-principale.yaml"), "--point", point]
        + ["--surface", surface],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and option in result.stderr, result.stdout + result.stderr
    assert not english_in(result.stderr.replace(option, ""))


# --- the API, on PostgreSQL (SQLite too: make test-bases) ---------------------------------------------------


def _zip(data: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("dossier.json", json.dumps(data))
    return buffer.getvalue()


def _french_422(response, *fragments):
    assert response.status_code == 422, f"{response.status_code} {response.text[:500]}"
    text = json.dumps(response.json(), ensure_ascii=False)
    assert not english_in(text.replace("chemin", "")), text
    for fragment in fragments:
        assert fragment in text, text


def test_api_refuses_malformed_dossiers_in_french(service):  # noqa: F811
    _, base = service
    town = client(base, "villebelle")
    for name, (make, path) in MALFORMED.items():
        if name == "trop de sommets":  # the same check; spare the upload
            continue
        r = town.post(
            "/api/dossiers",
            files={"archive": ("dossier.zip", _zip(make()), "application/zip")},
            data={"date": "2026-11-26"},
        )
        assert r.status_code == 422, f"{name} : {r.status_code} {r.text[:300]}"
        text = json.dumps(r.json(), ensure_ascii=False)
        assert not english_in(text), f"{name} : {text}"
        assert path in text or "JSON" in text, f"{name} : {text}"


def test_api_parameters_are_bounded_in_french(service, deposited):  # noqa: F811
    _, base = service
    ident, _ = deposited
    admin = client(base, "admin")
    _french_422(admin.get("/api/dossiers", params={"decalage": 2**63}), "query.decalage", "inférieur ou égal")
    _french_422(admin.get("/api/dossiers", params={"decalage": -1}), "query.decalage")
    _french_422(admin.get("/api/dossiers", params={"limite": "beaucoup"}), "nombre entier attendu")
    assert admin.get("/api/dossiers", params={"decalage": 10}).status_code == 200
    assert admin.get(f"/api/dossiers/{ident}/versions/{2**63}/rapport").status_code == 404
    assert admin.get(f"/api/dossiers/{ident}/comparaison", params={"de": 2**63, "a": 1}).status_code in (404, 422)
    for surface in ("NaN", "inf", "-1", "sNaN", "1e999999"):
        r = admin.get(f"/api/dossiers/{ident}/ort-commerce", params={"point": "2,47", "surface": surface})
        _french_422(r, "surface de vente")
    for point in ("nan,47", "2", "200,47", "inf,inf"):
        r = admin.get(f"/api/dossiers/{ident}/ort-commerce", params={"point": point, "surface": "1200"})
        _french_422(r, "point" if point not in ("200,47",) else "hors bornes")


def test_api_refuses_nul_in_logins_filters_notes_and_reasons(service, deposited):  # noqa: F811
    _, base = service
    ident, _ = deposited
    anonymous = client(base)
    r = anonymous.post("/api/session", json={"identifiant": "ddt99\x00", "mot_de_passe": "x"})
    _french_422(r, "body.identifiant", "U+0000")
    for body in (b"{", b'{"identifiant": "\\ud800", "mot_de_passe": "x"}', b'{"identifiant": 5, "mot_de_passe": NaN}'):
        _french_422(anonymous.post("/api/session", content=body, headers={"content-type": "application/json"}))
    nested = anonymous.post(
        "/api/session", content=b"[" * 100000 + b"]" * 100000, headers={"content-type": "application/json"}
    )
    assert nested.status_code in (400, 422) and not english_in(nested.text.replace("chemin", "")), nested.text
    assert "illisible" in nested.text or "imbrication" in nested.text, nested.text
    ddt = client(base, "ddt99")
    for name in ("etat", "partenaire", "territoire"):
        _french_422(ddt.get("/api/dossiers", params={name: "dep:\x00"}), f"query.{name}", "U+0000")
    _french_422(ddt.post(f"/api/dossiers/{ident}/notes", json={"texte": "note\x00"}), "body.texte")
    _french_422(ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "refuse", "motif": "a\x00b"}))
    assert ddt.post(f"/api/dossiers/{ident}/notes", json={"texte": "ligne 1\n\tligne 2"}).status_code == 201
    assert ddt.get("/api/dossiers/a%00b").status_code == 404
    assert ddt.get(f"/api/dossiers/{ident}").json()["etat"] == "depose"  # nothing decided by the refused reasons


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"champ caché {name} absent"
    return match.group(1)


def test_pages_refuse_nul_in_login_filters_notes_and_reasons(service, deposited):  # noqa: F811
    _, base = service
    ident, _ = deposited
    with httpx.Client(base_url=base, timeout=60) as anonymous:
        jeton = _hidden(anonymous.get("/connexion").text, "jeton")
        r = anonymous.post("/connexion", data={"jeton": jeton, "identifiant": "ddt99\x00", "mot_de_passe": PASSWORD})
        assert r.status_code == 422 and "U+0000" in r.text, r.text[-500:]
    ddt = client(base, "ddt99")
    ddt.cookies.set(usecases.SESSION_COOKIE, ddt.headers.pop("Authorization")[7:])
    r = ddt.get("/dossiers", params={"territoire": "dep:\x00"})
    assert r.status_code == 400 and "territoire" in r.text
    csrf = _hidden(ddt.get(f"/dossiers/{ident}").text, "csrf")
    r = ddt.post(f"/dossiers/{ident}/notes", data={"csrf": csrf, "texte": "note\x00"})
    assert r.status_code == 422 and "caractère de contrôle" in r.text
    r = ddt.post(f"/dossiers/{ident}/transition", data={"csrf": csrf, "vers": "en_instruction", "motif": "a\x00"})
    assert r.status_code == 422 and "U+0000" in r.text
    assert (
        ddt.get(
            f"/api/dossiers/{ident}", headers={"Authorization": f"Bearer {ddt.cookies.get(usecases.SESSION_COOKIE)}"}
        ).json()["etat"]
        == "depose"
    )
