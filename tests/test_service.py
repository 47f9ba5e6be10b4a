"""The web service, served by uvicorn on loopback, on a real PostgreSQL (SQLite too: make test-bases): accounts,
isolation (every role against every endpoint), the workflow, uploads, reports, comparisons."""

import hashlib
import io
import threading
import time
import zipfile

import httpx
import pg
import pytest
import uvicorn
from conftest import SAMPLES
from docx import Document
from sqlalchemy import func, select

from instruct.service import accounts, uploads
from instruct.service.app import create_app
from instruct.service.storage import Blob, Dossier, Event, Version

PASSWORD = "mot-de-passe-de-test"
DATE = {"date": "2026-11-26"}


class Server:
    """uvicorn serving the app on a free loopback port, in a thread."""

    def __init__(self, app):
        self.port = pg.free_port()
        # Idle connections kept 2 minutes, not uvicorn's 5 s: on a loaded machine a client's pooled connection sat
        # idle that long while the server closed it, and the next request on it was reset (test_matrice, CI).
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", timeout_keep_alive=120)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 120  # the machine may be loaded
        while not self.server.started:
            assert time.monotonic() < deadline, "le serveur n'a pas démarré"
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def service(database_url):
    app = create_app(database_url)
    with app.state.sessions() as session:
        for login, role, extra in [
            ("villebelle", "collectivite", {"commune_insee": "99101"}),
            ("montclair", "collectivite", {"commune_insee": "99102"}),
            ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99"}),
            ("al01", "instructeur", {"partenaire": "action_logement", "territoire": "dep:01"}),
            ("admin", "admin", {}),
        ]:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        yield app, base


def client(base, login=None):
    c = httpx.Client(base_url=base, timeout=60)
    if login:
        r = c.post("/api/session", json={"identifiant": login, "mot_de_passe": PASSWORD})
        assert r.status_code == 200, r.text
        c.headers["Authorization"] = f"Bearer {r.json()['jeton']}"
        c.cookies.clear()
    return c


def folder_zip(folder, replace=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = str(path.relative_to(folder))
                archive.writestr(name, (replace or {}).get(name, path.read_bytes()))
    return buffer.getvalue()


def submit(c, folder, replace=None, to=None):
    files = {"archive": ("dossier.zip", folder_zip(folder, replace), "application/zip")}
    return c.post(to or "/api/dossiers", files=files, data=DATE)


@pytest.fixture(scope="module")
def deposited(service):
    """Villebelle's dossier, deposited; Montclair's, still a draft."""
    _, base = service
    town = client(base, "villebelle")
    r = submit(town, SAMPLES / "villebelle")
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose"}).json()["etat"] == "depose"
    draft = submit(client(base, "montclair"), SAMPLES / "montclair")
    assert draft.status_code == 201, draft.text
    return ident, draft.json()["id"]


# --- isolation: every role against every endpoint ---------------------------------------------

ROLES = ["villebelle", "montclair", "ddt99", "al01", "admin", None, "expire"]
ENDPOINTS = {  # name -> (method, path, body), expected status per role for villebelle's deposited dossier
    "dossier": (("get", "/api/dossiers/{id}", None), [200, 404, 200, 404, 200, 401, 401]),
    "rapport": (
        ("get", "/api/dossiers/{id}/versions/1/rapport?format=json", None),
        [200, 404, 200, 404, 200, 401, 401],
    ),
    "rapport_docx": (
        ("get", "/api/dossiers/{id}/versions/1/rapport?format=docx", None),
        [200, 404, 200, 404, 200, 401, 401],
    ),
    "comparaison": (("get", "/api/dossiers/{id}/comparaison?de=1&a=1", None), [200, 404, 200, 404, 200, 401, 401]),
    "version": (("post", "/api/dossiers/{id}/versions", None), [409, 404, 403, 404, 403, 401, 401]),
    "transition": (
        ("post", "/api/dossiers/{id}/transitions", {"vers": "accepte", "partenaire": "ddt"}),
        [403, 404, 409, 404, 409, 401, 401],
    ),
    "note": (
        ("post", "/api/dossiers/{id}/notes", {"texte": "vu", "privee": True}),
        [403, 404, 201, 404, 201, 401, 401],
    ),
    "ort": (
        ("get", "/api/dossiers/{id}/ort-commerce?point=2.0,47.0&surface=3000", None),
        [200, 404, 200, 404, 200, 401, 401],
    ),
    "devine": (("get", "/api/dossiers/000000000000000000000000", None), [404, 404, 404, 404, 404, 401, 401]),
    "liste": (("get", "/api/dossiers", None), [200, 200, 200, 200, 200, 401, 401]),
}


_LOGGED_IN: dict[tuple[str, str | None], httpx.Client] = {}


def _logged_in(base: str, role: str | None) -> httpx.Client:
    if (base, role) not in _LOGGED_IN:
        _LOGGED_IN[(base, role)] = client(base, role)
    return _LOGGED_IN[(base, role)]


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_isolation_matrix(service, deposited, endpoint, monkeypatch):
    app, base = service
    ident, _ = deposited
    (method, path, body), expected = ENDPOINTS[endpoint]
    for role, status in zip(ROLES, expected):
        if role == "expire":
            c = client(base, "villebelle")
            with app.state.sessions() as session:  # this session's token has expired
                from instruct.service.storage import Token

                digest = hashlib.sha256(c.headers["Authorization"][7:].encode()).hexdigest()
                token = session.get(Token, digest)
                token.expires_at = token.expires_at.replace(year=2000)
                session.commit()
        else:
            c = _logged_in(base, role)  # one login per role and server: argon2 is most of this test's time
        kwargs = {"json": body} if body else {}
        if endpoint == "version":
            kwargs = {
                "files": {"archive": ("d.zip", folder_zip(SAMPLES / "villebelle"), "application/zip")},
                "data": DATE,
            }
        r = getattr(c, method)(path.format(id=ident), **kwargs)
        assert r.status_code == status, f"{role} {endpoint} : attendu {status}, obtenu {r.status_code} {r.text[:200]}"
        if status in {401, 403, 404}:
            assert "erreur" in r.json() and "Villebelle" not in r.text and "villebelle-2019" not in r.text


def test_lists_show_only_what_each_role_may_see(service, deposited):
    _, base = service
    villebelle, montclair = deposited
    seen = {role: {d["id"] for d in client(base, role).get("/api/dossiers").json()} for role in ROLES[:5]}
    assert seen["villebelle"] == {villebelle} and seen["montclair"] == {montclair}
    assert seen["ddt99"] == {villebelle}  # the draft is the town's own until deposited
    assert seen["al01"] == set() and seen["admin"] >= {villebelle, montclair}
    admin = client(base, "admin")
    first = admin.get("/api/dossiers", params={"limite": 1})
    second = admin.get("/api/dossiers", params={"limite": 1, "decalage": 1})
    assert len(first.json()) == len(second.json()) == 1 and first.json()[0]["id"] != second.json()[0]["id"]
    assert int(first.headers["X-Total-Count"]) >= 2
    assert admin.get("/api/dossiers", params={"limite": 0}).status_code == 422


# --- workflow ---------------------------------------------------------------------------------


def test_workflow_with_log_and_private_notes(service, deposited):
    _, base = service
    _, ident = deposited
    town, ddt = client(base, "montclair"), client(base, "ddt99")
    refused = town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose"})
    assert refused.status_code == 409 and "bloquant" in refused.json()["erreur"]  # the town must confirm
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).status_code == 200
    assert ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "en_instruction"}).status_code == 200
    assert (
        ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "a_completer"}).status_code == 409
    )  # a reason is required
    assert (
        ddt.post(
            f"/api/dossiers/{ident}/notes", json={"texte": "Avis réservé du service habitat.", "privee": True}
        ).status_code
        == 201
    )
    assert (
        ddt.post(
            f"/api/dossiers/{ident}/notes", json={"texte": "Merci de compléter la convention.", "privee": False}
        ).status_code
        == 201
    )
    assert (
        ddt.post(
            f"/api/dossiers/{ident}/transitions", json={"vers": "a_completer", "motif": "Trame incomplète"}
        ).status_code
        == 200
    )
    seen_by_town = town.get(f"/api/dossiers/{ident}").json()
    assert [n["texte"] for n in seen_by_town["notes"]] == ["Merci de compléter la convention."]
    assert len(ddt.get(f"/api/dossiers/{ident}").json()["notes"]) == 2
    journal = [(e["de"], e["vers"], e["par"]) for e in seen_by_town["journal"]]
    assert journal == [
        (None, "brouillon", "montclair"),
        ("brouillon", "depose", "montclair"),
        ("depose", "en_instruction", "ddt99"),
        ("en_instruction", "a_completer", "ddt99"),
    ]
    assert seen_by_town["journal"][-1]["motif"] == "Trame incomplète"


def test_a_new_version_and_the_gaps_it_closes(service, deposited, tmp_path):
    _, base = service
    _, ident = deposited
    town = client(base, "montclair")
    if town.get(f"/api/dossiers/{ident}").json()["etat"] not in {"brouillon", "a_completer"}:
        pytest.skip("dépend du test de workflow")
    fixed = (SAMPLES / "montclair" / "dossier.yaml").read_text(encoding="utf-8") + (
        "indicateurs:\n  - {nom: Logements remis sur le marché, type: resultats, valeur_cible: 40}\n"
        "  - {nom: Crédits engagés, type: moyens}\n"
    )
    r = submit(town, SAMPLES / "montclair", {"dossier.yaml": fixed.encode()}, to=f"/api/dossiers/{ident}/versions")
    assert r.status_code == 201 and r.json()["version"] == 2, r.text
    diff = town.get(f"/api/dossiers/{ident}/comparaison", params={"de": 1, "a": 2}).json()
    assert any(g["regle"] == "PROG-14" for g in diff["fermes"]) and diff["ouverts"] == []
    listed = next(
        d for d in town.get("/api/dossiers").json() if d["id"] == ident
    )  # the list speaks of the latest version
    shown = town.get(f"/api/dossiers/{ident}").json()
    assert listed["version"] == 2 and listed == {k: shown[k] for k in listed}
    assert listed["bloquants"] is not None and set(listed["verdicts"]) == set(shown["verdicts"])


# --- reports ----------------------------------------------------------------------------------


def test_report_in_every_format(service, deposited):
    _, base = service
    ident, _ = deposited
    c = client(base, "ddt99")
    url = f"/api/dossiers/{ident}/versions/1/rapport"
    assert c.get(url).json()["dossier"]["commune"] == "Villebelle"
    assert "Villebelle" in c.get(url, headers={"Accept": "text/html"}).text
    assert c.get(url, params={"format": "markdown"}).text.startswith("# Rapport d'instruction — Villebelle")
    docx = c.get(url, params={"format": "docx"})
    assert docx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "Villebelle" in Document(io.BytesIO(docx.content)).paragraphs[1].text  # under the partner's name
    assert c.get(url, params={"format": "pdf"}).content[:5] == b"%PDF-"
    assert c.get(url, params={"format": "odt"}).status_code == 406


def test_catalogue_checklists_and_openapi_are_public(service):
    _, base = service
    c = client(base)
    assert any(r["id"] == "AL-O-02" for r in c.get("/api/regles").json())
    assert "Liste" in c.get("/api/checklists/action-logement", params={"etape": "operateur"}).text
    assert "/api/dossiers" in c.get("/openapi.json").json()["paths"]


# --- uploads ----------------------------------------------------------------------------------


def raw_zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if isinstance(name, zipfile.ZipInfo):
                archive.writestr(name, data)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def link_entry():
    info = zipfile.ZipInfo("pieces/lien.pdf")
    info.external_attr = 0o120777 << 16
    return info


YAML = (SAMPLES / "villebelle" / "dossier.yaml").read_bytes()
BAD_UPLOADS = {
    "dotdot": ([("dossier.yaml", YAML), ("../../etc/passwd", b"x")], "chemin refusé"),
    "absolute": ([("dossier.yaml", YAML), ("/etc/passwd", b"x")], "chemin refusé"),
    "symlink": ([("dossier.yaml", YAML), (link_entry(), b"/etc/passwd")], "lien symbolique"),
    "bomb": ([("dossier.yaml", YAML), ("pieces/bombe.pdf", b"%PDF-" + b"0" * 30_000_000)], "archive suspecte"),
    "disguised": (
        [("dossier.yaml", YAML), ("pieces/note.pdf", raw_zip([("a", b"b")]))],
        "le contenu ne correspond pas au nom",
    ),
    "elsewhere": ([("dossier.yaml", YAML), ("autre/x.pdf", b"%PDF-1.7")], "emplacement refusé"),
}


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_bad_uploads_are_refused_and_nothing_is_stored(service, case):
    app, base = service
    entries, message = BAD_UPLOADS[case]
    with app.state.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Dossier))
    r = client(base, "villebelle").post(
        "/api/dossiers", files={"archive": ("d.zip", raw_zip(entries), "application/zip")}
    )
    assert r.status_code == 422 and message in r.text, r.text
    with app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == before


def test_an_archive_that_is_not_a_zip_and_a_dossier_with_errors(service):
    _, base = service
    c = client(base, "villebelle")
    r = c.post("/api/dossiers", files={"archive": ("d.zip", b"%PDF-1.7 pas un zip", "application/zip")})
    assert r.status_code == 422 and "n'est pas une archive ZIP" in r.text
    bad = YAML.replace(b"cout: 80000.00", b"cout: -5")
    r = c.post("/api/dossiers", files={"dossier": ("dossier.yaml", bad)})
    assert r.status_code == 422
    assert any(
        p["chemin"] == "fiches_actions[0].cout" and p["ligne"] for p in r.json()["problemes"]
    )  # the CLI's path and line
    assert r.json()["erreur"].startswith("envoi/dossier.yaml") and "/tmp" not in r.text  # not where it was unpacked
    unknown = c.get("/api/inconnue")
    assert unknown.status_code == 404 and unknown.json() == {"erreur": "adresse inconnue"}


def test_a_body_over_the_limit_is_refused_before_it_is_read(database_url, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD", 1000)
    app = create_app(database_url)
    with Server(app) as base:
        r = httpx.post(
            f"{base}/api/dossiers", content=b"x" * 3_000_000, headers={"content-type": "application/zip"}, timeout=30
        )
        form = httpx.post(
            f"{base}/dossiers/nouveau",
            content=b"x" * 3_000_000,
            headers={"content-type": "multipart/form-data; boundary=x"},
            timeout=30,
        )
    assert (
        form.status_code == 413
        and form.headers["content-type"].startswith("text/html")
        and "Envoi trop volumineux" in form.text
    )
    assert r.status_code == 413 and "trop volumineux" in r.json()["erreur"]


def test_a_failed_submission_leaves_nothing(service, monkeypatch):
    """Stored whole or not at all: a failure after the files are added rolls everything back."""
    app, base = service
    import instruct.service.usecases as module

    with app.state.sessions() as session:
        counts = [session.scalar(select(func.count()).select_from(t)) for t in (Dossier, Version, Blob, Event)]

    def broken(*_args, **_kwargs):
        raise RuntimeError("arrêt du serveur au milieu de la requête")

    monkeypatch.setattr(module.report_index, "index_report", broken)  # after the version and its files are added
    folder_bytes = folder_zip(SAMPLES / "saint-aubin")
    with pytest.raises(httpx.HTTPStatusError), httpx.Client(base_url=base, timeout=60) as c:
        token = c.post("/api/session", json={"identifiant": "villebelle", "mot_de_passe": PASSWORD}).json()["jeton"]
        r = c.post(
            "/api/dossiers",
            files={"archive": ("d.zip", folder_bytes)},
            headers={"Authorization": f"Bearer {token}"},
        )
        r.raise_for_status()
    with app.state.sessions() as session:
        assert [session.scalar(select(func.count()).select_from(t)) for t in (Dossier, Version, Blob, Event)] == counts
