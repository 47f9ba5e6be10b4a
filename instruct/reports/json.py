"""The JSON report: a stable shape (documented in the README), every finding included, and the
causes the reports for a person show (presentation.py), each naming its findings by index."""

from __future__ import annotations

import datetime as dt
import json
from itertools import chain

import orjson

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
    data = _head(report)
    data["findings"] = [finding_dict(f) for f in report.findings]
    data["causes"] = causes_list(report)
    return data


def _head(report: Report) -> dict:
    """report_dict less its findings and causes."""
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
    }


def causes_list(report: Report) -> list[dict]:
    """The gaps grouped by cause, the gravest first: `first` for « À traiter en premier »,
    `findings` the indexes of its findings in `findings`."""
    from instruct.reports.presentation import present

    shown = present(report)
    index = {id(f): n for n, f in enumerate(report.findings)}
    return [
        {
            "first": n < len(shown.first),
            "status": c.status,
            "severity": c.severity,
            "what": c.what,
            "message": c.message,
            "remedy": c.remedy,
            "rules": c.rule_ids,
            "entities": c.entities,
            "findings": [index[id(f)] for f in c.findings],
        }
        for n, c in enumerate(shown.causes)
    ]


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
    """Readable and fast: the header indented, then one finding and one cause per line (report_dict's
    text). The lines are orjson's bytes joined once: a report is ~0.5 MB, each copy of it costs."""
    head = json.dumps(_head(report), ensure_ascii=False, indent=1)[:-2]
    out = [_utf8(head)]
    for key, lines in (
        ("findings", [_finding_line(f) for f in report.findings]),
        ("causes", [_plain_bytes(c) for c in causes_list(report)]),
    ):
        out.append(f',\n "{key}": [\n'.encode() if lines else f',\n "{key}": []'.encode())
        if lines:
            out += (b",\n".join(lines), b"\n ]")
    out.append(b"\n}\n")
    return b"".join(out).decode("utf-8", "surrogatepass")


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_TEXT = (str, bool, type(None))
_TEXT_TYPES = frozenset(_TEXT)


def _utf8(text: str) -> bytes:
    """A line of json's as bytes; a lone surrogate (which json lets through) kept as it is."""
    return text.encode("utf-8", "surrogatepass")


def _text_only(groups) -> bool:
    """Whether evidence and parameter rows hold only what orjson writes as json does: text,
    booleans, null, and pieces' quotes (lists of such dicts). The common case, text alone, is
    checked in one pass in C; a row that is not a dict is left to json."""
    try:
        if _TEXT_TYPES.issuperset(map(type, chain.from_iterable(map(dict.values, chain.from_iterable(groups))))):
            return True
    except TypeError:
        return False
    for group in groups:
        for entry in group:
            for value in entry.values():
                if type(value) not in _TEXT and not (type(value) is list and all(_texts(v) for v in value)):
                    return False
    return True


def _finding_line(f: Finding) -> bytes:
    """_line(finding_dict(f)) as bytes, written from the dataclass itself when it holds only text
    (orjson writes a dataclass's fields in their order, as finding_dict names them)."""
    if type(f) is Finding and type(f.entity) is Entity and _text_only((f.evidence, f.parameters)):
        try:
            return orjson.dumps(f)
        except (TypeError, orjson.JSONEncodeError):
            pass
    return _line_bytes(finding_dict(f))


def _line(item: dict) -> str:
    """One finding as compact JSON (what `render` writes, as text)."""
    return _line_bytes(item).decode("utf-8", "surrogatepass")


def _line_bytes(item: dict) -> bytes:
    """One finding as compact JSON: orjson's bytes are json's (UTF-8, same escapes) for text,
    booleans, null and small integers, which is all a finding holds by construction; a float (written
    `1e-7` by orjson, `1e-07` by json; NaN) or any other value in its evidence or parameters takes json."""
    if not _text_only((item.get("evidence", ()), item.get("parameters", ()))):
        return _utf8(_COMPACT.encode(item))
    return _plain_bytes(item)


def _plain_bytes(item: dict) -> bytes:
    """A line without floats (a cause: text, booleans, indexes)."""
    try:
        return orjson.dumps(item)
    except (TypeError, orjson.JSONEncodeError):  # a key that is not text, an integer beyond 64 bits, a lone surrogate
        return _utf8(_COMPACT.encode(item))


def _texts(value: object) -> bool:
    """A piece's quote ({fichier, ou, texte, lecture}): text only."""
    return type(value) is dict and all(type(v) in _TEXT for v in value.values())


FORMAT = ReportFormat(name="json", media_type="application/json", extension=".json", render=render)
