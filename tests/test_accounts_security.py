"""Accounts under attack, on a real server on loopback (SQLite and PostgreSQL): login throttling
(429 in French with Retry-After), disabled and deleted accounts, the password policy, `acv users`
as a subprocess, the CSRF header the API asks of a cookie session, the security headers of every
HTML response (the report files included), and argon2 kept off the request threads."""

import re
import statistics
import subprocess
import threading
import time

import httpx
import pytest
from argon2 import PasswordHasher
from conftest import ROOT, SAMPLES, acv_command
from sqlalchemy import select
from test_service import DATE, PASSWORD, Server, folder_zip
from test_web import browser  # noqa: F401  (the fixture: headless Chromium, or a skip)

from instruct.service import accounts, uploads
from instruct.service.app import create_app
from instruct.service.storage import User

USERS = [
    ("villebelle", "collectivite", {"commune_insee": "99101"}),
    ("verrou", "collectivite", {"commune_insee": "99101"}),
    ("partant", "collectivite", {"commune_insee": "99101"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99"}),
]


@pytest.fixture(scope="module")
def service(database_url):
    app = create_app(database_url)
    with app.state.sessions() as session:
        for login, role, extra in USERS:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with pytest.MonkeyPatch.context() as patch, Server(app) as base:
        patch.setenv("ACV_ECHECS_ADRESSE", "1000")  # these tests all fail from 127.0.0.1: the accounts' limit is tested
        yield app, base


def log_in(base: str, login: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(f"{base}/api/session", json={"identifiant": login, "mot_de_passe": password}, timeout=60)


def submitted(base: str, token: str) -> str:
    upload = {"archive": ("d.zip", folder_zip(SAMPLES / "villebelle"), "application/zip")}
    r = httpx.post(f"{base}/api/dossiers", headers={"Authorization": f"Bearer {token}"}, files=upload, data=DATE)
    assert r.status_code == 201, r.text
    return r.json()["id"]


# --- throttling ---------------------------------------------------------------------------------


@pytest.mark.deux_bases  # throttling counts attempts under each base's own lock
def test_five_wrong_passwords_then_429_in_french_with_the_delay(service):
    _, base = service
    for _ in range(5):
        assert log_in(base, "verrou", "mauvais-mot-de-passe").status_code == 401
    refused = log_in(base, "verrou", PASSWORD)  # even the right password: the account waits
    assert refused.status_code == 429
    assert refused.json()["erreur"] == "trop de tentatives de connexion : réessayez dans 15 minutes"
    assert 800 < int(refused.headers["retry-after"]) <= 900
    assert log_in(base, "villebelle").status_code == 200  # another account is not held


@pytest.mark.deux_bases
def test_a_success_forgives_the_account_failures(service):
    _, base = service
    for _ in range(2):
        for _ in range(4):
            assert log_in(base, "ddt99", "mauvais-mot-de-passe").status_code == 401
        assert log_in(base, "ddt99").status_code == 200


def test_the_login_page_is_throttled_too(tmp_path, monkeypatch):
    monkeypatch.setenv("ACV_ECHECS_ADRESSE", "20")
    app = create_app(f"sqlite:///{tmp_path / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        accounts.create_user(session, "villebelle", PASSWORD, "collectivite", commune_insee="99101")
        session.commit()
    with Server(app) as base, httpx.Client(base_url=base, timeout=60) as c:
        statuses = []
        for n in range(21):  # 20 failures from one address, on logins that do not exist
            form = c.get("/connexion").text
            jeton = re.search(r'name="jeton" value="([^"]*)"', form).group(1)
            r = c.post("/connexion", data={"jeton": jeton, "identifiant": f"inconnu{n}", "mot_de_passe": "x" * 12})
            statuses.append(r.status_code)
        assert statuses == [401] * 20 + [429]
        assert "Trop de tentatives de connexion : réessayez dans 15 minutes." in r.text
        assert int(r.headers["retry-after"]) > 0 and r.headers["x-frame-options"] == "DENY"
        assert log_in(base, "villebelle").status_code == 429  # the address is held, on the API too


# --- disabled, deleted, reset: `acv users` ------------------------------------------------------


def acv(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([*acv_command(), *args], input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.deux_bases  # the accounts' states written by the command on each base
def test_acv_users_disable_enable_password_delete(service, database_url):
    app, base = service
    with httpx.Client(base_url=base, timeout=60) as c:
        c.headers["Authorization"] = f"Bearer {log_in(base, 'partant').json()['jeton']}"
        c.cookies.clear()
        assert c.get("/api/moi").status_code == 200

        done = acv("users", "disable", "partant", "--base", database_url)
        assert done.returncode == 0 and "Compte désactivé : partant" in done.stdout, done.stderr
        assert c.get("/api/moi").status_code == 401  # its open session ended
        refused = log_in(base, "partant")
        assert refused.status_code == 403 and "désactivé" in refused.json()["erreur"]
        assert log_in(base, "partant", "mauvais-mot-de-passe").status_code == 401  # says nothing without it

        assert acv("users", "enable", "partant", "--base", database_url).returncode == 0
        before = log_in(base, "partant")
        assert before.status_code == 200
        c.headers["Authorization"] = f"Bearer {before.json()['jeton']}"

        done = acv("users", "password", "partant", "--base", database_url, stdin="partant-123456\n")
        assert done.returncode == 2 and "ne doit pas contenir l'identifiant" in done.stderr
        done = acv("users", "password", "partant", "--base", database_url, stdin="un nouveau secret\n")
        assert done.returncode == 0 and "Mot de passe changé" in done.stdout, done.stderr
        assert c.get("/api/moi").status_code == 401  # a new password ends the open sessions
        assert log_in(base, "partant").status_code == 401
        opened = log_in(base, "partant", "un nouveau secret")
        assert opened.status_code == 200

        submitted = c.post(
            "/api/dossiers",
            headers={"Authorization": f"Bearer {opened.json()['jeton']}"},
            files={"archive": ("d.zip", folder_zip(SAMPLES / "villebelle"), "application/zip")},
            data=DATE,
        )
        assert submitted.status_code == 201, submitted.text
        done = acv("users", "delete", "partant", "--base", database_url)
        assert done.returncode == 0 and "Compte supprimé" in done.stdout, done.stderr
        assert log_in(base, "partant", "un nouveau secret").status_code == 401
        assert acv("users", "enable", "partant", "--base", database_url).returncode == 2
        taken = acv("users", "create", "partant", "--role", "admin", "--base", database_url, stdin="un autre secret\n")
        assert taken.returncode == 2 and "identifiant déjà pris" in taken.stderr
        assert "supprimé" in next(
            line for line in acv("users", "list", "--base", database_url).stdout.splitlines() if "partant" in line
        )
        c.headers["Authorization"] = f"Bearer {log_in(base, 'villebelle').json()['jeton']}"
        journal = c.get(f"/api/dossiers/{submitted.json()['id']}").json()["journal"]
        assert [e["par"] for e in journal] == ["partant"]  # the journal still names its author
    unknown = acv("users", "disable", "personne", "--base", database_url)
    assert unknown.returncode == 2 and "compte inconnu : personne" in unknown.stderr


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court-123", "trop court : au moins 12 caractères"),
        (" " * 12, "que des espaces"),
        ("a" * 20, "au moins 4 caractères différents"),
        ("xx-Nouveau-Compte-xx", "ne doit pas contenir l'identifiant"),
        ("nouveau-compte", "ne doit pas contenir l'identifiant"),
        ("é" * 100 + "abcdefghijklmnopqrstuvwxyz" * 8, "trop long : au plus 128 caractères"),
        ("avec\ttabulation", "caractère de contrôle"),
    ],
)
def test_the_password_policy(password, message):
    with pytest.raises(accounts.AccountError, match=re.escape(message)):
        accounts.check_password(password, "nouveau-compte")


@pytest.mark.parametrize(  # what the command reads from its input: characters, not bytes; a tab kept
    ("password", "message"),
    [
        ("é" * 100 + "abcdefghijklmnopqrstuvwxyz" * 8, "trop long : au plus 128 caractères"),
        ("avec\ttabulation", "caractère de contrôle"),
    ],
)
def test_the_command_refuses_a_password_against_the_policy_in_french(tmp_path, password, message):
    base = f"sqlite:///{tmp_path / 'comptes.sqlite3'}"
    done = acv("users", "create", "nouveau-compte", "--role", "admin", "--base", base, stdin=password + "\n")
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_the_longest_password_allowed_can_log_in(service):
    app, base = service
    longest = "àbcdéfghij" * (accounts.MAX_PASSWORD // 10) + "x" * (accounts.MAX_PASSWORD % 10)
    with app.state.sessions() as session:
        accounts.create_user(session, "le-plus-long", longest, "admin")
        session.commit()
    assert log_in(base, "le-plus-long", longest).status_code == 200
    assert log_in(base, "le-plus-long", longest + "x").status_code == 401
    r = httpx.post(f"{base}/api/session", json={"identifiant": "x" * 150, "mot_de_passe": "y" * 900}, timeout=60)
    assert r.status_code == 401


# --- CSRF on the API with the cookie ------------------------------------------------------------


def test_a_cookie_session_changes_nothing_without_the_csrf_header(service):
    _, base = service
    with httpx.Client(base_url=base, timeout=60) as c:  # the cookie, as a page's script would
        opened = c.post("/api/session", json={"identifiant": "villebelle", "mot_de_passe": PASSWORD})
        csrf = opened.json()["csrf"]
        assert c.get("/api/moi").json()["csrf"] == csrf  # reads need no header
        upload = {"archive": ("d.zip", folder_zip(SAMPLES / "villebelle"), "application/zip")}
        refused = c.post("/api/dossiers", files=upload, data=DATE)
        assert refused.status_code == 403 and "jeton CSRF absent ou invalide" in refused.json()["erreur"]
        assert c.post("/api/dossiers", files=upload, data=DATE, headers={"X-CSRF-Token": "faux"}).status_code == 403
        assert c.post("/api/dossiers", files=upload, data=DATE, headers={"X-CSRF-Token": csrf}).status_code == 201
        assert c.delete("/api/session").status_code == 403
        assert c.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    with httpx.Client(base_url=base, timeout=60) as c:  # the bearer token: no header needed
        c.headers["Authorization"] = f"Bearer {log_in(base, 'villebelle').json()['jeton']}"
        c.cookies.clear()
        upload = {"archive": ("d.zip", folder_zip(SAMPLES / "villebelle"), "application/zip")}
        assert c.post("/api/dossiers", files=upload, data=DATE).status_code == 201


# --- security headers ---------------------------------------------------------------------------


def test_every_html_response_has_the_security_headers_reports_included(service):
    _, base = service
    with httpx.Client(base_url=base, timeout=60) as c:
        token = log_in(base, "villebelle").json()["jeton"]
        c.cookies.set("acv_session", token)
        ident = submitted(base, token)
        report = c.get(f"/dossiers/{ident}/versions/1/rapport.html")
        docx = c.get(f"/dossiers/{ident}/versions/1/rapport.docx")
        pages = [httpx.get(f"{base}/connexion"), c.get("/dossiers"), c.get("/nulle-part"), c.get("/docs"), report, docx]
    assert report.status_code == 200 and docx.status_code == 200
    for r in pages:
        assert r.headers["x-frame-options"] == "DENY", r.url
        assert r.headers["x-content-type-options"] == "nosniff", r.url
        assert r.headers["referrer-policy"] == "same-origin", r.url
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], r.url
    csp = report.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and csp.count("'sha256-") == 2, csp  # its own style and script, no more
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+';", csp)


def test_the_page_refusing_a_body_too_large_has_them_too(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD", 1000)
    with Server(create_app(f"sqlite:///{tmp_path / 'acv.sqlite3'}")) as base:
        r = httpx.post(
            f"{base}/dossiers/nouveau",
            content=b"x" * 3_000_000,
            headers={"content-type": "multipart/form-data; boundary=x"},
            timeout=30,
        )
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-frame-options"] == "DENY" and "default-src 'none'" in r.headers["content-security-policy"]


def test_the_report_works_under_its_csp_in_the_browser(service, browser):  # noqa: F811
    """Its inline style and script run (the CSP names their hashes): the table styled, the filters working."""
    _, base = service
    token = log_in(base, "villebelle").json()["jeton"]
    ident = submitted(base, token)
    browser.get(f"{base}/connexion")
    browser.add_cookie({"name": "acv_session", "value": token, "path": "/"})
    browser.get(f"{base}/dossiers/{ident}/versions/1/rapport.html")
    styled = browser.execute_script("return getComputedStyle(document.querySelector('table')).borderCollapse")
    boxes = browser.find_elements("css selector", ".filters input")
    rows = browser.find_elements("css selector", "tr[data-rulesets]")
    assert boxes and rows and styled == "collapse"
    for box in boxes:  # the report's script hides the rows of an unticked rule set
        box.click()
    hidden = browser.execute_script("return document.querySelectorAll('tr[data-rulesets][hidden]').length")
    assert hidden == len(rows)


# --- argon2 off the request threads -------------------------------------------------------------


def test_public_reads_stay_fast_during_sixteen_logins(service):
    app, base = service
    with app.state.sessions() as session:  # 16 accounts (parallel attempts on one account count as failures)
        model = accounts.create_user(session, "foule00", PASSWORD, "collectivite", commune_insee="99101")
        for n in range(1, 16):
            session.add(User(login=f"foule{n:02d}", password_hash=model.password_hash, role="collectivite",
                             commune_insee="99101"))  # fmt: skip
        session.commit()
    stop, failures = threading.Event(), []

    def logins(n: int):
        while not stop.is_set():
            r = log_in(base, f"foule{n:02d}")
            if r.status_code != 200:
                failures.append(r.status_code)

    threads = [threading.Thread(target=logins, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        times = []
        with httpx.Client(base_url=base, timeout=60) as c:
            for _ in range(15):
                start = time.monotonic()
                assert c.get("/api/regles").status_code == 200
                times.append(time.monotonic() - start)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert failures == []
    assert statistics.median(times) < 1.0, times  # 4 request threads all hashing took ~8 s before


def test_a_hash_made_with_other_parameters_logs_in_and_is_made_again_with_today_s(service):
    """Accounts created before the parameters changed (argon2-cffi's default: 64 MiB, 3 passes, 4 lanes) keep
    their password; the login that proves it stores a hash with accounts.HASHER's parameters."""
    app, base = service
    old = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4).hash(PASSWORD)
    with app.state.sessions() as session:
        session.add(User(login="ancien", password_hash=old, role="collectivite", commune_insee="99101"))
        session.commit()
    assert accounts.HASHER.check_needs_rehash(old)
    assert log_in(base, "ancien", "mauvais-mot-de-passe").status_code == 401
    with app.state.sessions() as session:
        assert session.scalar(select(User.password_hash).where(User.login == "ancien")) == old  # a failure: unchanged
    assert log_in(base, "ancien").status_code == 200
    with app.state.sessions() as session:
        new = session.scalar(select(User.password_hash).where(User.login == "ancien"))
    assert new != old and "$m=19456,t=2,p=1$" in new and not accounts.HASHER.check_needs_rehash(new)
    assert log_in(base, "ancien").status_code == 200
