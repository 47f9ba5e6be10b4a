"""The JSON report: a stable shape (documented in the README), every finding included."""

from __future__ import annotations

import datetime as dt
import json

from instruct.model.report import Entity, EntityResult, Finding, Report, RulesetResult
from instruct.reports.formats import PLAIN, Options, ReportFormat

FORMAT_VERSION = 1


def finding_dict(f: Finding) -> dict:
    return {
        "rule": f.rule,
        "check": f.check,
        "ruleset": f.ruleset,
        "title": f.title,
        "status": f.status,
        "severity": f.severity,
        "entity": {"type": f.entity.type, "id": f.entity.id, "label": f.entity.label, "path": f.entity.path},
        "message": f.message,
        "remedy": f.remedy,
        "source": f.source,
        "citation": f.citation,
        "evidence": f.evidence,
        "parameters": f.parameters,
    }


def report_dict(report: Report) -> dict:
    return {
        "format": FORMAT_VERSION,
        "dossier": {"id": report.dossier_id, "commune": report.commune, "insee": report.insee, "fictif": report.fictif},
        "evaluated_on": report.evaluated_on.isoformat(),
        "rulesets": {
            code: {"title": r.title, "verdict": r.verdict, "counts": r.counts} for code, r in report.rulesets.items()
        },
        "entities": [
            {"type": e.type, "id": e.id, "label": e.label, "verdict": e.verdict, "counts": e.counts}
            for e in report.entities
        ],
        "notes": report.notes,
        "findings": [finding_dict(f) for f in report.findings],
    }


def finding_from_dict(f: dict) -> Finding:
    entity = f["entity"]
    return Finding(
        rule=f["rule"],
        check=f.get("check"),
        ruleset=f["ruleset"],
        title=f["title"],
        status=f["status"],
        severity=f["severity"],
        entity=Entity(entity["type"], entity["id"], entity["label"], entity.get("path", "")),
        message=f["message"],
        remedy=f.get("remedy"),
        source=f.get("source", ""),
        citation=f.get("citation"),
        evidence=list(f.get("evidence", [])),
        parameters=list(f.get("parameters", [])),
    )


def report_from_dict(data: dict) -> Report:
    """The inverse of `report_dict`: a stored JSON report as a Report, for the pages to present it."""
    dossier = data["dossier"]
    return Report(
        dossier_id=dossier["id"],
        commune=dossier["commune"],
        insee=dossier.get("insee"),
        fictif=bool(dossier.get("fictif")),
        evaluated_on=dt.date.fromisoformat(data["evaluated_on"]),
        rulesets={
            code: RulesetResult(code, r["title"], r["verdict"], dict(r["counts"]))
            for code, r in data.get("rulesets", {}).items()
        },
        findings=[finding_from_dict(f) for f in data.get("findings", [])],
        notes=list(data.get("notes", [])),
        entities=[
            EntityResult(e["type"], e["id"], e["label"], e["verdict"], dict(e["counts"]))
            for e in data.get("entities", [])
        ],
    )


def render(report: Report, options: Options = PLAIN) -> str:
    """Readable and fast: the header indented, then one finding per line (compact JSON uses
    the C encoder; `indent` would fall back to the pure-Python one, 4x slower)."""
    data = report_dict(report)
    findings = data.pop("findings")
    head = json.dumps(data, ensure_ascii=False, indent=1)[:-2]
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in findings)
    return f'{head},\n "findings": [\n{lines}\n ]\n}}\n' if findings else f'{head},\n "findings": []\n}}\n'


FORMAT = ReportFormat(name="json", media_type="application/json", extension=".json", render=render)
