"""What the engine's speed-ups must not change: templates cut once fill as the placeholder
substitution did, the evidence rows remembered per dossier are never shared between findings
(annotate adds to them), and the python reference's per-preparation plan gives the plain
evaluation's outcomes, in its order."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EVALUATION_DATE, SAMPLES

from instruct.documents.load import load
from instruct.engine import findings as F
from instruct.engine import python as engine_python
from instruct.engine.prepare import Outcome, matches_scope, prepare
from instruct.facts import FACT_TYPES, build_facts
from instruct.rules.catalogue import PLACEHOLDER


@pytest.fixture(scope="module")
def facts():
    return build_facts(load(SAMPLES / "villebelle").dossier, EVALUATION_DATE)


def _substituted(text, fact, spec, params, figures):
    """The former per-finding substitution, as the oracle."""

    def replace(match):
        name = match.group(1)
        if name == "entite":
            return fact.entity.label
        if name.startswith("param."):
            return params.get(name[6:], "?")
        if name.startswith("figure."):
            return figures.get(name[7:], "non calculable")
        return F.shown(spec[name], fact.values.get(name))

    return PLACEHOLDER.sub(replace, text)


def test_every_template_of_the_catalogue_fills_as_the_substitution_did(catalogue, facts):
    prepared = prepare(list(catalogue.rulesets.values()), catalogue.parameters, EVALUATION_DATE)
    checked = 0
    for p in prepared:
        texts = [p.rule.message, p.rule.remedy, *p.rule.messages.values(), *p.rule.remedies.values()]
        mine = [f for f in facts if f.type == p.rule.scope] or [facts[0]]
        spec = FACT_TYPES[mine[0].type]
        for text in filter(None, texts):
            for fact in mine[:3]:
                if fact.type != p.rule.scope:
                    continue
                figures = {"total": "12 €"}
                memo = F._Memo()
                assert F._fill(text, fact, spec, p.parameter_text, figures, memo.show) == _substituted(
                    text, fact, spec, p.parameter_text, figures
                )
                checked += 1
    assert checked > 100


@pytest.mark.parametrize("text", ["{entite}{entite}", "{param.absent} et {figure.absente}", "sans champ", "{entite}"])
def test_adjacent_unknown_and_absent_placeholders(facts, text):
    fact = facts[0]
    spec = FACT_TYPES[fact.type]
    assert F._fill(text, fact, spec, {}, {}) == _substituted(text, fact, spec, {}, {})


def test_true_and_one_are_not_shown_alike():
    memo = F._Memo()
    field_spec = FACT_TYPES["dossier"]["insee"]  # a str field: True and 1 read differently
    assert memo.show(field_spec, True) == F.shown(field_spec, True) == "True"
    assert memo.show(field_spec, 1) == F.shown(field_spec, 1) == "1"


def test_no_two_findings_share_an_evidence_row(catalogue, facts):
    prepared = prepare(list(catalogue.rulesets.values()), catalogue.parameters, EVALUATION_DATE)
    findings = F.build_findings(prepared, facts, engine_python.evaluate(prepared, facts), facts[0])
    rows = [id(item) for f in findings for item in f.evidence]
    assert len(rows) > 100 and len(rows) == len(set(rows))


def _plain(prepared, facts):
    """Every rule in force against every fact, in rule then fact order: the reference's definition."""
    return [
        Outcome(r, f, engine_python.status_of(p, fact.values))
        for r, p in enumerate(prepared)
        if not p.suspended
        for f, fact in enumerate(facts)
        if matches_scope(p.rule, fact.type, fact.values)
    ]


@pytest.mark.parametrize("as_of", [EVALUATION_DATE, dt.date(2021, 1, 15)])
def test_the_plan_by_scope_gives_the_plain_outcomes_in_their_order(catalogue, facts, as_of):
    prepared = prepare(list(catalogue.rulesets.values()), catalogue.parameters, as_of)
    for _ in range(2):  # the plan worked out, then reused
        assert engine_python.evaluate(prepared, facts) == _plain(prepared, facts)
    other = prepare(list(catalogue.rulesets.values())[:2], catalogue.parameters, as_of)
    assert engine_python.evaluate(other, facts) == _plain(other, facts)
