"""The Markdown report a forge, a wiki or a mail renders: « À traiter en premier », the other
gaps (each cause once, its rules with their sources, its evidence), the verdicts, then what was
checked and found conforme."""

from __future__ import annotations

from instruct.model.report import Report
from instruct.reports.formats import PLAIN, Options, ReportFormat
from instruct.reports.presentation import Cause, present
from instruct.reports.text import STATUS_LABEL, verdict_word


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _cause(n: int, cause: Cause) -> list[str]:
    status = STATUS_LABEL.get(cause.status, cause.status)
    out = [f"{n}. **{status} · {cause.severity}** — {_md(cause.what)} : {_md(cause.message)}"]
    if cause.remedy:
        out.append(f"   - **{cause.remedy_label} :** {_md(cause.remedy)}")
    if len(cause.entities) > 1:
        out.append(f"   - Concerne : {_md(' ; '.join(cause.entities))}")
    out += [f"   - Élément : {_md(line)}" for line in cause.evidence]
    out += [f"   - Lu dans : {_md(quote)}" for quote in cause.quotes]
    out += [f"   - Paramètre : {_md(line)}" for line in cause.parameters]
    out += [f"   - Règle {r.rule} ({r.severity}) {_md(r.title)} — {_md(r.source)}" for r in cause.rules]
    return out


def render(report: Report, options: Options = PLAIN) -> str:
    p = present(report)
    h = p.header
    out = [f"# {h.title}", ""]
    if h.fictif:
        out += ["*Dossier fictif (exemple ou synthétique).*", ""]
    out += [f"Dossier {h.dossier_id}, évalué au {h.evaluated_on}.", ""]
    out += [
        f"## À traiter en premier ({len(p.first)})",
        "",
        "Les points bloquants, puis les majeurs ; les non conformes avant les incomplets.",
        "",
    ]
    for n, cause in enumerate(p.first, 1):
        out += _cause(n, cause)
    if not p.first:
        out.append("Aucun point bloquant ni majeur à corriger ou à fournir.")
    if p.rest:
        out += ["", f"## Autres écarts ({len(p.rest)})", "", "Points mineurs, et points qu'un instructeur vérifie.", ""]
        for n, cause in enumerate(p.rest, 1):
            out += _cause(n, cause)
    out += [
        "",
        "## Verdicts",
        "",
        "| Jeu de règles | Verdict | Non conformes | Incomplets | À vérifier | Conformes | Non applicables |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in p.rulesets:
        c = r.counts
        out.append(
            f"| {r.code} — {_md(r.title)} | **{verdict_word(r.verdict)}** | {c['non_conforme']} | {c['incomplet']} "
            f"| {c['a_verifier']} | {c['conforme']} | {c['non_applicable']} |"
        )
    if p.entities:
        out += [
            "",
            "| Immeuble | Verdict | Non conformes | Incomplets | À vérifier |",
            "| --- | --- | --- | --- | --- |",
        ]
        for e in p.entities:
            out.append(
                f"| {_md(e.label)} | **{verdict_word(e.verdict)}** | {e.counts['non_conforme']} "
                f"| {e.counts['incomplet']} | {e.counts['a_verifier']} |"
            )
    for note in p.notes:
        out += ["", f"> {_md(note)}"]
    out += ["", f"## Vérifié et conforme ({p.conformes})", ""]
    for f in p.findings:
        if f.status == "conforme":
            out.append(f"- {f.rule} {_md(f.title)} — {_md(f.entity.label)}")
    out += ["", f"Non applicables : {p.non_applicables} point(s)."]
    return "\n".join(out) + "\n"


FORMAT = ReportFormat(name="markdown", media_type="text/markdown; charset=utf-8", extension=".md", render=render)
