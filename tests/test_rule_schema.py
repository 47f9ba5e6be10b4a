"""`acv schema --regles`: the JSON Schema an editor uses to complete and check a rule file."""

import datetime as dt
import json
import re

import jsonschema
import pytest
import yaml
from conftest import ROOT

from instruct.cli.main import main

RULE_FILES = sorted((ROOT / "rules").glob("*.yaml"))


@pytest.fixture(scope="module")
def validator(tmp_path_factory):
    out = tmp_path_factory.mktemp("schema") / "regles.schema.json"
    assert main(["schema", "--regles", "-o", str(out)]) == 0
    schema = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_an_editor_reads(value):
    """YAML as a JSON Schema sees it: dates are strings, keys too."""
    if isinstance(value, dict):
        return {str(k): as_an_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_an_editor_reads(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def rule_file(path):
    return as_an_editor_reads(yaml.safe_load(path.read_text(encoding="utf-8")))


def errors(validator, document) -> list[str]:
    return [e.message for e in validator.iter_errors(document)]


def test_rule_files_are_found():
    names = {p.name for p in RULE_FILES}
    assert {"programme.yaml", "ort.yaml", "parametres.yaml"} <= names


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_rule_file_is_valid_for_the_schema(validator, path):
    assert errors(validator, rule_file(path)) == []


def _first_rule_file():
    document = rule_file(ROOT / "rules" / "programme.yaml")
    assert document["rules"]
    return document


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda rule: rule.update(remede="x"), id="cle-inconnue"),
        pytest.param(lambda rule: rule.update(severity="grave"), id="gravite"),
        pytest.param(lambda rule: rule.pop("source"), id="sans-source"),
        pytest.param(lambda rule: rule["source"].pop("section"), id="source-sans-section"),
        pytest.param(lambda rule: rule.update(id="prog-1"), id="identifiant"),
        pytest.param(lambda rule: rule.update(requirement={"field": "x", "eq": 1, "ne": 2}), id="deux-operateurs"),
        pytest.param(lambda rule: rule.update(requirement={"field": "x", "egal": 1}), id="operateur-inconnu"),
        pytest.param(lambda rule: rule.update(messages={"ok": "x"}), id="statut-inconnu"),
    ],
)
def test_the_schema_rejects_a_malformed_rule(validator, change):
    document = _first_rule_file()
    assert errors(validator, document) == []
    change(document["rules"][0])
    assert errors(validator, document)


def test_the_schema_rejects_an_unknown_key_in_a_parameter(validator):
    document = rule_file(ROOT / "rules" / "parametres.yaml")
    name = next(iter(document))
    document[name]["unite"] = "mois"
    assert errors(validator, document)


def test_the_schema_describes_rules_in_french(validator):
    rule = validator.schema["$defs"]["RuleSpec"]
    assert rule["title"] == "Règle"
    assert "Gravité" in rule["properties"]["severity"]["description"]
    assert "unité naturelle" in json.dumps(validator.schema["$defs"]["Comparison"], ensure_ascii=False)


def test_schema_without_option_is_still_the_dossier_format(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "collectivites" in schema["properties"]


# --- each computed fact is defined in French ------------------------------------------------------

UNIT_WORDS = {"cents": "euros", "pct": "%", "m2": "m²", "m2c": "m²", "date": "date"}


def test_every_fact_field_has_a_one_sentence_french_definition():
    from instruct.facts import FACT_TYPES

    problems = []
    for type_, fields in FACT_TYPES.items():
        for name, spec in fields.items():
            text = spec.definition
            where = f"{type_}.{name}"
            if not text or "\n" in text or not text.endswith(".") or not text[0].isupper():
                problems.append(f"{where} : une phrase attendue, trouvé « {text} »")
            elif re.search(r"[.;!?] [A-ZÀÉÈ]", text):
                problems.append(f"{where} : une seule phrase attendue")
            elif spec.kind in UNIT_WORDS and UNIT_WORDS[spec.kind] not in text.lower():
                problems.append(f"{where} : l'unité ({UNIT_WORDS[spec.kind]}) n'est pas dite")
            elif text == spec.label or len(text) < len(spec.label):
                problems.append(f"{where} : la définition ne dit pas plus que le libellé")
    assert not problems, "\n".join(problems)


def test_the_catalogue_gives_the_facts_a_rule_reads_with_their_definitions(catalogue):
    rules = {r.key: r for rs in catalogue.rulesets.values() for r in rs.rules}
    ort09 = {f.name: f for f in catalogue.facts_read(rules["ORT-09"])}
    assert list(ort09)[:4] == [
        "registre_fourni",
        "registre_commune_presente",
        "registre_signee",
        "registre_nb_desaccords",
    ]
    assert "registre_detail" in ort09  # named in its messages
    assert ort09["registre_signee"].definition.startswith(
        "Vrai si le registre donne l'ORT de la ville comme « Signée »"
    )
    al_o_12 = {f.name: f for f in catalogue.facts_read(rules["AL-O-12"])}
    assert "nb_logements" in al_o_12  # read by its figure
    assert "en %" in al_o_12["part_reservee_pct"].definition
    for rule in rules.values():
        assert all(f.definition for f in catalogue.facts_read(rule)), rule.key
