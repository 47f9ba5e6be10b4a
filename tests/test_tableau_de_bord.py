"""The national dashboard tells the truth when filtered (issue 18): from a small real batch (the
sample dossiers moved to real communes, a referentiel with the ORT registry disagreeing with some
of them), in headless Chromium: the caption counts the rows shown, filters by verdict, rule and
département (combined), every column sorts, départements are named, a rule whose gaps only wait
for a person (ORT-09, the registry) comes after the real gaps; axe at 1280 and 375 px."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata

import pytest
from axe import assert_accessible, assert_no_horizontal_scroll, at_width, new_browser
from conftest import SAMPLES
from test_web import _browser_or_skip

from instruct.batch import dashboard
from instruct.batch import run as batch
from instruct.batch.outputs import write_outputs
from instruct.batch.settings import make_settings, synthesis_catalogue
from instruct.batch.synthesis import global_verdict, rule_stats
from instruct.referentiel.departements import DEPARTEMENTS, departement_libelle, departement_nom
from instruct.referentiel.territoires import REGION_OF
from instruct.vocabulary import VERDICT_LIBELLES

DAY = dt.date(2026, 11, 26)
ORT_HEADER = (
    'Commune,EPCI,Département,Région,Code commune,Statut de la commune,Signée ?,"Si signée, date de signature",'
    '"Si non signée, date de signature envisagée",Durée (en années),Date de fin estimée,Remarques,Avancement,'
    "ACV,PVD,longitude,latitude,Dernière actualisation\n"
)
SAMPLE_NAMES = {
    "villebelle": "Villebelle",
    "saint-aubin": "Saint-Aubin-les-Forges",
    "montclair": "Montclair-sur-Lys",
    "belcastel": "Belcastel-sur-Orne",
}
# label, sample, its INSEE, the real commune, its name, the registry's date of the ORT, pieces copied
TOWNS = [
    ("bourgogne/chalon", "villebelle", "99101", "71076", "Chalon-sur-Saône", "2019-12-13", False),
    ("bourgogne/macon", "villebelle", "99101", "71270", "Mâcon", "2019-12-10", False),
    ("bourgogne/autun", "villebelle", "99101", "71014", "Autun", "2020-03-02", False),
    ("corse/ajaccio", "villebelle", "99101", "2A004", "Ajaccio", "2020-02-01", False),
    ("centre/dreux", "saint-aubin", "99103", "28134", "Dreux", "2019-12-13", True),
    ("grand-est/epernay", "montclair", "99102", "51230", "Épernay", "2019-12-13", False),
    ("reunion/saint-pierre", "belcastel", "99104", "97416", "Saint-Pierre", "2019-12-13", False),
]


@pytest.fixture(scope="module")
def lot(tmp_path_factory):
    """The batch's rows and its output folder."""
    base = tmp_path_factory.mktemp("tableau")
    root, ref = base / "lot", base / "referentiel"
    ref.mkdir()
    for label, sample, code, insee, name, _, pieces in TOWNS:
        text = (SAMPLES / sample / "dossier.yaml").read_text(encoding="utf-8")
        text = text.replace(code, insee).replace(SAMPLE_NAMES[sample], name)
        if label == "bourgogne/macon":  # one real gap (ORT-02, incomplet) only this town has
            text = text.replace("  projet_revitalisation: true\n", "", 1)
        (root / label).mkdir(parents=True)
        (root / label / "dossier.yaml").write_text(text, encoding="utf-8")
        if pieces:
            shutil.copytree(SAMPLES / sample / "pieces", root / label / "pieces")
    broken = root / "bretagne" / "cassé"
    broken.mkdir(parents=True)
    (broken / "dossier.yaml").write_text("id: casse\ncollectivites:\n  ville_centre: [\n", encoding="utf-8")
    (ref / "acv-communes.csv").write_text(
        "insee_com,lib_com,id_acv\n" + "".join(f"{t[3]},{t[4]},ACV{k}\n" for k, t in enumerate(TOWNS)),
        encoding="utf-8",
    )
    (ref / "ort-communes.csv").write_text(
        ORT_HEADER
        + "".join(f"{t[4]},E,D,R,{t[3]},1. Commune ACV,Signée,{t[5]},,5,,,,true,false,1,48,\n" for t in TOWNS),
        encoding="utf-8",
    )
    settings, catalogue = make_settings(DAY, None, ref)
    out = base / "sortie"
    outcome = batch.run_batch([root], out, settings, runner=batch.local_runner(1), cache=None, resume=False)
    rulesets, rules = synthesis_catalogue(catalogue, None)
    meta = {"date": DAY.isoformat(), "genere_le": "2026-11-26T09:30:00+00:00", "regles": catalogue.digest}
    write_outputs(out, outcome.rows, rulesets, rules, meta)
    return outcome.rows, rulesets, rules, out


def name_of(row: dict) -> str:
    return row["commune"] or row["dossier"]


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def test_departements_are_the_official_list():
    assert set(DEPARTEMENTS) == set(REGION_OF) and len(DEPARTEMENTS) == 101  # every département of a région
    assert departement_libelle("71") == "71 – Saône-et-Loire" and departement_nom("2B") == "Haute-Corse"
    assert departement_libelle("974") == "974 – La Réunion" and departement_libelle("2A") == "2A – Corse-du-Sud"
    assert departement_libelle("99") == "99" and departement_libelle(None) is None  # a fictitious town: its code


def test_the_lot_has_what_the_dashboard_checks_need(lot):
    """ORT-09 only waits for a person (the registry), in more dossiers than ORT-02 has a real gap:
    ranked by dossiers alone it would come first; it comes after every rule with a real gap."""
    rows, rulesets, rules, _ = lot
    by = {r["dossier"]: r for r in rows}
    ort09 = [r["dossier"] for r in rows if "ORT-09" in (r["regles_en_ecart"] or {})]
    assert {by[d]["regles_en_ecart"]["ORT-09"] for d in ort09} == {"a_verifier"} and len(ort09) >= 4
    assert by["bourgogne/macon"]["regles_en_ecart"].get("ORT-02") == "incomplet"
    assert "ORT-02" not in by["bourgogne/chalon"]["regles_en_ecart"] and by["bretagne/cassé"]["etat"] == "erreur"
    stats = rule_stats(rows, rulesets, rules)
    ranked = [s["regle"] for s in stats]
    waiting_only = [s["regle"] for s in stats if s["reels"] == 0]
    assert "ORT-09" in waiting_only and ranked[-len(waiting_only) :] == waiting_only
    ort09_total = next(s["total"] for s in stats if s["regle"] == "ORT-09")
    assert any(0 < s["total"] < ort09_total for s in stats if s["reels"])  # real gaps in fewer dossiers, above


def test_a_verdict_the_vocabulary_adds_reaches_the_page_as_data(monkeypatch):
    """Nothing lists the verdicts but the vocabulary: one more there is filtered, counted and shown."""
    from test_batch_outputs import META, RULES, RULESETS, row

    new = "aucun_point_applicable"
    monkeypatch.setattr(dashboard, "VERDICTS", (*VERDICT_LIBELLES, new, "erreur"))
    monkeypatch.setitem(dashboard.VERDICT_LABEL, new, "aucun point applicable")
    rows = [row("a/b", "Autun", "71014", "71", "27", "Bourgogne-Franche-Comté", verdicts={"ANRU": new})]
    html = dashboard.render_dashboard(rows, RULESETS, RULES, META)
    assert f'<option value="{new}">aucun point applicable</option>' in html
    assert f'id="n-{new}">0</b>' in html and '<td class="vx">• aucun point applicable</td>' in html
    data = html.split('id="donnees">')[1].split("</script>")[0]
    assert f'["{new}","aucun point applicable"]' in data and '"71","27","71 – Saône-et-Loire"' in data


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _browser_or_skip()
    driver = new_browser(tmp_path_factory.mktemp("profil"))
    try:
        yield driver
    finally:
        driver.quit()


def test_filters_sorting_and_ranking_in_a_browser(lot, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    rows, _, _, out = lot
    find, finds = browser.find_element, browser.find_elements
    at_width(browser, 1280)
    browser.get((out / "tableau-de-bord.html").as_uri())
    WebDriverWait(browser, 10).until(lambda b: find(By.ID, "f-verdict").is_displayed())
    names = [name_of(r) for r in rows]
    trs = finds(By.CSS_SELECTOR, "#matrice tbody tr")
    by_tr = {tr.id: name for tr, name in zip(trs, names)}  # the rows in the page's first order are the batch's
    headers = [th.text.replace("▲", "").replace("▼", "").strip() for th in finds(By.CSS_SELECTOR, "#matrice thead th")]

    def shown() -> list[str]:
        return [by_tr[tr.id] for tr in finds(By.CSS_SELECTOR, "#matrice tbody tr") if tr.is_displayed()]

    def count() -> tuple[int, int]:
        caption = find(By.ID, "compte").text
        match = re.fullmatch(r"(\d+) dossiers? affichés? sur (\d+)", caption.replace("\u202f", ""))
        assert match, caption
        return int(match[1]), int(match[2])

    def check(expected: list[str]) -> None:
        assert sorted(shown()) == sorted(expected) and count() == (len(expected), len(rows))
        assert find(By.ID, "n-dossiers").text == str(len(expected))

    def select(field: str, value: str) -> None:
        Select(find(By.ID, field)).select_by_value(value)

    def bars() -> list[tuple[str, int]]:
        found = finds(By.CSS_SELECTOR, "#barres li")
        return [(li.get_attribute("data-regle"), int(li.get_attribute("data-reels"))) for li in found]

    assert find(By.ID, "compte").get_attribute("aria-live") == "polite"
    check(names)

    # départements by name, in the filter and in the rows
    options = [o.text for o in Select(find(By.ID, "f-dep")).options]
    assert {"71 – Saône-et-Loire", "2A – Corse-du-Sud", "974 – La Réunion", "51 – Marne"} <= set(options)
    dep_column = headers.index("Département")
    cells = {by_tr[tr.id]: tr.find_elements(By.CSS_SELECTOR, "th, td")[dep_column].text for tr in trs}
    assert cells["Chalon-sur-Saône"] == "71 – Saône-et-Loire" and cells["Ajaccio"] == "2A – Corse-du-Sud"

    # by département: ORT-02 (one real gap) before ORT-09 (two dossiers, only waiting for a person)
    select("f-dep", "71")
    check(["Chalon-sur-Saône", "Mâcon", "Autun"])
    ranked = bars()
    assert ranked[-1] == ("ORT-09", 0) and ("ORT-02", 1) in ranked and all(real > 0 for _, real in ranked[:-1])
    assert "attente" in find(By.CSS_SELECTOR, "#barres li:last-child").get_attribute("class")
    assert "Saône-et-Loire" in find(By.ID, "etat-filtre").text

    # by rule, combined with the département, then alone
    select("f-regle", "ORT-09")
    check(["Chalon-sur-Saône", "Autun"])
    select("f-dep", "")
    check([name_of(r) for r in rows if "ORT-09" in (r["regles_en_ecart"] or {})])

    # by verdict, combined with the rule, then alone; each shown row says that verdict
    verdict_column = headers.index("Verdict")
    for verdict in [*VERDICT_LIBELLES, "erreur"]:
        select("f-verdict", verdict)
        expected = [name_of(r) for r in rows if global_verdict(r) == verdict]
        check([n for n in expected if n in [name_of(r) for r in rows if "ORT-09" in (r["regles_en_ecart"] or {})]])
        select("f-regle", "")
        check(expected)
        label = "illisible" if verdict == "erreur" else VERDICT_LIBELLES[verdict]
        for tr in finds(By.CSS_SELECTOR, "#matrice tbody tr"):
            if tr.is_displayed():
                assert tr.find_elements(By.CSS_SELECTOR, "th, td")[verdict_column].text.endswith(" " + label)
        select("f-regle", "ORT-09")
    select("f-verdict", "")
    select("f-regle", "")
    check(names)

    # sorting: a number column as numbers, a text column in French order; aria-sort follows
    def column(name: str) -> list[str]:
        k = headers.index(name)
        cells = [tr.find_elements(By.CSS_SELECTOR, "th, td") for tr in finds(By.CSS_SELECTOR, "#matrice tbody tr")]
        return [line[k].text if len(line) > k else "" for line in cells]

    def sort(name: str) -> None:
        th = f"th[normalize-space(.)='{name}' or starts-with(normalize-space(.), '{name} ')]"
        button = find(By.XPATH, f"//table[@id='matrice']/thead//{th}/button")
        # out of the sticky first column's way, as a user scrolls the table to it
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", button)
        button.click()

    sort("Écarts à traiter")
    real = [int(v) for v in column("Écarts à traiter") if v.isdigit()]
    assert real == sorted(real) and real[-1] >= 10 > real[0]  # 10 after 9, not after 1
    th = find(By.XPATH, "//table[@id='matrice']/thead//th[starts-with(normalize-space(.), 'Écarts')]")
    assert th.get_attribute("aria-sort") == "ascending"
    assert len(finds(By.CSS_SELECTOR, "#matrice thead th[aria-sort]")) == 1
    sort("Écarts à traiter")
    assert [int(v) for v in column("Écarts à traiter") if v.isdigit()] == sorted(real, reverse=True)
    assert th.get_attribute("aria-sort") == "descending"

    # by verdict, the gravest first: within a verdict, more real gaps first, then more waiting ones
    sort("Verdict")
    sort("Verdict")
    order = [*VERDICT_LIBELLES, "erreur"]
    labels = {("illisible" if v == "erreur" else VERDICT_LIBELLES[v]): k for k, v in enumerate(order)}
    keys = [
        (labels[verdict.split(" ", 1)[1]], int(real or 0), int(waiting or 0))
        for verdict, real, waiting in zip(column("Verdict"), column("Écarts à traiter"), column("À vérifier"))
    ]
    assert keys == sorted(keys, reverse=True) and keys[0][0] == order.index("erreur")
    assert len({k[0] for k in keys}) > 1 and len({k[1] for k in keys if k[0] == keys[1][0]}) > 1

    sort("Commune")
    communes = [text.split("\n")[0] for text in column("Commune")]
    assert communes == sorted(names, key=fold) and communes.index("Épernay") < communes.index("Mâcon")
    sort("Commune")
    assert [text.split("\n")[0] for text in column("Commune")] == sorted(names, key=fold, reverse=True)
    assert th.get_attribute("aria-sort") is None

    # sorted and filtered at once, then accessible at both widths
    select("f-dep", "71")
    check(["Chalon-sur-Saône", "Mâcon", "Autun"])
    assert shown() == ["Mâcon", "Chalon-sur-Saône", "Autun"]  # still in reverse French order
    assert_accessible(browser, "le tableau de bord filtré et trié à 1280 px")
    at_width(browser, 375)
    browser.get((out / "tableau-de-bord.html").as_uri())
    WebDriverWait(browser, 10).until(lambda b: find(By.ID, "f-verdict").is_displayed())
    select("f-regle", "ORT-09")
    assert_accessible(browser, "le tableau de bord filtré à 375 px")
    assert_no_horizontal_scroll(browser, "le tableau de bord à 375 px")
