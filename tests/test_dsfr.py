"""The State's design system on every page, and RGAA / WCAG 2.1 AA checked by axe-core in headless
Chromium: every page (login, list, new dossier, a dossier as a town and as an instructeur, the 403,
404 and 413 pages, the legal pages, /docs) at 1280 and 375 px, no serious or critical violation, no
sideways scrolling on a phone, no CSP refusal in the console, nothing loaded from another site.
Over HTTP: the vendored files are served, the CSP names the map background's origin when one is set,
and the footer links to the legal pages."""

import re
from html import unescape
from pathlib import Path

import httpx
import pytest
from axe import WIDTHS, assert_accessible, assert_no_horizontal_scroll, at_width, console_errors, new_browser
from test_service import PASSWORD, Server
from test_web import USERS, _browser_or_skip, api_submit, check_accessible, web_client

from instruct.service import accounts, uploads
from instruct.service.app import create_app
from instruct.service.templating import csp, fond_carte, map_background_origin

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
VENDOR = ROOT / "instruct" / "service" / "static" / "vendor"
INFO = {
    "/accessibilite": "Déclaration d'accessibilité",
    "/mentions-legales": "Mentions légales",
    "/donnees-personnelles": "Données personnelles",
    "/plan-du-site": "Plan du site",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('dsfr') / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        for login, role, extra in USERS:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        ident = api_submit(base, "villebelle", SAMPLES / "villebelle", deposit=True)
        yield base, ident


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """A service refusing bodies over ~1 Mo: the 413 page without sending 60 Mo."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uploads, "MAX_UPLOAD", 1000)
        app = create_app(f"sqlite:///{tmp_path_factory.mktemp('petit') / 'acv.sqlite3'}")
    with Server(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _browser_or_skip()
    driver = new_browser(tmp_path_factory.mktemp("profil"))
    try:
        yield driver
    finally:
        driver.quit()


# --- over HTTP ----------------------------------------------------------------------------------


def test_the_vendored_files_are_served_and_listed():
    listed = (VENDOR / "VENDOR.md").read_text(encoding="utf-8")
    for package in ("@gouvfr/dsfr", "swagger-ui-dist", "axe-core"):
        line = rf"\| {re.escape(package)} \| \d+\.\d+\.\d+ \| [^|]+\|.*`sha512-[A-Za-z0-9+/=]+`"
        assert re.search(line, listed), package
    for path in [
        "dsfr/dsfr.min.css",
        "dsfr/dsfr.module.min.js",
        "dsfr/dsfr.nomodule.min.js",
        "dsfr/fonts/Marianne-Regular.woff2",
        "dsfr/icons/system/fr--error-fill.svg",
        "swagger-ui/swagger-ui-bundle.js",
        "swagger-ui/swagger-ui.css",
    ]:
        assert (VENDOR / path).is_file(), path
    # every file the DSFR's CSS loads is there (fonts, icons)
    for css in VENDOR.glob("dsfr/**/*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if not url.startswith(("data:", "#")):
                assert (css.parent / url.split("?")[0]).resolve().is_file(), f"{css.name} : {url}"


def test_pages_wear_the_dsfr_and_link_the_legal_pages(site):
    base, ident = site
    anonymous, town = httpx.Client(base_url=base, timeout=30), web_client(base, "villebelle")
    pages = [anonymous.get("/connexion"), town.get("/dossiers"), town.get(f"/dossiers/{ident}")]
    pages += [anonymous.get(path) for path in INFO] + [town.get(path) for path in INFO]
    for r in pages:
        assert r.status_code == 200, r.url
        html = r.text
        assert '<header class="fr-header">' in html and '<p class="fr-logo">République<br>Française</p>' in html
        assert "Instruction Action Cœur de Ville" in html and 'class="fr-footer"' in html
        for path in INFO:
            assert f'href="{path}"' in html, (r.url, path)
        assert "Accessibilité : non conforme" in html
        # nothing from another site: every stylesheet, script and icon is this site's
        for attr in re.findall(r'<(?:link|script|img)[^>]*(?:href|src)="([^"]+)"', html):
            assert attr.startswith("/"), (r.url, attr)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), f"script en ligne : {r.url}"
        assert " style=" not in html, f"attribut style : {r.url}"
        check_accessible(html)
    for path, title in INFO.items():
        assert f"<h1>{title}</h1>" in unescape(anonymous.get(path).text)
    # the town's menu: its dossiers, a new one
    listing = pages[1].text
    assert 'href="/dossiers/nouveau"' in listing and 'aria-current="page">Mes dossiers' in listing


def test_docs_come_from_the_vendored_swagger_ui(site):
    base, _ = site
    r = httpx.get(f"{base}/docs", timeout=30)
    assert r.status_code == 200 and r.headers["content-security-policy"] == csp()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in r.text and '<script src="/static/docs.js">' in r.text
    assert "cdn" not in r.text.lower() and not re.search(r"<script(?![^>]*\bsrc=)", r.text)
    assert httpx.get(f"{base}/static/vendor/swagger-ui/swagger-ui-bundle.js", timeout=30).status_code == 200
    assert httpx.get(f"{base}/redoc", timeout=30).status_code == 404


def test_the_csp_allows_the_map_background_origin_only_when_set(site, monkeypatch):
    base, _ = site
    monkeypatch.delenv("ACV_FOND_CARTE", raising=False)
    assert "img-src 'self' data:;" in csp() and "script-src 'self';" in csp() and "font-src 'self'" in csp()
    assert "unsafe-inline" not in csp() and "frame-ancestors 'none'" in csp()
    wmts = "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    assert map_background_origin(wmts) == "https://data.geopf.fr"
    assert map_background_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert map_background_origin("javascript:alert(1)") is None and map_background_origin("") is None
    assert map_background_origin("https://exemple.fr;script-src *") is None
    assert fond_carte() == ""
    monkeypatch.setenv("ACV_FOND_CARTE", "ftp://exemple.fr/{z}/{x}/{y}.png")
    assert fond_carte() == "" and "ftp:" not in csp()
    monkeypatch.setenv("ACV_FOND_CARTE", wmts)
    assert fond_carte() == wmts
    header = httpx.get(f"{base}/connexion", timeout=30).headers["content-security-policy"]
    assert "img-src 'self' data: https://data.geopf.fr;" in header


# --- in the browser -----------------------------------------------------------------------------


def _log_in(driver, base: str, login: str) -> None:
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(f"{base}/connexion")
    driver.find_element(By.ID, "identifiant").send_keys(login)
    driver.find_element(By.ID, "mot_de_passe").send_keys(PASSWORD)
    _leaving(driver, lambda: driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click())
    assert driver.current_url.endswith("/dossiers"), driver.current_url


def _settled(driver) -> None:
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _leaving(driver, action) -> None:
    """Do what leaves the page (a click, a form posted) and wait for the next page, loaded."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    action()

    def gone(_) -> bool:
        """The old page's root is stale; Chromium may also say its node « does not belong to the document »
        while the next page replaces it (selenium's staleness_of lets that error through)."""
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" not in str(exc):
                raise
            return True
        return False

    WebDriverWait(driver, 30).until(gone)
    _settled(driver)


def _post_from_page(driver, action: str, fields: dict[str, str]) -> None:
    """A form built in the page and posted (as a stale or foreign form would be)."""
    _leaving(
        driver,
        lambda: driver.execute_script(
            """const [action, fields] = arguments; const f = document.createElement("form");
        f.method = "post"; f.action = action; f.enctype = "multipart/form-data";
        for (const [k, v] of Object.entries(fields)) { const t = document.createElement("textarea");
          t.name = k; t.value = v; f.appendChild(t); }
        document.body.appendChild(f); f.submit();""",
            action,
            fields,
        ),
    )


def _check(driver, what: str, same_origin: str) -> None:
    """axe at both widths, no sideways scroll on a phone, no console error, nothing from elsewhere."""
    for width in WIDTHS:
        at_width(driver, width)
        assert_accessible(driver, f"{what} à {width} px")
        if width < 768:
            assert_no_horizontal_scroll(driver, f"{what} à {width} px")
    at_width(driver, WIDTHS[0])
    errors = console_errors(driver)
    assert not errors, f"{what} : erreurs dans la console : {errors}"
    loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith(same_origin) for url in loaded), [u for u in loaded if not u.startswith(same_origin)]


def test_every_page_passes_axe_at_both_widths(site, small_site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    base, ident = site
    shown = []

    def visit(path: str, what: str) -> None:
        browser.get(base + path)
        _settled(browser)
        _check(browser, what, base)
        shown.append(what)

    browser.get(f"{base}/connexion")
    console_errors(browser)
    visit("/connexion", "la page de connexion")
    for path, title in INFO.items():
        visit(path, f"{title} (sans compte)")
    visit("/docs", "la documentation de l'API (chargement)")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#swagger-ui .opblock"))
    _check(browser, "la documentation de l'API", base)

    _log_in(browser, base, "villebelle")
    visit("/dossiers", "la liste des dossiers (commune)")
    visit("/dossiers/nouveau", "le dépôt d'un dossier")
    visit(f"/dossiers/{ident}", "la page d'un dossier (commune)")
    visit("/dossiers/000000000000000000000000", "la page 404")
    assert "Page introuvable" in browser.find_element(By.TAG_NAME, "h1").text
    visit("/plan-du-site", "le plan du site (commune)")
    browser.get(f"{base}/dossiers/{ident}")
    _post_from_page(browser, f"/dossiers/{ident}/notes", {"csrf": "faux", "texte": "x"})
    assert "Formulaire refusé" in browser.find_element(By.TAG_NAME, "h1").text
    _check(browser, "la page 403", base)

    _log_in(browser, base, "ddt99")
    visit("/dossiers?etat=depose", "la liste des dossiers (instructeur)")
    visit(f"/dossiers/{ident}", "la page d'un dossier (instructeur)")

    browser.delete_all_cookies()
    browser.get(f"{small_site}/connexion")
    _post_from_page(browser, "/dossiers/nouveau", {"archive": "x" * 2_000_000})
    assert "Envoi trop volumineux" in browser.find_element(By.TAG_NAME, "h1").text
    _check(browser, "la page 413", small_site)
    assert len(shown) >= 12


def test_the_dsfr_script_runs_under_the_csp_the_phone_menu_opens(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    base, _ = site
    _log_in(browser, base, "villebelle")
    console_errors(browser)
    at_width(browser, 375)
    try:
        browser.get(f"{base}/dossiers")
        _settled(browser)
        WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.dataset.frJs"))
        nav = browser.find_element(By.ID, "navigation-principale")
        assert not nav.is_displayed()  # folded in the menu on a phone
        browser.find_element(By.ID, "bouton-menu").click()
        WebDriverWait(browser, 10).until(lambda d: nav.is_displayed())
        assert browser.find_element(By.ID, "menu-principal").get_attribute("open") is not None or nav.is_displayed()
        assert_accessible(browser, "le menu ouvert sur téléphone")
        assert not console_errors(browser)
    finally:
        at_width(browser, WIDTHS[0])


def test_the_harness_catches_what_it_must(site, browser):
    """axe really runs: a field without a label and white-on-yellow text are reported, readably."""
    base, _ = site
    browser.delete_all_cookies()
    browser.get(f"{base}/connexion")
    _settled(browser)
    browser.execute_script(
        """const main = document.querySelector("main");
        const field = document.createElement("input"); field.type = "text"; main.appendChild(field);
        const ugly = document.createElement("p"); ugly.textContent = "illisible";
        ugly.style.color = "#ffffff"; ugly.style.background = "#ffff00"; main.appendChild(ugly);"""
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(browser, "une page abîmée exprès")
    message = str(failure.value)
    assert "une page abîmée exprès" in message and "label" in message and "color-contrast" in message


def test_the_macros_others_build_on():
    from instruct.service.templating import TEMPLATES

    def render(source: str, **context) -> str:
        return TEMPLATES.from_string('{% from "macros.html" import ' + source).render(**context)

    field = render(
        'input_group %}{{ input_group("fiches_actions.0.cout", "Coût", "12 abc", "En euros.", "Montant illisible") }}'
    )
    assert 'class="fr-input-group fr-input-group--error"' in field and 'aria-invalid="true"' in field
    assert 'value="12 abc"' in field  # what was typed stays
    assert 'aria-describedby="fiches_actions.0.cout-aide fiches_actions.0.cout-messages"' in field
    error = field.index('<p class="fr-message fr-message--error fr-error-text"')
    assert field.index('id="fiches_actions.0.cout"') < error and "Montant illisible" in field[error:]
    quiet = render('input_group %}{{ input_group("x", "X", textarea=True, value="<b>") }}')
    assert "fr-input-group--error" not in quiet and "&lt;b&gt;" in quiet and "<textarea" in quiet
    alert = render('alert %}{{ alert("error", "Titre", "Corps", level=2, role="alert") }}')
    assert 'class="fr-alert fr-alert--error"' in alert and '<h2 class="fr-alert__title">Titre</h2>' in alert
    called = render('alert %}{% call alert("info", "T") %}<ul><li>un</li></ul>{% endcall %}')
    assert "<ul><li>un</li></ul>" in called
    badges = render(
        'verdict_badge, verdict_tag, state_badge %}{{ verdict_badge("non_recevable", "X") }}'
        '{{ verdict_tag("recevable") }}{{ state_badge("depose") }}'
    )
    assert "fr-badge--error" in badges and "non recevable" in badges and 'class="fr-tag' in badges
    assert "déposé" in badges
    summary = render(
        "problems_summary %}{{ problems_summary(problems, 'À corriger') }}",
        problems=[{"href": "#cout", "label": "Fiche action n° 1 — coût", "message": "montant illisible"}, "autre"],
    )
    assert '<a href="#cout">Fiche action n° 1 — coût</a> : montant illisible' in summary and "<li>autre</li>" in summary
    steps = render('stepper %}{{ stepper("Gouvernance", 3, 10, "Périmètres") }}')
    assert 'data-fr-current-step="3" data-fr-steps="10"' in steps and "Étape 3 sur 10" in steps
    table = render('fr_table %}{% call fr_table("t") %}<table><caption id="t">c</caption></table>{% endcall %}')
    assert 'aria-labelledby="t"' in table and "<table>" in table


def test_the_legal_pages_name_the_operator_when_told(site, monkeypatch):
    base, _ = site
    for name in ("ACV_EDITEUR", "ACV_ADRESSE", "ACV_DIRECTEUR_PUBLICATION", "ACV_HEBERGEUR", "ACV_CONTACT"):
        monkeypatch.delenv(name, raising=False)
    page = unescape(httpx.get(f"{base}/mentions-legales", timeout=30).text)
    assert "n'ont pas encore été renseignés" in page and "hébergeur non encore renseigné" in page
    assert "l'administrateur du service" in page
    monkeypatch.setenv("ACV_EDITEUR", "la Direction départementale des territoires de l'Exemple")
    monkeypatch.setenv("ACV_HEBERGEUR", "le centre serveur <b>ministériel</b>")
    monkeypatch.setenv("ACV_CONTACT", "acv@exemple.gouv.fr")
    raw = httpx.get(f"{base}/mentions-legales", timeout=30).text
    page = unescape(raw)
    assert "publié par la Direction départementale des territoires de l'Exemple" in page
    assert "&lt;b&gt;ministériel&lt;/b&gt;" in raw  # escaped
    assert '<a href="mailto:acv@exemple.gouv.fr">acv@exemple.gouv.fr</a>' in page
    for path in ("/accessibilite", "/donnees-personnelles"):
        assert "mailto:acv@exemple.gouv.fr" in httpx.get(f"{base}{path}", timeout=30).text
    monkeypatch.setenv("ACV_CONTACT", "javascript:alert(1)")
    assert 'href="javascript' not in httpx.get(f"{base}/accessibilite", timeout=30).text


def test_no_page_links_or_loads_anything_from_another_site():
    """Every page works offline: no address of another site in a template (a link, a script, a style, a font)."""
    from pathlib import Path

    import instruct.service

    templates = Path(instruct.service.__file__).parent / "templates"
    outside = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
    found = [
        f"{path.relative_to(templates)}:{n}"
        for path in sorted(templates.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if outside.search(line)
    ]
    assert not found, f"adresses d'autres sites dans les pages : {found}"
