"""A page per rule (rules.documentation): every rule of the catalogue has one in the CLI's text
(`acv rules ID`), on the web (/regles/ID over a real server) and in the static site (`acv docs`);
each shows its conditions in French sentences, the whole history of the dated parameters it reads,
its example cases with their expected status, never a field path nor a parameter code. And every
status a rule can give, derived from its definition, is shown by an example case (tests/cases)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import httpx
import pytest
from axe import WIDTHS, assert_accessible, assert_no_horizontal_scroll, at_width, new_browser
from test_cases import CASES, _case_key
from test_service import Server
from test_web import _browser_or_skip

from instruct.cli.main import main
from instruct.cli.regles import builder, render_text
from instruct.facts import FACT_TYPES
from instruct.reports import checklist
from instruct.rules import documentation
from instruct.rules.catalogue import PLACEHOLDER, load_catalogue
from instruct.rules.documentation import PageBuilder, possible_statuses
from instruct.service.app import create_app
from instruct.vocabulary import STATUT_LIBELLES

# Statuses a rule's definition allows but no dossier can produce, with the reason (one line each).
UNREACHABLE = {
    ("X-07", "conforme"): "un fait de lecture n'existe que pour une valeur lue sous le seuil de confiance ou "
    "un élément cherché et non trouvé : toujours à vérifier",
}
# `[0]`, `[]`, `convention.cadre`; not a file name (« plan.pdf ») nor a site (« actionlogement.fr »)
FIELD_PATH = re.compile(
    r"\[\d*\]|\b[a-z_]+\.(?!(?:pdf|docx|odt|txt|csv|json|geojson|zip|kml|kmz|shp|fr|com|org|net|eu)\b)[a-z_]+\b(?!\.)"
)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module")
def pages():
    return {page.id: page for page in builder(None).pages()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("regles-site")
    assert main(["docs", "-o", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('regles') / 'acv.sqlite3'}")
    with Server(app) as base:
        yield base


class _Text(HTMLParser):
    """The text a reader sees, and the links of a page."""

    def __init__(self):
        super().__init__()
        self.parts, self.links, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def read_html(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()), parser.links


def rule_ids(catalogue) -> list[str]:
    return list(dict.fromkeys(rule.id for rs in catalogue.rulesets.values() for rule in rs.rules))


def assert_plain_french(text: str, catalogue, where: str) -> None:
    """No field path, no parameter code, no fact field name in what a reader sees."""
    assert not PLACEHOLDER.findall(text), f"{where} : {PLACEHOLDER.findall(text)[:5]} non remplacés"
    paths = sorted(set(FIELD_PATH.findall(text)))
    assert not paths, f"{where} : chemins de champ dans le texte : {paths[:10]}"
    codes = [name for name in catalogue.parameters if name in text]
    assert not codes, f"{where} : codes de paramètre dans le texte : {codes}"
    names = {name for spec in FACT_TYPES.values() for name in spec if "_" in name}
    words = set(re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", text))
    assert not words & names, f"{where} : noms de champ dans le texte : {sorted(words & names)[:10]}"


# --- every rule has a page, everywhere ------------------------------------------------------------


def test_every_rule_has_a_text_page_in_plain_french(catalogue, pages):
    assert list(pages) == rule_ids(catalogue)
    for rule_id, page in pages.items():
        text = render_text(page)
        assert text.startswith(f"{rule_id} — {page.title}")
        assert_plain_french(text, catalogue, f"acv rules {rule_id}")


def test_acv_rules_id_prints_the_page_and_an_unknown_id_is_refused(capsys):
    assert main(["rules", "prog-07"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PROG-07 — Durée d'initialisation")
    assert (
        "« durée de l'initialisation en mois » est inférieur ou égal à « durée maximale de la phase d'initialisation »"
        in out
    )
    assert main(["rules", "PROG-07", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "PROG-07" and data["parameters"][0]["values"][0] == {
        "start": "27/03/2018",
        "value": "18 mois",
        "until": None,
    }
    assert main(["rules", "PROG-99"]) == 2
    captured = capsys.readouterr()
    assert "règle inconnue « PROG-99 »" in captured.err and not captured.out
    assert main(["rules"]) == 0  # the listing is kept
    assert capsys.readouterr().out.startswith("PROG-01")


def test_every_rule_has_a_web_page_and_the_index_links_them(catalogue, pages, server):
    with httpx.Client(base_url=server, timeout=60) as client:
        index = client.get("/regles")
        assert index.status_code == 200
        text, links = read_html(index.text)
        assert [f"/regles/{i}" for i in rule_ids(catalogue)] == [link for link in links if link.startswith("/regles/")]
        for rule_id, page in pages.items():
            response = client.get(f"/regles/{rule_id}")
            assert response.status_code == 200, rule_id
            text, _ = read_html(response.text)
            assert f"{rule_id} — {page.title}" in text
            assert_plain_french(text, catalogue, f"/regles/{rule_id}")
        missing = client.get("/regles/PROG-99")
        assert missing.status_code == 404 and "Page introuvable" in missing.text
        for path in ("/plan-du-site", "/connexion"):  # the site map, and every page's footer
            assert 'href="/regles"' in client.get(path).text, path


def test_the_static_site_has_every_page_and_opens_from_the_file_system(catalogue, pages, site):
    text, links = read_html((site / "index.html").read_text(encoding="utf-8"))
    assert [f"{i}.html" for i in rule_ids(catalogue)] == [link for link in links if link.endswith(".html")]
    for rule_id, page in pages.items():
        html = (site / f"{rule_id}.html").read_text(encoding="utf-8")
        text, links = read_html(html)
        assert f"{rule_id} — {page.title}" in text
        assert_plain_french(text, catalogue, f"{rule_id}.html")
        for link in links:
            assert not link.startswith("/") and (site / link).is_file(), f"{rule_id}.html : lien {link}"
        for sheet in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
            assert (site / sheet).is_file(), sheet
    assert (site / "dsfr" / "fonts" / "Marianne-Regular.woff2").is_file()


# --- what a page says ----------------------------------------------------------------------------


def test_a_page_says_its_conditions_in_french_sentences(pages):
    prog07 = render_text(pages["PROG-07"])
    assert "Évaluée pour : le dossier (une fois)." in prog07
    assert "S'applique : toujours." in prog07
    assert "Informations nécessaires : « date de signature de la convention-cadre »." in prog07
    anah04 = pages["ANAH-04"].checks[0]
    assert anah04.scope.startswith("chaque dispositif de l'Anah dont « type de dispositif » vaut")
    assert [s.text for s in anah04.requirement] == [
        "« la convention ACV s'y réfère » : oui",
        "« périmètre du dispositif fourni » : oui",
    ]
    prog08 = render_text(pages["PROG-08"])
    assert "S'applique quand toutes ces conditions sont vraies :\n  - « phase du programme dont relève" in prog08
    assert "est au plus tard la date « date limite de signature de l'avenant (phase 1) »" in prog08
    assert "(paramètre daté : 31/03/2020 depuis le 27/03/2018)" in prog08
    anah10 = render_text(pages["ANAH-10"])
    assert "À vérifier par une personne quand :\n  - aucune de ces conditions n'est vraie :\n    - « état" in anah10
    prog02 = render_text(pages["PROG-02"])
    assert "S'applique quand :\n  - « signature requise » : oui\n" in prog02
    assert "Ce qui doit être vrai :\n  - « a signé la convention-cadre » : oui\n" in prog02


def test_a_page_shows_the_whole_history_of_each_parameter_it_reads(catalogue, pages, site):
    several = 0
    for rule_id, page in pages.items():
        html_text, _ = read_html((site / f"{rule_id}.html").read_text(encoding="utf-8"))
        names = list(
            dict.fromkeys(
                p for rule in catalogue.rulesets[page.ruleset].rules if rule.id == rule_id for p in rule.parameters
            )
        )
        assert [h.description for h in page.parameters] == [
            documentation.plain(catalogue.parameters[n].description) for n in names
        ]
        for name in names:
            param = catalogue.parameters[name]
            several += len(param.values) > 1
            for dated in param.values:
                start = f"{dated.start:%d/%m/%Y}"
                assert start in html_text, f"{rule_id} : {name} depuis le {start} absent"
                shown = documentation.display_parameter(param.unit, dated.value)
                assert " ".join(shown.split()) in html_text, f"{rule_id} : {name} = {shown} absent"
    assert several, "aucune règle ne lit un paramètre à plusieurs valeurs datées"
    history = next(h for page in pages.values() for h in page.parameters if len(h.values) > 1)
    assert history.values[0].until == history.values[1].start and history.values[-1].until is None


def test_a_page_shows_each_example_case_with_its_expected_status(pages, site):
    by_id: dict[str, str] = {}
    for rule_id in pages:
        by_id[rule_id] = read_html((site / f"{rule_id}.html").read_text(encoding="utf-8"))[0]
    for case in CASES:
        name = (
            case["name"].replace(case["check"], case["check"].replace("_", " ")) if case.get("check") else case["name"]
        )
        assert " ".join(name.split()) in by_id[case["rule"]], case["name"]
    example = next(e for e in pages["PROG-07"].checks[0].examples if "18 mois et un jour" in e.name)
    assert [(x.entity, x.status) for x in example.expected] == [("le dossier", "non_conforme")]
    lines = "\n".join(line for item in example.inputs for line in item.lines())
    assert "Date de signature : 28/09/2018" in lines and "Date de signature : 29/03/2020" in lines
    assert "Ce que le dossier donne Convention Convention-cadre Date de signature : 28/09/2018" in by_id["PROG-07"]
    assert "le dossier : non conforme" in by_id["PROG-07"]


def test_an_example_case_is_told_in_the_dossier_models_french_words(pages):
    x05 = " ".join(render_text(pages["X-05"]).split())
    assert "Budget de l'avenant - Montant total : 4 180 000,00 €" in x05  # an amount, not 4180000.0
    assert "pièce PDF « avenant » - page 1 : Avenant n° 1" in x05
    assert "Pièces déposées : aucune" in x05
    assert "=> concordance « 001 » : non conforme" in x05
    al_o_14 = " ".join(render_text(pages["AL-O-14"]).split())
    assert "Demande à Action Logement - Prêt demandé : 60 000,00 € - Durée du prêt (années) : 20" in al_o_14
    assert "Objet de la demande : « Travaux »" in al_o_14  # the choice's label, not its code


def test_every_fact_type_has_a_french_name():
    assert set(documentation.ENTITIES) == set(FACT_TYPES)


def test_without_the_example_cases_the_page_says_so(catalogue, tmp_path):
    page = PageBuilder(catalogue, cases_dir=tmp_path).page("PROG-07")
    assert "Les cas d'exemple ne sont pas disponibles dans cette installation." in render_text(page)


def test_a_page_names_the_checklists_that_list_the_rule(catalogue, pages):
    assert documentation.STAGE_TITLES == checklist.STAGE_TITLES
    listed: dict[str, set[tuple[str, str]]] = {}
    for partenaire in checklist.partners(catalogue):
        for stage, title in checklist.STAGE_TITLES.items():
            for item in checklist.items(catalogue, partenaire, stage, dt_today()):
                listed.setdefault(item["id"], set()).add((documentation.partner_label(partenaire), title))
    assert len(listed) > 20  # the checklists list rules: the comparison below is not between empty sets
    for rule_id, page in pages.items():
        assert {(c.partner, c.section) for c in page.checklists} == listed.get(rule_id, set()), rule_id


def dt_today():
    import datetime as dt

    return dt.date(2026, 11, 26)


# --- every status a rule can give has its example case --------------------------------------------


def test_every_status_a_rule_can_give_has_an_example_case(catalogue):
    """From each rule's definition (catalogue.py's order of evaluation): conforme always;
    non_conforme with a requirement; incomplet when a field it needs can be missing; a_verifier
    with a review; non_applicable with a condition. (A rule without a condition is also
    non_applicable when the dossier has no entity of its scope, or at a date before its parameters:
    the engine's doing, alike for every rule, so no case is asked for it.) Compared with the
    statuses the cases of tests/cases show."""
    shown: dict[str, set[str]] = {}
    for case in CASES:
        if not case.get("xfail"):
            shown.setdefault(_case_key(case), set()).update(set(case["expected"].values()) & set(STATUT_LIBELLES))
    missing = []
    for ruleset in catalogue.rulesets.values():
        for rule in ruleset.rules:
            wanted = set(possible_statuses(rule))
            if rule.condition is None:  # then it comes from the engine alone, alike for every rule
                wanted.discard("non_applicable")
            for status in sorted(wanted):
                if status not in shown.get(rule.key, set()) and (rule.id, status) not in UNREACHABLE:
                    missing.append(f"{rule.key} : {status}")
    assert not missing, f"{len(missing)} statut(s) sans cas d'exemple : " + ", ".join(missing)


def test_no_case_shows_a_status_the_derivation_says_impossible(catalogue):
    """The derivation checked against the engine: the cases run on both engines (test_cases.py)."""
    rules = {rule.key: rule for rs in catalogue.rulesets.values() for rule in rs.rules}
    wrong = []
    for case in CASES:
        if case.get("xfail"):
            continue
        possible = set(possible_statuses(rules[_case_key(case)])) | {"non_applicable"}  # no entity: any rule
        wrong += [f"{case['name']} : {s}" for s in set(case["expected"].values()) & set(STATUT_LIBELLES) - possible]
    assert not wrong, wrong


def test_the_unreachable_statuses_are_not_shown_by_any_case():
    for case in CASES:
        for (rule_id, status), reason in UNREACHABLE.items():
            if case["rule"] == rule_id:
                assert status not in case["expected"].values(), f"{case['name']} : {reason}"


def test_the_derivation_follows_the_definition(catalogue):
    rules = {rule.key: rule for rs in catalogue.rulesets.values() for rule in rs.rules}
    assert list(possible_statuses(rules["PROG-05"])) == ["conforme", "incomplet"]  # no requirement, no condition
    assert "a_verifier" in possible_statuses(rules["PROG-01"]) and "non_applicable" not in possible_statuses(
        rules["PROG-01"]
    )
    assert "non_applicable" in possible_statuses(rules["PROG-07"])  # a parameter from 27/03/2018
    assert "non_applicable" in possible_statuses(rules["PROG-06"])  # a condition


# --- accessibility -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _browser_or_skip()
    driver = new_browser(tmp_path_factory.mktemp("profil"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_rules_pages_are_accessible(server, site, browser, width):
    """On the service, and in the static site opened from the file system."""
    at_width(browser, width)
    for url in (server + "/regles", server + "/regles/PROG-15", (site / "AL-O-14.html").as_uri()):
        browser.get(url)
        assert_accessible(browser, f"{url} à {width} px")
        assert_no_horizontal_scroll(browser, f"{url} à {width} px")
        assert browser.find_element("css selector", "h1").text
        font = browser.execute_script("return getComputedStyle(document.body).fontFamily")
        assert "Marianne" in font, f"{url} : la feuille de style du DSFR n'est pas chargée ({font})"
