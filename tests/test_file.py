"""The instructeurs' queue (« file d'instruction »), served by uvicorn on loopback, on SQLite and on a real PostgreSQL:
its tabs and their counts, every sort, the search (PostgreSQL full-text on its GIN index, LIKE on SQLite, a `%` taken
literally), the filters by verdict, rule and state, who sees which tracks (partner, territory; a town: 403), the CSV
and XLSX exports read back (formula injection neutralised), the assignment of a track and its 409 on a stale
revision, the reports' index rows written when a report is stored, and the page in Chromium through axe.

Tracks are inserted with the ORM here (the deposit does not open them on this branch); the reports too, with their
index rows written by report_index as the service writes them."""

import csv
import datetime as dt
import hashlib
import io
import json
import threading
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from conftest import SAMPLES, once
from openpyxl import load_workbook
from sqlalchemy import select, text
from test_service import PASSWORD, Server, client, submit
from test_web import hidden, web_client

from instruct.service import accounts, report_index
from instruct.service.app import create_app
from instruct.service.instruction_storage import Instruction, RapportEcart, RapportPiste, RapportVerdict
from instruct.service.storage import Dossier, StoredReport, User, Version, now

pytestmark = pytest.mark.deux_bases  # the queue's search: full text on PostgreSQL, LIKE on SQLite

USERS = [
    ("villebelle", "collectivite", {"commune_insee": "99101"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99", "nom": "Alice Martin"}),
    ("ddt99b", "instructeur", {"partenaire": "ddt", "territoire": "dep:99", "nom": "Bernard Colline"}),
    ("al99", "instructeur", {"partenaire": "action-logement", "territoire": "dep:99"}),
    ("ddt01", "instructeur", {"partenaire": "ddt", "territoire": "dep:01"}),
    ("admin", "admin", {}),
]
# commune, INSEE, verdicts of the latest report, its gaps, tracks: partner -> (state, assignee, days ago, decided ago)
DOSSIERS = [
    ("Belcastel", "99104", {"PROG": "non_recevable", "ORT": "recevable", "AL-O": "incomplet"},
     [("PROG-05", "non_conforme")],
     {"ddt": ("en_instruction", None, 30, None), "action-logement": ("depose", None, 10, None)}),
    ("Villebelle", "99101", {"PROG": "recevable", "ORT": "recevable"}, [],
     {"ddt": ("depose", "ddt99", 5, None), "anah": ("depose", None, 5, None)}),
    ("Montclair", "99102", {"PROG": "incomplet", "AL-V": "non_recevable"}, [("PROG-02", "incomplet")],
     {"ddt": ("accepte", "ddt99b", 60, 20), "action-logement": ("refuse", None, 60, 40)}),
    ("Taux 100%", "99105", {"PROG": "recevable"}, [], {"ddt": ("a_completer", None, 3, None)}),
    ("Bourg 1000", "99106", {"PROG": "incomplet"}, [("PROG-02", "a_verifier")], {"ddt": ("depose", None, 2, None)}),
    ("=HYPERLINK(\"http://x\")", "99107", {"PROG": "recevable"}, [], {"ddt": ("retire", None, 90, 80)}),
    ("Bourg-en-Bresse", "01053", {"PROG": "non_recevable"}, [("PROG-05", "incomplet")],
     {"ddt": ("en_instruction", None, 15, None)}),
]  # fmt: skip
PARIS = ZoneInfo("Europe/Paris")
FILLERS = 52  # more tracks than a page, in dep 98 (the admin's)


def add_dossier(session, owner: User, commune, insee, verdicts, gaps, tracks, users) -> str:
    """A deposited dossier with one version, its report (and the report's index rows), and its tracks."""
    moment = now()
    record = Dossier(
        commune_insee=insee,
        commune_nom=commune,
        departement=insee[:2],
        region="99",
        owner_id=owner.id,
        state="en_instruction",
        updated_at=moment - dt.timedelta(days=len(commune)),
    )
    version = Version(dossier=record, number=1, created_by=owner.id, content_hash=hashlib.sha256(b"x").hexdigest())
    report = {
        "rulesets": {code: {"verdict": v, "counts": {}} for code, v in verdicts.items()},
        "findings": [{"rule": rule, "status": status} for rule, status in gaps]
        + [{"rule": "PROG-01", "status": "conforme"}],
    }
    stored = StoredReport(
        evaluated_on=moment.date(),
        rules_hash="0" * 64,
        recevable=all(v == "recevable" for v in verdicts.values()),
        bloquants=len(gaps),
        summary=verdicts,
        report_json=json.dumps(report),
    )
    version.reports.append(stored)
    session.add(version)
    report_index.index_report(session, stored)
    for partner, (state, assignee, opened, decided) in tracks.items():
        session.add(
            Instruction(
                dossier_id=record.id,
                partenaire=partner,
                state=state,
                assigned_to=users[assignee].id if assignee else None,
                opened_at=moment - dt.timedelta(days=opened, hours=1),
                decided_at=moment - dt.timedelta(days=decided) if decided is not None else None,
            )
        )
    session.flush()
    return record.id


@pytest.fixture(scope="module")
def service(database_url):
    app = create_app(database_url)
    with app.state.sessions() as session:
        users = {login: accounts.create_user(session, login, PASSWORD, role, **extra) for login, role, extra in USERS}
        ids = {}
        for commune, insee, verdicts, gaps, tracks in DOSSIERS:
            ids[commune] = add_dossier(session, users["villebelle"], commune, insee, verdicts, gaps, tracks, users)
        for n in range(FILLERS):
            add_dossier(
                session, users["villebelle"], f"Remplissage {n:02d}", f"98{n:03d}", {"PROG": "recevable"}, [],
                {"ddt": ("depose", None, n + 1, None)}, users,
            )  # fmt: skip
        session.commit()
    with Server(app) as base:
        yield app, base, database_url, ids


def rows(c, **params) -> dict:
    r = c.get("/api/file?" + urlencode(params))
    assert r.status_code == 200, r.text
    return r.json()


def communes(body: dict) -> list[tuple[str, str]]:
    return [(p["commune"], p["partenaire"]) for p in body["pistes"]]


# --- tabs, visibility -----------------------------------------------------------------------------------------


def test_tabs_hold_the_partners_tracks_of_the_territory_with_their_counts(service):
    _, base, _, ids = service
    ddt = client(base, "ddt99")
    todo = rows(ddt)
    assert todo["onglet"] == "a_traiter"
    assert todo["onglets"] == {"a_traiter": 3, "suivis": 1, "traites": 2, "tous": 6}
    # open and assigned to nobody, the oldest deposit first (the default sort)
    assert communes(todo) == [("Belcastel", "ddt"), ("Taux 100%", "ddt"), ("Bourg 1000", "ddt")]
    belcastel = todo["pistes"][0]
    assert belcastel["dossier"] == ids["Belcastel"] and belcastel["insee"] == "99104"
    assert belcastel["etat"] == "en_instruction" and belcastel["etat_libelle"] == "en instruction"
    assert belcastel["jours"] == 30 and belcastel["suivi_par"] is None and belcastel["version"] == 1
    assert belcastel["verdict"] == "non_recevable" and belcastel["verdict_libelle"] == "non recevable"
    assert belcastel["bloquants"] == 1
    assert communes(rows(ddt, onglet="suivis")) == [("Villebelle", "ddt")]  # open, assigned to me
    assert communes(rows(client(base, "ddt99b"), onglet="suivis")) == []  # Montclair's is decided: traités
    done = rows(ddt, onglet="traites")
    assert sorted(communes(done)) == [('=HYPERLINK("http://x")', "ddt"), ("Montclair", "ddt")]
    montclair = next(p for p in done["pistes"] if p["commune"] == "Montclair")
    assert montclair["jours"] == 40 and montclair["suivi_par"] == {"login": "ddt99b", "nom": "Bernard Colline"}
    assert montclair["verdict"] == "incomplet"  # the worst of PROG; AL-V is Action Logement's
    assert len(rows(ddt, onglet="tous")["pistes"]) == 6


def test_nobody_sees_another_partners_or_territorys_tracks_and_a_town_gets_403(service):
    _, base, _, _ = service
    seen = {login: communes(rows(client(base, login), onglet="tous")) for login in ("ddt99", "al99", "ddt01")}
    assert {p for _, p in seen["ddt99"]} == {"ddt"} and ("Bourg-en-Bresse", "ddt") not in seen["ddt99"]
    assert sorted(seen["al99"]) == [("Belcastel", "action-logement"), ("Montclair", "action-logement")]
    assert seen["ddt01"] == [("Bourg-en-Bresse", "ddt")]
    admin = client(base, "admin")
    everything = rows(admin, onglet="tous")
    assert everything["total"] == 10 + FILLERS and len(everything["pistes"]) == 50 and everything["pages"] == 2
    assert len(rows(admin, onglet="tous", page=2)["pistes"]) == 10 + FILLERS - 50
    assert communes(rows(admin, onglet="tous", partenaire="anah")) == [("Villebelle", "anah")]
    r = client(base, "ddt99").get("/api/file?partenaire=anah")  # an instructeur's partner is theirs
    assert r.status_code == 400 and "partenaire" in r.json()["erreur"]
    r = client(base, "villebelle").get("/api/file")
    assert r.status_code == 403 and "réservée aux instructeurs" in r.json()["erreur"]
    page = web_client(base, "villebelle").get("/instruction")
    assert page.status_code == 403 and "Accès réservé aux instructeurs" in page.text
    assert "File d'instruction" not in web_client(base, "villebelle").get("/dossiers").text  # no link for a town
    assert web_client(base).get("/instruction", follow_redirects=False).status_code == 303  # to the login


# --- sorts, search, filters -----------------------------------------------------------------------------------


SORT_VALUE = {
    "commune": lambda p: p["commune"],
    "insee": lambda p: p["insee"],
    "dossier": lambda p: p["dossier"],
    "partenaire": lambda p: p["partenaire"],
    "etat": lambda p: ["depose", "en_instruction", "a_completer", "accepte", "refuse", "sans_suite", "retire"].index(
        p["etat"]
    ),
    "depose": lambda p: p["depose_le"],
    "jours": lambda p: p["jours"],
    "suivi": lambda p: p["suivi_par"]["nom"] if p["suivi_par"] else None,
    "verdict": lambda p: {"recevable": 1, "incomplet": 2, "non_recevable": 3}.get(p["verdict"]),
    "bloquants": lambda p: p["bloquants"],
    "version": lambda p: p["version"],
    "maj": lambda p: p["mis_a_jour"],
}


@pytest.mark.parametrize("key", sorted(SORT_VALUE))
def test_every_column_sorts_both_ways_with_the_dossier_id_as_tie_break(service, key):
    _, base, _, _ = service
    admin = client(base, "admin")
    for ordre in ("asc", "desc"):
        shown = rows(admin, onglet="tous", tri=key, ordre=ordre)["pistes"]  # the first page of the ordering
        assert len(shown) == 50
        values = [SORT_VALUE[key](p) for p in shown]
        present = [v for v in values if v is not None]
        assert values[: len(present)] == present, f"{key} {ordre}: les valeurs absentes en dernier"
        assert present == sorted(present, reverse=ordre == "desc"), f"{key} {ordre}: {values}"
        for a, b in zip(shown, shown[1:], strict=False):  # equal values: by dossier id, then partner
            if SORT_VALUE[key](a) == SORT_VALUE[key](b) and key not in (
                "depose",
                "maj",
                "jours",
            ):  # those are finer in SQL
                assert (a["dossier"], a["partenaire"]) <= (b["dossier"], b["partenaire"])
    r = admin.get("/api/file?tri=mot_de_passe")
    assert r.status_code == 400 and "tri inconnu" in r.json()["erreur"]


def test_search_by_commune_prefix_insee_and_dossier_id_with_special_characters_literal(service):
    app, base, database_url, ids = service
    ddt = client(base, "ddt99")
    assert communes(rows(ddt, onglet="tous", q="belc")) == [("Belcastel", "ddt")]
    assert communes(rows(ddt, onglet="tous", q="BELCASTEL")) == [("Belcastel", "ddt")]
    assert communes(rows(ddt, onglet="tous", q="99102")) == [("Montclair", "ddt")]
    assert communes(rows(ddt, onglet="tous", q=ids["Villebelle"])) == [("Villebelle", "ddt")]
    assert communes(rows(ddt, onglet="tous", q=ids["Villebelle"][:10])) == [("Villebelle", "ddt")]
    assert communes(rows(ddt, onglet="tous", q="bourg 99106")) == [("Bourg 1000", "ddt")]
    literal = [("Taux 100%", "ddt")] if database_url.startswith("sqlite") else []  # full-text: no word at all
    assert communes(rows(ddt, onglet="tous", q="%")) == literal  # not a wildcard
    assert communes(rows(ddt, onglet="tous", q="_")) == []
    if database_url.startswith("sqlite"):  # LIKE: « 0% » is the text 0%, not « 0 then anything »
        assert communes(rows(ddt, onglet="tous", q="0%")) == [("Taux 100%", "ddt")]
    for bad, message in [("a\x00b", "caractère de contrôle"), ("x" * 101, "au plus 100 caractères")]:
        r = ddt.get("/api/file", params={"q": bad})
        assert r.status_code == 400 and message in r.json()["erreur"]
        page = web_client(base, "ddt99").get("/instruction", params={"q": bad})
        assert page.status_code == 400 and "Paramètre non appliqué" in page.text and message in page.text


def test_full_text_search_uses_the_gin_index_on_postgresql(service):
    app, _, database_url, _ = service
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL seulement : SQLite cherche avec LIKE")
    from instruct.service import queue

    with app.state.sessions() as session:
        admin = session.scalar(select(User).where(User.login == "admin"))
        found = queue.criteria({"onglet": "tous", "q": "belc"}, admin, app.state.catalogue)
        query = queue.rows_query(session, admin, app.state.catalogue, found, now(), 50)
        compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        session.execute(text("SET LOCAL enable_seqscan = off"))  # a few rows: the planner would scan them all
        plan = "\n".join(session.execute(text(f"EXPLAIN {compiled}")).scalars())
        assert "ix_dossiers_recherche" in plan, plan


def test_filters_by_verdict_rule_and_state_and_bad_values_in_french(service):
    _, base, _, _ = service
    ddt, al = client(base, "ddt99"), client(base, "al99")
    assert communes(rows(ddt, onglet="tous", verdict="non_recevable")) == [("Belcastel", "ddt")]
    assert sorted(communes(rows(ddt, onglet="tous", verdict="incomplet"))) == [
        ("Bourg 1000", "ddt"),
        ("Montclair", "ddt"),
    ]
    assert communes(rows(al, onglet="tous", verdict="incomplet")) == [("Belcastel", "action-logement")]  # AL-O
    assert communes(rows(al, onglet="tous", verdict="non_recevable")) == [("Montclair", "action-logement")]
    assert communes(rows(ddt, onglet="tous", regle="PROG-05")) == [("Belcastel", "ddt")]
    assert sorted(communes(rows(ddt, onglet="tous", regle="prog-02"))) == [("Bourg 1000", "ddt"), ("Montclair", "ddt")]
    assert communes(rows(ddt, onglet="tous", etat="a_completer")) == [("Taux 100%", "ddt")]
    filtered = rows(ddt, onglet="tous", regle="PROG-05", verdict="non_recevable", q="bel")
    assert filtered["onglets"] == {"a_traiter": 1, "suivis": 0, "traites": 0, "tous": 1}
    for params, message in [
        ({"regle": "ZZ-99"}, "règle inconnue : ZZ-99"),
        ({"verdict": "excellent"}, "verdict inconnu"),
        ({"etat": "brouillon"}, "état de piste inconnu"),
        ({"onglet": "secret"}, "onglet inconnu"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"ordre": "hasard"}, "ordre"),
        ({"format": "pdf"}, "format"),
    ]:
        r = ddt.get("/api/file", params=params)
        assert r.status_code == 400 and message in r.json()["erreur"], (params, r.text)
        page = web_client(base, "ddt99").get("/instruction", params=params)
        assert page.status_code == 400 and message in page.text and "Traceback" not in page.text, params


# --- the page, the exports ------------------------------------------------------------------------------------


def test_the_page_shows_tabs_counts_sortable_headers_and_pages(service):
    _, base, _, _ = service
    html = web_client(base, "admin").get("/instruction?onglet=tous&tri=commune&ordre=desc").text
    assert 'À traiter&nbsp;<span class="compte">(' in html and 'aria-current="page">Tous' in html
    assert 'aria-sort="descending"' in html and html.count("aria-sort=") == 1
    assert f"Tous : {10 + FILLERS} pistes, page 1 sur 2" in html
    assert "Page suivante" in html and "onglet=tous&amp;tri=commune&amp;ordre=desc&amp;page=2" in html
    assert ">Partenaire<" in html  # the admin sees the partner column
    mine = web_client(base, "ddt99").get("/instruction").text
    assert ">Partenaire<" not in mine and "Belcastel" in mine and "Bourg-en-Bresse" not in mine
    assert 'href="/instruction" aria-current="page">File d\'instruction' in mine  # the menu's link


def test_exports_csv_and_xlsx_of_the_filtered_sorted_list_with_formulas_neutralised(service):
    _, base, _, _ = service
    ddt = client(base, "ddt99")
    today = dt.datetime.now(PARIS).date()
    r = ddt.get("/api/file?onglet=tous&tri=commune&format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == f'attachment; filename="file-instruction-{today:%Y-%m-%d}.csv"'
    assert r.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Commune", "INSEE", "Dossier", "État de la piste", "Déposé le", "Jours en instruction",
                        "Suivi par", "Verdict", "Bloquants", "Version", "Mis à jour"]  # fmt: skip
    assert len(table) == 1 + 6
    assert table[1][0] == '\'=HYPERLINK("http://x")'  # a formula, made text
    belcastel = next(line for line in table if line[0] == "Belcastel")
    assert belcastel[3] == "en instruction" and belcastel[5] == "30" and belcastel[7] == "non recevable"
    opened = dt.datetime.now(dt.UTC) - dt.timedelta(days=30, hours=1)
    assert belcastel[4] == f"{opened.astimezone(PARIS):%d/%m/%Y}"
    assert [line[0] for line in table[1:]] == sorted(line[0] for line in table[1:])
    page = web_client(base, "ddt99").get("/instruction?onglet=tous&tri=commune&format=xlsx")
    assert page.status_code == 200 and page.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(page.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Commune" and len(values) == 7
    assert values[1][0] == '\'=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    filtered = list(csv.reader(io.StringIO(ddt.get("/api/file?verdict=non_recevable&format=csv").text), delimiter=";"))
    assert [line[0] for line in filtered[1:]] == ["Belcastel"]  # the filters apply (tab à traiter)
    admin = list(
        csv.reader(io.StringIO(client(base, "admin").get("/api/file?onglet=tous&format=csv").text), delimiter=";")
    )
    assert admin[0][3] == "Partenaire" and len(admin) == 1 + 10 + FILLERS  # every page


# --- assignment -----------------------------------------------------------------------------------------------


def test_follow_assign_to_a_colleague_and_a_stale_revision_is_refused(service):
    app, base, _, ids = service
    ddt, dossier = client(base, "ddt99"), ids["Taux 100%"]
    path = f"/api/dossiers/{dossier}/instructions/ddt/suivi"
    track = next(p for p in rows(ddt, onglet="tous")["pistes"] if p["dossier"] == dossier)
    seen = track["revision"]
    r = ddt.post(path, json={"instructeur": "ddt99", "revision": seen})
    assert r.status_code == 200 and r.json()["suivi_par"] == "ddt99" and r.json()["revision"] == seen + 1
    assert ("Taux 100%", "ddt") in communes(rows(ddt, onglet="suivis"))
    r = ddt.post(path, json={"instructeur": "ddt99b", "revision": seen})  # made on what it saw before
    assert r.status_code == 409 and "a changé depuis" in r.json()["erreur"]
    r = ddt.post(path, json={"instructeur": "ddt99b", "revision": seen + 1})
    assert r.status_code == 200 and r.json()["suivi_par"] == "ddt99b"
    for login, status in [("al99", 422), ("ddt01", 422), ("villebelle", 422), ("inconnu", 422)]:
        r = ddt.post(path, json={"instructeur": login})
        assert r.status_code == status and "n'instruit pas cette piste" in r.json()["erreur"], login
    assert client(base, "al99").post(path, json={"instructeur": "al99"}).status_code == 404  # not their track
    assert client(base, "ddt01").post(path, json={"instructeur": None}).status_code == 404  # not their territory
    assert client(base, "villebelle").post(path, json={"instructeur": None}).status_code == 404
    r = ddt.post(f"/api/dossiers/{dossier}/instructions/anru/suivi", json={"instructeur": None})
    assert r.status_code == 404 and "aucune piste" in r.json()["erreur"]
    r = ddt.post(path, json={"instructeur": None})  # « ne plus suivre », on the revision read now
    assert r.status_code == 200 and r.json()["suivi_par"] is None
    admin = client(base, "admin")  # an admin assigns to anyone who instructs the partner, admins included
    assert admin.post(path, json={"instructeur": "admin"}).json()["suivi_par"] == "admin"
    assert admin.post(path, json={"instructeur": "ddt99"}).json()["suivi_par"] == "ddt99"


def test_of_simultaneous_assignments_on_one_revision_exactly_one_wins(service):
    """12 at once: with 20, SQLite's connection pool (5 + 10) ran dry while the 4 request threads waited for it."""
    _, base, _, ids = service
    dossier = ids["Bourg 1000"]
    path = f"/api/dossiers/{dossier}/instructions/ddt/suivi"
    clients = [client(base, login) for login in ("ddt99", "ddt99b") * 6]
    seen = next(p for p in rows(clients[0], onglet="tous")["pistes"] if p["dossier"] == dossier)["revision"]
    barrier, statuses = threading.Barrier(len(clients)), []

    def go(c, login):
        barrier.wait()
        statuses.append(c.post(path, json={"instructeur": login, "revision": seen}).status_code)

    threads = [
        threading.Thread(target=go, args=(c, login)) for c, login in zip(clients, ("ddt99", "ddt99b") * 6, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(statuses) == [200] + [409] * 11
    after = next(p for p in rows(clients[0], onglet="tous")["pistes"] if p["dossier"] == dossier)
    assert after["revision"] == seen + 1


def test_the_queue_and_the_assignment_form_on_the_pages(service):
    _, base, _, ids = service
    web = web_client(base, "ddt99")
    html = web.get("/instruction?q=belc").text
    assert "Suivre" in html
    form = html[html.index('action="/dossiers/' + ids["Belcastel"] + '/instructions/ddt/suivi"') :]
    r = web.post(
        f"/dossiers/{ids['Belcastel']}/instructions/ddt/suivi",
        data={"csrf": hidden(html, "csrf"), "revision": hidden(form, "revision"), "instructeur": "ddt99",
              "retour": "/instruction?q=belc"},
    )  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/instruction?q=belc&ok=suivi"
    shown = web.get(r.headers["location"]).text
    assert "Suivi de la piste mis à jour." in shown and "Aucune piste" in shown  # no more « à traiter »
    followed = web.get("/instruction?onglet=suivis&q=belc").text
    assert "Ne plus suivre" in followed and "Alice Martin" in followed
    stale = web.post(
        f"/dossiers/{ids['Belcastel']}/instructions/ddt/suivi",
        data={"csrf": hidden(html, "csrf"), "revision": hidden(form, "revision"), "instructeur": ""},
    )
    assert stale.status_code == 409 and "Suivi non modifié" in stale.text and "a changé depuis" in stale.text
    assert 'name="instructeur"' in stale.text and "Bernard Colline" in stale.text  # the form again, fresh
    forged = web.post(f"/dossiers/{ids['Belcastel']}/instructions/ddt/suivi", data={"csrf": "x", "revision": "0"})
    assert forged.status_code == 403
    page = web.get(f"/dossiers/{ids['Belcastel']}/instructions/ddt/suivi?retour=/instruction")
    assert page.status_code == 200 and "Enregistrer le suivi" in page.text and 'href="/instruction">Retour' in page.text
    assert web.get(f"/dossiers/{ids['Belcastel']}/instructions/anah/suivi").status_code == 404
    assert web.get(f"/dossiers/{ids['Bourg-en-Bresse']}/instructions/ddt/suivi").status_code == 404


# --- the reports' index ---------------------------------------------------------------------------------------


def test_a_stored_report_writes_its_verdicts_and_gaps_as_rows(service):
    app, base, _, _ = service
    r = submit(client(base, "villebelle"), SAMPLES / "villebelle")
    assert r.status_code == 201, r.text
    with app.state.sessions() as session:
        report = session.scalars(select(StoredReport).join(Version).where(Version.dossier_id == r.json()["id"])).one()
        verdicts = dict(
            session.execute(
                select(RapportVerdict.jeu, RapportVerdict.verdict).where(RapportVerdict.report_id == report.id)
            ).all()
        )
        gaps = {
            (g.regle, g.statut): g.nombre
            for g in session.scalars(select(RapportEcart).where(RapportEcart.report_id == report.id))
        }
        expected: dict = {}
        for finding in json.loads(report.report_json)["findings"]:
            if finding["status"] in ("non_conforme", "incomplet", "a_verifier"):
                key = (finding["rule"], finding["status"])
                expected[key] = expected.get(key, 0) + 1
    assert verdicts == report.summary and verdicts
    assert gaps == expected
    with app.state.sessions() as session:  # the dossier's latest report, and its worst verdict per track
        assert session.get(Dossier, r.json()["id"]).latest_report_id == report.id
        worst = dict(
            session.execute(
                select(RapportPiste.partenaire, RapportPiste.verdict).where(RapportPiste.report_id == report.id)
            ).all()
        )
    rank = report_index.VERDICT_RANK
    for track in {report_index.TRACK_OF_CODE[code] for code in verdicts}:
        mine = [v for code, v in verdicts.items() if report_index.TRACK_OF_CODE[code] == track]
        assert worst[track] == max(mine, key=rank.get), track


# --- in a real browser ----------------------------------------------------------------------------------------


def test_the_queue_pages_are_accessible(service, tmp_path):
    from axe import assert_accessible, new_browser, wait_until_loaded
    from selenium.webdriver.common.by import By
    from test_web import _browser_or_skip

    _, base, database_url, ids = service
    if not once(database_url):
        pytest.skip("une fois suffit : la page est la même sur les deux bases")
    _browser_or_skip()
    driver = new_browser(tmp_path / "profil")
    try:
        for login in ("admin", "ddt99"):
            driver.delete_all_cookies()
            driver.get(base + "/connexion")
            driver.find_element(By.ID, "identifiant").send_keys(login)
            driver.find_element(By.ID, "mot_de_passe").send_keys(PASSWORD)
            driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            wait_until_loaded(driver, base + "/dossiers")
            for path in (
                "/instruction?onglet=tous",
                "/instruction?regle=ZZ-1",
                f"/dossiers/{ids['Villebelle']}/instructions/ddt/suivi",
            ):
                driver.get(base + path)
                assert driver.find_element(By.TAG_NAME, "h1").is_displayed()
                assert_accessible(driver, f"{path} ({login})")
    finally:
        driver.quit()


def test_the_report_index_knows_whose_track_every_rule_set_is(catalogue):
    from instruct.service.instruction_storage import TRACK_OF_RULESET_PARTNER

    assert {
        code: TRACK_OF_RULESET_PARTNER[rs.partenaire] for code, rs in catalogue.rulesets.items()
    } == report_index.TRACK_OF_CODE
