"""Simultaneous requests on one dossier, over real HTTP on loopback, on SQLite and on PostgreSQL:
contradictory decisions, double deposits and new versions sent at the same moment. Exactly one
decision wins, the others get a 409 in French naming the state the dossier is in; version numbers
stay distinct and consecutive; the journal is a single path."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import SAMPLES
from sqlalchemy import func, select
from test_service import DATE, Server, client, folder_zip, submit

from instruct.service import accounts
from instruct.service.app import create_app
from instruct.service.storage import Event, StoredReport, Version, VersionFile
from instruct.service.workflow import LABELS

PASSWORD = "mot-de-passe-de-test"
INSTRUCTEURS = [f"ddt99-{n}" for n in range(4)]
DECISIONS = [("accepte", ""), ("refuse", "hors périmètre"), ("sans_suite", "abandon"), ("a_completer", "pièces")]


@pytest.fixture(scope="module")
def service(database_url):
    app = create_app(database_url)
    with app.state.sessions() as session:
        accounts.create_user(session, "villebelle", PASSWORD, "collectivite", commune_insee="99101")
        for login in INSTRUCTEURS:
            accounts.create_user(session, login, PASSWORD, "instructeur", partenaire="ddt", territoire="dep:99")
        session.commit()
    with Server(app) as base:
        yield app, base


def at_once(calls):
    """Every call started at the same moment (a barrier), their responses in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def new_draft(base):
    town = client(base, "villebelle")
    r = submit(town, SAMPLES / "villebelle")
    assert r.status_code == 201, r.text
    return town, r.json()["id"]


def journal(c, ident):
    return [(e["de"], e["vers"]) for e in c.get(f"/api/dossiers/{ident}").json()["journal"]]


def assert_single_path(steps):
    """Each transition starts where the previous one ended."""
    assert steps[0] == (None, "brouillon")
    for (_, before), (start, _) in zip(steps, steps[1:]):
        assert start == before, steps


def test_twenty_contradictory_decisions_one_wins(service):
    _, base = service
    town, ident = new_draft(base)
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).status_code == 200
    deciders = [client(base, login) for login in INSTRUCTEURS]
    assert deciders[0].post(f"/api/dossiers/{ident}/transitions", json={"vers": "en_instruction"}).status_code == 200

    def decide(n):
        to, reason = DECISIONS[n % len(DECISIONS)]
        return lambda: deciders[n % len(deciders)].post(
            f"/api/dossiers/{ident}/transitions", json={"vers": to, "motif": reason}
        )

    answers = at_once([decide(n) for n in range(20)])
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200] + [409] * 19, [(r.status_code, r.text[:120]) for r in answers]
    final = next(r.json()["etat"] for r in answers if r.status_code == 200)
    for r in answers:
        if r.status_code == 409:
            assert f"déjà « {LABELS[final]} »" in r.json()["erreur"], r.text
    steps = journal(deciders[0], ident)
    assert steps[-1] == ("en_instruction", final) and len(steps) == 4
    assert_single_path(steps)


def test_ten_simultaneous_deposits_one_event(service):
    _, base = service
    _, ident = new_draft(base)
    towns = [client(base, "villebelle") for _ in range(10)]
    answers = at_once(
        [
            lambda c=c: c.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True})
            for c in towns
        ]
    )
    assert sorted(r.status_code for r in answers) == [200] + [409] * 9, [r.text[:120] for r in answers]
    assert all("déjà « déposé »" in r.json()["erreur"] for r in answers if r.status_code == 409)
    assert journal(towns[0], ident) == [(None, "brouillon"), ("brouillon", "depose")]


def test_ten_simultaneous_versions_numbered_without_a_gap(service):
    app, base = service
    town, ident = new_draft(base)
    archive = folder_zip(SAMPLES / "villebelle")
    towns = [client(base, "villebelle") for _ in range(10)]

    def send(c):
        files = {"archive": ("dossier.zip", archive, "application/zip")}
        return lambda: c.post(f"/api/dossiers/{ident}/versions", files=files, data=DATE)

    answers = at_once([send(c) for c in towns])
    assert all(r.status_code in {201, 409} for r in answers), [(r.status_code, r.text[:120]) for r in answers]
    assert all("réessayez" in r.json()["erreur"] for r in answers if r.status_code == 409)
    stored = sum(r.status_code == 201 for r in answers)
    shown = town.get(f"/api/dossiers/{ident}").json()
    assert [v["numero"] for v in shown["versions"]] == list(range(1, stored + 2))
    assert all(v["fichiers"] for v in shown["versions"])
    with app.state.sessions() as session:  # nothing half-stored: every version has its files and its report
        ids = list(session.scalars(select(Version.id).where(Version.dossier_id == ident)))
        assert len(ids) == stored + 1
        for vid in ids:
            assert session.scalar(select(func.count()).where(StoredReport.version_id == vid)) == 1
            assert session.scalar(select(func.count()).where(VersionFile.version_id == vid)) > 0


def test_a_deposit_among_new_versions_closes_the_dossier(service):
    """Versions sent while the town deposits: none is added after the deposit, which names the last one."""
    app, base = service
    town, ident = new_draft(base)
    archive = folder_zip(SAMPLES / "villebelle")
    towns = [client(base, "villebelle") for _ in range(5)]

    def send(c):
        files = {"archive": ("dossier.zip", archive, "application/zip")}
        return lambda: c.post(f"/api/dossiers/{ident}/versions", files=files, data=DATE)

    deposit = [lambda: town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True})]
    answers = at_once(deposit + [send(c) for c in towns])
    assert answers[0].status_code == 200, answers[0].text
    assert all(r.status_code in {201, 409} for r in answers[1:]), [(r.status_code, r.text[:120]) for r in answers]
    with app.state.sessions() as session:
        last = session.scalar(select(func.max(Version.number)).where(Version.dossier_id == ident))
        deposited = session.scalar(select(Event).where(Event.dossier_id == ident, Event.to_state == "depose"))
        assert deposited.version_number == last
