"""The reference evaluator: the rule semantics written plainly, fact by fact.

It checks the durable-rules engine (tests require identical outcomes) and is the baseline
of the benchmark.
"""

from __future__ import annotations

from instruct.engine.prepare import Outcome, PreparedRule
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


def _plan(prepared: list[PreparedRule]) -> dict[str, list[tuple[int, PreparedRule, tuple]]]:
    """The rules in force by the fact type of their scope, in catalogue order, with their `where`."""
    entry = _PLANS.get(id(prepared))
    if entry is not None and entry[0] is prepared:
        return entry[1]
    plan: dict[str, list[tuple[int, PreparedRule, tuple]]] = {}
    for r, p in enumerate(prepared):
        if not p.suspended:
            plan.setdefault(p.rule.scope, []).append((r, p, tuple(p.rule.where.items())))
    if len(_PLANS) >= 64:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[id(prepared)] = (prepared, plan)  # the list held: its id cannot be reused while cached
    return plan


_PLANS: dict[int, tuple[list[PreparedRule], dict]] = {}


def evaluate(prepared: list[PreparedRule], facts: list[Fact]) -> list[Outcome]:
    """Each rule against the facts of its scope's type only (indexed once per dossier: every rule
    against every fact made the reference slower than durable on the largest dossiers); the rules
    by scope are worked out once per preparation. The same outcomes in the same order."""
    plan = _plan(prepared)
    of_type: dict[str, list[int]] = {}
    for f, fact in enumerate(facts):
        if fact.type in plan:
            of_type.setdefault(fact.type, []).append(f)
    found: list[tuple[int, int, str]] = []
    for scope, indexes in of_type.items():
        for r, p, where in plan[scope]:
            for f in indexes:
                values = facts[f].values
                if all(values.get(k) == v for k, v in where):
                    found.append((r, f, status_of(p, values)))
    found.sort(key=lambda o: o[0])  # rule order (stable: fact order within a rule), as before
    return [Outcome(r, f, status) for r, f, status in found]
