"""Reports a town acts on (issue 18): on every sample and in every format a person reads, the report
opens with « À traiter en premier » (bloquant before majeur, non conforme before incomplet, across
rule sets), a cause shared by several rules or entities is reported once with each of its rules,
nothing is lost, and no field path, parameter code or CLI/API word reaches the reader."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from io import BytesIO

import pytest
from conftest import EVALUATION_DATE, SAMPLES

from instruct.engine.check import check_path
from instruct.model.report import GAPS, SEVERITY_ORDER, STATUS_ORDER
from instruct.reports import formats
from instruct.reports.json import report_dict, report_from_dict
from instruct.reports.presentation import present

# Every sample `make run` checks: folders (dossier.yaml and pieces, or pieces alone) and single files.
NAMES = sorted(
    p.name
    for p in SAMPLES.iterdir()
    if p.name not in ("referentiel", "sources") and (p.is_dir() or p.suffix == ".yaml")
)
SAINT_AUBIN_LINES_BEFORE = 259  # `acv check samples/saint-aubin` before issue 18, grouped by rule set

# What a town never reads: field paths, parameter codes, CLI and API words.
MACHINE = {
    "chemin indexé": re.compile(r"\w+\[\d+\]"),
    "chemin [*]": re.compile(r"\[\*\]"),
    "identifiant pointé": re.compile(r"\b[a-z]+_?[a-z_]*\.[a-z_]+\.[a-z_]+\b"),
    "code de paramètre": re.compile(r"\b(?:prog|al|anah|anru|ort|x)\.[a-z_]+"),
    "option": re.compile(r"(?<![\w-])--\w"),
    "make": re.compile(r"\bmake "),
    "commande acv": re.compile(r"\bacv "),
    "=true": re.compile(r"=true"),
    "?format=": re.compile(r"\?format="),
}


@pytest.fixture(scope="module")
def reports(catalogue, sample_referentiel):
    return {
        name: check_path(SAMPLES / name, catalogue, EVALUATION_DATE, referentiel=sample_referentiel) for name in NAMES
    }


class _Text(HTMLParser):
    """The text a reader sees: no markup, no style or script, no attribute."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("style", "script")
        if tag in ("br", "p", "tr", "li", "h1", "h2", "h3", "h4", "h5", "td", "th", "dd", "dt"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def read(name: str, body: bytes) -> str:
    """What a person reads of a rendered report, whatever its format."""
    if name == "docx":
        from docx import Document

        document = Document(BytesIO(body))
        paragraphs = [p.text for p in document.paragraphs]
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join(paragraphs + cells)
    if name == "pdf":
        done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=body, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.decode("utf-8")
    text = body.decode("utf-8")
    if name == "html":
        return visible(text)
    if name == "markdown":
        return "\n".join(line for line in text.splitlines() if not re.fullmatch(r"[| -]+", line))
    return text


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


PERSON_FORMATS = [n for n, f in formats.registry().items() if n != "json"]


def rendered(report, name: str) -> str:
    if name == "pdf" and not shutil.which("pdftotext"):
        pytest.skip("pdftotext absent")
    return read(name, formats.get(name).render_bytes(report))


def gravity(cause) -> tuple[int, int]:
    return (SEVERITY_ORDER[cause.severity], STATUS_ORDER[cause.status])


# --- « À traiter en premier » --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_first_block_of_the_text_report_lists_the_bloquant_gaps(reports, name):
    report = reports[name]
    blocks = formats.get("text").render(report).split("\n\n")
    first = blocks[1].splitlines()
    assert first[0].startswith("À TRAITER EN PREMIER"), blocks[1]
    causes = [line for line in first[1:] if line.startswith("[")]
    severities = [re.match(r"\[[^·]+ · (\w+)\]", line).group(1) for line in causes]
    assert severities == sorted(severities, key=SEVERITY_ORDER.__getitem__)  # bloquant, then majeur
    assert set(severities) <= {"bloquant", "majeur"}
    bloquants = {
        f.rule for f in report.findings if f.severity == "bloquant" and f.status in ("non_conforme", "incomplet")
    }
    listed = {
        rule for line in causes if " · bloquant]" in line for rule in re.search(r"\(([^()]*)\)$", line)[1].split(", ")
    }
    assert bloquants <= listed, f"absents du premier bloc : {bloquants - listed}"
    if bloquants:
        assert severities[0] == "bloquant"


@pytest.mark.parametrize("name", NAMES)
def test_causes_go_gravest_first_and_the_first_block_holds_what_the_town_must_fix(reports, name):
    p = present(reports[name])
    assert [gravity(c) for c in p.first] == sorted(gravity(c) for c in p.first)
    assert [gravity(c) for c in p.rest] == sorted(gravity(c) for c in p.rest)
    for c in p.first:
        assert c.severity in ("bloquant", "majeur") and c.status in ("non_conforme", "incomplet")
    for c in p.rest:
        assert not (c.severity in ("bloquant", "majeur") and c.status in ("non_conforme", "incomplet"))
    for c in p.causes:  # a cause is as grave as its gravest finding, all of one status
        assert {f.status for f in c.findings} == {c.status}
        assert c.severity == min((f.severity for f in c.findings), key=SEVERITY_ORDER.__getitem__)


@pytest.mark.parametrize("fmt", PERSON_FORMATS)
@pytest.mark.parametrize("name", ["saint-aubin", "belcastel", "montclair"])
def test_every_format_keeps_the_order_and_loses_nothing(reports, name, fmt):
    report = reports[name]
    p = present(report)
    text = flat(rendered(report, fmt))
    heading = text.casefold().find("à traiter en premier")
    assert heading >= 0, "« À traiter en premier » absent"
    position = heading
    for cause in p.causes:  # the causes' messages, in the presentation's order
        probe = flat(cause.message)[:40]
        found = text.find(probe, position)
        assert found > 0, f"{fmt} : « {probe} » absent ou hors de l'ordre"
        position = found + 1
    if p.rest:
        assert text.casefold().find("autres écarts") > heading
    gaps = {f.rule for f in report.findings if f.status in GAPS}
    assert {rule for rule in gaps if not re.search(rf"\b{re.escape(rule)}\b", text)} == set()


# --- one cause, one finding ----------------------------------------------------------------------


def _cause_of(p, rule: str, entity: str):
    [cause] = [c for c in p.causes if any(f.rule == rule and f.entity.id == entity for f in c.findings)]
    return cause


def test_one_over_financing_is_one_cause_with_its_three_rules(reports):
    p = present(reports["saint-aubin"])
    cause = _cause_of(p, "ANRU-03", "SA-04")
    assert cause.rule_ids == ["ANRU-03", "X-03", "PROG-15"] and cause.severity == "bloquant"
    assert all(r.source for r in cause.rules)
    # the other PROG-15 gaps (SA-01's plan, the avenant's total) are causes of their own
    assert _cause_of(p, "PROG-15", "SA-01") is not cause and _cause_of(p, "PROG-15", "1") is not cause
    text = formats.get("text").render(reports["saint-aubin"])
    x03 = next(f for f in cause.findings if f.rule == "X-03")
    assert x03.message not in text  # said once, in the words of the gravest rule
    assert "(ANRU-03, X-03, PROG-15)" in text


def test_one_missing_field_is_one_cause_and_different_fields_stay_apart(reports):
    montclair = present(reports["montclair"])
    members = _cause_of(montclair, "PROG-17", "elus")
    assert members.status == "incomplet" and len(members.findings) == 5 and len(members.entities) == 5
    assert members.what == "Comité de projet — membres du comité de projet"
    transversal = {id(_cause_of(montclair, "PROG-11", e)) for e in ("animation", "innovation", "numerique")}
    assert len(transversal) == 3  # three subjects, three fields
    saint_aubin = present(reports["saint-aubin"])
    assert _cause_of(saint_aubin, "PROG-30", "dossier") is not _cause_of(saint_aubin, "PROG-31", "dossier")
    assert _cause_of(saint_aubin, "PROG-02", "anah") is not _cause_of(saint_aubin, "PROG-26", "anah")
    deliberations = _cause_of(saint_aubin, "PROG-25", "deliberation_commune")
    assert _cause_of(saint_aubin, "PROG-25", "deliberation_intercommunalite") is deliberations
    assert _cause_of(saint_aubin, "PROG-25", "comite_projet") is not deliberations


def test_two_checks_of_one_rule_missing_the_same_data_are_one_cause(reports):
    """Rochebrune has no ORT secteurs: ORT-03's check of the centre-ville and of the parts urbanised both lack
    them (the second a field of each secteur), so the town reads it once."""
    rochebrune = present(reports["rochebrune"])
    checks = {f.check for c in rochebrune.causes for f in c.findings if f.rule == "ORT-03"}
    assert len(checks) == 2
    assert len({id(c) for c in rochebrune.causes for f in c.findings if f.rule == "ORT-03"}) == 1


def test_two_caps_or_two_conditions_on_one_entity_stay_two_causes(reports):
    belcastel = present(reports["belcastel"])
    assert _cause_of(belcastel, "AL-O-11", "IMM-03") is not _cause_of(belcastel, "X-01", "IMM-03")
    caps = [c for c in belcastel.causes for f in c.findings if f.rule == "AL-O-14" and f.entity.id == "IMM-04"]
    assert len(caps) == 2 and caps[0] is not caps[1]  # per m², per logement
    ort = present(reports["ort-sans-ville-principale.yaml"])
    assert _cause_of(ort, "ORT-01", "ort") is not _cause_of(ort, "ORT-03", "ort")  # they share a date, not a cause


@pytest.mark.parametrize("name", NAMES)
def test_no_cause_twice_and_no_finding_lost(reports, name):
    report = reports[name]
    p = present(report)
    gaps = [f for f in report.findings if f.status in GAPS]
    grouped = [f for c in p.causes for f in c.findings]
    assert sorted(map(id, grouped)) == sorted(map(id, gaps))  # each gap in exactly one cause
    lines = [re.sub(r" \([^()]*\)$", "", line) for line in formats.get("text").render(report).splitlines()]
    causes = [line for line in lines if line.startswith("[")]
    assert len(causes) == len(set(causes)) == len(p.causes)


def test_saint_aubin_is_half_as_long_without_losing_a_finding(reports):
    report = reports["saint-aubin"]
    text = formats.get("text").render(report)
    assert len(text.splitlines()) <= SAINT_AUBIN_LINES_BEFORE // 2
    for rule in {f.rule for f in report.findings if f.status in GAPS}:
        assert re.search(rf"\b{re.escape(rule)}\b", text.split("SOURCES DES RÈGLES CITÉES")[0]), rule
        assert re.search(rf"\b{re.escape(rule)} .* — Guide", text.split("SOURCES DES RÈGLES CITÉES")[1]), rule


# --- honest words --------------------------------------------------------------------------------


def machine_words(text: str) -> list[str]:
    return [f"{what} : {m.group()!r}" for what, rx in MACHINE.items() for m in rx.finditer(text)]


@pytest.mark.parametrize("fmt", PERSON_FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_no_field_path_parameter_code_or_cli_word_reaches_the_reader(reports, name, fmt):
    report = reports[name]
    seen = rendered(report, fmt)
    assert machine_words(seen) == []
    if fmt == "text":  # the detail too
        assert machine_words(formats.get("text").render(report, formats.Options(show_all=True))) == []


def test_fields_are_labels_counted_from_one_and_parameters_have_names(reports):
    cause = _cause_of(present(reports["saint-aubin"]), "PROG-15", "SA-01")
    assert "coût de l'action : 1 200 000,00 € (Fiche action n° 1 — coût)" in [flat(e) for e in cause.evidence]
    [parameter] = cause.parameters
    assert parameter.endswith(
        " : 1,00 € (depuis le 27/03/2018) — Catalogue des règles acv-instruct, PROG-15 (tolérance de 1 €)"
    )
    assert "prog." not in parameter


def test_a_stored_json_report_reads_back_whole(reports):
    for report in reports.values():
        data = report_dict(report)
        again = report_from_dict(data)
        assert report_dict(again) == data
        assert [c.rule_ids for c in present(again).causes] == [c.rule_ids for c in present(report).causes]


# --- the dossier page ----------------------------------------------------------------------------


def test_the_dossier_page_shows_the_same_blocks_in_the_same_order(tmp_path):
    import httpx
    from test_service import PASSWORD, Server
    from test_web import api_submit, web_client

    from instruct.service import accounts
    from instruct.service.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        accounts.create_user(session, "saint-aubin", PASSWORD, "collectivite", commune_insee="99103")
        session.commit()
    with Server(app) as base:
        ident = api_submit(base, "saint-aubin", SAMPLES / "saint-aubin")
        town = web_client(base, "saint-aubin")
        page = town.get(f"/dossiers/{ident}").text
        stored = town.get(f"/api/dossiers/{ident}/versions/1/rapport", headers={"accept": "application/json"})
        assert isinstance(town, httpx.Client) and stored.status_code == 200
    p = present(report_from_dict(stored.json()))
    section = page.split('id="rapport"')[1].split("</section>\n{% endif %}")[0]
    gaps = visible(section.split('id="ecarts"')[1].split('id="conformes"')[0])
    text = flat(gaps)
    assert text.find("À traiter en premier") < text.find("Autres écarts")
    first_card = gaps.split("À traiter en premier")[1]
    assert (
        "gravité : bloquant" in first_card.split("gravité :")[0] + "gravité :" + first_card.split("gravité :")[1][:10]
    )
    position = 0
    for cause in p.causes:
        found = text.find(flat(cause.message)[:40], position)
        assert found > 0, cause.message
        position = found + 1
    assert machine_words(gaps) == []
    for rule in {f.rule for c in p.causes for f in c.findings}:
        assert rule in text
