"""What a check produces: findings (one rule, one entity, a status, the evidence and the
source), verdicts per rule set and per entity instructed on its own, and the report that holds
them. Every report format reads these; only the engine builds them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from instruct.vocabulary import CLEAR_VERDICTS, GAPS, SEVERITY_ORDER, STATUS_ORDER


@dataclass(frozen=True)
class Entity:
    type: str
    id: str
    label: str
    path: str  # where it is in the dossier ("" for the dossier itself)


__all__ = [
    "GAPS",
    "SEVERITY_ORDER",
    "STATUS_ORDER",
    "Entity",
    "EntityResult",
    "Finding",
    "Report",
    "RulesetResult",
    "gap_counts",
    "sort_prefix",
]


def gap_counts(rule_status: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """How many findings per (rule, status), for the GAPS statuses only: the rows the instruction queue
    filters on. Taken from a Report's findings in the service's worker, or from a stored report's JSON."""
    return dict(Counter(pair for pair in rule_status if pair[1] in GAPS))


def sort_prefix(status: str, severity: str, rule: str, check: str | None) -> tuple:
    """A finding's order in a report, before its entity: the same for a rule's findings of one status."""
    return (STATUS_ORDER[status], SEVERITY_ORDER[severity], rule, check or "")


@dataclass
class Finding:
    rule: str
    check: str | None
    ruleset: str
    title: str
    status: str
    severity: str
    entity: Entity
    message: str
    remedy: str | None
    source: str
    citation: str | None
    evidence: list[dict] = field(default_factory=list)
    parameters: list[dict] = field(default_factory=list)

    def sort_key(self) -> tuple:
        return sort_prefix(self.status, self.severity, self.rule, self.check) + (self.entity.type, self.entity.id)

    def comparable(self) -> tuple:
        """What two evaluators must agree on."""
        return (self.rule, self.check or "", self.entity.type, self.entity.id, self.status)


@dataclass
class RulesetResult:
    code: str
    title: str
    verdict: str
    counts: dict[str, int]


@dataclass
class EntityResult:
    """Verdict for one entity instructed on its own (an immeuble for Action Logement)."""

    type: str
    id: str
    label: str
    verdict: str
    counts: dict[str, int]


@dataclass
class Report:
    dossier_id: str
    commune: str
    insee: str | None
    fictif: bool
    evaluated_on: dt.date
    rulesets: dict[str, RulesetResult]
    findings: list[Finding]
    source: str = ""
    notes: list[str] = field(default_factory=list)
    entities: list[EntityResult] = field(default_factory=list)

    @property
    def recevable(self) -> bool:
        """Nothing to fix before the committee: every rule set recevable, or with no point
        applicable (« aucun point applicable » is no gap: AL-O without immeubles). The CLI's exit
        status and the stored reports' flag."""
        return all(r.verdict in CLEAR_VERDICTS for r in self.rulesets.values())
