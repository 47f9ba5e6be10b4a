"""The web pages: a town and an instructeur in a real headless Chromium (Selenium driving Debian's
chromium and chromedriver), and over plain HTTP the rules every page keeps: 404 for a guessed
dossier, the login redirect, the CSRF token, upload problems with path and line, labels and lang.

ACV_REQUIRE_BROWSER=1 makes a missing browser a failure instead of a skip;
ACV_SCREENSHOTS=<folder> keeps screenshots of the report page (desktop and phone widths)."""

import importlib.util
import os
import re
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from axe import CHROMEDRIVER, CHROMIUM, new_browser
from conftest import SAMPLES
from docx import Document
from sqlalchemy import func, select
from test_service import PASSWORD, Server, folder_zip

from instruct.service import accounts
from instruct.service.app import create_app
from instruct.service.storage import Dossier, Note

DATE = "2026-11-26"
USERS = [
    ("villebelle", "collectivite", {"commune_insee": "99101"}),
    ("saint-aubin", "collectivite", {"commune_insee": "99103"}),
    ("montclair", "collectivite", {"commune_insee": "99102"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99"}),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('web') / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        for login, role, extra in USERS:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        yield app, base


# --- helpers over HTTP --------------------------------------------------------------------------


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"champ caché {name} absent"
    return match.group(1)


def web_client(base: str, login: str | None = None) -> httpx.Client:
    """A client logged in through the login form (cookie session, as a browser)."""
    c = httpx.Client(base_url=base, timeout=60)
    if login:
        form = c.get("/connexion")
        r = c.post(
            "/connexion", data={"jeton": hidden(form.text, "jeton"), "identifiant": login, "mot_de_passe": PASSWORD}
        )
        assert r.status_code == 303, r.text
    return c


def api_submit(base: str, login: str, folder: Path, deposit: bool = False) -> str:
    with httpx.Client(base_url=base, timeout=60) as c:
        token = c.post("/api/session", json={"identifiant": login, "mot_de_passe": PASSWORD}).json()["jeton"]
        c.cookies.clear()
        c.headers["Authorization"] = f"Bearer {token}"
        r = c.post(
            "/api/dossiers", files={"archive": ("d.zip", folder_zip(folder), "application/zip")}, data={"date": DATE}
        )
        assert r.status_code == 201, r.text
        ident = r.json()["id"]
        if deposit:
            assert c.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose"}).status_code == 200
        return ident


@pytest.fixture(scope="module")
def villebelle_id(site):
    """Villebelle's dossier, deposited through the API (recevable: no confirmation needed)."""
    return api_submit(site[1], "villebelle", SAMPLES / "villebelle", deposit=True)


class Page(HTMLParser):
    """What the accessibility checks need from a page."""

    def __init__(self, html: str):
        super().__init__()
        self.lang, self.viewport, self.ids, self.labels, self.fields, self.headings = None, False, [], set(), [], []
        self.skip_target, self.main_id, self.live_regions = None, None, 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = "width=device-width" in (a.get("content") or "")
        if tag == "a" and "skip" in (a.get("class") or "").split():
            self.skip_target = a.get("href")
        if tag == "main":
            self.main_id = a.get("id")
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit", "button"}:
            self.fields.append((tag, a.get("name"), a.get("id")))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if a.get("aria-live") or a.get("role") in {"alert", "status"}:
            self.live_regions += 1


def check_accessible(html: str) -> Page:
    page = Page(html)
    assert page.lang == "fr"
    assert page.viewport
    assert page.skip_target == "#contenu" and page.main_id == "contenu"
    assert len(page.ids) == len(set(page.ids)), "identifiants en double"
    for tag, name, ident in page.fields:
        assert ident and ident in page.labels, f"{tag} {name} sans <label for>"
    assert page.headings.count(1) == 1, "un seul titre h1"
    for before, after in zip(page.headings, page.headings[1:]):
        assert after <= before + 1, f"niveau de titre sauté : h{before} puis h{after}"
    return page


# --- over HTTP ----------------------------------------------------------------------------------


def test_a_guessed_or_foreign_dossier_gives_the_same_404_page(site, villebelle_id):
    _, base = site
    other = web_client(base, "montclair")
    for path in [
        "/dossiers/000000000000000000000000",
        f"/dossiers/{villebelle_id}",
        "/dossiers/" + "a" * 300,
        f"/dossiers/{villebelle_id}/versions/1/rapport.docx",
        f"/dossiers/{villebelle_id}/versions/1/rapport.html",
    ]:
        r = other.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path
        assert "Page introuvable" in r.text and "Villebelle" not in r.text
    csrf = hidden(other.get("/dossiers").text, "csrf")
    for form in ["transition", "notes", "versions"]:  # a form posted on it, with a valid token, finds nothing either
        r = other.post(f"/dossiers/{villebelle_id}/{form}", data={"csrf": csrf, "vers": "depose", "texte": "x"})
        assert r.status_code == 404 and "Page introuvable" in r.text and "Villebelle" not in r.text, form
    town = web_client(base, "villebelle")
    assert town.get(f"/dossiers/{villebelle_id}/versions/9/rapport.docx").status_code == 404
    assert town.get(f"/dossiers/{villebelle_id}/versions/1/rapport.odt").status_code == 404  # no such format
    r = town.get("/page/qui/n/existe/pas")
    assert r.status_code == 404 and "Page introuvable" in r.text and 'lang="fr"' in r.text
    assert httpx.get(f"{base}/api/inexistant").headers["content-type"] == "application/json"  # the API keeps JSON


def test_an_unexpected_error_gives_a_page_never_a_traceback(site, monkeypatch):
    from instruct.service import accounts as module

    town = web_client(site[1], "montclair")

    def broken(_user):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(module, "visible_filter", broken)
    r = town.get("/dossiers")
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "Erreur du service" in r.text and "Traceback" not in r.text and "panne simulée" not in r.text
    api = httpx.get(f"{site[1]}/api/dossiers", headers={"Authorization": "Bearer x"})
    assert api.status_code == 401  # the API is untouched


def test_logged_out_pages_redirect_to_the_login(site, villebelle_id):
    _, base = site
    anonymous = httpx.Client(base_url=base, timeout=30)
    assert anonymous.get("/").headers["location"] == "/connexion"
    for path in [
        "/dossiers",
        "/dossiers/nouveau",
        f"/dossiers/{villebelle_id}",
        f"/dossiers/{villebelle_id}/versions/1/rapport.docx",
    ]:
        r = anonymous.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/connexion?suivant="), path
    r = anonymous.post(f"/dossiers/{villebelle_id}/transition", data={"vers": "en_instruction", "csrf": "x"})
    assert r.status_code == 303 and r.headers["location"] == f"/connexion?suivant=%2Fdossiers%2F{villebelle_id}"
    # after logging in, back to the page asked for (and never to another site)
    form = anonymous.get("/connexion?suivant=/dossiers/nouveau")
    r = anonymous.post(
        "/connexion",
        data={
            "jeton": hidden(form.text, "jeton"),
            "identifiant": "villebelle",
            "mot_de_passe": PASSWORD,
            "suivant": hidden(form.text, "suivant"),
        },
    )
    assert r.headers["location"] == "/dossiers/nouveau"
    other = httpx.Client(base_url=base, timeout=30)
    form = other.get("/connexion")
    r = other.post(
        "/connexion",
        data={
            "jeton": hidden(form.text, "jeton"),
            "identifiant": "villebelle",
            "mot_de_passe": PASSWORD,
            "suivant": "//ailleurs.example/piege",
        },
    )
    assert r.headers["location"] == "/dossiers"


def test_a_wrong_password_shows_the_form_again(site):
    _, base = site
    c = httpx.Client(base_url=base, timeout=30)
    form = c.get("/connexion")
    r = c.post(
        "/connexion",
        data={"jeton": hidden(form.text, "jeton"), "identifiant": "villebelle", "mot_de_passe": "mauvais-mot-de-passe"},
    )
    assert r.status_code == 401 and "Identifiant ou mot de passe incorrect" in r.text and 'role="alert"' in r.text
    assert "acv_session" not in r.cookies
    r = c.post("/connexion", data={"identifiant": "villebelle", "mot_de_passe": PASSWORD})  # no form token
    assert r.status_code == 403 and "acv_session" not in r.cookies


def test_every_form_checks_its_csrf_token(site, villebelle_id):
    app, base = site
    town, instructeur = web_client(base, "villebelle"), web_client(base, "ddt99")
    page = instructeur.get(f"/dossiers/{villebelle_id}")
    good = hidden(page.text, "csrf")
    assert good != hidden(town.get("/dossiers").text, "csrf")  # one per session
    with app.state.sessions() as session:
        dossiers = session.scalar(select(func.count()).select_from(Dossier))
    for client, path, data in [
        (instructeur, f"/dossiers/{villebelle_id}/instructions/ddt/verification", {"vers": "en_instruction"}),
        (instructeur, f"/dossiers/{villebelle_id}/instructions/ddt/decision", {"vers": "en_instruction"}),
        (town, f"/dossiers/{villebelle_id}/transition", {"vers": "retire"}),
        (instructeur, f"/dossiers/{villebelle_id}/notes", {"texte": "intrus", "privee": "1"}),
        (town, "/dossiers/nouveau", {}),
        (town, f"/dossiers/{villebelle_id}/versions", {}),
        (town, "/deconnexion", {}),
    ]:
        for token in [None, "0" * 64, good if client is town else hidden(town.get("/dossiers").text, "csrf")]:
            sent = dict(data, **({"csrf": token} if token else {}))
            files = (
                {"archive": ("d.zip", folder_zip(SAMPLES / "villebelle"), "application/zip")}
                if "dossiers/nouveau" in path
                else None
            )
            r = client.post(path, data=sent, files=files)
            assert r.status_code == 403 and "jeton de sécurité invalide" in r.text, (path, token)
    with app.state.sessions() as session:  # nothing was done
        assert session.get(Dossier, villebelle_id).state == "depose"
        assert session.scalar(select(func.count()).select_from(Note)) == 0
        assert session.scalar(select(func.count()).select_from(Dossier)) == dossiers
    assert town.get("/dossiers").status_code == 200  # still logged in
    r = instructeur.post(
        f"/dossiers/{villebelle_id}/instructions/ddt/verification", data={"vers": "a_completer", "csrf": good}
    )
    assert (
        r.status_code == 409 and "Un motif est obligatoire pour « à compléter »" in r.text
    )  # the right token: the workflow answers


def test_an_upload_error_shows_each_problem_with_its_path_and_line(site):
    _, base = site
    town = web_client(base, "villebelle")
    text = (SAMPLES / "villebelle" / "dossier.yaml").read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if re.match(r"\s*cout:", row))
    broken = re.sub(r"(?m)^(\s*cout:).*$", r"\1 -5", text, count=1)
    pieces = [
        ("pieces", (p.name, p.read_bytes(), "application/octet-stream"))
        for p in sorted((SAMPLES / "villebelle" / "pieces").iterdir())
    ]
    csrf = hidden(town.get("/dossiers/nouveau").text, "csrf")
    r = town.post(
        "/dossiers/nouveau",
        data={"csrf": csrf, "date": "26/11/2026"},
        files=[("dossier", ("dossier.yaml", broken.encode(), "application/x-yaml")), *pieces],
    )
    assert r.status_code == 422
    summary = r.text[r.text.index("error-summary") :]
    summary = summary[: summary.index("</div>")]
    assert 'role="alert"' in r.text and 'aria-live="assertive"' in r.text
    assert "fiches_actions[0].cout" in summary and f"(ligne {line})" in summary and "supérieur ou égal à 0" in summary
    assert "/tmp" not in r.text
    check_accessible(r.text)
    # a zip that is not one, and a dossier of another commune: said in French, on the form
    r = town.post(
        "/dossiers/nouveau", data={"csrf": csrf}, files={"archive": ("d.zip", b"pas un zip", "application/zip")}
    )
    assert r.status_code == 422 and "archive ZIP" in r.text
    r = town.post(
        "/dossiers/nouveau",
        data={"csrf": csrf, "date": DATE},
        files={"archive": ("d.zip", folder_zip(SAMPLES / "montclair"), "application/zip")},
    )
    assert r.status_code == 422 and "INSEE 99101" in r.text
    r = town.post("/dossiers/nouveau", data={"csrf": csrf})
    assert r.status_code == 422 and "aucun fichier choisi" in r.text


def test_pages_are_labelled_french_and_navigable(site, villebelle_id):
    _, base = site
    anonymous = httpx.Client(base_url=base, timeout=30)
    town, instructeur = web_client(base, "villebelle"), web_client(base, "ddt99")
    pages = [
        anonymous.get("/connexion"),
        town.get("/dossiers"),
        town.get("/dossiers/nouveau"),
        town.get(f"/dossiers/{villebelle_id}"),
        instructeur.get("/dossiers?etat=depose&partenaire=anah&territoire=dep:99"),
        instructeur.get(f"/dossiers/{villebelle_id}"),
        instructeur.get("/dossiers/000000000000000000000000"),
    ]
    for r in pages:
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        check_accessible(r.text)
    shown = instructeur.get(f"/dossiers/{villebelle_id}").text
    assert 'id="note-texte"' in shown and "Passer en instruction" in shown
    # no inline script: every script is a file of this site (the DSFR's, vendored)
    assert shown.count("<script") == len(
        re.findall(r'<script (?:type="module" |nomodule )?src="/static/[^"]+"></script>', shown)
    )
    assert 'id="note-texte"' not in pages[3].text  # the town writes no instruction note
    # the stylesheet: focus outlines, tables that scroll
    css = anonymous.get("/static/site.css")
    assert css.status_code == 200 and ":focus-visible" in css.text and "overflow-x: auto" in css.text


def test_private_notes_stay_with_the_instructeurs_and_quotes_are_shown(site, villebelle_id):
    _, base = site
    instructeur = web_client(base, "ddt99")
    csrf = hidden(instructeur.get(f"/dossiers/{villebelle_id}").text, "csrf")
    assert (
        instructeur.post(
            f"/dossiers/{villebelle_id}/notes", data={"csrf": csrf, "texte": "Note interne <b>DDT</b>", "privee": "1"}
        ).status_code
        == 303
    )
    assert (
        instructeur.post(
            f"/dossiers/{villebelle_id}/notes", data={"csrf": csrf, "texte": "Message pour la ville"}
        ).status_code
        == 303
    )
    seen = instructeur.get(f"/dossiers/{villebelle_id}").text
    assert "Note interne &lt;b&gt;DDT&lt;/b&gt;" in seen and "Message pour la ville" in seen  # escaped
    town = web_client(base, "villebelle").get(f"/dossiers/{villebelle_id}").text
    assert "Note interne" not in town and "Message pour la ville" in town
    # a finding whose value was read in a piece quotes it: file, place, text
    montclair = api_submit(base, "montclair", SAMPLES / "montclair")
    page = web_client(base, "montclair").get(f"/dossiers/{montclair}")
    assert (
        "Lu dans : convention-cadre.docx, document entier : « aucun titre pour « Traitement des litiges » »"
        in unescape(page.text)
    )
    # the HTML report of a version, from the same evaluation
    town = web_client(base, "montclair")
    html = town.get(f"/dossiers/{montclair}/versions/1/rapport.html")
    assert html.status_code == 200 and "— Montclair-sur-Lys (INSEE 99102)</h1>" in html.text


def test_a_new_version_while_the_dossier_may_change(site, villebelle_id):
    _, base = site
    town = web_client(base, "villebelle")
    deposited = town.get(f"/dossiers/{villebelle_id}").text
    assert 'id="version-archive"' not in deposited  # déposé: no new version
    zipped = {"archive": ("d.zip", folder_zip(SAMPLES / "villebelle"), "application/zip")}
    r = town.post(f"/dossiers/{villebelle_id}/versions", data={"csrf": hidden(deposited, "csrf")}, files=zipped)
    assert r.status_code == 409 and "nouvelle version n'est possible qu'en brouillon ou à compléter" in unescape(r.text)
    draft = api_submit(base, "villebelle", SAMPLES / "villebelle")
    page = town.get(f"/dossiers/{draft}").text
    assert (
        'id="version-archive"' in page and "Déposer le dossier" in page and 'id="confirme-depose"' not in page
    )  # recevable
    r = town.post(f"/dossiers/{draft}/versions", data={"csrf": hidden(page, "csrf"), "date": DATE}, files=zipped)
    assert r.status_code == 303 and r.headers["location"] == f"/dossiers/{draft}?ok=version"
    page = town.get(r.headers["location"]).text
    assert (
        "Nouvelle version enregistrée" in page
        and "2 versions" in page
        and f"/dossiers/{draft}/versions/2/rapport.docx" in page
    )


# --- in a real browser --------------------------------------------------------------------------


def _browser_or_skip():
    reason = None
    if importlib.util.find_spec("selenium") is None:
        reason = "le paquet Python selenium n'est pas installé (extra test)"
    if reason is None and not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        reason = f"{CHROMIUM} ou {CHROMEDRIVER} absent (paquets Debian chromium et chromium-driver)"
    if reason:
        if os.environ.get("ACV_REQUIRE_BROWSER") == "1":
            pytest.fail(f"navigateur requis : {reason}")
        pytest.skip(f"navigateur absent : {reason}")


@pytest.fixture
def browser(tmp_path):
    _browser_or_skip()
    downloads = tmp_path / "telechargements"
    downloads.mkdir()
    driver = new_browser(tmp_path / "profil", downloads=downloads)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def test_a_town_and_an_instructeur_in_the_browser(site, browser, tmp_path):
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    _, base = site
    find, finds = browser.find_element, browser.find_elements

    def go(element) -> None:
        """Click a link or a form's button, and wait for the page it leads to."""
        old = find(By.TAG_NAME, "html")
        element.click()

        def left(_driver) -> bool:  # the old page is gone; mid-navigation chromedriver may answer with
            try:  # "Node with given id does not belong to the document" instead of "stale"
                old.is_enabled()
            except WebDriverException:
                return True
            return False

        WebDriverWait(browser, 30).until(left)
        WebDriverWait(browser, 30).until(lambda b: b.execute_script("return document.readyState") == "complete")

    def seen(element) -> str:
        """An element's words as written, not as shown (the DSFR's badges are shown in capitals, its
        table cells on lines of their own): its text, a space after each element but inline ones."""
        return " ".join(browser.execute_script(WORDS, element).split())

    def text() -> str:
        return find(By.TAG_NAME, "main").text

    def log_in(login):
        browser.get(base + "/")
        assert browser.current_url == base + "/connexion"
        find(By.ID, "identifiant").send_keys(login)
        find(By.ID, "mot_de_passe").send_keys(PASSWORD)
        go(find(By.CSS_SELECTOR, "main form button[type=submit]"))
        assert browser.current_url == base + "/dossiers", text()
        assert login in find(By.CSS_SELECTOR, "header .who").text

    def log_out():
        go(find(By.XPATH, "//header//button[normalize-space()='Se déconnecter']"))
        assert browser.current_url.startswith(base + "/connexion") and "Vous êtes déconnecté" in text()

    def upload(folder: Path) -> None:
        go(find(By.LINK_TEXT, "Nouveau dossier"))
        for keys in ("26112026", "11262026"):  # typed as a person would, in the order of the browser's date field
            date = find(By.ID, "nouveau-date")
            date.send_keys(keys)
            if date.get_attribute("value") == DATE:
                break
            browser.get(base + "/dossiers/nouveau")
        assert date.get_attribute("value") == DATE
        archive = tmp_path / f"{folder.name}.zip"
        archive.write_bytes(folder_zip(folder))
        find(By.ID, "nouveau-archive").send_keys(str(archive))
        go(find(By.XPATH, "//button[normalize-space()='Envoyer et évaluer']"))
        assert re.fullmatch(rf"{re.escape(base)}/dossiers/[0-9a-f]{{24}}\?ok=cree", browser.current_url), text()
        assert "Dossier créé" in find(By.CSS_SELECTOR, "[role=status]").text

    # Villebelle: recevable, its conforme points folded away
    log_in("villebelle")
    upload(SAMPLES / "villebelle")
    verdicts = seen(find(By.CSS_SELECTOR, "#rapport table"))
    assert "PROG Programme Action Cœur de Ville recevable" in verdicts and "non recevable" not in verdicts
    folded = find(By.ID, "conformes")
    assert folded.get_attribute("open") is None
    first_ok = folded.find_element(By.CSS_SELECTOR, "ul.checked li")
    assert not first_ok.is_displayed()
    folded.find_element(By.TAG_NAME, "summary").click()
    assert first_ok.is_displayed() and "conforme" in seen(first_ok)
    log_out()

    # Saint-Aubin: the avenant's total disagrees with the signed piece
    log_in("saint-aubin")
    upload(SAMPLES / "saint-aubin")
    dossier_url = browser.current_url.split("?")[0]
    assert "non recevable" in seen(find(By.CSS_SELECTOR, "#rapport table"))
    gaps = [
        a for a in finds(By.CSS_SELECTOR, "#rapport article.finding") if "Montant total de l'avenant n° 1" in a.text
    ]
    assert len(gaps) == 1
    gap = seen(gaps[0])  # French thousands separators (narrow no-break spaces) as spaces
    assert gap.startswith("Montant total de l'avenant n° 1") and "non conforme" in gap and "gravité : majeur" in gap
    assert "le dossier indique « 2 500 000,00 € », la pièce avenant-1.pdf (page 2) indique « 2 450 000,00 € »" in gap
    assert "texte lu : « Montant total du plan d'actions : 2 450 000,00 € »" in gap
    assert "Avenant n° 1 — budget de l'avenant — montant total (avenant-1.pdf, page 2)" in gap  # a label, not a path
    assert "convention.avenants" not in gap
    assert "Mettre le dossier en accord avec la pièce signée" in gap
    assert "X-05 Concordance du dossier et des pièces (majeur) — Guide du programme" in gap  # its rule and source
    # the page opens its gaps with « À traiter en premier », the bloquant ones first
    first = find(By.CSS_SELECTOR, "#rapport section.gaps")
    assert seen(first.find_element(By.TAG_NAME, "h4")).startswith("À traiter en premier")
    assert "gravité : bloquant" in seen(first.find_element(By.CSS_SELECTOR, "article.finding"))
    # gaps come before the conforme points, in the page's order
    html = browser.page_source
    assert html.index("Montant total de l'avenant n° 1") < html.index('id="conformes"')
    _screenshots(browser)

    # the DOCX report, downloaded by the link
    find(By.PARTIAL_LINK_TEXT, "télécharger en DOCX").click()
    deadline = time.monotonic() + 30
    while not (done := list(browser.downloads.glob("*.docx"))) or list(browser.downloads.glob("*.crdownload")):
        assert time.monotonic() < deadline, "le rapport DOCX n'a pas été téléchargé"
        time.sleep(0.1)
    document = Document(str(done[0]))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "Saint-Aubin-les-Forges" in words

    # deposit: refused without the confirmation, then made with it
    go(find(By.XPATH, "//button[normalize-space()='Déposer le dossier']"))
    assert "écart(s) bloquant(s)" in find(By.CSS_SELECTOR, "[role=alert]").text
    find(By.CSS_SELECTOR, "label[for=confirme-depose]").click()  # the DSFR draws the box in its label
    assert find(By.ID, "confirme-depose").is_selected()
    go(find(By.XPATH, "//button[normalize-space()='Déposer le dossier']"))
    assert browser.current_url == dossier_url + "?ok=etat"
    assert find(By.CSS_SELECTOR, "dl.summary .fr-badge").text.lower() == "déposé"
    assert "brouillon → déposé" in find(By.ID, "journal").text
    log_out()

    # the instructeur: the queue filtered on "déposé", a private note, into instruction
    log_in("ddt99")
    Select(find(By.ID, "filtre-etat")).select_by_visible_text("déposé")
    go(find(By.XPATH, "//button[normalize-space()='Filtrer']"))
    assert "etat=depose" in browser.current_url
    rows = finds(By.CSS_SELECTOR, "table.list tbody tr")
    assert rows and all("déposé" in seen(row) for row in rows)
    mine = [row for row in rows if "Saint-Aubin-les-Forges" in row.text]
    assert len(mine) == 1 and "X non recevable" in seen(mine[0])
    go(mine[0].find_element(By.PARTIAL_LINK_TEXT, "Saint-Aubin-les-Forges"))
    assert browser.current_url == dossier_url
    find(By.ID, "note-texte").send_keys("Écart X-05 : demander l'avenant rectifié.")
    assert find(By.ID, "note-privee").is_selected()
    go(find(By.XPATH, '//button[normalize-space()="Ajouter l\'annotation"]'))
    notes = seen(find(By.ID, "notes"))
    assert "Écart X-05 : demander l'avenant rectifié." in notes and "annotation privée (DDT)" in notes
    assert "ddt99" in notes
    assert find(By.ID, "vers-ddt-en_instruction").is_selected()  # the one move a deposited track has first
    find(By.ID, "motif-ddt").send_keys("Dossier complet pour la DDT")
    go(find(By.XPATH, '//button[normalize-space()="Vérifier avant d\'envoyer"]'))
    assert "Aucun courriel" in find(By.CSS_SELECTOR, "section.apercu").text  # nothing for the town: no mail
    go(find(By.XPATH, "//button[normalize-space()='Confirmer et envoyer']"))
    assert find(By.CSS_SELECTOR, "dl.summary .fr-badge").text.lower() == "en instruction"
    assert "en instruction" in seen(find(By.ID, "piste-ddt")).lower()
    journal = find(By.ID, "journal").text
    assert "déposé → en instruction" in journal and "Dossier complet pour la DDT" in journal and "ddt99" in journal
    log_out()


WORDS = """const out = [], inline = new Set(["SPAN", "A", "STRONG", "EM", "CODE", "B", "I", "ABBR"]);
const walk = (n) => { if (n.nodeType === Node.TEXT_NODE) { out.push(n.data); return; }
  n.childNodes.forEach(walk); if (!inline.has(n.nodeName)) out.push(" "); };
walk(arguments[0]); return out.join("");"""


def _screenshots(browser) -> None:
    folder = os.environ.get("ACV_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 2400)
    browser.save_screenshot(str(Path(folder) / "acv-report.png"))
    cards = [
        a for a in browser.find_elements(By.CSS_SELECTOR, "article.finding") if "Montant total de l'avenant" in a.text
    ]
    cards[0].screenshot(str(Path(folder) / "acv-report-x05.png"))
    browser.set_window_size(390, 1800)
    browser.save_screenshot(str(Path(folder) / "acv-report-mobile.png"))
    browser.set_window_size(1280, 1000)
