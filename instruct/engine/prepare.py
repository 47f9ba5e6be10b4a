"""What both evaluators share: rules made ready for a date, and the outcome they produce."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from instruct.french import display_parameter
from instruct.rules import conditions as C
from instruct.rules.catalogue import Rule, RuleSet
from instruct.rules.parameters import Parameter


@dataclass(frozen=True)
class ParameterUse:
    name: str
    value: object  # in the parameter's own unit (date, Decimal, int); None if not in force
    since: dt.date | None
    unit: str
    reference: str
    label: str  # the French name a town reads (never the code)


@dataclass(frozen=True)
class PreparedRule:
    """A rule with its parameters replaced by the values in force at the evaluation date,
    and what every finding of it repeats (worked out once, not per finding)."""

    rule: Rule
    condition: C.Condition | None
    review: C.Condition | None
    requirement: C.Condition | None
    parameters: tuple[ParameterUse, ...]
    condition_fields: tuple[str, ...]
    evidence_fields: tuple[str, ...]
    parameter_rows: tuple[dict, ...]  # for the report
    parameter_text: dict  # name -> display, for messages
    parameter_values: dict  # name -> value in the facts' units, for figures
    source: str

    @property
    def suspended(self) -> list[str]:
        """Parameters with no value in force: the rule cannot apply at this date."""
        return [p.name for p in self.parameters if p.value is None]

    @property
    def parameter_labels(self) -> dict[str, str]:
        return {p.name: p.label for p in self.parameters}


class Outcome(NamedTuple):
    """A rule's status on one fact (a tuple: ~800 per dossier, a frozen dataclass cost more to make)."""

    rule: int  # index in the prepared list
    fact: int  # index in the facts list
    status: str


def prepare(rulesets: list[RuleSet], parameters: dict[str, Parameter], as_of: dt.date) -> list[PreparedRule]:
    prepared = []
    for ruleset in rulesets:
        for rule in ruleset.rules:
            uses, values = [], {}
            for name in rule.parameters:
                param = parameters[name]
                dated = param.at(as_of)
                value = dated.value if dated else None
                uses.append(
                    ParameterUse(
                        name,
                        value,
                        dated.start if dated else None,
                        param.unit,
                        param.reference,
                        param.label or param.description,
                    )
                )
                values[name] = param.to_fact_unit(value)
            suspended = any(u.value is None for u in uses)
            text = {u.name: display_parameter(u.unit, u.value) for u in uses}
            prepared.append(
                PreparedRule(
                    rule=rule,
                    condition=None if suspended else C.resolve(rule.condition, values),
                    review=None if suspended else C.resolve(rule.review, values),
                    requirement=None if suspended else C.resolve(rule.requirement, values),
                    parameters=tuple(uses),
                    condition_fields=tuple(rule.condition_fields()),
                    evidence_fields=tuple(rule.evidence_fields()),
                    parameter_rows=tuple(
                        {
                            "name": u.name,
                            "label": u.label,
                            "value": text[u.name],
                            "since": u.since.isoformat() if u.since else None,
                            "unit": u.unit,
                            "reference": u.reference,
                        }
                        for u in uses
                    ),
                    parameter_text=text,
                    parameter_values=values,
                    source=str(rule.source),
                )
            )
    return prepared


def signature(prepared: list[PreparedRule]) -> tuple:
    """What makes two preparations evaluate alike (the durable ruleset cache key)."""
    return tuple((p.rule.key, p.rule.ruleset, tuple((u.name, str(u.value)) for u in p.parameters)) for p in prepared)


def matches_scope(rule: Rule, fact_type: str, values: dict) -> bool:
    return fact_type == rule.scope and all(values.get(k) == v for k, v in rule.where.items())
