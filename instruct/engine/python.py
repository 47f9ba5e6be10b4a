"""The reference evaluator: the rule semantics written plainly, fact by fact.

It checks the durable-rules engine (tests require identical outcomes) and is the baseline
of the benchmark.
"""

from __future__ import annotations

from instruct.engine.prepare import Outcome, PreparedRule, matches_scope
from instruct.facts import Fact
from instruct.rules import conditions as C


def status_of(p: PreparedRule, values: dict) -> str:
    if any(f not in values for f in p.condition_fields):
        return "incomplet"
    if not C.holds(p.condition, values):
        return "non_applicable"
    if p.review is not None and C.holds(p.review, values):
        return "a_verifier"
    if any(f not in values for f in p.rule.requires):
        return "incomplet"
    return "conforme" if C.holds(p.requirement, values) else "non_conforme"


def evaluate(prepared: list[PreparedRule], facts: list[Fact]) -> list[Outcome]:
    outcomes = []
    for r, p in enumerate(prepared):
        if p.suspended:
            continue
        for f, fact in enumerate(facts):
            if matches_scope(p.rule, fact.type, fact.values):
                outcomes.append(Outcome(r, f, status_of(p, fact.values)))
    return outcomes
