"""schemathesis against the service's own /openapi.json, on a live server on loopback (SQLite and PostgreSQL),
as a town and as an instructeur (Bearer token), half the time on a real deposited dossier.

Checks kept, and why:
- no 5xx (schemathesis's `not_a_server_error`): nothing a user sends is an internal error;
- every JSON error body (4xx) is French (the deny-list of tests/fuzz/fuzzing.py).
Checks left out, and why:
- status_code_conformance and response_schema_conformance: the routes declare 200 and 422 only,
  while 401, 403, 404, 409 and 413 are the documented answers (README) — a schema question, not a
  bug a user meets;
- content_type_conformance: a report answers in the format asked (docx, html, markdown);
- positive/negative_data_acceptance: whether a valid request succeeds depends on the role and the
  dossier's state, not on the schema;
- ignored_auth: the schema declares no security scheme (the Bearer is read by hand);
- use_after_free, ensure_resource_availability: stateful, the schema has no links;
- max_response_time: the machine is shared.
DELETE /api/session is left out: it revokes the token the other calls use.
"""

from __future__ import annotations

import io
import zipfile

import httpx
import pytest
import schemathesis
from fuzzing import SAMPLES, budget, english
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from test_service import Server

from instruct.service import accounts
from instruct.service.app import create_app

pytestmark = pytest.mark.fuzz

PASSWORD = "mot-de-passe-de-fuzz"
SKIPPED = {("DELETE", "/api/session")}


def _zip(folder) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.writestr(str(path.relative_to(folder)), path.read_bytes())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def live(database_url):
    """(base URL, {role: headers}, id of villebelle's deposited dossier), on SQLite then PostgreSQL."""
    app = create_app(database_url)
    with app.state.sessions() as session:
        accounts.create_user(session, "villebelle", PASSWORD, "collectivite", commune_insee="99101")
        accounts.create_user(session, "ddt99", PASSWORD, "instructeur", partenaire="ddt", territoire="dep:99")
        session.commit()
    with Server(app) as base:
        headers = {}
        with httpx.Client(base_url=base, timeout=120) as c:
            for login in ("villebelle", "ddt99"):
                r = c.post("/api/session", json={"identifiant": login, "mot_de_passe": PASSWORD})
                assert r.status_code == 200, r.text
                headers[login] = {"Authorization": f"Bearer {r.json()['jeton']}"}
            files = {"archive": ("dossier.zip", _zip(SAMPLES / "villebelle"), "application/zip")}
            r = c.post("/api/dossiers", files=files, data={"date": "2026-11-26"}, headers=headers["villebelle"])
            assert r.status_code == 201, r.text
            ident = r.json()["id"]
        yield base, headers, ident


def _messages(body) -> list[str]:
    """The texts of a JSON error body a user reads."""
    if isinstance(body, str):
        return [body]
    if isinstance(body, dict):
        return [m for v in body.values() for m in _messages(v)]
    if isinstance(body, list):
        return [m for v in body for m in _messages(v)]
    return []


def test_openapi_routes(live):
    """Every route, every example: the distinct failures (status, English words) are collected
    rather than the first one stopping the route, so that a 422 in English does not hide a 500."""
    base, headers, ident = live
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    failures: dict[tuple, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @settings(max_examples=budget(10, 400))
        @given(case=operation.as_strategy(), role=st.sampled_from(sorted(headers)), real=st.booleans())
        def route(case, role, real):
            if real and "dossier_id" in (case.path_parameters or {}):
                case.path_parameters["dossier_id"] = ident
            response = case.call(base_url=base, headers=headers[role], timeout=120)
            where = f"{case.method} {case.path} ({role})"
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except Exception as exc:  # schemathesis's failure: keep one example per route and status
                key = (where.split(" (")[0], response.status_code, "5xx")
                failures.setdefault(key, f"{where} : {response.status_code} : {str(exc)[:800]}")
            if response.status_code >= 400 and "json" in response.headers.get("content-type", [""])[0]:
                for message in _messages(response.json()):
                    if found := english(message):
                        key = (where.split(" (")[0], response.status_code, tuple(found))
                        failures.setdefault(key, f"{where} : {response.status_code} en anglais : {message[:200]!r}")

        route()
    assert not failures, f"{len(failures)} échec(s) distinct(s) :\n" + "\n".join(
        text for _, text in sorted(failures.items(), key=lambda item: str(item[0]))
    )


# --- the service's failures the issue lists, one request each ------------------------------------


def _bad_zip(kind: str) -> bytes:
    if kind == "tronqué":
        return _zip(SAMPLES / "villebelle")[:300]
    if kind == "pas un zip":
        return b"PK\x03\x04" + b"\x00" * 200
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("dossier.yaml", (SAMPLES / "villebelle" / "dossier.yaml").read_bytes())
        if kind == "chiffré":  # the "encrypted" flag, as a password-protected archive has it
            info = zipfile.ZipInfo("pieces/convention-cadre.pdf")
            info.flag_bits |= 0x1
            archive.writestr(info, b"%PDF-1.4 chiffre")
        elif kind == "nom de 300 octets":
            archive.writestr("pieces/" + "é" * 150 + ".pdf", b"%PDF-1.4")
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["tronqué", "pas un zip", "chiffré", "nom de 300 octets"])
def test_damaged_zip(live, kind):
    base, headers, _ = live
    files = {"archive": ("dossier.zip", _bad_zip(kind), "application/zip")}
    r = httpx.post(f"{base}/api/dossiers", files=files, data={"date": "2026-11-26"}, headers=headers["villebelle"])
    assert r.status_code < 500, f"ZIP {kind} : {r.status_code} {r.text[:300]}"
    assert not english(r.text), f"ZIP {kind} : {r.text[:300]}"


def test_too_many_form_parts(live):
    """1 001 parts in one upload: python-multipart's limit, said in French."""
    base, headers, _ = live
    files = [("archive", (f"f{i}.zip", b"x", "application/zip")) for i in range(1001)]
    r = httpx.post(f"{base}/api/dossiers", files=files, data={"date": "2026-11-26"}, headers=headers["villebelle"])
    assert r.status_code < 500, f"{r.status_code} {r.text[:300]}"
    assert not english(r.text), f"{r.status_code} en anglais : {r.text[:300]}"


def test_control_character_in_a_title(live):
    """A control character in a fiche's title: refused at submission, or its reports (DOCX
    included) still download."""
    base, headers, _ = live
    text = (SAMPLES / "villebelle" / "dossier.yaml").read_text(encoding="utf-8")
    text = text.replace("intitule: Manager de centre-ville", 'intitule: "Manager\\x01 de centre-ville"')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("dossier.yaml", text)
    files = {"archive": ("dossier.zip", buffer.getvalue(), "application/zip")}
    r = httpx.post(
        f"{base}/api/dossiers", files=files, data={"date": "2026-11-26"}, headers=headers["villebelle"], timeout=120
    )
    assert r.status_code < 500, f"{r.status_code} {r.text[:300]}"
    assert not english(r.text), r.text[:300]
    if r.status_code == 201:
        for name in ("json", "html", "markdown", "docx"):
            got = httpx.get(
                f"{base}/api/dossiers/{r.json()['id']}/versions/1/rapport?format={name}",
                headers=headers["villebelle"],
                timeout=120,
            )
            assert got.status_code == 200, f"rapport {name} : {got.status_code} {got.text[:300]}"


@pytest.mark.parametrize(
    "path",
    [
        "/api/dossiers?decalage=9223372036854775808",
        "/api/dossiers?limite=-1",
        "/api/dossiers?etat=%00",
        "/api/dossiers/{id}/ort-commerce?point=2.0,47.0&surface=NaN",
        "/api/dossiers/{id}/ort-commerce?point=nan,nan&surface=3000",
        "/api/dossiers/{id}/ort-commerce?point=2.0,47.0&surface=1e400",
        "/api/dossiers/{id}/versions/9223372036854775808/rapport?format=json",
        "/api/dossiers/{id}/comparaison?de=1&a=99999999999999999999",
    ],
)
def test_hostile_queries(live, path):
    base, headers, ident = live
    for role in sorted(headers):
        r = httpx.get(base + path.replace("{id}", ident), headers=headers[role], timeout=120)
        assert r.status_code < 500, f"{path} ({role}) : {r.status_code} {r.text[:300]}"
        assert not english(r.text), f"{path} ({role}) : {r.status_code} en anglais : {r.text[:300]}"


@pytest.mark.parametrize(
    "body",
    [
        '{"texte": ' + "[" * 1000 + "]" * 1000 + ', "privee": true}',
        '{"texte": "vu\u0000", "privee": true}',
        '{"texte": "' + "x" * 6000 + '", "privee": true}',
        '{"texte": "vu", "privee": "peut-être"}',
        "{'texte': 1}",
    ],
    ids=["json-1000-niveaux", "NUL", "6000-caracteres", "booleen-texte", "pas-du-json"],
)
def test_hostile_notes(live, body):
    base, headers, ident = live
    r = httpx.post(
        f"{base}/api/dossiers/{ident}/notes",
        content=body.encode(),
        headers={**headers["ddt99"], "Content-Type": "application/json"},
        timeout=120,
    )
    assert r.status_code < 500, f"{r.status_code} {r.text[:300]}"
    assert not english(r.text), f"{r.status_code} en anglais : {r.text[:300]}"
