"""Who reads what, through both shells (the JSON API and the pages, served by uvicorn on
loopback, on SQLite and on PostgreSQL): a town never reads a private note; an instructeur of
another territory gets the 404 of a dossier that does not exist; the instructeurs of every
partner on the territory, and the admin, read the private notes."""

import httpx
import pytest
from conftest import SAMPLES
from test_service import PASSWORD, Server, client
from test_web import api_submit, hidden, web_client

from instruct.service import accounts
from instruct.service.app import create_app

PRIVATE_API = "Avis réservé : le plan de financement est fragile."
PRIVATE_PAGE = "Réserve Anah : vérifier les loyers plafonnés."
PUBLIC = "Merci de joindre la délibération du conseil municipal."
GUESSED = "000000000000000000000000"
USERS = [
    ("villebelle", "collectivite", {"commune_insee": "99101"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99"}),
    ("anah99", "instructeur", {"partenaire": "anah", "territoire": "dep:99"}),
    ("ddt01", "instructeur", {"partenaire": "ddt", "territoire": "dep:01"}),
    ("admin", "admin", {}),
]


@pytest.fixture(scope="module")
def noted(database_url):
    """Villebelle's deposited dossier with two private notes (one sent to the API, one through the
    page's form) and a public one."""
    app = create_app(database_url)
    with app.state.sessions() as session:
        for login, role, extra in USERS:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        ident = api_submit(base, "villebelle", SAMPLES / "villebelle", deposit=True)
        ddt = client(base, "ddt99")
        for text, private in [(PRIVATE_API, True), (PUBLIC, False)]:
            r = ddt.post(f"/api/dossiers/{ident}/notes", json={"texte": text, "privee": private})
            assert r.status_code == 201, r.text
        anah = web_client(base, "anah99")
        csrf = hidden(anah.get(f"/dossiers/{ident}").text, "csrf")
        r = anah.post(f"/dossiers/{ident}/notes", data={"csrf": csrf, "texte": PRIVATE_PAGE, "privee": "1"})
        assert r.status_code == 303, r.text
        yield base, ident


def api_notes(base: str, login: str, ident: str) -> httpx.Response:
    return client(base, login).get(f"/api/dossiers/{ident}")


def test_a_town_never_reads_a_private_note(noted):
    base, ident = noted
    shown = api_notes(base, "villebelle", ident)
    assert shown.status_code == 200
    assert [(n["texte"], n["privee"]) for n in shown.json()["notes"]] == [(PUBLIC, False)]
    page = web_client(base, "villebelle").get(f"/dossiers/{ident}")
    assert page.status_code == 200 and PUBLIC in page.text
    for private in [PRIVATE_API, PRIVATE_PAGE]:
        assert private not in shown.text and private not in page.text
    assert "note privée" not in page.text  # not even the badge of one


def test_the_instructeurs_of_every_partner_and_the_admin_read_the_private_notes(noted):
    base, ident = noted
    for login in ["ddt99", "anah99", "admin"]:
        shown = api_notes(base, login, ident)
        assert [(n["texte"], n["privee"]) for n in shown.json()["notes"]] == [
            (PRIVATE_API, True),
            (PUBLIC, False),
            (PRIVATE_PAGE, True),
        ], login
        page = web_client(base, login).get(f"/dossiers/{ident}").text
        assert all(text in page for text in [PRIVATE_API, PUBLIC, PRIVATE_PAGE]), login
        assert page.count("note privée") == 2, login


def test_an_instructeur_of_another_territory_finds_nothing(noted):
    base, ident = noted
    api = client(base, "ddt01")
    for path in ["/api/dossiers/{}", "/api/dossiers/{}/versions/1/rapport", "/api/dossiers/{}/comparaison?de=1&a=1"]:
        foreign, guessed = api.get(path.format(ident)), api.get(path.format(GUESSED))
        assert foreign.status_code == guessed.status_code == 404, path
        assert foreign.json() == guessed.json() == {"erreur": "dossier introuvable"}, path
    note = api.post(f"/api/dossiers/{ident}/notes", json={"texte": "intrus", "privee": False})
    assert note.status_code == 404 and note.json() == {"erreur": "dossier introuvable"}
    assert ident not in {d["id"] for d in api.get("/api/dossiers").json()}

    pages = web_client(base, "ddt01")
    foreign, guessed = pages.get(f"/dossiers/{ident}"), pages.get(f"/dossiers/{GUESSED}")
    assert foreign.status_code == guessed.status_code == 404
    assert foreign.text == guessed.text and "Page introuvable" in foreign.text
    for text in [PRIVATE_API, PRIVATE_PAGE, PUBLIC, "Villebelle"]:
        assert text not in foreign.text
    csrf = hidden(pages.get("/dossiers").text, "csrf")
    posted = pages.post(f"/dossiers/{ident}/notes", data={"csrf": csrf, "texte": "intrus", "privee": "1"})
    assert posted.status_code == 404 and posted.text == guessed.text
    assert "intrus" not in api_notes(base, "ddt99", ident).text  # nothing was written
