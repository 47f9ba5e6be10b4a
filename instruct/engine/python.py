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
    """Each rule against the facts of its scope's type only (indexed once: every rule against every fact made
    the reference slower than durable on the largest dossiers); the same outcomes in the same order."""
    of_type: dict[str, list[int]] = {}
    for f, fact in enumerate(facts):
        of_type.setdefault(fact.type, []).append(f)
    outcomes = []
    for r, p in enumerate(prepared):
        if p.suspended:
            continue
        for f in of_type.get(p.rule.scope, ()):
            if matches_scope(p.rule, facts[f].type, facts[f].values):
                outcomes.append(Outcome(r, f, status_of(p, facts[f].values)))
    return outcomes
