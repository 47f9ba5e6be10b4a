"""The Markdown report: tables a forge, a wiki or a mail renders."""

from __future__ import annotations

from instruct.french import french_date
from instruct.model.report import GAPS, Report
from instruct.reports.formats import PLAIN, Options, ReportFormat
from instruct.reports.text import STATUS_LABEL, VERDICTS, piece_quotes
from instruct.vocabulary import REMEDE_LIBELLES


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: Report, options: Options = PLAIN) -> str:
    out = [f"# Rapport d'instruction — {report.commune} (INSEE {report.insee or 'non renseigné'})", ""]
    if report.fictif:
        out += ["*Dossier fictif (exemple ou synthétique).*", ""]
    out += [f"Dossier `{report.dossier_id}`, évalué au {french_date(report.evaluated_on)}.", ""]
    out += [
        "| Jeu de règles | Verdict | Non conformes | Incomplets | À vérifier | Conformes | Non applicables |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for code, r in report.rulesets.items():
        c = r.counts
        out.append(
            f"| {code} — {_md(r.title)} | **{VERDICTS[r.verdict]}** | {c['non_conforme']} | {c['incomplet']} "
            f"| {c['a_verifier']} | {c['conforme']} | {c['non_applicable']} |"
        )
    if report.entities:
        out += [
            "",
            "| Immeuble | Verdict | Non conformes | Incomplets | À vérifier |",
            "| --- | --- | --- | --- | --- |",
        ]
        for e in report.entities:
            out.append(
                f"| {_md(e.label)} | **{VERDICTS[e.verdict]}** | {e.counts['non_conforme']} "
                f"| {e.counts['incomplet']} | {e.counts['a_verifier']} |"
            )
    for note in report.notes:
        out += ["", f"> {note}"]
    gaps = [f for f in report.findings if f.status in GAPS]
    out += ["", "## Écarts", ""]
    if gaps:
        out += [
            "| Règle | Gravité | Statut | Entité | Constat | Que faire | Source |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for f in gaps:
            read = "".join(f"<br>Lu dans : {_md(q)}" for q in piece_quotes(f))
            todo = f"{REMEDE_LIBELLES[f.status]} : {f.remedy}" if f.remedy else ""
            out.append(
                f"| {f.rule} | {f.severity} | {STATUS_LABEL[f.status]} | {_md(f.entity.label)} "
                f"| {_md(f.message)}{read} | {_md(todo)} | {_md(f.source)} |"
            )
    else:
        out.append("Aucun écart.")
    out += ["", "## Vérifié et conforme", ""]
    for f in report.findings:
        if f.status == "conforme":
            out.append(f"- {f.rule} {_md(f.title)} — {_md(f.entity.label)}")
    return "\n".join(out) + "\n"


FORMAT = ReportFormat(name="markdown", media_type="text/markdown; charset=utf-8", extension=".md", render=render)
