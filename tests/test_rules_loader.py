"""Loading rule files: the real catalogue loads; malformed rule sets are refused clearly."""

import re
import textwrap

import pytest
from conftest import ROOT

from instruct.errors import InputError
from instruct.rules.catalogue import load_catalogue

GOOD_RULE = """
  - id: T-01
    title: Essai
    severity: majeur
    scope: dossier
    requires: [nb_indicateurs_moyens]
    requirement: {field: nb_indicateurs_moyens, ge: 1}
    message: "Aucun indicateur ({nb_indicateurs_moyens})."
    remedy: Définir des indicateurs.
    source: {document: Guide, section: « Principes généraux »}
"""
PARAMS = """
p.delai:
  description: délai
  unit: mois
  reference: Guide, « Principes généraux »
  values:
    2018-01-01: 18
  libelle: délai maximal
"""


def write_rules(
    tmp_path, rules: str, params: str = PARAMS, header: str = "ruleset: T\npartenaire: test\ntitle: Essai\nrules:\n"
):
    (tmp_path / "parametres.yaml").write_text(textwrap.dedent(params), encoding="utf-8")
    (tmp_path / "test.yaml").write_text(header + rules, encoding="utf-8")
    return tmp_path


def problems_of(tmp_path, rules, **kw) -> str:
    with pytest.raises(InputError) as info:
        load_catalogue(write_rules(tmp_path, rules, **kw))
    return info.value.render()


# added with the next free number, as the catalogue allows
ADDED_IDS = {"PROG-22", "ORT-09", "X-05", "X-06", "X-07", "ANAH-10", "ANAH-11"}
ADDED_IDS |= {f"PROG-{n}" for n in range(23, 32)}  # calendrier, validation et suivi de la convention (issue 14)


def test_every_catalogue_id_is_implemented_and_none_is_renamed(catalogue):
    """Rule ids are public: each id of the shared catalogue has a rule, and no other id exists."""
    path = ROOT.parent / "shared" / "CATALOGUE.md"
    if not path.exists():
        pytest.skip("shared catalogue not present")
    published = set(
        re.findall(r"^\| ((?:PROG|AL-V|AL-O|ANAH|ANRU|ORT|X)-\d{2}) \|", path.read_text(encoding="utf-8"), re.MULTILINE)
    )
    implemented = {r.id for rs in catalogue.rulesets.values() for r in rs.rules}
    assert len(published) == 70  # 21 PROG, 6 AL-V, 15 AL-O, 9 ANAH, 7 ANRU, 8 ORT, 4 X
    assert implemented == published | ADDED_IDS
    severities = {r.id: r.severity for rs in catalogue.rulesets.values() for r in rs.rules}
    assert severities["AL-O-12"] == "bloquant" and severities["ORT-07"] == "info" and severities["PROG-11"] == "mineur"


def test_a_good_rule_loads(tmp_path):
    catalogue = load_catalogue(write_rules(tmp_path, GOOD_RULE))
    assert [r.id for r in catalogue.rulesets["T"].rules] == ["T-01"]


def problems_after(tmp_path, *replacements, **kw) -> str:
    """Load GOOD_RULE with (old, new) replacements applied; every replacement must apply."""
    rule = GOOD_RULE
    for old, new in replacements:
        assert old in rule, old
        rule = rule.replace(old, new)
    return problems_of(tmp_path, rule, **kw)


REQUIREMENT = "{field: nb_indicateurs_moyens, ge: 1}"


@pytest.mark.parametrize(
    "replacements, expected",
    [
        ([("    remedy:", "    remede: x\n    remedy:")], ["rules[0].remede", "clé inconnue", "ligne"]),
        ([("    source: {document: Guide, section: « Principes généraux »}\n", "")], ["clé manquante : source"]),
        ([("section: « Principes généraux »", "citation: x")], ["document et section obligatoires"]),
        ([(REQUIREMENT, "{field: nb_indicateurs, ge: 1}")], ["champ inconnu « nb_indicateurs »"]),
        ([("ge: 1}", "ge: {param: p.inconnu}}")], ["paramètre inconnu « p.inconnu »"]),
        (
            [
                (REQUIREMENT, "{field: date_convention, le: {param: p.delai}}"),
                ("requires: [nb_indicateurs_moyens]", "requires: [date_convention]"),
            ],
            ["unité mois"],
        ),
        ([(REQUIREMENT, "{field: commune, gt: 3}")], ["compare des nombres"]),
        ([("    requires: [nb_indicateurs_moyens]\n", "")], ["ajoutez-le à requires"]),
        (
            [("({nb_indicateurs_moyens})", "({nombre})"), ("severity: majeur", "severity: grave")],
            ["champ inconnu « nombre » dans le texte", "gravité inconnue « grave »"],
        ),
        ([("title: Essai", "title: [Essai")], ["YAML invalide", "ligne"]),
    ],
    ids=[
        "cle-inconnue",
        "sans-source",
        "source-sans-section",
        "champ-inconnu",
        "parametre-inconnu",
        "unite",
        "texte-ordonne",
        "requires",
        "texte-et-gravite",
        "yaml",
    ],
)
def test_malformed_rule_is_refused_with_a_clear_message(tmp_path, replacements, expected):
    text = problems_after(tmp_path, *replacements)
    for part in expected:
        assert part in text


def test_duplicate_id_is_refused(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE + GOOD_RULE)
    assert "identifiant en double : T-01" in text


def test_malformed_parameter_file(tmp_path):
    text = problems_of(
        tmp_path,
        GOOD_RULE,
        params=PARAMS.replace("unit: mois", "unit: lunes").replace("  reference: Guide, « Principes généraux »\n", ""),
    )
    assert "clé manquante : reference" in text


def test_parameter_values_by_date(tmp_path):
    import datetime as dt

    from instruct.rules.parameters import load_parameters

    path = tmp_path / "p.yaml"
    path.write_text(
        textwrap.dedent("""
        p.fin:
          libelle: fin
          description: fin
          unit: date
          reference: Guide
          values:
            2018-01-01: 2022-12-31
            2023-01-01: 2026-12-31
            2027-01-01: null
    """),
        encoding="utf-8",
    )
    p = load_parameters(path)["p.fin"]
    assert p.at(dt.date(2017, 12, 31)) is None
    assert p.at(dt.date(2020, 5, 5)).value == dt.date(2022, 12, 31)
    assert p.at(dt.date(2023, 1, 1)).value == dt.date(2026, 12, 31)
    assert p.at(dt.date(2030, 1, 1)).value is None


def test_rule_with_a_suspended_parameter_is_not_applicable(tmp_path, catalogue):
    import datetime as dt

    from instruct.documents.load import validate
    from instruct.engine.check import check_dossier

    params = PARAMS.replace("2018-01-01: 18", "2018-01-01: 18\n    2025-01-01: null")
    rule = GOOD_RULE.replace(
        "{field: nb_indicateurs_moyens, ge: 1}", "{field: nb_indicateurs_moyens, le: {param: p.delai}}"
    )
    cat = load_catalogue(write_rules(tmp_path, rule, params=params))
    dossier = validate(
        {
            "id": "x",
            "collectivites": {
                "ville_centre": {"nom": "A", "insee": "99101"},
                "intercommunalite": {"nom": "B", "siren": "999000001"},
            },
            "indicateurs": [],
        },
        "x",
    )
    for engine in ("durable", "python"):
        before = check_dossier(dossier, cat, dt.date(2024, 1, 1), engine=engine).findings[0]
        after = check_dossier(dossier, cat, dt.date(2025, 6, 1), engine=engine).findings[0]
        assert before.status == "conforme"
        assert after.status == "non_applicable" and "délai maximal" in after.message and "p.delai" not in after.message


# --- literals carry their unit ------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, literal, stored",
    [
        ("hors_pct", '"100 %"', 10000),
        ("hors_pct", '"7,5 %"', 750),
        ("cout_cents", '"80 000 €"', 8_000_000),
        ("cout_cents", '"1 234,56 €"', 123_456),
        ("surface_m2", '"1 000 m²"', 1000),
        ("surface_m2", "1000", 1000),
        ("date_convention", "2022-02-23", 20220223),
    ],
)
def test_a_literal_in_the_natural_unit_is_stored_in_the_facts_unit(tmp_path, field, literal, stored):
    scope = {"hors_pct": "inclusion", "surface_m2": "inclusion", "cout_cents": "fiche_action"}.get(field, "dossier")
    rule = (
        GOOD_RULE.replace("scope: dossier", f"scope: {scope}")
        .replace(REQUIREMENT, f"{{field: {field}, le: {literal}}}")
        .replace("[nb_indicateurs_moyens]", f"[{field}]")
        .replace("({nb_indicateurs_moyens})", "")
    )
    requirement = load_catalogue(write_rules(tmp_path, rule)).rulesets["T"].rules[0].requirement
    assert requirement.value == stored


@pytest.mark.parametrize(
    "field, scope, literal, expected",
    [
        ("hors_pct", "inclusion", "10000", "sans unité"),
        ("hors_pct", "inclusion", '"100 €"', "en €"),
        ("cout_cents", "fiche_action", '"10 %"', "en %"),
        ("cout_cents", "fiche_action", '"0,001 €"', "plus précise"),
        ("date_convention", "dossier", "20220223", "AAAA-MM-JJ"),
        ("nb_indicateurs_moyens", "dossier", '"3 %"', "nombre entier sans unité"),
    ],
)
def test_a_literal_of_the_wrong_unit_is_refused(tmp_path, field, scope, literal, expected):
    rule = (
        GOOD_RULE.replace("scope: dossier", f"scope: {scope}")
        .replace(REQUIREMENT, f"{{field: {field}, le: {literal}}}")
        .replace("[nb_indicateurs_moyens]", f"[{field}]")
        .replace("({nb_indicateurs_moyens})", "")
    )
    text = problems_of(tmp_path, rule)
    assert f"rules[0].requirement (ligne 11) : valeur « {literal.strip(chr(34))} »" in text
    assert expected in text


ENGLISH = ("Input should", "Field required", "Extra inputs", "Value error", "validation error", "String should")


@pytest.mark.parametrize(
    "replacements",
    [
        [("id: T-01", "id: t1")],
        [("title: Essai", "title: ''")],
        [("title: Essai", "title: [1]")],
        [("severity: majeur", "severity: 3")],
        [("    remedy:", "    messages: {ok: x}\n    remedy:")],
        [("    remedy:", "    messages: [x]\n    remedy:")],
        [("    remedy:", "    figures: {f: {label: x, unit: kg, value: 1}}\n    remedy:")],
        [("    remedy:", "    etape: plus-tard\n    remedy:")],
        [("requires: [nb_indicateurs_moyens]", "requires: {a: 1}")],
        [("scope: dossier", "scope: [dossier]")],
        [(REQUIREMENT, "{field: nb_indicateurs_moyens, gx: 1}")],
        [("source: {document: Guide, section: « Principes généraux »}", "source: Guide")],
    ],
)
def test_loader_errors_are_french_with_file_and_line(tmp_path, replacements):
    text = problems_after(tmp_path, *replacements)
    assert "test.yaml" in text and "(ligne " in text
    assert not any(word in text for word in ENGLISH), text


def test_parameter_units_are_those_of_the_schema():
    from instruct.rules.parameters import UNITS
    from instruct.rules.schema import PARAMETER_UNITS

    assert set(UNITS) == set(PARAMETER_UNITS)


def test_malformed_parameter_value_is_refused_with_its_line(tmp_path):
    text = problems_of(
        tmp_path, GOOD_RULE, params=PARAMS.replace("2018-01-01: 18", "2018-01-01: 18\n    2019-01-01: 1.5")
    )
    assert "p.delai.values.2019-01-01 (ligne 8) : nombre entier attendu" in text


REVIEW_ANY = """
    review:
      any:
        - {field: nb_indicateurs_moyens, eq: 0}
        - {field: nb_indicateurs_resultats, eq: 0}
    messages: {a_verifier: "À vérifier."}
    remedies: {a_verifier: "Le comité de projet apprécie les indicateurs."}
"""


def test_a_review_any_on_fields_that_may_be_missing_is_refused(tmp_path):
    text = problems_after(tmp_path, ("    requires:", REVIEW_ANY.lstrip("\n") + "    requires:"))
    assert "« review » lit un champ qui peut manquer (nb_indicateurs_moyens, nb_indicateurs_resultats)" in text


def test_a_review_any_is_allowed_when_the_condition_asserts_its_fields(tmp_path):
    """Like ORT-09: the condition makes sure the fields are there whenever the review is read."""
    condition = """
    condition:
      all:
        - {field: nb_indicateurs_moyens, present: true}
        - {field: nb_indicateurs_resultats, present: true}
"""
    rule = GOOD_RULE.replace("    requires:", condition.lstrip("\n") + REVIEW_ANY.lstrip("\n") + "    requires:")
    loaded = load_catalogue(write_rules(tmp_path, rule)).rulesets["T"].rules[0]
    assert loaded.review_optional_fields() == []


def test_a_review_without_who_judges_what_is_refused(tmp_path):
    text = problems_after(
        tmp_path, ("    requires:", REVIEW_ANY.replace("    remedies:", "    # ").lstrip("\n") + "    requires:")
    )
    assert "une règle avec « review » doit dire qui apprécie quoi : remedies.a_verifier" in text


def test_a_presence_requirement_is_refused_missing_is_incomplet(tmp_path):
    presence = "{all: [{field: nb_indicateurs_resultats, present: true}, " + REQUIREMENT + "]}"
    text = problems_after(tmp_path, (REQUIREMENT, presence))
    assert "« present: true » sur « nb_indicateurs_resultats »" in text


def test_a_clean_catalogue_never_composes_its_line_index(monkeypatch):
    """The line index is for problems only: composing every rule file again cost half of a clean load."""
    from instruct import yamlio

    def refused(text):
        raise AssertionError("line_index composed for a catalogue without a problem")

    monkeypatch.setattr(yamlio, "line_index", refused)
    monkeypatch.setenv("ACV_CACHE", "0")  # compiled here, not read back from an earlier command
    catalogue = load_catalogue(ROOT / "rules")
    assert len(catalogue.rulesets) >= 7


def test_the_compiled_catalogue_is_reused_until_a_rule_file_changes(tmp_path, monkeypatch):
    """An earlier command's compiled catalogue is read back (no rule file validated again); a rule file
    edited, a damaged cache file or one others could write means compiling again."""
    import shutil

    from instruct.rules import catalogue as module
    from instruct.rules import compiled

    monkeypatch.setenv("ACV_CACHE", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    first = load_catalogue(rules)
    compiled_files = list((tmp_path / "cache" / "catalogue").glob("*.pickle"))
    assert len(compiled_files) == 1

    def refused(*args, **kwargs):
        raise AssertionError("rule files validated again")

    monkeypatch.setattr(module, "load_ruleset", refused)
    again = load_catalogue(rules)
    assert again.digest == first.digest and list(again.rulesets) == list(first.rulesets)
    assert sum(len(rs.rules) for rs in again.rulesets.values()) == sum(len(rs.rules) for rs in first.rulesets.values())

    compiled_files[0].chmod(0o666)  # writable by others: never unpickled
    with pytest.raises(AssertionError, match="validated again"):
        load_catalogue(rules)
    compiled_files[0].chmod(0o600)
    compiled_files[0].write_bytes(b"pas un pickle")  # damaged: compiled again
    with pytest.raises(AssertionError, match="validated again"):
        load_catalogue(rules)
    monkeypatch.undo()
    monkeypatch.setenv("ACV_CACHE", str(tmp_path / "cache"))
    edited = rules / "programme.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Cohérence budgétaire", "Cohérence du budget", 1))
    changed = load_catalogue(rules)
    assert changed.digest != first.digest
    assert any(r.title == "Cohérence du budget" for rs in changed.rulesets.values() for r in rs.rules)
    assert compiled.cache_dir() is not None and len(list(compiled.cache_dir().glob("*.pickle"))) >= 2
