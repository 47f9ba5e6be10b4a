"""Instruction by partner, over real HTTP on loopback, on SQLite and PostgreSQL: a deposit opens one track per
partner concerned; each track moves on its own (403/409/422 in French when it may not); Action Logement decides
immeuble by immeuble; a decision is reopened with a reason; the town withdraws before any decision and not after;
the summary « n décisions sur N »; each track's journal; the pages' forms and their confirmation step (nothing
changes until confirmed, a stale revision is refused); the letters' hook; migration 0008's tracks for a dossier
deposited before it."""

import json
from html import unescape

import pytest
from conftest import SAMPLES
from sqlalchemy import create_engine, select, text
from test_service import PASSWORD, Server, client, submit
from test_web import hidden, web_client

from instruct.service import accounts, letters
from instruct.service.app import create_app
from instruct.service.mail_storage import Courriel
from instruct.service.storage import make_engine, upgrade

pytestmark = pytest.mark.deux_bases  # its migrations, written for each base

CODES = {"PROG": "ddt", "ORT": "ddt", "X": "ddt", "AL-V": "action-logement", "AL-O": "action-logement"}
CODES |= {"ANAH": "anah", "ANRU": "anru"}
USERS = [
    ("belcastel", "collectivite", {"commune_insee": "99104", "courriel": "mairie@belcastel.exemple.fr"}),
    ("villebelle", "collectivite", {"commune_insee": "99101"}),
    ("al99", "instructeur", {"partenaire": "action_logement", "territoire": "dep:99", "courriel": "al@exemple.fr"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99", "courriel": "ddt@exemple.fr"}),
    ("anah99", "instructeur", {"partenaire": "anah", "territoire": "dep:99"}),
    ("ddt01", "instructeur", {"partenaire": "ddt", "territoire": "dep:01"}),
    ("admin", "admin", {}),
]


@pytest.fixture(scope="module")
def service(database_url):
    app = create_app(database_url)
    with app.state.sessions() as session:
        for login, role, extra in USERS:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        yield app, base


@pytest.fixture(scope="module")
def people(service):
    _, base = service
    return {login: client(base, login) for login, _, _ in USERS}


def deposited(people, town="belcastel", folder="belcastel"):
    c = people[town]
    r = submit(c, SAMPLES / folder)
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    r = c.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True})
    assert r.status_code == 200, r.text
    return ident


def move(c, ident, **body):
    return c.post(f"/api/dossiers/{ident}/transitions", json=body)


def tracks(c, ident):
    return {t["partenaire"]: t for t in c.get(f"/api/dossiers/{ident}").json()["instructions"]}


def test_a_deposit_opens_one_track_per_partner_concerned(service, people):
    app, _ = service
    ident = deposited(people, "villebelle", "villebelle")
    town = people["villebelle"]
    report = town.get(f"/api/dossiers/{ident}/versions/1/rapport").json()
    applies = {
        CODES[code]
        for code, r in report["rulesets"].items()
        if sum(r["counts"].values()) > r["counts"].get("non_applicable", 0)
    }
    shown = town.get(f"/api/dossiers/{ident}").json()
    assert [t["partenaire"] for t in shown["instructions"]] == [
        p for p in ("action-logement", "anah", "anru", "ddt") if p in applies | {"ddt"}
    ]
    assert all(t["etat"] == "depose" and t["decide_le"] is None for t in shown["instructions"])
    n = len(shown["instructions"])
    assert shown["decisions"] == {"rendues": 0, "pistes": n, "texte": f"0 décision sur {n}"}
    assert shown["etat"] == "depose" and shown["journal"][-1]["partenaire"] is None
    with app.state.sessions() as session:  # the deposit mail goes to the tracks' instructeurs who see it
        to = {c.to for c in session.scalars(select(Courriel).where(Courriel.dossier_id == ident))}
    assert to == {"al@exemple.fr", "ddt@exemple.fr"} if "action-logement" in applies else {"ddt@exemple.fr"}


def test_each_track_moves_on_its_own_and_refusals_are_french(service, people):
    ident = deposited(people)
    ddt, al, anah, town, admin = (people[k] for k in ("ddt99", "al99", "anah99", "belcastel", "admin"))
    assert set(tracks(ddt, ident)) == {"action-logement", "anah", "anru", "ddt"}
    r = move(town, ident, vers="accepte")
    assert r.status_code == 403 and "réservé aux instructeurs" in r.json()["erreur"]
    r = move(anah, ident, vers="en_instruction", partenaire="ddt")
    assert r.status_code == 403 and "piste DDT" in r.json()["erreur"]
    r = move(admin, ident, vers="en_instruction")
    assert r.status_code == 422 and "nommez la piste" in r.json()["erreur"]
    assert move(people["ddt01"], ident, vers="en_instruction").status_code == 404  # not its territory
    r = move(ddt, ident, vers="accepte")
    assert r.status_code == 409 and "transition impossible" in r.json()["erreur"]
    assert move(ddt, ident, vers="en_instruction").json()["etat"] == "en_instruction"
    r = move(ddt, ident, vers="refuse")
    assert r.status_code == 409 and "motif est obligatoire" in r.json()["erreur"]
    r = move(ddt, ident, vers="accepte", regles=["ORT-99"])
    assert r.status_code == 422 and "règle inconnue : ORT-99" in r.json()["erreur"]
    r = move(ddt, ident, vers="accepte", motif="ORT en vigueur", regles=["ORT-01", "PROG-01"])
    assert r.status_code == 200, r.text
    shown = r.json()
    assert shown["etat"] == "en_instruction" and shown["decisions"]["texte"] == "1 décision sur 4"
    mine = {t["partenaire"]: t for t in shown["instructions"]}
    assert mine["ddt"]["etat"] == "accepte" and mine["ddt"]["decide_le"] and mine["anah"]["etat"] == "depose"
    assert mine["ddt"]["regles"] == ["ORT-01", "PROG-01"] and mine["ddt"]["motif"] == "ORT en vigueur"
    r = move(ddt, ident, vers="accepte")
    assert r.status_code == 409 and "déjà « accepté »" in r.json()["erreur"]
    r = move(ddt, ident, vers="en_instruction")
    assert r.status_code == 409 and "motif est obligatoire pour « repasser en instruction »" in r.json()["erreur"]
    seen = mine["ddt"]["revision"]
    assert move(ddt, ident, vers="en_instruction", motif="pièce reçue", revision=seen + 5).status_code == 409
    r = move(ddt, ident, vers="en_instruction", motif="pièce reçue", revision=seen)
    assert r.status_code == 200 and tracks(ddt, ident)["ddt"]["etat"] == "en_instruction"
    with service[0].state.sessions() as session:  # the town is told its decision is reopened
        (told,) = session.scalars(select(Courriel).where(Courriel.dossier_id == ident, Courriel.kind == "reouverture"))
        assert told.subject == "DDT repasse votre dossier en instruction (Belcastel-sur-Orne)"
        assert "sa décision\n« accepté » n'est plus en vigueur" in told.text and "pièce reçue" in told.text
    journal = [(e["de"], e["vers"], e["motif"]) for e in tracks(town, ident)["ddt"]["journal"]]
    assert journal == [
        ("depose", "en_instruction", ""),
        ("en_instruction", "accepte", "ORT en vigueur"),
        ("accepte", "en_instruction", "pièce reçue"),
    ]
    assert move(admin, ident, vers="en_instruction", partenaire="anah").status_code == 200
    r = move(anah, ident, vers="a_completer", motif="Plan de financement", ecarts=["pas-un-ecart"])
    assert r.status_code == 422 and "écart absent du dernier rapport" in r.json()["erreur"]
    assert move(anah, ident, vers="a_completer", motif="Plan de financement").json()["etat"] == "a_completer"


def test_action_logement_decides_immeuble_by_immeuble(service, people):
    app, _ = service
    ident = deposited(people)
    al, town = people["al99"], people["belcastel"]
    url = f"/api/dossiers/{ident}/instructions/action-logement/immeubles"
    decision = {"immeuble": "IMM-01", "decision": "accepte", "motif": "", "regles": []}
    r = al.post(url, json={"decisions": [decision]})
    assert r.status_code == 409 and "passez-la d'abord en instruction" in r.json()["erreur"]
    assert move(al, ident, vers="en_instruction").status_code == 200
    r = move(al, ident, vers="accepte")
    assert r.status_code == 409 and "immeuble par immeuble" in r.json()["erreur"]
    r = al.post(url, json={"decisions": [{"immeuble": "IMM-03", "decision": "refuse", "motif": "non", "regles": []}]})
    assert r.status_code == 422 and "IMM-03 : un refus cite au moins une règle (par exemple AL-O" in r.json()["erreur"]
    r = al.post(url, json={"decisions": [{"immeuble": "IMM-99", "decision": "accepte"}]})
    assert r.status_code == 422 and "immeuble absent du dernier rapport : IMM-99" in r.json()["erreur"]
    assert people["ddt99"].post(url, json={"decisions": [decision]}).status_code == 403
    first = [
        decision,
        {"immeuble": "IMM-02", "decision": "accepte", "motif": "", "regles": []},
        {"immeuble": "IMM-03", "decision": "refuse", "motif": "Prix de revient incohérent", "regles": ["AL-O-09"]},
    ]
    r = al.post(url, json={"decisions": first})
    assert r.status_code == 200, r.text
    mine = tracks(town, ident)["action-logement"]
    assert mine["etat"] == "en_instruction" and [i["immeuble"] for i in mine["immeubles"]][:3] == [
        "IMM-01",
        "IMM-02",
        "IMM-03",
    ]
    assert mine["immeubles"][2]["decision"]["libelle"] == "refusé" and mine["immeubles"][2]["decision"]["regles"] == [
        "AL-O-09"
    ]
    assert mine["immeubles"][3]["decision"] is None
    rest = [
        {"immeuble": f"IMM-0{n}", "decision": "refuse", "motif": "hors ORT", "regles": ["AL-O-01"]} for n in (4, 5, 6)
    ]
    rest[0] = {"immeuble": "IMM-04", "decision": "ajourne", "motif": "attente du permis", "regles": []}
    assert al.post(url, json={"decisions": rest}).status_code == 200
    assert tracks(town, ident)["action-logement"]["etat"] == "en_instruction"  # an ajourné keeps it open
    r = al.post(url, json={"decisions": [{"immeuble": "IMM-04", "decision": "accepte"}]})
    mine = {t["partenaire"]: t for t in r.json()["instructions"]}["action-logement"]
    assert mine["etat"] == "accepte" and r.json()["decisions"]["texte"] == "1 décision sur 4"
    assert [h["libelle"] for h in mine["immeubles"][3]["historique"]] == ["ajourné"]
    assert [e["vers"] for e in mine["journal"]] == ["en_instruction", "en_instruction", "en_instruction", "accepte"]
    assert "IMM-03" in mine["journal"][1]["motif"] and mine["journal"][1]["regles"] == ["AL-O-09"]
    with app.state.sessions() as session:
        mails = list(session.scalars(select(Courriel).where(Courriel.to == "mairie@belcastel.exemple.fr")))
    assert [m.subject for m in mails if m.dossier_id == ident][-1].startswith(
        "Décisions de Action Logement par immeuble : accepté"
    )
    r = move(al, ident, vers="en_instruction", motif="nouvelle pièce")  # reopened: current decisions → history
    mine = {t["partenaire"]: t for t in r.json()["instructions"]}["action-logement"]
    assert all(i["decision"] is None and i["historique"] for i in mine["immeubles"])
    assert mine["etat"] == "en_instruction" and tracks(town, ident)["action-logement"]["decide_le"] is None


def test_withdraw_before_a_decision_and_not_after(service, people):
    ident = deposited(people)
    town, ddt = people["belcastel"], people["ddt99"]
    assert move(ddt, ident, vers="en_instruction").status_code == 200
    r = move(town, ident, vers="retire", motif="projet abandonné")
    assert r.status_code == 200 and r.json()["etat"] == "retire"
    assert {t["etat"] for t in r.json()["instructions"]} == {"retire"}
    r = move(ddt, ident, vers="accepte", motif="x")
    assert r.status_code == 409
    with service[0].state.sessions() as session:  # the tracks' instructeurs are told, with the reason
        told = session.scalars(select(Courriel).where(Courriel.dossier_id == ident, Courriel.kind == "retrait"))
        assert {(m.to, "projet abandonné" in m.text) for m in told} == {
            ("al@exemple.fr", True),
            ("ddt@exemple.fr", True),
        }
    other = deposited(people)
    assert move(ddt, other, vers="en_instruction").status_code == 200
    assert move(ddt, other, vers="sans_suite", motif="hors programme").status_code == 200
    r = move(town, other, vers="retire")
    assert (
        r.status_code == 409
        and "ne peut plus être retiré" in r.json()["erreur"]
        and "DDT : classé sans suite" in r.json()["erreur"]
    )


def test_the_letters_hook_is_called_for_each_decision(service, people, monkeypatch):
    calls = []
    monkeypatch.setattr(letters, "on_decision", lambda s, d, t, e: calls.append((t and t.partenaire, e.to_state)))
    ident = deposited(people)
    ddt = people["ddt99"]
    move(ddt, ident, vers="a_completer", motif="Convention manquante")
    assert calls == [(None, "depose"), ("ddt", "a_completer")]


def test_pages_forms_and_confirmation(service, people):
    _, base = service
    ident = deposited(people)
    town, ddt = web_client(base, "belcastel"), web_client(base, "ddt99")
    page = town.get(f"/dossiers/{ident}").text
    assert "Instruction par partenaire" in page and "0 décision sur 4" in page and "/verification" not in page
    assert "Retirer le dossier" in page
    page = ddt.get(f"/dossiers/{ident}").text
    assert f"/dossiers/{ident}/instructions/ddt/verification" in page and "instructions/anah/verification" not in page
    csrf, seen = hidden(page, "csrf"), hidden(page, "revision")
    values = {"csrf": csrf, "vers": "en_instruction", "motif": "", "revision": seen}
    check = ddt.post(f"/dossiers/{ident}/instructions/ddt/verification", data=values)
    assert check.status_code == 200 and "Confirmer et envoyer" in check.text and "Aucun courriel" in check.text
    assert tracks(people["ddt99"], ident)["ddt"]["etat"] == "depose"  # nothing changed yet
    r = ddt.post(f"/dossiers/{ident}/instructions/ddt/decision", data={**values, "choix": "confirmer"})
    assert r.status_code == 303 and tracks(people["ddt99"], ident)["ddt"]["etat"] == "en_instruction"
    decision = {
        "csrf": csrf,
        "vers": "refuse",
        "motif": "Hors périmètre ORT",
        "regles": ["ORT-01"],
        "revision": int(seen) + 1,
    }
    check = ddt.post(f"/dossiers/{ident}/instructions/ddt/verification", data=decision)
    body = unescape(check.text)
    assert (
        check.status_code == 200
        and "Décision de DDT sur votre dossier : refusé" in body
        and "Hors périmètre ORT" in body
    )
    modify = ddt.post(f"/dossiers/{ident}/instructions/ddt/decision", data={**decision, "choix": "modifier"})
    assert modify.status_code == 200 and "Hors périmètre ORT</textarea>" in modify.text
    stale = {**decision, "revision": int(seen), "choix": "confirmer"}
    r = ddt.post(f"/dossiers/{ident}/instructions/ddt/decision", data=stale)
    assert r.status_code == 409 and "a changé depuis que vous l'avez lue" in unescape(r.text)
    r = ddt.post(f"/dossiers/{ident}/instructions/ddt/decision", data={**decision, "choix": "confirmer"})
    assert r.status_code == 303 and tracks(people["ddt99"], ident)["ddt"]["etat"] == "refuse"
    page = unescape(town.get(f"/dossiers/{ident}").text)
    assert "1 décision sur 4" in page and "Hors périmètre ORT" in page and "Retirer le dossier" not in page
    assert town.get(f"/dossiers/{ident}/retrait").status_code == 409


def test_the_dossier_page_assigns_a_track_to_an_instructeur(service, people):
    _, base = service
    ident = deposited(people)
    ddt, al = web_client(base, "ddt99"), web_client(base, "al99")
    page = ddt.get(f"/dossiers/{ident}").text
    assert f'action="/dossiers/{ident}/instructions/ddt/suivi"' in page
    assert "instructions/action-logement/suivi" not in page  # only the tracks this account instructs
    assert "(moi)" in page and "Suivi par" in page
    form = {"csrf": hidden(page, "csrf"), "revision": hidden(page, "revision"), "instructeur": "ddt99"}
    form["retour"] = f"/dossiers/{ident}#instruction"
    r = ddt.post(f"/dossiers/{ident}/instructions/ddt/suivi", data=form)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/dossiers/{ident}")
    assert tracks(people["ddt99"], ident)["ddt"]["suivi_par"] == "ddt99"
    r = ddt.post(f"/dossiers/{ident}/instructions/ddt/suivi", data={**form, "instructeur": ""})  # stale revision
    assert r.status_code == 409
    foreign = {**form, "csrf": hidden(al.get(f"/dossiers/{ident}").text, "csrf")}
    assert al.post(f"/dossiers/{ident}/instructions/ddt/suivi", data=foreign).status_code in {403, 404}
    assert tracks(people["ddt99"], ident)["ddt"]["suivi_par"] == "ddt99"


def test_migration_0008_gives_deposited_dossiers_their_tracks(database_url, tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    if database_url.startswith("postgresql"):  # a database of its own on the module's server
        server = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with server.connect() as c:
            c.execute(text("CREATE DATABASE acv_m8"))
        server.dispose()
        url = database_url.rsplit("/", 1)[0] + "/acv_m8"
    engine = make_engine(url)
    upgrade(engine, "0007")
    report = {"rulesets": {"AL-O": {"counts": {"conforme": 3}}, "ANRU": {"counts": {"non_applicable": 4}}}}
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (id, login, password_hash, role, nom, active, created_at) "
                "VALUES (900, 'm8', 'x', 'collectivite', '', true, CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            text(
                "INSERT INTO dossiers (id, commune_insee, commune_nom, owner_id, state, created_at, updated_at) "
                "VALUES ('m8', '99101', 'V', 900, 'en_instruction', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            text(
                "INSERT INTO versions (id, dossier_id, number, created_at, created_by, content_hash) "
                "VALUES (900, 'm8', 1, CURRENT_TIMESTAMP, 900, 'h')"
            )
        )
        c.execute(
            text(
                "INSERT INTO reports (version_id, evaluated_on, rules_hash, created_at, recevable, bloquants, summary, "
                "report_json) VALUES (900, '2026-11-26', 'h', CURRENT_TIMESTAMP, true, 0, '{}', :j)"
            ),
            {"j": json.dumps(report)},
        )
    upgrade(engine)
    with engine.connect() as c:
        rows = c.execute(
            text("SELECT partenaire, state FROM instructions WHERE dossier_id = 'm8' ORDER BY partenaire")
        ).all()
    assert [tuple(r) for r in rows] == [("action-logement", "en_instruction"), ("ddt", "en_instruction")]
    with engine.connect() as c:  # on SQLite, recreating the dossiers' table once took their versions with it
        kept = c.execute(text("SELECT (SELECT count(*) FROM versions), (SELECT count(*) FROM reports)")).one()
    assert tuple(kept) == (1, 1)
    engine.dispose()
