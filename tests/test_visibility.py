"""Who reads which note (« annotation »), through both shells (the JSON API and the pages, served by uvicorn on
loopback, on PostgreSQL; SQLite too with make test-bases). A private note is read by its author's partner's
instructeurs who see the dossier and by the admins (an admin's, by the admins alone); a public one by everyone who
sees the dossier. Every role (the DDT, Anah and Action Logement of the territory, another territory's instructeur,
the town, another town, an admin) against every read of the dossier: exactly what they should, and no text, count or
badge of another partner's private note anywhere in their pages or JSON."""

from html import unescape

import pytest
from conftest import SAMPLES
from test_service import PASSWORD, Server, client
from test_web import api_submit, hidden, web_client

from instruct.service import accounts
from instruct.service.app import create_app

DDT_PRIVATE = "Avis réservé DDT : le périmètre ORT est à revoir."
ANAH_PRIVATE = "Réserve Anah : vérifier les loyers plafonnés."
AL_PRIVATE = "Action Logement : la garantie d'emprunt manque."
ADMIN_PRIVATE = "Administration : dossier suivi par la préfecture."
PUBLIC = "Merci de joindre la délibération du conseil municipal."
PRIVATES = {"ddt99": DDT_PRIVATE, "anah99": ANAH_PRIVATE, "al99": AL_PRIVATE, "admin": ADMIN_PRIVATE}
GUESSED = "000000000000000000000000"
USERS = [
    ("villebelle", "collectivite", {"commune_insee": "99101"}),
    ("montclair", "collectivite", {"commune_insee": "99102"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99"}),
    ("anah99", "instructeur", {"partenaire": "anah", "territoire": "dep:99"}),
    ("al99", "instructeur", {"partenaire": "action-logement", "territoire": "dep:99"}),
    ("ddt01", "instructeur", {"partenaire": "ddt", "territoire": "dep:01"}),
    ("admin", "admin", {}),
]
# Who reads what, in the order written (the public note second).
READS = {
    "villebelle": [PUBLIC],
    "ddt99": [DDT_PRIVATE, PUBLIC],
    "anah99": [PUBLIC, ANAH_PRIVATE],
    "al99": [PUBLIC, AL_PRIVATE],
    "admin": [DDT_PRIVATE, PUBLIC, ANAH_PRIVATE, AL_PRIVATE, ADMIN_PRIVATE],
    "montclair": None,  # the dossier is not theirs: 404
    "ddt01": None,
}
BADGES = {"ddt99": "(DDT)", "anah99": "(Anah)", "al99": "(Action Logement)", "admin": "(administrateurs)"}
READ_API = [  # every read of the dossier through the API
    "/api/dossiers/{}",
    "/api/dossiers",
    "/api/dossiers/{}/versions/1/rapport",
    "/api/dossiers/{}/comparaison?de=1&a=1",
    "/api/dossiers/{}/messages",
    "/api/dossiers/{}/avis",
]
READ_PAGES = ["/dossiers/{}", "/dossiers", "/dossiers/{}/comparaison?de=1&a=1"]


@pytest.fixture(scope="module")
def noted(database_url):
    """Villebelle's deposited dossier with a private note of each partner and of the admin (Anah's through the page's
    form, the others' through the API) and a public one."""
    app = create_app(database_url)
    with app.state.sessions() as session:
        for login, role, extra in USERS:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        ident = api_submit(base, "villebelle", SAMPLES / "villebelle", deposit=True)
        ddt = client(base, "ddt99")
        for text, private in [(DDT_PRIVATE, True), (PUBLIC, False)]:
            r = ddt.post(f"/api/dossiers/{ident}/notes", json={"texte": text, "privee": private})
            assert r.status_code == 201, r.text
        anah = web_client(base, "anah99")
        csrf = hidden(anah.get(f"/dossiers/{ident}").text, "csrf")
        r = anah.post(f"/dossiers/{ident}/notes", data={"csrf": csrf, "texte": ANAH_PRIVATE, "privee": "1"})
        assert r.status_code == 303, r.text
        for login in ["al99", "admin"]:
            r = client(base, login).post(f"/api/dossiers/{ident}/notes", json={"texte": PRIVATES[login]})
            assert r.status_code == 201, r.text
        yield base, ident


@pytest.mark.parametrize("login", sorted(READS))
def test_each_role_reads_exactly_its_notes_and_nothing_of_the_others(noted, login):
    base, ident = noted
    api, pages = client(base, login), web_client(base, login)
    expected = READS[login]
    unreadable = [t for t in [*PRIVATES.values(), PUBLIC] if expected is None or t not in expected]
    shown = api.get(f"/api/dossiers/{ident}")
    if expected is None:  # the same 404 as a dossier that does not exist
        assert shown.status_code == 404 and shown.json() == api.get(f"/api/dossiers/{GUESSED}").json()
        page = pages.get(f"/dossiers/{ident}")
        assert page.status_code == 404 and page.text == pages.get(f"/dossiers/{GUESSED}").text
    else:
        assert shown.status_code == 200, shown.text
        assert [n["texte"] for n in shown.json()["notes"]] == expected
        page = pages.get(f"/dossiers/{ident}")
        assert page.status_code == 200 and all(text in unescape(page.text) for text in expected)
        private_shown = [t for t in expected if t != PUBLIC]
        assert page.text.count("annotation privée (") == len(private_shown), login
        assert page.text.count("visible par la collectivité</span>") == 1
        if login in BADGES and login != "admin":  # its own partner's badge, no other
            assert f"annotation privée {BADGES[login]}" in page.text
        others = [b for who, b in BADGES.items() if who != login and login != "admin"]
        assert not any(f"annotation privée {b}" in page.text for b in others), login
    reads = [(api, path) for path in READ_API] + [(pages, path) for path in READ_PAGES]
    for c, path in reads:
        answer = c.get(path.format(ident))
        assert answer.status_code in {200, 403, 404}, (login, path, answer.status_code)
        assert not any(text in unescape(answer.text) for text in unreadable), (login, path)


def test_only_instructeurs_and_admins_write_notes_and_say_who_reads_them(noted):
    base, ident = noted
    town = client(base, "villebelle").post(f"/api/dossiers/{ident}/notes", json={"texte": "intrus", "privee": False})
    assert town.status_code == 403 and town.json() == {"erreur": "notes d'instruction réservées aux instructeurs"}
    foreign = client(base, "ddt01").post(f"/api/dossiers/{ident}/notes", json={"texte": "intrus", "privee": False})
    assert foreign.status_code == 404 and foreign.json() == {"erreur": "dossier introuvable"}
    pages = web_client(base, "ddt01")
    csrf = hidden(pages.get("/dossiers").text, "csrf")
    posted = pages.post(f"/dossiers/{ident}/notes", data={"csrf": csrf, "texte": "intrus", "privee": "1"})
    assert posted.status_code == 404
    assert "intrus" not in client(base, "admin").get(f"/api/dossiers/{ident}").text  # nothing was written
    anah = web_client(base, "anah99").get(f"/dossiers/{ident}").text
    assert "Une annotation privée n'est lue que par les instructeurs Anah et les administrateurs" in anah
    admin = web_client(base, "admin").get(f"/dossiers/{ident}").text
    assert "Une annotation privée n'est lue que par les administrateurs" in admin
    town = web_client(base, "villebelle").get(f"/dossiers/{ident}").text
    assert "Nouvelle annotation" not in town and "annotation privée" not in town.lower()


def test_the_notes_partner_is_in_the_api(noted):
    base, ident = noted
    notes = client(base, "admin").get(f"/api/dossiers/{ident}").json()["notes"]
    assert [(n["partenaire"], n["privee"]) for n in notes] == [
        ("ddt", True),
        ("ddt", False),
        ("anah", True),
        ("action-logement", True),
        (None, True),
    ]
