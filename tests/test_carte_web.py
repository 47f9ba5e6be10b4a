"""The périmètres' map in a real headless Chromium: the `carte` macro rendered by the app's Jinja
environment in a tiny page, with the app's static files (vendored Leaflet and Leaflet-Geoman,
carte.js), served on loopback under the pages' CSP. A polygon drawn with mouse clicks lands in the
textarea as GeoJSON; a GeoJSON file and a KML (read by the server) import; a broken text gets a
French message beside the field and is kept; the other périmètres and the problems show; tiles only
when a background is given; axe finds no serious or critical violation; no CSP violation."""

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from axe import new_browser
from conftest import SAMPLES
from fastapi import FastAPI, File, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from test_service import Server
from test_web import _browser_or_skip

from instruct.documents.load import load
from instruct.engine.check import check_dossier
from instruct.form import carte
from instruct.form.geofiles import GeoFileError, read_surface
from instruct.rules.catalogue import load_catalogue
from instruct.service import templating

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ETUDE = [[2.30, 48.83], [2.40, 48.83], [2.40, 48.88], [2.30, 48.88], [2.30, 48.83]]
GARE = [[2.36, 48.845], [2.42, 48.845], [2.42, 48.86], [2.36, 48.86], [2.36, 48.845]]
SQUARE = [[2.35, 48.85], [2.353, 48.85], [2.353, 48.852], [2.35, 48.852], [2.35, 48.85]]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f2b1de0000000049454e44ae426082"
)
PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Périmètres — essai de la carte</title>
<link rel="stylesheet" href="/static/vendor/dsfr/dsfr.min.css"></head>
<body><main id="contenu" class="fr-container"><h1>Périmètres</h1>
<form method="post" action="/envoyer" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="jeton-essai">
{{ carte(champ, contexte, problemes, fond=fond, import_url=import_url) }}
<button class="fr-btn" type="submit" name="action" value="enregistrer">Enregistrer</button>
</form></main></body></html>"""

TWO_MAPS = """{% from "formulaire/_carte.html" import carte, carte_ressources %}<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Deux cartes</title>{{ carte_ressources() }}</head>
<body><main><h1>Périmètres</h1><form method="post" action="/envoyer">
{% for f in fields %}{{ carte(f, ressources=False) }}{% endfor %}</form></main></body></html>"""


def render(fond: str = "", value: str = "", error: str = "", import_url: str = "/lire") -> str:
    template = templating.TEMPLATES.from_string('{% from "formulaire/_carte.html" import carte %}' + PAGE)
    return template.render(
        champ={
            "name": "perimetres.intervention",
            "id": "perimetres-intervention",
            "label": "Périmètre d'intervention",
            "help": "Le futur périmètre ORT",
            "value": value,
            "error": error,
        },
        contexte=[
            {"id": "etude", "nom": "Périmètre d'étude", "geometrie": {"type": "Polygon", "coordinates": [ETUDE]}},
            {
                "id": "gare",
                "nom": "Secteur prioritaire : gare",
                "geometrie": {"type": "Polygon", "coordinates": [GARE]},
            },
            {"id": "halles", "nom": "Secteur prioritaire : halles", "geometrie": None},
        ],
        problemes=[
            {
                "message": "Le secteur prioritaire « gare » déborde du périmètre d'intervention : "
                "12 000 m² hors périmètre (14 % de sa surface).",
                "couches": ["gare", "champ"],
            },
            "Géométrie manquante pour comparer le secteur prioritaire « halles » et le périmètre d'intervention.",
        ],
        fond=fond,
        import_url=import_url,
    )


def csp() -> str:
    return templating.csp() if hasattr(templating, "csp") else templating.SECURITY_HEADERS["content-security-policy"]


def tiny_app() -> FastAPI:
    app = FastAPI()
    app.mount("/static", StaticFiles(directory=templating.HERE / "static"), name="static")

    @app.get("/")
    def page(request: Request, fond: str = "", valeur: str = "", erreur: str = "", sans_import: str = ""):
        template = f"{request.base_url}tuiles/{{z}}/{{x}}/{{y}}.png" if fond else ""
        headers = {"content-security-policy": csp()}
        return HTMLResponse(render(template, valeur, erreur, "" if sans_import else "/lire"), headers=headers)

    @app.get("/deux")
    def two_maps():
        template = templating.TEMPLATES.from_string(TWO_MAPS)
        fields = [
            {"name": "perimetres.etude", "label": "Périmètre d'étude", "value": ""},
            {"name": "perimetres.intervention", "label": "Périmètre d'intervention", "value": ""},
        ]
        return HTMLResponse(template.render(fields=fields), headers={"content-security-policy": csp()})

    @app.get("/tuiles/{z}/{x}/{y}.png")
    def tile(z: int, x: int, y: int):
        return Response(PNG, media_type="image/png")

    @app.post("/lire")
    async def lire(fichier: UploadFile = File(...)):
        try:
            geometry = read_surface(fichier.filename or "", await fichier.read())
        except GeoFileError as exc:
            return JSONResponse({"erreur": str(exc)}, status_code=422)
        return {"geometrie": geometry}

    return app


@pytest.fixture(scope="module")
def base():
    with Server(tiny_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _browser_or_skip()
    driver = new_browser(tmp_path_factory.mktemp("carte") / "profil")
    try:
        yield driver
    finally:
        driver.quit()


def wait(condition, what: str, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"délai dépassé : {what}")


def open_page(browser, url: str):
    from selenium.webdriver.common.by import By

    browser.get(url)
    wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".carte[data-carte-active] .leaflet-pm-toolbar"), "la carte")
    return browser.find_element(By.ID, "perimetres-intervention")


def no_csp_violation(browser) -> None:
    logs = browser.get_log("browser")
    blocked = [entry["message"] for entry in logs if "Content Security Policy" in entry["message"]]
    errors = [
        e["message"]
        for e in logs
        if e["level"] == "SEVERE" and "favicon" not in e["message"] and "(Unprocessable Entity)" not in e["message"]
    ]  # a refused file answers 422, which the page shows
    assert not blocked, blocked
    assert not errors, errors


def assert_accessible(browser, what: str) -> None:
    try:
        from axe import assert_accessible as shared  # tests/axe.py (the DSFR helper's), when it is there
    except ImportError:
        shared = None
    if shared is not None:
        return shared(browser, what)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done(String(e)));"
    )
    assert isinstance(result, list), result
    serious = [
        f"{v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{what} :\n" + "\n".join(serious)


def geometry_in(textarea) -> dict:
    return json.loads(textarea.get_attribute("value"))


def test_draw_a_polygon_by_clicks(base, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    textarea = open_page(browser, base + "/")
    assert textarea.get_attribute("value") == ""
    zone = browser.find_element(By.ID, "perimetres-intervention-carte")
    assert zone.get_attribute("aria-label") == "Carte : Périmètre d'intervention"
    # French controls (setLang('fr')), and no tile without a background.
    titles = [
        e.get_attribute("title")
        for e in browser.find_elements(By.CSS_SELECTOR, ".leaflet-pm-toolbar .button-container")
    ]
    assert any("polygone" in (t or "").lower() for t in titles), titles
    assert not browser.find_elements(By.CSS_SELECTOR, ".leaflet-tile")
    # The other périmètres, the outlined problem and the legend.
    paths = browser.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path")
    assert len(paths) == 2
    assert any(p.get_attribute("stroke") == "#ce0500" for p in paths)
    legend = browser.find_element(By.ID, "perimetres-intervention-legende").text
    assert "Périmètre d'étude" in legend and "Secteur prioritaire : halles (non tracé)" in legend
    assert (
        "déborde du périmètre d'intervention" in browser.find_element(By.ID, "perimetres-intervention-problemes").text
    )

    browser.find_element(By.CSS_SELECTOR, ".leaflet-pm-icon-polygon").click()
    points = [(-150, -100), (100, -110), (120, 90), (-130, 80)]
    actions = ActionChains(browser)
    for dx, dy in points:
        actions.move_to_element_with_offset(zone, dx, dy).click().pause(0.15)
    actions.move_to_element_with_offset(zone, *points[0]).click().perform()
    wait(lambda: textarea.get_attribute("value"), "le tracé dans le champ")
    geometry = geometry_in(textarea)
    assert geometry["type"] == "Polygon"
    ring = geometry["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert all(2.2 < x < 2.5 and 48.7 < y < 48.95 for x, y in ring), ring
    assert all(len(str(c).split(".")[-1]) <= 7 for point in ring for c in point)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path")) == 3

    # Move a corner: the edit mode, then a vertex dragged; the field follows.
    before = textarea.get_attribute("value")
    browser.find_element(By.CSS_SELECTOR, ".leaflet-pm-icon-edit").click()
    vertex = wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".leaflet-marker-pane .marker-icon"), "les sommets")[0]
    ActionChains(browser).click_and_hold(vertex).move_by_offset(30, 30).pause(0.1).release().perform()
    wait(lambda: textarea.get_attribute("value") != before, "le champ après la modification")
    assert geometry_in(textarea)["type"] == "Polygon"
    browser.find_element(By.CSS_SELECTOR, ".leaflet-pm-icon-edit").click()  # edit mode off

    # Delete it: the removal mode, then a click on the shape.
    browser.find_element(By.CSS_SELECTOR, ".leaflet-pm-icon-delete").click()
    ActionChains(browser).move_to_element_with_offset(zone, -10, 0).click().perform()
    wait(lambda: textarea.get_attribute("value") == "", "le champ vidé")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path")) == 2
    no_csp_violation(browser)


def test_textarea_drives_the_map_and_bad_text_is_kept_with_a_french_message(base, browser):
    from selenium.webdriver.common.by import By

    textarea = open_page(browser, base + "/")
    textarea.send_keys('{"type": "Polygon", "coordinates": [[[2.35, 48.85], [2.36')
    browser.find_element(By.CSS_SELECTOR, "button[name=action]").send_keys("")  # focus leaves: change
    error = wait(lambda: browser.find_element(By.ID, "perimetres-intervention-messages").text, "le message")
    assert "n'est pas un GeoJSON lisible" in error
    assert "fr-input-group--error" in browser.find_element(By.ID, "perimetres-intervention-groupe").get_attribute(
        "class"
    )
    assert textarea.get_attribute("value").startswith('{"type": "Polygon"')  # nothing typed is lost
    textarea.clear()
    textarea.send_keys(
        json.dumps({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}})
    )
    browser.find_element(By.CSS_SELECTOR, "button[name=action]").send_keys("")
    wait(
        lambda: len(browser.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path")) == 3, "le tracé sur la carte"
    )
    assert browser.find_element(By.ID, "perimetres-intervention-messages").text == ""


def test_import_geojson_and_kml_files(base, browser, tmp_path):
    from selenium.webdriver.common.by import By

    textarea = open_page(browser, base + "/?sans_import=1")  # GeoJSON read in the page itself
    upload = browser.find_element(By.ID, "perimetres-intervention-fichier")
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"nom": "A"}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}},
            {"type": "Feature", "properties": {"nom": "B"}, "geometry": {"type": "Polygon", "coordinates": [GARE]}},
        ],
    }
    (tmp_path / "perimetre.geojson").write_text(json.dumps(collection))
    upload.send_keys(str(tmp_path / "perimetre.geojson"))
    wait(lambda: textarea.get_attribute("value"), "le GeoJSON importé")
    assert geometry_in(textarea) == {"type": "MultiPolygon", "coordinates": [[SQUARE], [GARE]]}
    assert "Tracé importé" in browser.find_element(By.ID, "perimetres-intervention-fichier-messages").text

    coords = " ".join(f"{x},{y}" for x, y in SQUARE)
    kml = (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>'
        f"<name>Centre</name><Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"
    )
    (tmp_path / "centre.kml").write_text(kml)
    upload.send_keys(str(tmp_path / "centre.kml"))  # no reading route: the form's import button
    messages = browser.find_element(By.ID, "perimetres-intervention-fichier-messages")
    wait(lambda: "utilisez le bouton « Importer ce fichier »" in messages.text, "le renvoi au bouton")

    textarea = open_page(browser, base + "/")  # KML read by the server
    upload = browser.find_element(By.ID, "perimetres-intervention-fichier")
    upload.send_keys(str(tmp_path / "centre.kml"))
    wait(lambda: textarea.get_attribute("value"), "le KML lu par le serveur")
    assert geometry_in(textarea) == {"type": "Polygon", "coordinates": [SQUARE]}

    (tmp_path / "noeud.kml").write_text(
        kml.replace(coords, "2.35,48.85 2.353,48.852 2.353,48.85 2.35,48.852 2.35,48.85")
    )
    upload.send_keys(str(tmp_path / "noeud.kml"))
    message = wait(
        lambda: "se recoupe" in browser.find_element(By.ID, "perimetres-intervention-fichier-messages").text,
        "le message du contour qui se recoupe",
    )
    assert message
    assert geometry_in(textarea) == {"type": "Polygon", "coordinates": [SQUARE]}  # the previous shape stays
    no_csp_violation(browser)


def test_background_only_when_given_and_the_page_is_accessible(base, browser):
    from selenium.webdriver.common.by import By

    value = json.dumps({"type": "Polygon", "coordinates": [SQUARE]})
    open_page(browser, base + "/?fond=1&valeur=" + value)
    wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".leaflet-tile-loaded"), "les tuiles du fond")
    assert_accessible(browser, "carte des périmètres avec un fond")
    for width in (1280, 375):
        browser.set_window_size(width, 1000)
        open_page(browser, base + "/?erreur=" + "Géométrie invalide : le contour se recoupe lui-même")
        assert_accessible(browser, f"carte des périmètres à {width} px")
    browser.set_window_size(1280, 1000)
    no_csp_violation(browser)


def test_without_javascript_the_form_still_carries_the_field():
    html = render(value='{"type": "Polygon"}', error="Tracé invalide")
    assert 'name="perimetres.intervention"' in html and ">{&#34;type&#34;: &#34;Polygon&#34;}</textarea>" in html
    assert 'name="fichier_geometrie"' in html
    assert 'name="action" value="importer-geometrie:perimetres.intervention"' in html
    assert (
        'class="fr-message fr-message--error fr-error-text" id="perimetres-intervention-erreur">Tracé invalide' in html
    )
    assert "<script>" not in html and "style=" not in html


def test_the_other_perimetres_and_the_nesting_problems_of_a_dossier():
    loaded = load(SAMPLES / "saint-aubin")
    report = check_dossier(loaded.dossier, load_catalogue(), dt.date(2026, 11, 26), engine="python")
    layers = carte.contexte(loaded.dossier, "perimetres.intervention")
    assert [c["id"] for c in layers][:2] == [
        "champ-perimetres-etude",
        "champ-perimetres-secteurs_prioritaires-0-geometrie",
    ]
    assert layers[1]["nom"] == "Secteur prioritaire « Quartier de la gare »"
    assert layers[1]["geometrie"]["type"] == "Polygon"
    assert "champ-perimetres-intervention" not in [c["id"] for c in layers]
    found = carte.problemes(report.findings, "perimetres.intervention")
    assert found[0]["message"].startswith("Le secteur prioritaire « Quartier de la gare » déborde du périmètre")
    assert found[0]["couches"] == [
        "champ-perimetres-secteurs_prioritaires-0-geometrie",
        "champ-perimetres-intervention",
    ]
    assert all("conforme" not in p["message"] or "non" in p["message"] for p in found)
    # the same from the dossier as a dict (dossier.yaml, the form's data)
    as_dict = loaded.dossier.model_dump(mode="json")
    assert carte.contexte(as_dict, "perimetres.intervention") == layers
    html = render_with(layers, found)
    assert "Secteur prioritaire « Quartier de la gare »" in html and "déborde du périmètre" in html
    assert 'id="champ-perimetres-intervention"' in html  # the step's Champ.id, the problems' layer id


def render_with(contexte: list, problemes: list) -> str:
    template = templating.TEMPLATES.from_string('{% from "formulaire/_carte.html" import carte %}{{ carte(c, x, p) }}')
    champ = {"name": "perimetres.intervention", "label": "Périmètre d'intervention", "value": ""}
    return template.render(c=champ, x=contexte, p=problemes)


def test_the_app_reads_a_file_for_the_map(tmp_path):
    from fastapi.testclient import TestClient
    from test_service import PASSWORD

    from instruct.service import accounts
    from instruct.service.app import create_app
    from instruct.service.carte_pages import IMPORT_URL
    from instruct.service.usecases import SESSION_COOKIE

    app = create_app(f"sqlite:///{tmp_path / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        accounts.create_user(session, "villebelle", PASSWORD, "collectivite", commune_insee="99101")
        session.commit()
    kml = (
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>Centre</name><Polygon>'
        "<outerBoundaryIs><LinearRing><coordinates>"
        + " ".join(f"{x},{y}" for x, y in SQUARE)
        + "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"
    ).encode()
    with TestClient(app, base_url="http://127.0.0.1") as c:
        files = {"fichier": ("centre.kml", kml, "application/vnd.google-earth.kml+xml")}
        assert c.post(IMPORT_URL, files=files).status_code == 401
        r = c.post("/api/session", json={"identifiant": "villebelle", "mot_de_passe": PASSWORD})
        assert r.status_code == 200, r.text
        c.cookies.set(SESSION_COOKIE, r.json()["jeton"])
        assert c.post(IMPORT_URL, files=files, data={"csrf": "faux"}).status_code == 403
        csrf = accounts.csrf_token(r.json()["jeton"])
        r = c.post(IMPORT_URL, files=files, data={"csrf": csrf})
        assert r.status_code == 200, r.text
        assert r.json() == {"geometrie": {"type": "Polygon", "coordinates": [SQUARE]}}
        bad = {
            "fichier": ("noeud.geojson", json.dumps({"type": "Polygon", "coordinates": [BOWTIE]}), "application/json")
        }
        r = c.post(IMPORT_URL, files=bad, data={"csrf": csrf})
        assert r.status_code == 422 and "se recoupe" in r.json()["erreur"]


BOWTIE = [[2.35, 48.85], [2.353, 48.852], [2.353, 48.85], [2.35, 48.852], [2.35, 48.85]]


def test_a_step_field_and_the_background_from_the_environment(monkeypatch):
    from instruct.form import build
    from instruct.service.carte_pages import fond_carte

    (groupe,) = build("perimetres", {}, {})
    intervention = next(c for c in groupe.children if c.name == "perimetres.intervention")
    template = templating.TEMPLATES.from_string('{% from "formulaire/_carte.html" import carte %}{{ carte(c) }}')
    monkeypatch.delenv("ACV_FOND_CARTE", raising=False)
    html = template.render(c=intervention)
    assert 'id="champ-perimetres-intervention"' in html and 'data-fond=""' in html
    assert "Périmètre d&#39;intervention" in html
    tiles = "https://data.geopf.fr/wmts?LAYER=PLAN&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    monkeypatch.setenv("ACV_FOND_CARTE", tiles)
    assert fond_carte() == tiles
    assert 'data-fond="https://data.geopf.fr/wmts?LAYER=PLAN&amp;TILEMATRIX={z}' in template.render(c=intervention)
    assert "https://data.geopf.fr" in templating.csp()
    monkeypatch.setenv("ACV_FOND_CARTE", "javascript:alert(1)")
    assert fond_carte() == ""


def test_two_maps_on_a_page_share_their_scripts(base, browser):
    from selenium.webdriver.common.by import By

    browser.get(base + "/deux")
    active = ".carte[data-carte-active] .leaflet-pm-icon-polygon"
    wait(lambda: len(browser.find_elements(By.CSS_SELECTOR, active)) == 2, "2 cartes")
    assert len(browser.find_elements(By.CSS_SELECTOR, "script[src='/static/carte.js']")) == 1
    assert_accessible(browser, "deux cartes sur une page")
    no_csp_violation(browser)
