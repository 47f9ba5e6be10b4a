"""Simultaneous requests on one dossier, over real HTTP on loopback, on SQLite and on PostgreSQL:
contradictory decisions on one track, decisions on several tracks, double deposits and new versions
sent at the same moment. Exactly one decision of a track wins, the others get a 409 in French naming
the state the track is in (or the revision that changed); tracks do not block each other; version
numbers stay distinct and consecutive; the journal is a single path."""

import threading
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import pytest
from conftest import SAMPLES
from sqlalchemy import func, select
from test_service import DATE, Server, client, folder_zip, submit
from test_web import hidden, web_client

from instruct.service import accounts, storage
from instruct.service.app import create_app
from instruct.service.mail_storage import Courriel
from instruct.service.storage import Dossier, Event, StoredReport, Version, VersionFile
from instruct.service.workflow import LABELS

pytestmark = pytest.mark.deux_bases  # the locks differ: a row lock on PostgreSQL, the write lock on SQLite

PASSWORD = "mot-de-passe-de-test"
INSTRUCTEURS = [f"ddt99-{n}" for n in range(4)]
DECISIONS = [("accepte", ""), ("refuse", "hors périmètre"), ("sans_suite", "abandon"), ("a_completer", "pièces")]


@pytest.fixture(scope="module")
def service(database_url):
    app = create_app(database_url)
    with app.state.sessions() as session:
        accounts.create_user(
            session, "villebelle", PASSWORD, "collectivite", commune_insee="99101", courriel="mairie@villebelle.fr"
        )
        for login in INSTRUCTEURS:
            accounts.create_user(session, login, PASSWORD, "instructeur", partenaire="ddt", territoire="dep:99")
        accounts.create_user(session, "anah99", PASSWORD, "instructeur", partenaire="anah", territoire="dep:99")
        accounts.create_user(session, "admin", PASSWORD, "admin")
        session.commit()
    with Server(app) as base:
        yield app, base


@pytest.fixture(scope="module")
def people(service):
    """Logged-in clients, shared by the tests (a login costs an argon2 hash): four sessions of the town, the
    instructeurs through the API and through the pages (cookie session)."""
    _, base = service
    return {
        "towns": [client(base, "villebelle") for _ in range(4)],
        "api": [client(base, login) for login in INSTRUCTEURS],
        "pages": [web_client(base, login) for login in INSTRUCTEURS],
        "anah": client(base, "anah99"),
        "admin": client(base, "admin"),
    }


def at_once(calls):
    """Every call started at the same moment (a barrier), their responses in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def new_draft(town):
    r = submit(town, SAMPLES / "villebelle")
    assert r.status_code == 201, r.text
    return r.json()["id"]


def version_sender(c, ident):
    archive = folder_zip(SAMPLES / "villebelle")
    files = {"archive": ("dossier.zip", archive, "application/zip")}
    return lambda: c.post(f"/api/dossiers/{ident}/versions", files=files, data=DATE)


def journal(c, ident):
    return [(e["de"], e["vers"]) for e in c.get(f"/api/dossiers/{ident}").json()["journal"]]


def assert_single_path(steps):
    """Each transition starts where the previous one ended."""
    assert steps[0] == (None, "brouillon")
    for (_, before), (start, _) in zip(steps, steps[1:]):
        assert start == before, steps


def test_twenty_contradictory_decisions_one_wins(service, people):
    """Twenty decisions on the DDT's track at the same moment: half through the API, half confirmed on the
    decision's confirmation page (with the track's revision seen), from four instructeurs. Exactly one wins; the
    others get a 409 in French; one Event, one e-mail to the town."""
    app, _ = service
    town, deciders, browsers = people["towns"][0], people["api"], people["pages"]
    ident = new_draft(town)
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).status_code == 200
    csrf = [hidden(b.get(f"/dossiers/{ident}").text, "csrf") for b in browsers]
    moved = deciders[0].post(f"/api/dossiers/{ident}/transitions", json={"vers": "en_instruction"})
    seen = {t["partenaire"]: t for t in moved.json()["instructions"]}["ddt"]["revision"]

    def decide(n):
        (to, reason), who = DECISIONS[n % len(DECISIONS)], n % len(INSTRUCTEURS)
        if n % 2:
            form = {"csrf": csrf[who], "vers": to, "motif": reason, "revision": seen, "choix": "confirmer"}
            return lambda: browsers[who].post(f"/dossiers/{ident}/instructions/ddt/decision", data=form)
        return lambda: deciders[who].post(f"/api/dossiers/{ident}/transitions", json={"vers": to, "motif": reason})

    answers = at_once([decide(n) for n in range(20)])
    statuses = sorted(r.status_code for r in answers)
    assert statuses in ([200] + [409] * 19, [303] + [409] * 19), [(r.status_code, r.text[:120]) for r in answers]
    track = {t["partenaire"]: t for t in deciders[0].get(f"/api/dossiers/{ident}").json()["instructions"]}["ddt"]
    final = track["etat"]
    for r in answers:
        if r.status_code == 409:
            text = unescape(r.text)
            assert f"déjà « {LABELS[final]} »" in text or "a changé depuis que vous l'avez lue" in text, text[:300]
    assert [(e["de"], e["vers"]) for e in track["journal"]] == [("depose", "en_instruction"), ("en_instruction", final)]
    assert track["revision"] == seen + 1
    assert_single_path(journal(deciders[0], ident)[:2])
    with app.state.sessions() as session:  # one e-mail to the town, for the one decision
        mails = session.scalars(
            select(Courriel).where(Courriel.dossier_id == ident, Courriel.to == "mairie@villebelle.fr")
        )
        assert [m.kind for m in mails] == ["a_completer" if final == "a_completer" else "decision"]


def test_two_tracks_decided_at_the_same_moment(people):
    """The DDT, the Anah and (by an admin) the ANRU decide at once: none blocks the others, all three win, and the
    dossier's state is derived from the three decisions."""
    town, ddt, anah, admin = people["towns"][0], people["api"][0], people["anah"], people["admin"]
    ident = new_draft(town)
    shown = town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).json()
    assert [t["partenaire"] for t in shown["instructions"]] == ["anah", "anru", "ddt"]
    for c, body in [(ddt, {}), (anah, {}), (admin, {"partenaire": "anru"})]:
        assert c.post(f"/api/dossiers/{ident}/transitions", json={"vers": "en_instruction", **body}).status_code == 200
    calls = [
        (ddt, {"vers": "accepte"}),
        (anah, {"vers": "refuse", "motif": "Plan de financement absent", "regles": ["ANAH-01"]}),
        (admin, {"vers": "accepte", "partenaire": "anru"}),
    ]
    answers = at_once([lambda c=c, b=b: c.post(f"/api/dossiers/{ident}/transitions", json=b) for c, b in calls])
    assert [r.status_code for r in answers] == [200, 200, 200], [r.text[:200] for r in answers]
    shown = town.get(f"/api/dossiers/{ident}").json()
    assert {t["partenaire"]: t["etat"] for t in shown["instructions"]} == {
        "anah": "refuse",
        "anru": "accepte",
        "ddt": "accepte",
    }
    assert shown["etat"] == "instruit" and shown["decisions"]["texte"] == "3 décisions sur 3"


def test_ten_simultaneous_deposits_one_event(people):
    towns = people["towns"]
    ident = new_draft(towns[0])

    def deposit(c):
        return lambda: c.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True})

    answers = at_once([deposit(towns[n % len(towns)]) for n in range(10)])
    assert sorted(r.status_code for r in answers) == [200] + [409] * 9, [r.text[:120] for r in answers]
    assert all("déjà « déposé »" in r.json()["erreur"] for r in answers if r.status_code == 409)
    assert journal(towns[0], ident) == [(None, "brouillon"), ("brouillon", "depose")]


def test_ten_simultaneous_versions_numbered_without_a_gap(service, people):
    app, _ = service
    towns = people["towns"]
    ident = new_draft(towns[0])
    answers = at_once([version_sender(towns[n % len(towns)], ident) for n in range(10)])
    assert all(r.status_code in {201, 409} for r in answers), [(r.status_code, r.text[:120]) for r in answers]
    assert all("réessayez" in r.json()["erreur"] for r in answers if r.status_code == 409)
    stored = sum(r.status_code == 201 for r in answers)
    shown = towns[0].get(f"/api/dossiers/{ident}").json()
    assert [v["numero"] for v in shown["versions"]] == list(range(1, stored + 2))
    assert all(v["fichiers"] for v in shown["versions"])
    with app.state.sessions() as session:  # nothing half-stored: every version has its files and its report
        ids = list(session.scalars(select(Version.id).where(Version.dossier_id == ident)))
        assert len(ids) == stored + 1
        for vid in ids:
            assert session.scalar(select(func.count()).where(StoredReport.version_id == vid)) == 1
            assert session.scalar(select(func.count()).where(VersionFile.version_id == vid)) > 0


def test_a_deposit_among_new_versions_closes_the_dossier(service, people):
    """Versions sent while the town deposits: none is added after the deposit, which names the last one."""
    app, _ = service
    towns = people["towns"]
    ident = new_draft(towns[0])
    deposit = [lambda: towns[0].post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True})]
    answers = at_once(deposit + [version_sender(c, ident) for c in towns[1:]])
    assert answers[0].status_code == 200, answers[0].text
    assert all(r.status_code in {201, 409} for r in answers[1:]), [(r.status_code, r.text[:120]) for r in answers]
    assert all("déposé" in r.json()["erreur"] for r in answers[1:] if r.status_code == 409)
    with app.state.sessions() as session:
        last = session.scalar(select(func.max(Version.number)).where(Version.dossier_id == ident))
        deposited = session.scalar(select(Event).where(Event.dossier_id == ident, Event.to_state == "depose"))
        assert deposited.version_number == last


def test_a_dossier_held_too_long_gives_a_409_to_try_again(service, people, monkeypatch):
    """A request that finds the dossier held past LOCK_WAIT is refused in French, not a 500, and stores nothing."""
    app, _ = service
    town = people["towns"][0]
    ident = new_draft(town)
    monkeypatch.setattr(storage, "LOCK_WAIT", 0.3)
    with app.state.sessions() as holder:
        storage.lock(holder, holder.get(Dossier, ident))
        deposit = town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True})
        version = version_sender(town, ident)()
        holder.rollback()
    for r in (deposit, version):
        assert r.status_code == 409 and "réessayez" in r.json()["erreur"], r.text
    shown = town.get(f"/api/dossiers/{ident}").json()
    assert shown["etat"] == "brouillon" and len(shown["versions"]) == 1 and len(shown["journal"]) == 1
    monkeypatch.undo()
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).status_code == 200
