"""The report for a terminal (colour when the terminal has it), and the labels and evidence
lines the other formats for a person share."""

from __future__ import annotations

from instruct.french import french_date
from instruct.model.report import GAPS, Finding, Report
from instruct.reports.formats import PLAIN, Options, ReportFormat
from instruct.vocabulary import REMEDE_LIBELLES, STATUT_LIBELLES, VERDICT_LIBELLES

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
}


def _paint(text: str, key: str, colour: bool) -> str:
    return f"\033[{COLOURS.get(key, '0')}m{text}\033[0m" if colour else text


def evidence_line(f: Finding) -> str:
    parts = []
    for e in f.evidence:
        where = f" ({e['path']})" if e["path"] else ""
        parts.append(f"{e['label']} = {e['value']}{where}")
    return "; ".join(parts)


def piece_quotes(f: Finding) -> list[str]:
    """The pieces a finding's values were read from: « fichier, page 3 : "texte" »."""
    quotes = dict.fromkeys(
        f"{q['fichier']}, {q['ou']} : « {q['texte']} »" + (f" ({q['lecture']})" if q.get("lecture") else "")
        for e in f.evidence
        for q in e.get("pieces", ())
    )
    return list(quotes)


def render(report: Report, options: Options = PLAIN) -> str:
    colour, show_all = options.colour, options.show_all
    out = []
    title = f"Dossier {report.dossier_id} — {report.commune} (INSEE {report.insee or 'non renseigné'})"
    if report.fictif:
        title += " — dossier fictif"
    out.append(title)
    out.append(f"Évalué au {french_date(report.evaluated_on)}")
    for code, r in report.rulesets.items():
        c = r.counts
        out.append(
            f"  {code:<6} {_paint(VERDICTS[r.verdict], r.verdict, colour):<16} "
            f"{c['non_conforme']} non conforme(s), {c['incomplet']} incomplet(s), {c['a_verifier']} à vérifier, "
            f"{c['conforme']} conforme(s), {c['non_applicable']} non applicable(s)"
        )
    if report.entities:
        out.append("Immeubles (verdict par immeuble, règles retenues) :")
        for e in report.entities:
            c = e.counts
            out.append(
                f"  {_paint(VERDICTS[e.verdict], e.verdict, colour):<16} {e.label} — "
                f"{c['non_conforme']} non conforme(s), {c['incomplet']} incomplet(s), {c['a_verifier']} à vérifier"
            )
    for note in report.notes:
        out.append(f"  Note : {note}")
    for code in report.rulesets:
        group = sorted((f for f in report.findings if f.ruleset == code), key=Finding.sort_key)
        gaps = [f for f in group if f.status in GAPS]
        out.append("")
        out.append(f"== {code} : {report.rulesets[code].title} — {len(gaps)} écart(s)")
        for f in gaps:
            out.append(
                f"[{_paint(STATUS_LABEL[f.status], f.status, colour)}] {f.rule} ({f.severity}) "
                f"{f.title} — {f.entity.label}"
            )
            out.append(f"    {f.message}")
            if f.remedy:
                out.append(f"    {REMEDE_LIBELLES[f.status]} : {f.remedy}")
            evidence = evidence_line(f)
            if evidence:
                out.append(f"    Éléments : {evidence}")
            out += [f"    Lu dans : {quote}" for quote in piece_quotes(f)]
            for p in f.parameters:
                out.append(f"    Paramètre : {p['name']} = {p['value']} (depuis le {p['since']}) — {p['reference']}")
            out.append(f"    Source : {f.source}")
        rest = [f for f in group if f.status not in GAPS]
        if show_all:
            for f in rest:
                out.append(
                    f"[{_paint(STATUS_LABEL[f.status], f.status, colour)}] {f.rule} {f.title} "
                    f"— {f.entity.label} : {f.message}"
                )
        else:
            ok = sum(1 for f in rest if f.status == "conforme")
            na = len(rest) - ok
            out.append(f"Vérifié et conforme : {ok} point(s) ; non applicable : {na} (--tout pour le détail).")
    return "\n".join(out) + "\n"


FORMAT = ReportFormat(name="text", media_type="text/plain; charset=utf-8", extension=".txt", render=render)
