"""What the engine's speed-ups must not change: no evidence row is shared between findings
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
from instruct.facts import build_facts


@pytest.fixture(scope="module")
def facts():
    return build_facts(load(SAMPLES / "villebelle").dossier, EVALUATION_DATE)


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
