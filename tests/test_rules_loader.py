"""Loading rule files: the real catalogue loads; malformed rule sets are refused clearly."""

import textwrap

import pytest

from instruct.errors import InputError
from instruct.rules import load_catalogue


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
"""


def write_rules(tmp_path, rules: str, params: str = PARAMS, header: str = "ruleset: T\npartenaire: test\ntitle: Essai\nrules:\n"):
    (tmp_path / "parametres.yaml").write_text(textwrap.dedent(params), encoding="utf-8")
    (tmp_path / "test.yaml").write_text(header + rules, encoding="utf-8")
    return tmp_path


def problems_of(tmp_path, rules, **kw) -> str:
    with pytest.raises(InputError) as info:
        load_catalogue(write_rules(tmp_path, rules, **kw))
    return info.value.render()


def test_real_catalogue_has_every_programme_rule_with_its_source(catalogue):
    rules = catalogue.rulesets["PROG"].rules
    ids = {r.id for r in rules}
    assert ids == {f"PROG-{n:02d}" for n in range(1, 23)}
    for rule in rules:
        assert rule.source.document and rule.source.section, rule.key
        assert rule.message and rule.remedy
        assert rule.severity in {"bloquant", "majeur", "mineur"}


def test_a_good_rule_loads(tmp_path):
    catalogue = load_catalogue(write_rules(tmp_path, GOOD_RULE))
    assert [r.id for r in catalogue.rulesets["T"].rules] == ["T-01"]


def test_unknown_key_is_refused_with_its_line(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE.replace("    remedy:", "    remede: x\n    remedy:"))
    assert "rules[0].remede" in text and "clé inconnue" in text and "ligne" in text


def test_duplicate_id_is_refused(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE + GOOD_RULE)
    assert "identifiant en double : T-01" in text


def test_missing_source_is_refused(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE.replace("    source: {document: Guide, section: « Principes généraux »}\n", ""))
    assert "clé manquante : source" in text


def test_source_without_section_is_refused(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE.replace("section: « Principes généraux »", "citation: x"))
    assert "document et section obligatoires" in text


def test_unknown_field_is_refused(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE.replace("{field: nb_indicateurs_moyens, ge: 1}", "{field: nb_indicateurs, ge: 1}"))
    assert "champ inconnu « nb_indicateurs »" in text


def test_unknown_parameter_and_wrong_unit_are_refused(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE.replace("ge: 1}", "ge: {param: p.inconnu}}"))
    assert "paramètre inconnu « p.inconnu »" in text
    text = problems_of(tmp_path, GOOD_RULE.replace("{field: nb_indicateurs_moyens, ge: 1}", "{field: date_convention, le: {param: p.delai}}").replace("requires: [nb_indicateurs_moyens]", "requires: [date_convention]"))
    assert "unité mois" in text


def test_ordering_a_text_field_is_refused(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE.replace("{field: nb_indicateurs_moyens, ge: 1}", "{field: commune, gt: 3}"))
    assert "compare des nombres" in text


def test_requirement_on_a_field_that_may_be_missing_must_be_required(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE.replace("    requires: [nb_indicateurs_moyens]\n", ""))
    assert "ajoutez-le à requires" in text


def test_unknown_placeholder_and_severity_are_refused(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE.replace("({nb_indicateurs_moyens})", "({nombre})").replace("severity: majeur", "severity: grave"))
    assert "champ inconnu « nombre » dans le texte" in text
    assert "gravité inconnue « grave »" in text


def test_malformed_yaml_says_where(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE.replace("title: Essai", "title: [Essai"))
    assert "YAML invalide" in text and "ligne" in text


def test_malformed_parameter_file(tmp_path):
    text = problems_of(tmp_path, GOOD_RULE, params=PARAMS.replace("unit: mois", "unit: lunes").replace("  reference: Guide, « Principes généraux »\n", ""))
    assert "clé manquante : reference" in text


def test_parameter_values_by_date(tmp_path):
    import datetime as dt

    from instruct.parameters import load_parameters

    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent("""
        p.fin:
          description: fin
          unit: date
          reference: Guide
          values:
            2018-01-01: 2022-12-31
            2023-01-01: 2026-12-31
            2027-01-01: null
    """), encoding="utf-8")
    p = load_parameters(path)["p.fin"]
    assert p.at(dt.date(2017, 12, 31)) is None
    assert p.at(dt.date(2020, 5, 5)).value == dt.date(2022, 12, 31)
    assert p.at(dt.date(2023, 1, 1)).value == dt.date(2026, 12, 31)
    assert p.at(dt.date(2030, 1, 1)).value is None


def test_rule_with_a_suspended_parameter_is_not_applicable(tmp_path, catalogue):
    import datetime as dt

    from instruct.check import check_dossier
    from instruct.loader import validate

    params = PARAMS.replace("2018-01-01: 18", "2018-01-01: 18\n    2025-01-01: null")
    rule = GOOD_RULE.replace("{field: nb_indicateurs_moyens, ge: 1}", "{field: nb_indicateurs_moyens, le: {param: p.delai}}")
    cat = load_catalogue(write_rules(tmp_path, rule, params=params))
    dossier = validate({"id": "x", "collectivites": {"ville_centre": {"nom": "A", "insee": "99101"}, "intercommunalite": {"nom": "B", "siren": "999000001"}}, "indicateurs": []}, "x")
    for engine in ("durable", "python"):
        before = check_dossier(dossier, cat, dt.date(2024, 1, 1), engine=engine).findings[0]
        after = check_dossier(dossier, cat, dt.date(2025, 6, 1), engine=engine).findings[0]
        assert before.status == "conforme"
        assert after.status == "non_applicable" and "p.delai" in after.message
