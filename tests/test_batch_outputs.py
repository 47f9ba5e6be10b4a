"""The national synthesis of acv batch: synthese.csv, synthese.xlsx and tableau-de-bord.html, from
hand-made rows (an unreadable dossier, hostile names, Corse, a town without région), and the
dashboard's filters in a real headless Chromium (skipped without it unless ACV_REQUIRE_BROWSER=1)."""

import csv
import json
from html.parser import HTMLParser

import pytest
import test_web
from openpyxl import load_workbook

from instruct.batch.outputs import write_outputs

browser = test_web.browser  # Debian's chromium + chromedriver, headless; skips (or fails) as test_web does

RULESETS = [
    {"code": c, "titre": t, "partenaire": p}
    for c, t, p in [
        ("PROG", "Programme Action Cœur de Ville", "programme"),
        ("AL-V", "Action Logement — dossier ville", "action-logement"),
        ("AL-O", "Action Logement — dossier opérateur", "action-logement"),
        ("ANAH", "Anah", "anah"),
        ("ANRU", "ANRU", "anru"),
        ("ORT", "Opération de revitalisation de territoire", "ort"),
        ("X", "Cohérence entre partenaires", "coherence"),
    ]
]
RULES = {
    "PROG-04": {
        "titre": "Contenu de la convention-cadre",
        "severite": "bloquant",
        "jeu": "PROG",
        "source": "Guide ACV",
    },
    "AL-O-12": {
        "titre": 'Contreparties <locatives> & "réservations"',
        "severite": "majeur",
        "jeu": "AL-O",
        "source": "AL",
    },
    "ORT-02": {"titre": "Périmètre de l'ORT", "severite": "bloquant", "jeu": "ORT", "source": "CCH L303-2"},
    "X-03": {"titre": "Double financement", "severite": "majeur", "jeu": "X", "source": "—"},
}
META = {
    "date": "2026-11-26",
    "genere_le": "2026-11-26T09:30:00+00:00",
    "regles": "d1g3st",
    "dossiers": 7,
    "erreurs": 1,
    "duree_s": 4.2,
    "version": "0.1.0",
}
SCRIPT_NAME = 'Saint-"Quote" <script>alert(1)</script>'
FORMULA = '=HYPERLINK("http://exemple.invalid","clic")'
ALL_OK = dict.fromkeys(["PROG", "AL-V", "AL-O", "ANAH", "ANRU", "ORT", "X"], "recevable")


def row(dossier, commune, insee, dep, region, region_nom, *, verdicts=None, gaps=None, blocking=(), html=True, **extra):
    gaps = gaps or {}
    verdicts = {**ALL_OK, **(verdicts or {})}
    slug = dossier.replace("/", "-")
    r = {
        "dossier": dossier,
        "commune": commune,
        "insee": insee,
        "departement": dep,
        "region": region,
        "region_nom": region_nom,
        "fictif": False,
        "etat": "evalue",
        "erreur": None,
        "recevable": all(v == "recevable" for v in verdicts.values()),
        "verdicts": verdicts,
        "ecarts": {"bloquant": len(blocking), "majeur": 1 if gaps else 0, "mineur": 0, "info": 0},
        "premiers_bloquants": [
            {"regle": g, "entite": e, "statut": gaps.get(g, "non_conforme"), "message": m} for g, e, m in blocking
        ],
        "regles_en_ecart": dict(sorted(gaps.items())),
        "rapport_json": f"rapports/{slug}.json",
        "rapport_html": f"rapports/{slug}.html" if html else None,
        "cache": False,
        "duree_s": 0.4,
    }
    r.update(extra)
    return r


ROWS = [
    row(
        "occitanie/belcastel",
        "Belcastel",
        "12025",
        "12",
        "76",
        "Occitanie",
        verdicts={"PROG": "non_recevable", "AL-O": "incomplet"},
        gaps={"PROG-04": "non_conforme", "AL-O-12": "incomplet"},
        blocking=[
            ("PROG-04", "Convention-cadre", "La convention-cadre n'est pas signée"),
            ("PROG-04", "Annexe financière", "-1 jour de retard"),
        ],
        cache=True,
    ),
    row(
        "ara/quote",
        SCRIPT_NAME,
        "01053",
        "01",
        "84",
        "Auvergne-Rhône-Alpes",
        verdicts={"PROG": "incomplet", "X": "incomplet"},
        gaps={"PROG-04": "incomplet", "X-03": "a_verifier"},
        blocking=[("PROG-04", '"onmouseover=alert(1) x="', "<img src=x onerror=alert(2)> & co")],
    ),
    row(
        "ara/annecy",
        "Annecy",
        "74010",
        "74",
        "84",
        "Auvergne-Rhône-Alpes",
        verdicts={"X": "incomplet"},
        gaps={"X-03": "incomplet"},
    ),
    row(
        FORMULA,
        "+Plouhinec",
        "29197",
        "29",
        "53",
        "Bretagne",
        verdicts={"PROG": "incomplet"},
        gaps={"PROG-04": "a_verifier"},
        rapport_html="javascript:alert(3)",
    ),
    row("corse/ajaccio", "Ajaccio", "2A004", "2A", "94", "Corse", html=False),
    row(
        "fictives/villebelle",
        "Villebelle",
        "99101",
        "99",
        None,
        None,
        fictif=True,
        verdicts={"PROG": "non_recevable", "ORT": "non_recevable"},
        gaps={"PROG-04": "non_conforme", "ORT-02": "non_conforme"},
        blocking=[("ORT-02", "ORT", "Périmètre absent")],
    ),
    {
        "dossier": "bretagne/cassé",
        "commune": None,
        "insee": None,
        "departement": None,
        "region": None,
        "region_nom": None,
        "fictif": False,
        "etat": "erreur",
        "erreur": "bretagne/cassé/dossier.yaml, ligne 3 : crochet non fermé\n  [ <b>",
        "recevable": None,
        "verdicts": {},
        "ecarts": dict.fromkeys(["bloquant", "majeur", "mineur", "info"], 0),
        "premiers_bloquants": [],
        "regles_en_ecart": {},
        "rapport_json": None,
        "rapport_html": None,
        "cache": False,
        "duree_s": 0.0,
    },
]
HEADER = [
    "dossier",
    "commune",
    "insee",
    "departement",
    "region",
    "region_nom",
    "etat",
    "erreur",
    "recevable",
    "PROG",
    "AL-V",
    "AL-O",
    "ANAH",
    "ANRU",
    "ORT",
    "X",
    "nb_bloquant",
    "nb_majeur",
    "nb_mineur",
    "nb_info",
    "premiers_bloquants",
    "rapport_json",
    "rapport_html",
    "cache",
]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lot") / "sortie"
    paths = write_outputs(folder, ROWS, RULESETS, RULES, META)
    assert [p.name for p in paths] == ["synthese.csv", "synthese.xlsx", "tableau-de-bord.html"]
    assert all(p.is_file() and p.parent == folder for p in paths)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)  # no temporary file left
    return folder


def test_csv_for_french_excel(out):
    raw = (out / "synthese.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(out / "synthese.csv", encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert table[0] == HEADER
    lines = [dict(zip(HEADER, cells)) for cells in table[1:]]
    assert len(lines) == len(ROWS) and all(len(cells) == len(HEADER) for cells in table)
    belcastel, quote, annecy, formula, ajaccio, villebelle, broken = lines
    assert (
        belcastel["PROG"] == "non_recevable" and belcastel["AL-O"] == "incomplet" and belcastel["ANAH"] == "recevable"
    )
    assert belcastel["recevable"] == "non" and ajaccio["recevable"] == "oui" and broken["recevable"] == ""
    assert (
        belcastel["nb_bloquant"] == "2"
        and belcastel["nb_majeur"] == "1"
        and belcastel["cache"] == "oui"
        and quote["cache"] == "non"
    )
    assert belcastel["premiers_bloquants"] == (
        "PROG-04 (Convention-cadre) : La convention-cadre n'est pas signée"
        " | PROG-04 (Annexe financière) : -1 jour de retard"
    )
    assert quote["commune"] == SCRIPT_NAME  # quotes survive the CSV quoting
    assert ajaccio["departement"] == "2A" and ajaccio["region_nom"] == "Corse" and ajaccio["rapport_html"] == ""
    assert villebelle["region"] == "" and villebelle["region_nom"] == ""
    assert (
        broken["etat"] == "erreur"
        and broken["erreur"] == ROWS[-1]["erreur"]
        and broken["PROG"] == ""
        and broken["nb_bloquant"] == "0"
    )
    # formula injection: a leading apostrophe, the rest intact
    assert formula["dossier"] == "'" + FORMULA and formula["commune"] == "'+Plouhinec"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cells in table for cell in cells)


def test_xlsx_sheets_colours_and_rule_counts(out):
    wb = load_workbook(out / "synthese.xlsx")
    assert wb.sheetnames == ["Synthèse", "Règles", "Paramètres"]
    ws = wb["Synthèse"]
    assert [c.value for c in ws[1]] == HEADER and ws["A1"].font.bold
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:X{len(ROWS) + 1}"
    col = {name: i + 1 for i, name in enumerate(HEADER)}
    belcastel = [c.value for c in ws[2]]
    assert belcastel[:3] == ["occitanie/belcastel", "Belcastel", "12025"] and belcastel[col["recevable"] - 1] == "non"
    assert ws.cell(6, col["recevable"]).value == "oui" and ws.cell(6, col["insee"]).value == "2A004"
    assert ws.cell(2, col["nb_bloquant"]).value == 2  # counts are numbers
    prog = ws.cell(2, col["PROG"])
    assert prog.value == "non_recevable" and prog.fill.fgColor.rgb.endswith("F9D0D0")
    assert ws.cell(2, col["AL-O"]).fill.fgColor.rgb.endswith("FFE8A8") and ws.cell(
        2, col["ANAH"]
    ).fill.fgColor.rgb.endswith("D7F0DD")
    assert ws.cell(8, col["etat"]).value == "erreur" and ws.cell(8, col["PROG"]).fill.fgColor.rgb.endswith("E4E4E4")
    formula = ws.cell(5, col["dossier"])
    assert formula.value == "'" + FORMULA and formula.data_type == "s"
    assert all(cell.data_type != "f" for line in ws.iter_rows() for cell in line)
    assert 8 <= ws.column_dimensions["A"].width <= 60

    rules = [[c.value for c in line] for line in wb["Règles"].iter_rows()]
    assert rules[0] == [
        "règle",
        "titre",
        "sévérité",
        "jeu",
        "communes en écart",
        "dont non conformes",
        "dont incomplètes",
        "dont à vérifier",
    ]
    assert rules[1] == ["PROG-04", "Contenu de la convention-cadre", "bloquant", "PROG", 4, 2, 1, 1]
    # one real gap each (the non conforme first), then the one also waiting for a person (à vérifier)
    assert [r[0] for r in rules[2:]] == ["ORT-02", "X-03", "AL-O-12"]
    assert rules[3] == ["X-03", "Double financement", "majeur", "X", 2, 0, 1, 1]
    assert rules[2][4:] == [1, 1, 0, 0] and rules[4][4:] == [1, 0, 1, 0]
    params = {line[0].value: line[1].value for line in wb["Paramètres"].iter_rows(min_row=2)}
    assert (
        params["Date d'évaluation"] == "2026-11-26"
        and params["Empreinte des règles"] == "d1g3st"
        and params["Dossiers"] == 7
    )


class Dashboard(HTMLParser):
    """What the dashboard checks need: scripts, links and resources, matrix rows, bars, counts."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.scripts, self.urls, self.handlers, self.rows, self.bars, self.ids = [], [], [], [], [], {}
        self.hidden_rows, self.stack, self.text, self.script_text = 0, [], {}, []
        self.in_tbody = self.in_script = False
        self.capture = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.handlers += [name for name in a if name.startswith("on")]
        self.urls += [
            (tag, name, value)
            for name, value in attrs
            if name in {"src", "href", "action", "srcset", "poster", "data", "formaction"}
        ]
        if tag in {"link", "iframe", "img", "object", "embed", "base"}:
            self.urls.append((tag, "element", a.get("src") or a.get("href") or ""))
        if tag == "script":
            self.scripts.append(a)
            self.in_script = True
            self.script_text.append("")
        if tag == "tbody":
            self.in_tbody = True
        if tag == "tr" and self.in_tbody:
            self.rows.append({"hidden": "hidden" in a, "text": "", "links": []})
        if tag == "a" and self.in_tbody:
            self.rows[-1]["links"].append(a.get("href"))
        if tag == "li" and "data-regle" in a:
            self.bars.append((a["data-regle"], int(a["data-n"])))
        if "id" in a:
            self.ids[a["id"]] = a
            self.capture = (a["id"], tag)
            self.text[a["id"]] = ""

    def handle_endtag(self, tag):
        if self.capture and self.capture[1] == tag:
            self.capture = None
        if tag == "tbody":
            self.in_tbody = False
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.script_text[-1] += data
        elif self.in_tbody and self.rows:
            self.rows[-1]["text"] += data
        if self.capture:
            self.text[self.capture[0]] += data


@pytest.fixture(scope="module")
def page(out):
    html = (out / "tableau-de-bord.html").read_text(encoding="utf-8")
    return html, Dashboard(html)


def test_dashboard_is_self_contained_and_inert(page):
    html, d = page
    assert '<html lang="fr">' in html and 'name="viewport"' in html
    # only our two scripts: the JSON data and the inline code; nothing loaded from anywhere
    assert d.scripts == [{"type": "application/json", "id": "donnees"}, {}]
    assert d.handlers == [], "aucun attribut on… (onmouseover, onerror) dans la page"
    assert ("a", "href", "#contenu") in d.urls  # the skip link
    for tag, name, value in d.urls:
        assert tag == "a" and name == "href", (tag, name, value)
        assert value.startswith(("rapports/", "#", "javascript%3A")), (
            value
        )  # relative, and no scheme (javascript:, http:, //)
    lowered = html.lower()
    assert (
        "url(" not in lowered
        and "@import" not in lowered
        and "http://" not in lowered.replace("http://exemple.invalid", "")
        and "https:" not in lowered
        and 'src="//' not in lowered
    )
    # the hostile values are text, not markup
    assert "<script>alert(1)" not in html and "<img src=x" not in html and '"onmouseover' not in html
    assert SCRIPT_NAME in d.rows[1]["text"] and "<img src=x onerror=alert(2)> & co" in d.rows[1]["text"]
    data = json.loads(d.script_text[0])
    assert "</" not in d.script_text[0] and len(data["lignes"]) == len(ROWS)
    assert data["regles"][0] == ["PROG-04", "Contenu de la convention-cadre"]
    assert any(r[0] == "AL-O-12" and r[1] == RULES["AL-O-12"]["titre"] for r in data["regles"])


def test_dashboard_matrix_counts_filters_and_bars(page):
    html, d = page
    assert len(d.rows) == len(ROWS) and not any(r["hidden"] for r in d.rows)  # without JS everything is shown
    assert "hidden" in d.ids["filtres"]  # the filters appear only when the script runs
    assert d.rows[0]["links"] == ["rapports/occitanie-belcastel.html"]
    assert d.rows[4]["links"] == ["rapports/corse-ajaccio.json"]  # no HTML report: the JSON one
    assert d.rows[3]["links"] == ["javascript%3Aalert%283%29"]  # a relative path, not a scheme
    assert d.rows[6]["links"] == [] and "crochet non fermé" in d.rows[6]["text"] and "illisible" in d.rows[6]["text"]
    assert (
        "✘ non recevable" in d.rows[0]["text"] and "PROG-04" in d.rows[0]["text"] and "(+ 1 autre)" in d.rows[0]["text"]
    )
    assert "✔ recevable" in d.rows[4]["text"] and "fictif" in d.rows[5]["text"]
    counts = {k: d.text[f"n-{k}"] for k in ["dossiers", "recevable", "incomplet", "non_recevable", "erreur"]}
    assert counts == {"dossiers": "7", "recevable": "1", "incomplet": "3", "non_recevable": "2", "erreur": "1"}
    assert d.bars[0] == ("PROG-04", 4) and d.bars[2] == ("X-03", 2) and len(d.bars) == 4
    for region in ['value="76">Occitanie<', 'value="94">Corse<', 'value="_">Région non renseignée<']:
        assert region in html
    dep_select = html.split('<select id="f-dep">')[1].split("</select>")[0]
    deps = [line.split('"')[1] for line in dep_select.split("<option value=")[2:]]
    assert deps == ["01", "12", "2A", "29", "74", "99", "_"]  # départements: Corse between 19 and 21, unknown last
    caption = html.split("<caption>")[1].split("</caption>")[0]
    assert ">7 dossiers affichés sur 7</span>" in caption
    assert html.count('scope="col"') == 4 + len(RULESETS) + 3 and html.count('scope="row"') == len(ROWS)


def test_dashboard_filters_in_a_browser(out, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    browser.get((out / "tableau-de-bord.html").as_uri())
    find, finds = browser.find_element, browser.find_elements
    WebDriverWait(browser, 10).until(lambda b: find(By.ID, "f-region").is_displayed())

    def state():
        rows = finds(By.CSS_SELECTOR, "#matrice tbody tr")
        shown = [r.find_element(By.TAG_NAME, "th").text.split("\n")[0] for r in rows if r.is_displayed()]
        first = find(By.CSS_SELECTOR, "#barres li")
        return shown, find(By.ID, "n-dossiers").text, (first.get_attribute("data-regle"), first.get_attribute("data-n"))

    shown, count, bar = state()
    assert len(shown) == len(ROWS) and count == "7" and bar == ("PROG-04", "4")

    Select(find(By.ID, "f-region")).select_by_visible_text("Auvergne-Rhône-Alpes")
    shown, count, bar = state()
    assert shown == [SCRIPT_NAME, "Annecy"] and count == "2" and bar == ("X-03", "2")
    assert find(By.ID, "n-recevable").text == "0" and find(By.ID, "n-incomplet").text == "2"
    assert [o.get_attribute("value") for o in Select(find(By.ID, "f-dep")).options] == [
        "",
        "01",
        "74",
    ]  # this région's départements
    assert "Auvergne-Rhône-Alpes" in find(By.ID, "etat-filtre").text

    Select(find(By.ID, "f-dep")).select_by_value("74")
    shown, count, bar = state()
    assert shown == ["Annecy"] and count == "1" and bar == ("X-03", "1")

    Select(find(By.ID, "f-region")).select_by_value("_")  # no région: the fictitious town and the unreadable dossier
    shown, count, bar = state()
    assert shown == ["Villebelle", "bretagne/cassé"] and count == "2" and find(By.ID, "n-erreur").text == "1"
    assert bar == ("PROG-04", "1") and Select(find(By.ID, "f-dep")).first_selected_option.get_attribute("value") == ""

    Select(find(By.ID, "f-region")).select_by_index(0)
    shown, count, bar = state()
    assert len(shown) == len(ROWS) and count == "7" and bar == ("PROG-04", "4")
    assert (
        browser.execute_script("const t=document.querySelector('.defile'); return getComputedStyle(t).overflowX")
        == "auto"
    )
