"""The ORT commerce question on a page (/dossiers/{id}/ort/commerce), over HTTP on a real server (SQLite)
and in a real Chromium with axe at a desktop's and a phone's width: the answer in words for each regime,
with its reasons and articles; a point that looks swapped or outside the town's département warned (the
answer still given); bad input told beside its field, nothing typed lost; the same 404 as every page for
a dossier one may not see; the link from the dossier page for the instructeurs and the admins.

ACV_SCREENSHOTS=<folder> keeps screenshots of the answer (desktop and phone widths)."""

import os
import re
from html import unescape
from pathlib import Path

import pytest
from axe import assert_accessible, assert_no_horizontal_scroll, at_width, new_browser, wait_until_loaded
from conftest import SAMPLES
from test_comparaison import api, upload
from test_service import PASSWORD, Server
from test_web import _browser_or_skip, check_accessible, hidden, web_client

from instruct.engine.ort_commerce import TITLES
from instruct.service import accounts
from instruct.service.app import create_app
from instruct.service.ort_pages import ALERTS

USERS = [
    ("villebelle", "collectivite", {"commune_insee": "99101"}),
    ("montclair", "collectivite", {"commune_insee": "99102"}),
    ("bourges", "collectivite", {"commune_insee": "18033"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99"}),
    ("ddt18", "instructeur", {"partenaire": "ddt", "territoire": "dep:18"}),
    ("al01", "instructeur", {"partenaire": "action_logement", "territoire": "dep:01"}),
    ("admin", "admin", {}),
]
# Villebelle moved to a real commune of the Cher (its shapes lie there), with a second ORT secteur that
# does not include a centre-ville: the département's box can be checked, and the regime droit_commun reached.
ZONE = """    - id: zone
      nom: Zone d'activités
      commune_insee: "18033"
      centre_ville: false
      geometrie:
        type: Polygon
        coordinates: [[[2.03, 46.99], [2.05, 46.99], [2.05, 47.01], [2.03, 47.01], [2.03, 46.99]]]
dispositifs_anah:"""
CHER = (
    (SAMPLES / "villebelle" / "dossier.yaml")
    .read_text(encoding="utf-8")
    .replace("99101", "18033")
    .replace("dispositifs_anah:", ZONE, 1)
)
SANS_TRACE = (
    (SAMPLES / "villebelle" / "dossier.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "      centre_ville: true\n      geometrie:\n        type: Polygon\n"
        "        coordinates: [[[1.99, 46.995], [2.01, 46.995], [2.01, 47.005], [1.99, 47.005], [1.99, 46.995]]]\n",
        "      centre_ville: true\n",
    )
)
TYPED = {"longitude": "2,0", "latitude": "47,0", "surface": "3000", "alimentaire": "non", "artificialisation": "non"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('ort') / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        for login, role, extra in USERS:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        yield base


@pytest.fixture(scope="module")
def dossiers(site):
    """{"villebelle": id, "montclair": id (no ORT), "cher": id (a real département), "sans_trace": id (its
    centre-ville secteur not drawn)}, each deposited."""
    made = {}
    for key, login, folder, replace in [
        ("villebelle", "villebelle", "villebelle", None),
        ("montclair", "montclair", "montclair", None),
        ("cher", "bourges", "villebelle", {"dossier.yaml": CHER.encode()}),
        ("sans_trace", "villebelle", "villebelle", {"dossier.yaml": SANS_TRACE.encode()}),
    ]:
        town = api(site, login)
        r = upload(town, SAMPLES / folder, replace=replace)
        assert r.status_code == 201, r.text
        made[key] = r.json()["id"]
        deposit = town.post(f"/api/dossiers/{made[key]}/transitions", json={"vers": "depose", "confirme": True})
        assert deposit.status_code == 200, deposit.text
    return made


CLIENTS: dict[tuple[str, str], object] = {}


def logged(site: str, login: str):
    """One client logged in per account and server (a login hashes a password: slow on a loaded machine)."""
    if (site, login) not in CLIENTS:
        CLIENTS[site, login] = web_client(site, login)
    return CLIENTS[site, login]


def ask(site, ident, login="ddt99", **changes):
    c = logged(site, login)
    form = c.get(f"/dossiers/{ident}/ort/commerce")
    assert form.status_code == 200, form.text[-2000:]
    return c.post(f"/dossiers/{ident}/ort/commerce", data={"csrf": hidden(form.text, "csrf"), **TYPED, **changes})


def main_text(html: str) -> str:
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def answer_of(html: str) -> str:
    found = re.search(r'<section class="fr-mb-4w" id="reponse".*?</section>', html, re.S)
    return main_text("<main>" + found.group(0) + "</main>") if found else ""


def warnings_of(html: str) -> list[str]:
    blocks = re.findall(r'<div class="fr-alert fr-alert--warning[^"]*avertissement-point".*?</div>', html, re.S)
    return [main_text("<main>" + b + "</main>") for b in blocks]


def test_every_regime_has_its_title_and_alert():
    assert (
        set(TITLES)
        == set(ALERTS)
        == {
            "hors_champ",
            "exempte",
            "indetermine",
            "aec_requise",
            "droit_commun",
            "suspension_possible",
            "sans_effet",
        }
    )
    assert len(set(TITLES.values())) == len(TITLES)
    assert not any("_" in title for title in TITLES.values())


@pytest.mark.parametrize(
    "key, changes, title, article",
    [
        ("villebelle", {}, "Exempté d'autorisation d'exploitation commerciale", "L752-1-1"),
        ("villebelle", {"artificialisation": "oui"}, "Autorisation d'exploitation commerciale requise", "L752-6"),
        ("villebelle", {"artificialisation": "inconnu"}, "Impossible de conclure", "L752-1-1"),
        (
            "villebelle",
            {"longitude": "2,1", "surface": "2600", "alimentaire": "oui"},
            "Autorisation d'exploitation commerciale requise ; suspension possible par le préfet",
            "L752-1-2",
        ),
        ("villebelle", {"surface": "800"}, "Pas d'autorisation d'exploitation commerciale requise", "L752-1"),
        ("cher", {"longitude": "2.04"}, "Autorisation d'exploitation commerciale requise, sans suspension", "L752-1"),
        ("montclair", {}, "Pas d'ORT signée à cette date", "L303-2"),
    ],
)
def test_the_answer_in_words_with_its_reasons_and_articles(site, dossiers, key, changes, title, article):
    login = {"villebelle": "ddt99", "montclair": "admin", "cher": "ddt18"}[key]
    r = ask(site, dossiers[key], login, **changes)
    assert r.status_code == 200, r.text[-2000:]
    check_accessible(r.text)
    text = answer_of(r.text)
    assert text.startswith(title), text
    assert f"art. {article}" in text and "Pourquoi" in text and "Textes appliqués" in text
    assert re.search(r"<title>[^<]*" + re.escape(title.split(" ;")[0]), unescape(r.text))
    assert not warnings_of(r.text)  # each point is where the dossier is
    assert not re.search(r"\b(hors_champ|exempte|indetermine|aec_requise|droit_commun|suspension_possible)\b", text)
    if "inconnu" in changes.values():
        assert "À fournir pour conclure" in text and "artificialise les sols" in text
    else:
        assert "À fournir" not in text
    for field, value in {**TYPED, **changes}.items():  # what was typed stays in the form
        if field in ("longitude", "latitude", "surface"):
            assert f'name="{field}" value="{value}"' in r.text
        else:
            assert re.search(rf'name="{field}" value="{value}" checked', r.text)


def test_swapped_coordinates_are_warned_and_still_answered(site, dossiers):
    r = ask(site, dossiers["villebelle"], longitude="47,0", latitude="2,0")
    assert r.status_code == 200
    (warning,) = warnings_of(r.text)
    assert "semblent inversées" in warning and "longitude d'abord, puis la latitude" in warning
    assert "sans doute longitude 2, latitude 47" in warning
    assert answer_of(r.text).startswith("Autorisation d'exploitation commerciale requise ; suspension possible")
    cher = ask(site, dossiers["cher"], "ddt18", longitude="47,2", latitude="2,5")
    (warning,) = warnings_of(cher.text)
    assert "semblent inversées" in warning and "Cher (18)" in warning
    elsewhere = ask(site, dossiers["cher"], "ddt18", longitude="47,2", latitude="1,5")  # swapped: in Touraine
    (warning,) = warnings_of(elsewhere.text)
    assert "semblent inversées" in warning and "à une longitude en France" in warning


def test_a_point_outside_the_towns_departement_is_warned(site, dossiers):
    lyon = {"longitude": "4,83", "latitude": "45,76"}
    r = ask(site, dossiers["cher"], "ddt18", **lyon)
    (warning,) = warnings_of(r.text)
    assert "hors du département de la commune, Cher (18)" in warning and "inversées" not in warning
    assert answer_of(r.text).startswith("Autorisation d'exploitation commerciale requise ; suspension possible")
    inside = ask(site, dossiers["cher"], "ddt18", longitude="2,5", latitude="47,2")  # Cher, outside the ORT
    assert not warnings_of(inside.text)
    # a fictitious commune has no département box: a point far from the dossier's shapes is warned
    far = ask(site, dossiers["villebelle"], **lyon)
    (warning,) = warnings_of(far.text)
    assert "km des secteurs et périmètres du dossier" in warning and "hors du département" in warning


def test_bad_input_is_told_beside_its_field_and_nothing_typed_is_lost(site, dossiers):
    typed = {
        "longitude": "deux",
        "latitude": "95",
        "surface": "trois mille",
        "alimentaire": "",
        "artificialisation": "",
    }
    r = ask(site, dossiers["villebelle"], **typed)
    assert r.status_code == 400
    check_accessible(r.text)
    assert "<title>Erreur —" in r.text and 'id="reponse"' not in r.text
    expected = {
        "longitude": "la longitude est un nombre en degrés décimaux",
        "latitude": "La latitude est comprise entre -90 et 90 degrés",
        "surface": "la surface de vente est un nombre de m²",
        "alimentaire": "Indiquez si le commerce est à prédominance alimentaire",
        "artificialisation": "Indiquez si le projet artificialise les sols",
    }
    for field, message in expected.items():
        beside = re.search(
            rf'id="{field}-messages"[^>]*>\s*<p class="fr-message[^"]*fr-error-text"[^>]*>(.*?)</p>', r.text
        )
        assert beside and message in unescape(beside.group(1)), field
    assert 'name="longitude" value="deux"' in r.text and 'name="surface" value="trois mille"' in r.text
    assert 'name="latitude" value="95"' in r.text
    empty = ask(site, dossiers["villebelle"], longitude="", latitude=" ", surface="")
    assert empty.status_code == 400
    assert "Indiquez la longitude du projet" in unescape(empty.text) and "Indiquez la surface de vente" in unescape(
        empty.text
    )
    assert 'name="alimentaire" value="non" checked' in empty.text  # the choices made are kept too


def test_a_secteur_not_drawn_is_said_and_no_answer_guessed(site, dossiers):
    assert SANS_TRACE.count("geometrie:") == CHER.count("geometrie:") - 2  # the centre-ville's outline gone
    page = logged(site, "ddt99").get(f"/dossiers/{dossiers['sans_trace']}/ort/commerce")
    assert "Centre-ville de Villebelle (comprend un centre-ville) (non tracé)" in unescape(page.text)
    r = ask(site, dossiers["sans_trace"], longitude="2,1")
    assert r.status_code == 200 and 'id="reponse"' not in r.text
    problem = re.search(r'id="probleme".*?</div>', r.text, re.S).group(0)
    assert "Réponse impossible" in problem and "géométrie manquante pour : Centre-ville de Villebelle" in unescape(
        problem
    )
    assert 'name="longitude" value="2,1"' in r.text


def test_a_form_without_its_token_is_refused(site, dossiers):
    c = logged(site, "ddt99")
    r = c.post(f"/dossiers/{dossiers['villebelle']}/ort/commerce", data=TYPED)
    assert r.status_code == 403 and 'id="reponse"' not in r.text


def test_someone_who_may_not_see_the_dossier_gets_the_same_404(site, dossiers):
    guessed = logged(site, "ddt99").get("/dossiers/ZZZZZZZZ/ort/commerce")
    assert guessed.status_code == 404
    for login in ("montclair", "al01", "ddt18"):
        c = logged(site, login)
        r = c.get(f"/dossiers/{dossiers['villebelle']}/ort/commerce")
        assert r.status_code == 404 and main_text(r.text) == main_text(guessed.text), login
        token = hidden(c.get("/dossiers").text, "csrf")  # a valid form: the refusal is the dossier's, not the CSRF's
        posted = c.post(f"/dossiers/{dossiers['villebelle']}/ort/commerce", data={"csrf": token, **TYPED})
        assert posted.status_code == 404 and main_text(posted.text) == main_text(guessed.text), login
    r = web_client(site).get(f"/dossiers/{dossiers['villebelle']}/ort/commerce", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/connexion?suivant=")


def test_the_dossier_page_links_to_the_question_for_instructeurs_and_admins(site, dossiers):
    link = f'href="/dossiers/{dossiers["villebelle"]}/ort/commerce"'
    for login, shown in (("ddt99", True), ("admin", True), ("villebelle", False)):
        page = logged(site, login).get(f"/dossiers/{dossiers['villebelle']}").text
        assert (link in page) is shown, login
    page = logged(site, "ddt99").get(f"/dossiers/{dossiers['villebelle']}/ort/commerce").text
    check_accessible(page)
    assert "Centre-ville de Villebelle (comprend un centre-ville)" in unescape(page)
    assert "Périmètre d'intervention" in unescape(page)


# --- in a real browser --------------------------------------------------------------------------


def test_the_agent_clicks_the_map_and_gets_the_answer_with_axe_at_both_widths(site, dossiers, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    _browser_or_skip()
    ident = dossiers["villebelle"]
    driver = new_browser(tmp_path / "profil")
    try:
        driver.get(site + "/connexion")
        driver.find_element(By.ID, "identifiant").send_keys("ddt99")
        driver.find_element(By.ID, "mot_de_passe").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_until_loaded(driver, site + "/dossiers")
        driver.get(f"{site}/dossiers/{ident}")
        WebDriverWait(driver, 30).until(
            lambda d: d.find_element(By.PARTIAL_LINK_TEXT, "Projet de commerce dans l'ORT")
        ).click()
        WebDriverWait(driver, 30).until(lambda d: d.current_url.endswith("/ort/commerce"))
        zone = driver.find_element(By.ID, "carte-ort")
        WebDriverWait(driver, 30).until(
            lambda d: zone.is_displayed() and d.find_elements(By.CSS_SELECTOR, "#carte-ort path")
        )
        # the map fits the secteurs: its centre is the centre-ville secteur's (2.0, 47.0)
        ActionChains(driver).move_to_element(zone).click().perform()
        lon = driver.find_element(By.ID, "longitude")
        WebDriverWait(driver, 10).until(lambda d: lon.get_attribute("value"))
        x = float(lon.get_attribute("value").replace(",", "."))
        y = float(driver.find_element(By.ID, "latitude").get_attribute("value").replace(",", "."))
        assert abs(x - 2.0) < 0.005 and abs(y - 47.0) < 0.004, (x, y)
        assert "," in lon.get_attribute("value")  # French decimal comma
        assert driver.find_element(By.ID, "carte-point").text.startswith("Point placé : longitude ")
        driver.find_element(By.ID, "surface").send_keys("3000")
        driver.find_element(By.CSS_SELECTOR, "label[for=alimentaire-non]").click()
        driver.find_element(By.CSS_SELECTOR, "label[for=artificialisation-non]").click()
        driver.find_element(By.ID, "repondre").click()
        WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "reponse-titre"))
        assert driver.find_element(By.ID, "reponse-titre").text == "Exempté d'autorisation d'exploitation commerciale"
        assert driver.find_elements(By.CSS_SELECTOR, "#carte-ort path.leaflet-interactive, #carte-ort path")
        for width in (1280, 375):
            at_width(driver, width)
            assert_accessible(driver, f"la réponse à {width} px")
            assert_no_horizontal_scroll(driver, f"la réponse à {width} px")
            if os.environ.get("ACV_SCREENSHOTS"):  # kept to look at (as test_web's)
                Path(os.environ["ACV_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
                at_width(driver, width, 2400)
                driver.save_screenshot(str(Path(os.environ["ACV_SCREENSHOTS"]) / f"acv-ort-commerce-{width}.png"))
        # swapped, typed without the map: warned and answered; then a bad surface, told beside the field
        driver.get(f"{site}/dossiers/{ident}/ort/commerce")
        for field, value in (("longitude", "47,0"), ("latitude", "2,0"), ("surface", "abc")):
            driver.find_element(By.ID, field).send_keys(value)
        driver.find_element(By.CSS_SELECTOR, "label[for=alimentaire-oui]").click()
        driver.find_element(By.CSS_SELECTOR, "label[for=artificialisation-inconnu]").click()
        driver.find_element(By.ID, "repondre").click()
        WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "erreurs"))
        assert "surface de vente" in driver.find_element(By.ID, "surface-messages").text
        for width in (1280, 375):
            at_width(driver, width)
            assert_accessible(driver, f"l'erreur à {width} px")
            assert_no_horizontal_scroll(driver, f"l'erreur à {width} px")
        surface = driver.find_element(By.ID, "surface")
        surface.clear()
        surface.send_keys("3000")
        driver.find_element(By.ID, "repondre").click()
        WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "reponse-titre"))
        assert "semblent inversées" in driver.find_element(By.CSS_SELECTOR, ".avertissement-point").text
        assert_accessible(driver, "l'avertissement à 375 px")
    finally:
        driver.quit()


def test_the_typed_values_read_as_an_agent_writes_them():
    from decimal import Decimal

    from instruct.service.ort_pages import read_form

    typed = {"longitude": "−1,5°", "latitude": " 47.25 ", "surface": "2 500,5 m²", "alimentaire": "oui"}
    question, errors = read_form(typed | {"artificialisation": "inconnu"})
    assert not errors, errors
    assert question == {"lon": -1.5, "lat": 47.25, "surface": Decimal("2500.5"), "alimentaire": True} | {
        "artificialise": None
    }
    wrong = {"longitude": "nan", "latitude": "1e400", "surface": "0", "alimentaire": "peut-être"}
    _, errors = read_form(wrong | {"artificialisation": "true"})
    assert set(errors) == {"longitude", "latitude", "surface", "alimentaire", "artificialisation"}
