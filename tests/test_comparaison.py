"""The page comparing two versions of a dossier (/dossiers/{id}/comparaison?de=N&a=M), over HTTP on a
real server (SQLite) and in a real Chromium with axe at a desktop's and a phone's width: the gaps
closed, opened and changed as the API counts them, in French (no field path, no machine word), the
version pickers and their errors beside the field, the same 404 as every page for a dossier one may
not see, the link from the dossier page from two versions on.

ACV_SCREENSHOTS=<folder> keeps screenshots of the comparison (desktop and phone widths)."""

import os
import re
from html import unescape
from pathlib import Path

import httpx
import pytest
from axe import assert_accessible, assert_no_horizontal_scroll, at_width, new_browser, wait_until_loaded
from conftest import SAMPLES
from test_service import PASSWORD, Server, folder_zip
from test_web import _browser_or_skip, check_accessible, web_client

from instruct.service import accounts
from instruct.service.app import create_app
from instruct.service.comparison_pages import _fields

DATE = "2026-11-26"
USERS = [
    ("montclair", "collectivite", {"commune_insee": "99102"}),
    ("villebelle", "collectivite", {"commune_insee": "99101"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99"}),
    ("al01", "instructeur", {"partenaire": "action_logement", "territoire": "dep:01"}),
]
# Version 2 of Montclair: indicators added (PROG-14 closed), MC-01's financing short of its cost (a gap
# opened), MC-02's cost and financing given but apart (its PROG-15 changed: incomplet -> non conforme).
FIXED = (SAMPLES / "montclair" / "dossier.yaml").read_text(encoding="utf-8").replace(
    "role: porteur, montant: 30000.00", "role: porteur, montant: 20000.00"
).replace(
    "    maturite: mature\n    financement: []\n",
    "    maturite: mature\n    cout: 10000.00\n    financement:\n"
    "      - {financeur: Ville de Montclair-sur-Lys, role: porteur, montant: 5000.00}\n",
) + (
    "indicateurs:\n  - {nom: Logements remis sur le marché, type: resultats, valeur_cible: 40}\n"
    "  - {nom: Crédits engagés, type: moyens}\n"
)
MACHINE = re.compile(r"\b\w+_\w+\b|\b[a-z]+\.[a-z_]+\b|\[\d+\]|\[\*\]")
PIECE = re.compile(r"[\w-]+\.(pdf|docx)\b")  # a piece's name, as the town sent it


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('comparaison') / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        for login, role, extra in USERS:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        yield base


def api(base: str, login: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=60)
    token = c.post("/api/session", json={"identifiant": login, "mot_de_passe": PASSWORD}).json()["jeton"]
    c.cookies.clear()
    c.headers["Authorization"] = f"Bearer {token}"
    return c


def upload(c: httpx.Client, folder, to: str = "/api/dossiers", replace=None, date=DATE) -> httpx.Response:
    files = {"archive": ("d.zip", folder_zip(folder, replace), "application/zip")}
    return c.post(to, files=files, data={"date": date})


@pytest.fixture(scope="module")
def dossiers(site):
    """Montclair's dossier in two versions evaluated a day apart, deposited; Villebelle's in one."""
    town = api(site, "montclair")
    r = upload(town, SAMPLES / "montclair")
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    r = upload(
        town, SAMPLES / "montclair", f"/api/dossiers/{ident}/versions", {"dossier.yaml": FIXED.encode()}, "2026-11-27"
    )
    assert r.status_code == 201 and r.json()["version"] == 2, r.text
    diff = town.get(f"/api/dossiers/{ident}/comparaison", params={"de": 1, "a": 2}).json()
    r = town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True})
    assert r.status_code == 200, r.text  # deposited: its instructeurs see it
    single = upload(api(site, "villebelle"), SAMPLES / "villebelle")
    assert single.status_code == 201, single.text
    return ident, single.json()["id"], diff


def main_text(html: str) -> str:
    """What a reader reads in <main>: the tags gone, the entities read."""
    main = re.search(r"<main\b.*?</main>", html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main.group(0) if main else html)).split())


def section(html: str, key: str) -> str:
    found = re.search(
        rf'<section class="comparaison-groupe[^"]*" aria-labelledby="{key}-titre">.*?</section>', html, re.S
    )
    assert found, f"section {key} absente"
    return found.group(0)


def text_of(html: str, key: str) -> str:
    return main_text(section(html, key))


def title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


# --- over HTTP ----------------------------------------------------------------------------------


def test_the_gaps_closed_opened_and_changed_as_the_api_counts_them(site, dossiers):
    ident, _, diff = dossiers
    assert diff["fermes"] and diff["ouverts"] and diff["changes"], diff  # the sample closes, opens, changes gaps
    for login in ("montclair", "ddt99"):
        r = web_client(site, login).get(f"/dossiers/{ident}/comparaison", params={"de": 1, "a": 2})
        assert r.status_code == 200, r.text
        check_accessible(r.text)
        n = len(diff["fermes"]), len(diff["ouverts"]), len(diff["changes"])
        assert f"Comparaison des versions 1 et 2 : {n[0]} écart" in title(r.text)
        for key, rows in zip(("resolus", "nouveaux", "modifies"), n, strict=True):
            part = section(r.text, key)
            assert part.count("<tr>") - 1 == rows or (rows == 0 and "<table" not in part), key
    page = r.text
    closed = main_text(section(page, "resolus"))
    # PROG-14: the indicators added; its status before, after, the field it read, in French
    assert re.search(
        r"PROG-14 .*? Dossier incomplet conforme Indicateurs d'évaluation non renseignés\. Indicateurs", closed
    )
    opened = main_text(section(page, "nouveaux"))
    assert re.search(r"PROG-15 .*? Fiche action MC-01 .*? conforme non conforme Le plan de financement", opened)
    assert "Fiche action n° 1 — coût" in opened
    changed = text_of(page, "modifies")
    assert re.search(r"PROG-15 .*? Fiche action MC-02 .*? incomplet non conforme Le plan de financement", changed)
    text = main_text(page)
    assert not MACHINE.findall(PIECE.sub("", text)), MACHINE.findall(
        PIECE.sub("", text)
    )  # no path, no code such as non_conforme
    assert "La version 1 a été évaluée au 26/11/2026 et la version 2 au 27/11/2026" in text  # a day apart
    assert "Version 1 du" in text and 'id="version-de"' in page and 'id="version-a"' in page


def test_the_default_versions_and_a_bad_number_beside_its_picker(site, dossiers):
    ident, _, _ = dossiers
    town = web_client(site, "montclair")
    r = town.get(f"/dossiers/{ident}/comparaison")
    assert r.status_code == 200 and "Comparaison des versions 1 et 2" in title(r.text)
    for params, field, message in [
        ({"de": "9", "a": "2"}, "de", "Version inconnue : choisissez un numéro de version de ce dossier (1 ou 2)."),
        ({"de": "1", "a": "deux"}, "a", "Numéro de version invalide : un nombre entier parmi 1 ou 2."),
        ({"de": "1", "a": "99999999999999999999"}, "a", "Numéro de version invalide"),
        ({"de": "2", "a": "2"}, "a", "Choisissez une version différente"),
    ]:
        r = town.get(f"/dossiers/{ident}/comparaison", params=params)
        assert r.status_code == 400, (params, r.status_code)
        check_accessible(r.text)
        assert title(r.text).startswith("Erreur — Comparaison des versions")
        error = re.search(rf'<p class="[^"]*fr-error-text" id="version-{field}-erreur">(.*?)</p>', r.text, re.S)
        assert error and message in unescape(error.group(1)), (params, r.text[-3000:])
        assert re.search(rf'<select[^>]*id="version-{field}"[^>]*aria-invalid="true"', r.text)
        assert 'role="alert"' in r.text and "<table" not in r.text  # nothing compared


def test_someone_who_may_not_see_the_dossier_gets_the_same_404(site, dossiers):
    ident, _, _ = dossiers
    guessed = web_client(site, "villebelle").get("/dossiers/ZZZZZZZZ/comparaison", params={"de": 1, "a": 2})
    assert guessed.status_code == 404
    for login in ("villebelle", "al01"):
        r = web_client(site, login).get(f"/dossiers/{ident}/comparaison", params={"de": 1, "a": 2})
        assert r.status_code == 404 and main_text(r.text) == main_text(guessed.text), login
        assert "PROG-14" not in r.text
    r = web_client(site).get(f"/dossiers/{ident}/comparaison", params={"de": 1, "a": 2}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/connexion?suivant=")


def test_the_dossier_page_links_to_the_comparison_from_two_versions_on(site, dossiers):
    ident, single, _ = dossiers
    page = web_client(site, "montclair").get(f"/dossiers/{ident}").text
    assert f'href="/dossiers/{ident}/comparaison?de=1&amp;a=2"' in page and "Comparer les versions" in page
    alone = web_client(site, "villebelle")
    assert "Comparer les versions" not in alone.get(f"/dossiers/{single}").text
    r = alone.get(f"/dossiers/{single}/comparaison")
    assert r.status_code == 200 and "Rien à comparer" in r.text and "<select" not in r.text


def test_the_fields_a_gap_read_in_french():
    evidence = [
        {"path": "fiches_actions[1].cout"},
        {"path": "fiches_actions[1].cout"},
        {"path": "pieces/convention-cadre.docx"},
        {"path": "convention.cadre.signataires[5] ; convention-cadre.docx, bloc de signatures"},
        {"path": "ort.signataires (à défaut convention.cadre.signataires)"},
        {"path": "calcul"},
        {"path": "option --referentiel"},
        {"path": ""},
        {},
    ]
    assert _fields(evidence) == [
        "Fiche action n° 2 — coût",
        "Pièce convention-cadre.docx",
        "Convention-cadre — signataire n° 6 (convention-cadre.docx, bloc de signatures)",
        "Opération de revitalisation de territoire (ORT) — signataires de l'ORT "
        "(à défaut convention-cadre — signataires)",
    ]


# --- in a real browser --------------------------------------------------------------------------


def test_the_comparison_in_chromium_with_axe_at_both_widths(site, dossiers, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    _browser_or_skip()
    ident, _, _ = dossiers
    driver = new_browser(tmp_path / "profil")
    try:
        driver.get(site + "/connexion")
        driver.find_element(By.ID, "identifiant").send_keys("ddt99")
        driver.find_element(By.ID, "mot_de_passe").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_until_loaded(driver, site + "/dossiers")
        driver.get(f"{site}/dossiers/{ident}")
        WebDriverWait(driver, 30).until(lambda d: d.find_element(By.PARTIAL_LINK_TEXT, "Comparer les versions")).click()
        WebDriverWait(driver, 30).until(lambda d: "/comparaison" in d.current_url)
        assert "Écarts résolus" in driver.find_element(By.TAG_NAME, "main").text
        for width in (1280, 375):
            at_width(driver, width)
            driver.get(f"{site}/dossiers/{ident}/comparaison?de=1&a=2")
            assert_accessible(driver, f"la comparaison à {width} px")
            assert_no_horizontal_scroll(driver, f"la comparaison à {width} px")
            if os.environ.get("ACV_SCREENSHOTS"):  # kept to look at (as test_web's)
                Path(os.environ["ACV_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
                driver.set_window_size(width, 2200)
                at_width(driver, width, 2200)
                driver.save_screenshot(str(Path(os.environ["ACV_SCREENSHOTS"]) / f"acv-comparaison-{width}.png"))
            driver.get(f"{site}/dossiers/{ident}/comparaison?de=7&a=2")
            assert_accessible(driver, f"la comparaison refusée à {width} px")
            assert_no_horizontal_scroll(driver, f"la comparaison refusée à {width} px")
        # the pickers: the versions swapped, the gaps closed become the gaps opened
        Select(driver.find_element(By.ID, "version-de")).select_by_value("2")
        Select(driver.find_element(By.ID, "version-a")).select_by_value("1")
        driver.find_element(By.XPATH, "//button[normalize-space()='Comparer']").click()
        WebDriverWait(driver, 30).until(lambda d: d.current_url.endswith("de=2&a=1"))
        opened = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=nouveaux-titre]").text
        assert "PROG-14" in opened
    finally:
        driver.quit()
