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


ADDED_IDS = {"PROG-22", "ORT-09", "X-05", "X-06"}  # added with the next free number, as the catalogue allows


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
        assert after.status == "non_applicable" and "p.delai" in after.message
