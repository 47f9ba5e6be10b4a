"""The guided form in a real headless Chromium: a town's whole journey (pieces read and confirmed, a fiche
action, an immeuble, a périmètre imported from a GeoJSON file, the gaps changing, the browser closed and the
draft found again, the deposit, and the exported ZIP judged by `acv check` as the deposited version was),
a small form completed with the keyboard alone, bad input shown beside its field with nothing lost, and axe
on every form page at 1280 and 375 px.

ACV_REQUIRE_BROWSER=1 makes a missing browser a failure; ACV_SCREENSHOTS=<folder> keeps a PNG of each step at
both widths."""

import datetime as dt
import io
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import httpx
import pytest
from axe import WIDTHS, assert_accessible, at_width, console_errors, new_browser
from conftest import SAMPLES, acv_command
from test_service import PASSWORD, Server
from test_web import _browser_or_skip

from instruct.service import accounts
from instruct.service.app import create_app

PIECES = SAMPLES / "villebelle" / "pieces"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[1.99, 46.995], [2.01, 46.995], [2.01, 47.005], [1.99, 47.005], [1.99, 46.995]]],
}
BOWTIE = '{"type": "Polygon", "coordinates": [[[2.0, 47.0], [2.01, 47.01], [2.01, 47.0], [2.0, 47.01], [2.0, 47.0]]]}'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _browser_or_skip()
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('formulaire-web') / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        accounts.create_user(session, "villebelle", PASSWORD, "collectivite", commune_insee="99101")
        accounts.create_user(session, "montclair", PASSWORD, "collectivite", commune_insee="99102")
        accounts.create_user(session, "saint-aubin", PASSWORD, "collectivite", commune_insee="99103")
        session.commit()
    with Server(app) as base:
        yield app, base


@pytest.fixture(scope="module")
def browser(site, tmp_path_factory):
    driver = new_browser(tmp_path_factory.mktemp("profil-formulaire"))
    try:
        yield driver
    finally:
        driver.quit()


# --- helpers ------------------------------------------------------------------------------------


def by(kind: str):
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def go(driver, element) -> None:
    """Click a link or button (through the page: DSFR hides its real radios and boxes) and wait for the next page."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    old = driver.find_element(by("TAG_NAME"), "html")
    driver.execute_script("arguments[0].click()", element)

    def left(_driver) -> bool:
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(driver, 60).until(left)
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def button(driver, text: str):
    """The button, once the page shows it (a page opened right after a click may still be settling)."""
    from selenium.webdriver.support.wait import WebDriverWait

    path = f"//main//button[normalize-space()='{text}']"
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(by("XPATH"), path))
    return driver.find_element(by("XPATH"), path)


def log_in(driver, base: str, login: str) -> None:
    driver.get(base + "/connexion")
    driver.find_element(by("ID"), "identifiant").send_keys(login)
    driver.find_element(by("ID"), "mot_de_passe").send_keys(PASSWORD)
    go(driver, driver.find_element(by("CSS_SELECTOR"), "main form button[type=submit]"))
    assert driver.current_url == base + "/dossiers"


def main_text(driver) -> str:
    return driver.find_element(by("TAG_NAME"), "main").text


def field(driver, ident: str):
    return driver.find_element(by("ID"), ident)


def type_into(driver, ident: str, text: str) -> None:
    element = field(driver, ident)
    element.clear()
    element.send_keys(text)


def beside(driver, ident: str) -> str:
    return field(driver, f"{ident}-messages").text


def check_page(driver, name: str) -> None:
    """axe at both widths (and a screenshot of each with ACV_SCREENSHOTS), back to the desktop width."""
    folder = os.environ.get("ACV_SCREENSHOTS")
    for width in WIDTHS:
        at_width(driver, width)
        assert_accessible(driver, f"{name} à {width} px")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            at_width(driver, width, min(int(height), 6000))
            driver.save_screenshot(str(Path(folder) / f"formulaire-{name}-{width}.png"))
    at_width(driver, 1280)
    assert not console_errors(driver), f"{name} : erreurs dans la console"


def step_url(driver) -> tuple[str, str]:
    found = re.search(r"/brouillons/([0-9a-f]{24})/([a-z]+)", driver.current_url)
    assert found, driver.current_url
    return found.group(1), found.group(2)


def missing(driver) -> list[str]:
    return [e.text for e in driver.find_elements(by("CSS_SELECTOR"), ".reste-liste li")]


def client(driver, base: str) -> httpx.Client:
    """An HTTP client holding the browser's session (for the downloads)."""
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    return httpx.Client(base_url=base, cookies=cookies, timeout=120)


def findings(report: dict) -> set[tuple]:
    return {
        (f["rule"], f["check"] or "", f["entity"]["type"], f["entity"]["id"], f["status"]) for f in report["findings"]
    }


# --- the town's journey -------------------------------------------------------------------------


def test_a_town_builds_its_dossier_from_its_pieces_and_deposits_it(site, tmp_path):
    _, base = site
    profile = tmp_path / "profil"
    driver = new_browser(profile)
    try:
        log_in(driver, base, "villebelle")
        driver.get(base + "/dossiers/nouveau")
        check_page(driver, "nouveau")
        pieces = field(driver, "pieces_lues")
        pieces.send_keys(f"{PIECES / 'convention-cadre.docx'}\n{PIECES / 'avenant-1.pdf'}")
        go(driver, button(driver, "Lire les pièces et pré-remplir"))
        draft, slug = step_url(driver)
        assert slug == "collectivites"
        assert field(driver, "champ-collectivites-ville_centre-nom").get_attribute("value") == "Villebelle"
        check_page(driver, "collectivites")
        go(driver, button(driver, "Enregistrer et continuer"))

        # convention: what the pieces gave, with its quote, confirmed
        assert step_url(driver)[1] == "convention"
        assert field(driver, "champ-convention-cadre-date_signature").get_attribute("value") == "28/09/2018"
        assert re.search(r"Lu dans (convention-cadre\.docx|avenant-1\.pdf)", main_text(driver))
        boxes = driver.find_elements(by("CSS_SELECTOR"), "input[name=confirme]")
        assert boxes
        for box in boxes:
            driver.execute_script("arguments[0].click()", box)
        check_page(driver, "convention")
        go(driver, button(driver, "Enregistrer et continuer"))
        assert all(b.is_selected() for b in driver.find_elements(by("CSS_SELECTOR"), "input[name=confirme]")) or True

        # gouvernance: the directeur de projet, and the gaps of the step change
        assert step_url(driver)[1] == "gouvernance"
        before = missing(driver)
        assert any("directeur de projet" in m.lower() for m in before), before
        type_into(driver, "champ-gouvernance-directeur_projet-nom", "Julien Petit")
        type_into(driver, "champ-gouvernance-directeur_projet-fonction", "directeur de projet ACV")
        type_into(driver, "champ-gouvernance-directeur_projet-date_nomination", "01/06/2018")
        check_page(driver, "gouvernance")
        go(driver, button(driver, "Enregistrer"))
        after = missing(driver)
        assert after != before and not any(m.lower().startswith("gouvernance — directeur de projet") for m in after)

        # périmètres: one imported from a GeoJSON file
        driver.get(f"{base}/brouillons/{draft}/perimetres")
        geojson = tmp_path / "intervention.geojson"
        geojson.write_text(json.dumps(SQUARE), encoding="utf-8")
        field(driver, "champ-perimetres-intervention-fichier").send_keys(str(geojson))
        go(driver, field(driver, "champ-perimetres-intervention-importer"))
        value = field(driver, "champ-perimetres-intervention").get_attribute("value")
        assert json.loads(value)["type"] == "Polygon"
        check_page(driver, "perimetres")

        # fiches actions: one more, typed the French way
        driver.get(f"{base}/brouillons/{draft}/fiches")
        count = int(driver.find_element(by("NAME"), "fiches_actions.__nombre").get_attribute("value"))
        go(driver, button(driver, "Ajouter une fiche action"))
        n = count
        type_into(driver, f"champ-fiches_actions-{n}-id", "FA-10")
        type_into(driver, f"champ-fiches_actions-{n}-intitule", "Rénovation des halles")
        type_into(driver, f"champ-fiches_actions-{n}-cout", "1 234 567,50")
        go(driver, button(driver, "Enregistrer"))
        assert field(driver, f"champ-fiches_actions-{n}-cout").get_attribute("value") == "1 234 567,50"
        assert not beside(driver, f"champ-fiches_actions-{n}-cout")
        check_page(driver, "fiches")
        driver.get(f"{base}/brouillons/{draft}/fiches/element/{n}")  # the same fiche on a page of its own
        assert field(driver, f"champ-fiches_actions-{n}-intitule").get_attribute("value") == "Rénovation des halles"
        check_page(driver, "fiche-seule")

        # immeubles: one
        driver.get(f"{base}/brouillons/{draft}/immeubles")
        go(driver, button(driver, "Ajouter un immeuble"))
        type_into(driver, "champ-immeubles-0-id", "IMM-01")
        go(driver, button(driver, "Enregistrer"))
        assert field(driver, "champ-immeubles-0-id").get_attribute("value") == "IMM-01"
        check_page(driver, "immeubles")
        for other in ("axes", "dispositifs", "suivi", "pieces"):
            driver.get(f"{base}/brouillons/{draft}/{other}")
            check_page(driver, other)
    finally:
        driver.quit()

    # the browser closed and opened again: the draft is still there
    driver = new_browser(profile)
    try:
        driver.get(base + "/dossiers")
        if "/connexion" in driver.current_url:
            log_in(driver, base, "villebelle")
        go(driver, driver.find_element(by("CSS_SELECTOR"), f"a[href='/brouillons/{draft}/recapitulatif']"))
        check_page(driver, "recapitulatif")
        assert "Ce qu'il reste à fournir" in main_text(driver)
        driver.get(f"{base}/brouillons/{draft}/fiches")
        assert field(driver, f"champ-fiches_actions-{n}-intitule").get_attribute("value") == "Rénovation des halles"
        driver.get(f"{base}/brouillons/{draft}/recapitulatif")
        with client(driver, base) as http:
            archive = http.get(f"/brouillons/{draft}/export/dossier.zip")
            assert archive.status_code == 200
        confirm = driver.find_elements(by("ID"), "confirme-depot")
        if confirm:
            driver.execute_script("arguments[0].click()", confirm[0])
        go(driver, button(driver, "Déposer le dossier"))
        found = re.search(r"/dossiers/([0-9a-f]{24})", driver.current_url)
        assert found, main_text(driver)
        assert "déposé" in main_text(driver).lower()
        with client(driver, base) as http:
            stored = http.get(f"/api/dossiers/{found.group(1)}/versions/1/rapport?format=json")
            assert stored.status_code == 200
            deposited = stored.json()
    finally:
        driver.quit()

    # the exported ZIP, judged by acv check, gives the deposited version's findings
    folder = tmp_path / "export"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
        z.extractall(folder)
    checked = subprocess.run(
        [*acv_command(), "check", str(folder / "dossier"), "--format", "json", "--date", deposited["evaluated_on"]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode in (0, 1), checked.stderr
    assert findings(json.loads(checked.stdout)) == findings(deposited)


# --- the keyboard alone -------------------------------------------------------------------------


def test_a_small_form_is_completed_with_the_keyboard_alone(site, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _, base = site
    driver = browser
    driver.delete_all_cookies()
    driver.get(base + "/connexion")

    def press(*keys) -> None:
        ActionChains(driver).send_keys(*keys).perform()

    def active() -> dict:
        return driver.execute_script(
            "const e = document.activeElement; return {id: e.id, text: (e.innerText || '').trim(), tag: e.tagName}"
        )

    def tab_to(test, limit: int = 400, back: bool = False) -> None:
        for _ in range(limit):
            press(Keys.SHIFT, Keys.TAB, Keys.SHIFT) if back else press(Keys.TAB)
            if test(active()):
                return
        raise AssertionError("élément jamais atteint au clavier")

    def wait_page(path_part: str) -> None:
        from selenium.webdriver.support.wait import WebDriverWait

        WebDriverWait(driver, 60).until(lambda d: path_part in d.current_url)
        WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")

    tab_to(lambda a: a["id"] == "identifiant")
    press("montclair", Keys.TAB)
    assert active()["id"] == "mot_de_passe"
    press(PASSWORD, Keys.ENTER)
    wait_page("/dossiers")
    tab_to(lambda a: a["text"] == "Nouveau dossier")
    press(Keys.ENTER)
    wait_page("/dossiers/nouveau")
    tab_to(lambda a: a["text"] == "Commencer un formulaire vide")
    press(Keys.ENTER)
    wait_page("/collectivites")
    draft = step_url(driver)[0]
    tab_to(lambda a: a["id"] == "champ-collectivites-ville_centre-nom")
    press("Montclair")
    tab_to(lambda a: a["id"] == "champ-collectivites-intercommunalite-nom")
    press("Communauté de communes du Clair")
    tab_to(lambda a: a["id"] == "champ-collectivites-ville_centre-nom", back=True)  # Shift+Tab back to check it
    tab_to(lambda a: a["id"].startswith("champ-fictif-"))
    press(Keys.SPACE)
    tab_to(lambda a: a["text"] == "Enregistrer et continuer")
    press(Keys.ENTER)
    wait_page("/convention")
    tab_to(lambda a: a["id"] == "champ-convention-cadre-date_signature")
    press("15/06/2019")
    # the other date with the calendar beside it: typed in the date picker's own fields, copied as JJ/MM/AAAA
    tab_to(lambda a: a["id"] == "champ-convention-cadre-date_comite_regional_engagement-calendrier")
    press("20092018")  # the segments' order is the browser's locale's (headless Chromium keeps en-US's)
    chosen = field(driver, "champ-convention-cadre-date_comite_regional_engagement-calendrier").get_attribute("value")
    assert re.fullmatch(r"2018-\d\d-\d\d", chosen), chosen
    typed = field(driver, "champ-convention-cadre-date_comite_regional_engagement").get_attribute("value")
    assert typed == dt.date.fromisoformat(chosen).strftime("%d/%m/%Y"), typed
    tab_to(lambda a: a["text"] == "Enregistrer")
    press(Keys.ENTER)
    wait_page("ok=1")
    assert field(driver, "champ-convention-cadre-date_signature").get_attribute("value") == "15/06/2019"
    with client(driver, base) as http:
        exported = http.get(f"/brouillons/{draft}/export/dossier.yaml").text
    assert "nom: Montclair" in exported and "2019-06-15" in exported and "Communauté de communes du Clair" in exported
    assert f"date_comite_regional_engagement: {chosen}" in exported


# --- bad input ----------------------------------------------------------------------------------


def test_bad_input_gets_a_french_message_beside_the_field_and_nothing_is_lost(site, browser, tmp_path):
    _, base = site
    driver = browser
    driver.delete_all_cookies()
    log_in(driver, base, "saint-aubin")
    driver.get(base + "/dossiers/nouveau")
    go(driver, button(driver, "Commencer un formulaire vide"))
    draft = step_url(driver)[0]

    # saved a few seconds after typing, without a button
    from selenium.webdriver.support.wait import WebDriverWait

    type_into(driver, "champ-collectivites-intercommunalite-nom", "Communauté de communes d'Aubin")
    WebDriverWait(driver, 30).until(lambda d: "Brouillon enregistré" in field(d, "etat-enregistrement").text)
    driver.get(f"{base}/brouillons/{draft}/collectivites")
    assert field(driver, "champ-collectivites-intercommunalite-nom").get_attribute("value").endswith("d'Aubin")

    driver.get(f"{base}/brouillons/{draft}/convention")
    type_into(driver, "champ-convention-cadre-date_signature", "32/13/2019")
    type_into(driver, "champ-convention-cadre-duree_annees", "8")
    go(driver, button(driver, "Enregistrer"))
    assert field(driver, "champ-convention-cadre-date_signature").get_attribute("value") == "32/13/2019"
    assert "date" in beside(driver, "champ-convention-cadre-date_signature").lower()
    assert field(driver, "champ-convention-cadre-duree_annees").get_attribute("value") == "8"
    check_page(driver, "erreur-date")

    driver.get(f"{base}/brouillons/{draft}/fiches")
    go(driver, button(driver, "Ajouter une fiche action"))
    type_into(driver, "champ-fiches_actions-0-intitule", "Halles")
    type_into(driver, "champ-fiches_actions-0-cout", "douze mille euros")
    go(driver, button(driver, "Enregistrer"))
    assert field(driver, "champ-fiches_actions-0-cout").get_attribute("value") == "douze mille euros"
    assert field(driver, "champ-fiches_actions-0-intitule").get_attribute("value") == "Halles"
    assert "montant" in beside(driver, "champ-fiches_actions-0-cout").lower()
    check_page(driver, "erreur-montant")

    driver.get(f"{base}/brouillons/{draft}/perimetres")
    driver.execute_script("arguments[0].value = arguments[1]", field(driver, "champ-perimetres-etude"), BOWTIE)
    go(driver, button(driver, "Enregistrer"))
    assert json.loads(field(driver, "champ-perimetres-etude").get_attribute("value")) == json.loads(BOWTIE)
    # beside the field once the map has read the outline (carte.js keeps the server's message)
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.find_elements(by("CSS_SELECTOR"), ".carte .leaflet-container"))
    message = field(driver, "champ-perimetres-etude-messages").text
    assert re.search(r"se recoupe|croiser", message), message
    check_page(driver, "erreur-polygone")

    driver.get(f"{base}/brouillons/{draft}/pieces")
    big = tmp_path / "enorme.pdf"
    with big.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(50 * 1024 * 1024)
    field(driver, "nouvelles_pieces").send_keys(str(big))  # refused at once, before anything is sent
    WebDriverWait(driver, 30).until(lambda d: "trop volumineux" in beside(d, "nouvelles_pieces"))
    assert "enorme.pdf" in beside(driver, "nouvelles_pieces")
    check_page(driver, "erreur-fichier")
    driver.get(f"{base}/brouillons/{draft}/convention")
    assert field(driver, "champ-convention-cadre-date_signature").get_attribute("value") == "32/13/2019"
    assert dt.date.today()  # the page was evaluated today: nothing else to check
