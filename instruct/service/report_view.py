"""A stored report as the dossier page shows it (the page's own view of the JSON report: the
report formats themselves are in instruct.reports)."""

from types import SimpleNamespace

from instruct.model.report import GAPS
from instruct.reports.text import piece_quotes
from instruct.service.templating import GAP_HEADINGS, STATUSES


def _finding_view(f: dict) -> dict:
    evidence = [
        {"label": e["label"], "value": e["value"], "path": e.get("path", ""), "missing": e.get("missing", False)}
        for e in f.get("evidence", [])
    ]
    return {
        **f,
        "evidence": evidence,
        "quotes": piece_quotes(SimpleNamespace(evidence=f.get("evidence", []))),
        "status_label": STATUSES.get(f["status"], f["status"]),
    }


def report_view(report: dict, jeu: str) -> dict:
    """A stored JSON report as the dossier page shows it: its gaps by status, then what is conforme
    and what does not apply; only rule set `jeu`'s findings when one is chosen."""
    findings = [f for f in report["findings"] if not jeu or f["ruleset"] == jeu]
    gaps = [_finding_view(f) for f in findings if f["status"] in GAPS]
    return {
        "commune": report["dossier"]["commune"],
        "insee": report["dossier"]["insee"],
        "fictif": report["dossier"].get("fictif"),
        "evaluated_on": report["evaluated_on"],
        "rulesets": report["rulesets"],
        "entities": report.get("entities", []),
        "notes": report.get("notes", []),
        "jeu": jeu,
        "gaps": {status: [f for f in gaps if f["status"] == status] for status in GAP_HEADINGS},
        "gap_count": len(gaps),
        "conformes": [_finding_view(f) for f in findings if f["status"] == "conforme"],
        "non_applicables": [_finding_view(f) for f in findings if f["status"] == "non_applicable"],
    }
