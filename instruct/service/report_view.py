"""A stored report as the dossier page shows it: the stored JSON read back as a Report and
presented as every report format presents it (reports.presentation): « À traiter en premier »,
then the other gaps, each cause once, in French labels."""

from instruct.model.report import GAPS, Finding
from instruct.reports.json import report_from_dict
from instruct.reports.presentation import evidence_lines, present, quote_lines
from instruct.service.templating import GAP_HEADINGS, STATUSES


def _finding_view(f: dict, one: Finding) -> dict:
    """One finding (stored, and read back) as the expert's page lists it (its evidence in French lines)."""
    return {
        **f,
        "evidence_lines": evidence_lines(one),
        "quotes": list(dict.fromkeys(quote_lines(one))),
        "status_label": STATUSES.get(f["status"], f["status"]),
    }


def report_view(report: dict, jeu: str) -> dict:
    """A stored JSON report as the dossier page shows it: its causes, the gravest first, then what
    is conforme and what does not apply; only rule set `jeu`'s findings when one is chosen."""
    chosen = {**report, "findings": [f for f in report["findings"] if not jeu or f["ruleset"] == jeu]}
    parsed = report_from_dict(chosen)
    shown = present(parsed)
    findings = chosen["findings"]
    gaps = [_finding_view(f, one) for f, one in zip(findings, parsed.findings) if one.status in GAPS]
    return {
        "commune": report["dossier"]["commune"],
        "insee": report["dossier"]["insee"],
        "fictif": report["dossier"].get("fictif"),
        "evaluated_on": report["evaluated_on"],
        "rulesets": report["rulesets"],
        "entities": report.get("entities", []),
        "notes": report.get("notes", []),
        "jeu": jeu,
        "first": shown.first,
        "rest": shown.rest,
        "cause_count": len(shown.first) + len(shown.rest),
        "gaps": {status: [f for f in gaps if f["status"] == status] for status in GAP_HEADINGS},
        "gap_count": len(gaps),
        "conformes": [f for f in findings if f["status"] == "conforme"],
        "non_applicables": [f for f in findings if f["status"] == "non_applicable"],
    }
