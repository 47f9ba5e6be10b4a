"""The report as plain text (colour when a terminal has it): « À traiter en premier », then the
other gaps, each cause once with its rule ids, then the verdicts, and the rules cited with their
sources. A non conforme cause quotes the pieces it was read in; the detail (evidence, every
quote, parameters, what is conforme) comes with `show_all`."""

from __future__ import annotations

from instruct.model.report import GAPS, Report
from instruct.reports.formats import PLAIN, Options, ReportFormat
from instruct.reports.presentation import Cause, Presentation, RuleRef, present
from instruct.vocabulary import STATUT_LIBELLES, VERDICT_LIBELLES, Verdict

# Verdicts and gaps are shouted; what needs nothing is not.
VERDICTS = {value: label.upper() for value, label in VERDICT_LIBELLES.items()}
STATUS_LABEL = {value: label.upper() if value in GAPS else label for value, label in STATUT_LIBELLES.items()}
COLOURS = {
    "non_conforme": "31",
    "incomplet": "33",
    "a_verifier": "36",
    "conforme": "32",
    "non_applicable": "90",
    "recevable": "32",
    "non_recevable": "31",
    "a_corriger": "33",
}
FIRST_HEADING = "À TRAITER EN PREMIER"
REST_HEADING = "AUTRES ÉCARTS"


def _paint(text: str, key: str, colour: bool) -> str:
    return f"\033[{COLOURS.get(key, '0')}m{text}\033[0m" if colour else text


def verdict_word(verdict: str) -> str:
    return VERDICTS.get(verdict, verdict.replace("_", " ").upper())


def rules_text(cause: Cause) -> str:
    return ", ".join(dict.fromkeys(r.rule for r in cause.rules))


def verdicts_line(p: Presentation, options: Options = PLAIN) -> str:
    """« Verdicts : NON RECEVABLE (PROG, ANRU, X) ; INCOMPLET (ANAH) ; RECEVABLE (ORT) »."""
    by_verdict: dict[str, list[str]] = {}
    for r in p.rulesets:
        by_verdict.setdefault(r.verdict, []).append(r.code)
    ranks = {v.value: v.rang for v in Verdict}
    ordered = sorted(by_verdict.items(), key=lambda item: -ranks.get(item[0], 0))  # the gravest first
    parts = [
        f"{_paint(verdict_word(verdict), verdict, options.colour)} ({', '.join(codes)})" for verdict, codes in ordered
    ]
    return "Verdicts : " + " ; ".join(parts) if parts else "Verdicts : aucun jeu de règles évalué"


def _cause_lines(cause: Cause, options: Options) -> list[str]:
    status = _paint(STATUS_LABEL.get(cause.status, cause.status), cause.status, options.colour)
    out = [f"[{status} · {cause.severity}] {cause.what} — {cause.message} ({rules_text(cause)})"]
    if cause.remedy:
        out.append(f"    {cause.remedy_label} : {cause.remedy}")
    if len(cause.entities) > 1:
        out.append(f"    Concerne : {' ; '.join(cause.entities)}")
    if options.show_all or cause.status == "non_conforme":  # what a piece says is the proof of a fault
        out += [f"    Lu dans : {quote}" for quote in cause.quotes]
    if options.show_all:
        out += [f"    Élément : {line}" for line in cause.evidence]
        out += [f"    Paramètre : {line}" for line in cause.parameters]
        lead = cause.findings[0].message
        out += [f"    Aussi, {f.rule} : {f.message}" for f in cause.findings[1:] if f.message != lead]
    return out


def cited_rules(p: Presentation) -> list[RuleRef]:
    """Each rule a cause cites, once, in the order the report cites them."""
    seen: dict[str, RuleRef] = {}
    for cause in p.causes:
        for ref in cause.rules:
            seen.setdefault(ref.rule, ref)
    return list(seen.values())


def sources(p: Presentation) -> list[tuple[str, list[RuleRef]]]:
    """Each source the cited rules rest on, once, with those rules."""
    by_source: dict[str, list[RuleRef]] = {}
    for ref in cited_rules(p):
        by_source.setdefault(ref.source, []).append(ref)
    return list(by_source.items())


def render(report: Report, options: Options = PLAIN) -> str:
    p = present(report)
    h = p.header
    fictif = " (fictif)" if h.fictif else ""
    out = [f"{h.title} — dossier {h.dossier_id}{fictif}, évalué au {h.evaluated_on}", verdicts_line(p, options)]
    out += [
        "",
        f"{FIRST_HEADING} ({len(p.first)}) : les points bloquants, puis les majeurs ; non conformes avant incomplets",
    ]
    for cause in p.first:
        out += _cause_lines(cause, options)
    if not p.first:
        out.append("Aucun point bloquant ni majeur à corriger ou à fournir.")
    if p.rest:
        out += ["", f"{REST_HEADING} ({len(p.rest)}) : points mineurs, et points qu'un instructeur vérifie"]
        for cause in p.rest:
            out += _cause_lines(cause, options)
    out += ["", "VERDICTS"]
    for r in p.rulesets:
        out.append(f"  {r.code:<6} {_paint(verdict_word(r.verdict), r.verdict, options.colour):<16} {r.summary}")
    for e in p.entities:
        out.append(f"  {_paint(verdict_word(e.verdict), e.verdict, options.colour):<16} {e.label}")
    out += [f"  Note : {note}" for note in p.notes]
    if options.show_all:
        out += ["", "VÉRIFIÉ : CONFORME OU NON APPLICABLE"]
        for f in p.findings:
            if f.status not in GAPS:
                out.append(f"[{STATUS_LABEL[f.status]}] {f.rule} {f.title} — {f.entity.label} : {f.message}")
    else:
        out.append(
            f"Vérifié et conforme : {p.conformes} point(s) ; non applicable : {p.non_applicables} "
            "(le détail est dans la version HTML du rapport)."
        )
    cited = sources(p)
    if cited:
        out += ["", "SOURCES DES RÈGLES CITÉES"]
        for source, refs in cited:
            out.append(f"  {' ; '.join(f'{r.rule} {r.title} ({r.severity})' for r in refs)} — {source}")
    return "\n".join(out) + "\n"


FORMAT = ReportFormat(name="text", media_type="text/plain; charset=utf-8", extension=".txt", render=render)
