"""What the cheaper findings must not change: the texts worked out once per prepared rule (findings._Plan)
are the ones the engine wrote finding by finding before (the reference below, its former code), on every
sample and on generated dossiers; nothing a finding may have changed (annotate adds to its evidence) leaks
into another; and the JSON lines written from the dataclass are those of finding_dict."""

from __future__ import annotations

import datetime as dt
import json
import random
import sys

import pytest
from conftest import EVALUATION_DATE, ROOT, SAMPLES

from instruct.documents.load import load, validate
from instruct.engine import findings as F
from instruct.engine import python as engine_python
from instruct.engine.check import check_dossier
from instruct.engine.prepare import PreparedRule, prepare
from instruct.facts import FACT_TYPES, Fact, build_facts
from instruct.french import display
from instruct.model.report import GAPS, Finding
from instruct.reports import json as report_json
from instruct.rules.catalogue import PLACEHOLDER
from instruct.rules.figures import as_fact_value, compute

# --- the reference: each finding's texts made from the rule, as before the plans ----------------------


def _fill(text: str, fact: Fact, spec: dict, params: dict[str, str], figures: dict[str, str]) -> str:
    def replace(match) -> str:
        name = match.group(1)
        if name == "entite":
            return fact.entity.label
        if name.startswith("param."):
            return params.get(name[6:], "?")
        if name.startswith("figure."):
            return figures.get(name[7:], "non calculable")
        return F.shown(spec[name], fact.values.get(name))

    return PLACEHOLDER.sub(replace, text)


def _missing(p: PreparedRule, fact: Fact) -> list[str]:
    return [f for f in dict.fromkeys(list(p.condition_fields) + list(p.rule.requires)) if f not in fact.values]


def _message(p: PreparedRule, status: str, fact: Fact, spec: dict, figures: dict[str, str]) -> str:
    rule, params = p.rule, p.parameter_text
    if status == "non_applicable" and p.suspended:
        names = p.parameter_labels
        return (
            "Non applicable à cette date : aucune valeur en vigueur pour "
            + ", ".join(names[n] for n in p.suspended)
            + "."
        )
    if status in rule.messages:
        return _fill(rule.messages[status], fact, spec, params, figures)
    if status == "non_conforme":
        return _fill(rule.message, fact, spec, params, figures)
    if status == "conforme":
        return f"{rule.title} : conforme."
    if status == "incomplet":
        return "Information manquante : " + ", ".join(spec[f].label for f in _missing(p, fact)) + "."
    if status == "non_applicable":
        return f"Non applicable : la règle s'applique si {F.describe(p.rule.condition, spec, p.parameter_labels)}."
    return f"{rule.title} : à vérifier."


def _remedy(p: PreparedRule, status: str, fact: Fact, spec: dict, figures: dict[str, str]) -> str | None:
    rule, params = p.rule, p.parameter_text
    if status not in GAPS:
        return None
    if status in rule.remedies:
        return _fill(rule.remedies[status], fact, spec, params, figures)
    if status == "incomplet":
        missing = _missing(p, fact)
        if missing:
            return "Fournir : " + ", ".join(spec[f].label for f in missing) + "."
        return f"Fournir les informations que demande le point « {rule.title} »."
    if status == "a_verifier":
        return f"L'instructeur vérifie le point « {rule.title} » au vu des pièces."
    return _fill(rule.remedy, fact, spec, params, figures)


def _figures(p: PreparedRule, fact: Fact) -> tuple[dict[str, str], list[dict]]:
    shown, evidence = {}, []
    for figure in p.rule.figures:
        value = as_fact_value(figure, compute(figure.expr, fact.values, p.parameter_values))
        shown[figure.name] = display(figure.unit, value) if value is not None else "non calculable"
        evidence.append(
            {"field": f"figure.{figure.name}", "label": figure.label, "path": "calcul", "value": shown[figure.name]}
        )
    return shown, evidence


def _reference(p: PreparedRule, fact: Fact, status: str) -> Finding:
    rule, spec, values = p.rule, FACT_TYPES[fact.type], fact.values
    evidence = []
    for name in p.evidence_fields:
        item = {
            "field": name,
            "label": spec[name].label,
            "path": fact.paths.get(name, ""),
            "value": F.shown(spec[name], values.get(name)),
        }
        if name not in values:
            item["missing"] = True
        evidence.append(item)
    figures, figure_evidence = _figures(p, fact) if rule.figures else ({}, [])
    return Finding(
        rule=rule.id,
        check=rule.check,
        ruleset=rule.ruleset,
        title=rule.title,
        status=status,
        severity=rule.severity,
        entity=fact.entity,
        message=_message(p, status, fact, spec, figures),
        remedy=_remedy(p, status, fact, spec, figures),
        source=p.source,
        citation=rule.source.citation,
        evidence=evidence + figure_evidence,
        parameters=list(p.parameter_rows),
    )


def _reference_findings(prepared, facts, outcomes, dossier_fact) -> list[Finding]:
    found = [_reference(prepared[o.rule], facts[o.fact], o.status) for o in outcomes]
    evaluated = {o.rule for o in outcomes}
    for r, p in enumerate(prepared):
        if r in evaluated:
            continue
        scope = [f for f in facts if F.matches_scope(p.rule, f.type, f.values)] if p.suspended else []
        found += [_reference(p, f, "non_applicable") for f in scope] or [F._no_entity(p.rule, dossier_fact)]
    return sorted(found, key=Finding.sort_key)


# --- dossiers ----------------------------------------------------------------------------------------


def _samples() -> list:
    paths = sorted(p for p in SAMPLES.iterdir() if p.name not in ("referentiel", "sources"))
    return [load(p).dossier for p in paths if p.is_dir() or p.suffix == ".yaml"]


def _generated(n: int) -> list:
    """The engine benchmark's dossiers (42 KiB, ~800 findings each)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import engine as bench  # benchmarks/engine.py
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    rng = random.Random(7)
    return [validate(bench.make_dossier(i, rng, EVALUATION_DATE), "x.yaml") for i in range(n)]


# in 2018 and 2017 some parameters are not yet in force
DATES = [EVALUATION_DATE, dt.date(2021, 1, 15), dt.date(2018, 6, 1), dt.date(2017, 1, 1)]


@pytest.fixture(scope="module")
def dossiers():
    return _samples() + _generated(3)


@pytest.mark.parametrize("as_of", DATES)
def test_the_plans_write_the_texts_of_the_reference(catalogue, dossiers, as_of):
    prepared = prepare(list(catalogue.rulesets.values()), catalogue.parameters, as_of)
    seen = set()
    for dossier in dossiers:
        facts = build_facts(dossier, as_of)
        outcomes = engine_python.evaluate(prepared, facts)
        for _ in range(2):  # the plans made, then reused
            found = F.build_findings(prepared, facts, outcomes, facts[0])
            assert found == _reference_findings(prepared, facts, outcomes, facts[0])
        seen |= {f.status for f in found}
    assert seen >= {"conforme", "non_conforme", "incomplet", "non_applicable"}


def test_a_suspended_rule_says_so_on_each_entity(catalogue, dossiers):
    prepared = prepare(list(catalogue.rulesets.values()), catalogue.parameters, dt.date(2017, 1, 1))
    assert any(p.suspended for p in prepared)
    facts = build_facts(dossiers[0], dt.date(2017, 1, 1))
    found = F.build_findings(prepared, facts, engine_python.evaluate(prepared, facts), facts[0])
    assert any(f.message.startswith("Non applicable à cette date") for f in found)


def test_a_changed_finding_changes_no_other(catalogue, dossiers):
    prepared = prepare(list(catalogue.rulesets.values()), catalogue.parameters, EVALUATION_DATE)
    facts = build_facts(dossiers[-1], EVALUATION_DATE)
    outcomes = engine_python.evaluate(prepared, facts)
    first = F.build_findings(prepared, facts, outcomes, facts[0])
    for f in first:  # what annotate and any reader might do to a report's findings
        for item in f.evidence:
            item["pieces"] = [{"fichier": "x.pdf", "ou": "page 1", "texte": "modifié"}]
            item["value"] = "modifié"
        f.evidence.append({"field": "x", "label": "ajouté", "path": "", "value": "x"})
        f.parameters.append({"name": "ajouté"})
        f.message = "modifié"
    again = F.build_findings(prepared, facts, outcomes, facts[0])
    assert again == _reference_findings(prepared, facts, outcomes, facts[0])
    assert not any("modifié" in json.dumps(f.evidence, ensure_ascii=False) for f in again)


def test_a_new_preparation_gets_new_plans(catalogue, dossiers):
    """Plans are kept by the prepared rule's identity, checked: one dropped and another made (its id
    may be the same) never reuses the texts of the other date's parameters."""
    facts = build_facts(dossiers[0], EVALUATION_DATE)
    for as_of in (EVALUATION_DATE, dt.date(2017, 1, 1), EVALUATION_DATE):
        prepared = prepare(list(catalogue.rulesets.values()), catalogue.parameters, as_of)
        outcomes = engine_python.evaluate(prepared, facts)
        assert F.build_findings(prepared, facts, outcomes, facts[0]) == _reference_findings(
            prepared, facts, outcomes, facts[0]
        )
        del prepared, outcomes


def test_values_shown_are_remembered_apart_by_type():
    field = F._Field("x", FACT_TYPES["dossier"][next(iter(FACT_TYPES["dossier"]))])
    spec = field.spec
    for value in (True, 1, 1.0, "1", None, 0, False, [1, 2], {"a": 1}):
        assert field.shown(value) == F.shown(spec, value)
        assert field.shown(value) == F.shown(spec, value)  # remembered (or, unhashable, shown again)
    for n in range(F._SHOWN_MEMO * 2):
        assert field.shown(n) == F.shown(spec, n)
    assert len(field.memo) <= F._SHOWN_MEMO


# --- the JSON lines -----------------------------------------------------------------------------------


def _lines_of_dicts(report) -> list[str]:
    return [report_json._line(report_json.finding_dict(f)) for f in report.findings]


def test_the_lines_written_from_findings_are_finding_dicts(catalogue, sample_referentiel):
    for path in sorted(SAMPLES.iterdir()):
        if path.name in ("referentiel", "sources") or not (path.is_dir() or path.suffix == ".yaml"):
            continue
        loaded = load(path)
        report = check_dossier(
            loaded.dossier, catalogue, EVALUATION_DATE, referentiel=sample_referentiel, documents=loaded.documents
        )
        lines = [report_json._finding_line(f).decode() for f in report.findings]
        assert lines == _lines_of_dicts(report)
        data = json.loads(report_json.render(report))
        assert data == json.loads(json.dumps(report_json.report_dict(report)))


@pytest.mark.parametrize(
    "evidence, parameters",
    [
        ([{"value": 1e-7}], []),  # orjson writes 1e-7, json 1e-07
        ([{"value": float("nan")}], []),  # json: NaN
        ([], [{"name": "plafond", "value": 1500.5}]),
        ([{"value": "x", "pieces": [{"fichier": "a.pdf", "ou": 3, "texte": 1.5}]}], []),
        ([{"value": 2**70}], []),  # beyond 64 bits
        ([{"value": "x", "pieces": [{"fichier": "a.pdf", "ou": "page 3", "texte": "« 12 »"}]}], []),
    ],
)
def test_a_finding_holding_more_than_text_is_written_by_json(catalogue, evidence, parameters):
    from instruct.model.report import Entity

    f = Finding("R-1", None, "PROG", "t", "incomplet", "majeur", Entity("dossier", "d", "D", ""), "m", None, "s", None)
    f.evidence, f.parameters = evidence, parameters
    compact = json.dumps(report_json.finding_dict(f), ensure_ascii=False, separators=(",", ":"))
    assert report_json._finding_line(f).decode() == compact


def test_a_lone_surrogate_goes_through_as_before():
    from instruct.model.report import Entity

    f = Finding(
        "R-1", None, "PROG", "t", "incomplet", "majeur", Entity("dossier", "d", "D", ""), "a \ud800", None, "s", None
    )
    line = report_json._finding_line(f).decode("utf-8", "surrogatepass")
    assert line == json.dumps(report_json.finding_dict(f), ensure_ascii=False, separators=(",", ":"))


# --- verdicts -----------------------------------------------------------------------------------------


def _reference_verdict(findings: list[Finding]) -> str:
    graves = [f for f in findings if f.severity in {"bloquant", "majeur"}]
    if any(f.status == "non_conforme" and f.severity == "bloquant" for f in graves):
        return "non_recevable"
    if any(f.status == "incomplet" for f in graves):
        return "incomplet"
    if any(f.status == "non_conforme" for f in graves):
        return "a_corriger"
    if any(f.status != "non_applicable" for f in findings):
        return "recevable"
    return "sans_objet"


def test_the_tally_gives_the_verdicts_and_counts_of_their_definition():
    from instruct.model.report import Entity
    from instruct.rules.catalogue import STATUSES
    from instruct.vocabulary import SEVERITIES

    rng = random.Random(3)
    entity = Entity("dossier", "d", "D", "")
    seen = set()
    for _ in range(400):
        findings = [
            Finding("R", None, "PROG", "t", rng.choice(STATUSES), rng.choice(SEVERITIES), entity, "m", None, "s", None)
            for _ in range(rng.randint(0, 5))
        ]
        seen.add(F.verdict(findings))
        assert F.verdict(findings) == _reference_verdict(findings)
        assert F.counts(findings) == {s: sum(f.status == s for f in findings) for s in STATUSES}
    assert seen == {"non_recevable", "incomplet", "a_corriger", "recevable", "sans_objet"}
