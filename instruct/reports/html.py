"""The HTML report: one self-contained page (no external asset), gaps first, filterable by
rule set and severity. Every value is escaped."""

from __future__ import annotations

from html import escape

from instruct.french import french_date
from instruct.model.report import GAPS, Report
from instruct.reports.text import STATUS_LABEL, VERDICTS, evidence_line, piece_quotes

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:80rem}
h1{font-size:1.5rem} table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f0f0f0} .non_conforme{color:#a00;font-weight:600} .incomplet{color:#a60;font-weight:600}
.a_verifier{color:#06a;font-weight:600} .recevable{color:#070;font-weight:600} .non_recevable{color:#a00;font-weight:600}
.filters label{margin-right:1rem} small{color:#555}
"""

SCRIPT = """
function applyFilters(){
  const rs=[...document.querySelectorAll('input[data-ruleset]')].filter(i=>i.checked).map(i=>i.dataset.ruleset);
  const sv=[...document.querySelectorAll('input[data-severity]')].filter(i=>i.checked).map(i=>i.dataset.severity);
  document.querySelectorAll('tr[data-ruleset]').forEach(tr=>{
    tr.hidden=!(rs.includes(tr.dataset.ruleset)&&sv.includes(tr.dataset.severity));
  });
}
document.querySelectorAll('.filters input').forEach(i=>i.addEventListener('change',applyFilters));
"""


def _row(f) -> str:
    evidence = evidence_line(f)
    read = "".join(f'<br><small class="piece">Lu dans : {escape(q)}</small>' for q in piece_quotes(f))
    return (
        f'<tr data-ruleset="{escape(f.ruleset)}" data-severity="{escape(f.severity)}">'
        f'<td>{escape(f.rule)}</td><td>{escape(f.severity)}</td><td class="{escape(f.status)}">{escape(STATUS_LABEL[f.status])}</td>'
        f"<td>{escape(f.entity.label)}</td><td>{escape(f.message)}<br><small>{escape(evidence)}</small>{read}</td>"
        f"<td>{escape(f.remedy or '')}</td><td><small>{escape(f.source)}</small></td></tr>"
    )


def render(report: Report) -> str:
    title = f"Rapport d'instruction — {report.commune} (INSEE {report.insee or 'non renseigné'})"
    out = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>Dossier <code>{escape(report.dossier_id)}</code>, évalué au {french_date(report.evaluated_on)}"
        + (" — <em>dossier fictif (exemple ou synthétique)</em>" if report.fictif else "")
        + ".</p>",
    ]
    out.append(
        "<table><tr><th>Jeu de règles</th><th>Verdict</th><th>Non conformes</th><th>Incomplets</th>"
        "<th>À vérifier</th><th>Conformes</th><th>Non applicables</th></tr>"
    )
    for code, r in report.rulesets.items():
        c = r.counts
        out.append(
            f'<tr><td>{escape(code)} — {escape(r.title)}</td><td class="{r.verdict}">{VERDICTS[r.verdict]}</td>'
            f"<td>{c['non_conforme']}</td><td>{c['incomplet']}</td><td>{c['a_verifier']}</td><td>{c['conforme']}</td><td>{c['non_applicable']}</td></tr>"
        )
    out.append("</table>")
    if report.entities:
        out.append(
            "<h2>Immeubles</h2><table><tr><th>Immeuble</th><th>Verdict</th><th>Non conformes</th><th>Incomplets</th><th>À vérifier</th></tr>"
        )
        for e in report.entities:
            out.append(
                f'<tr><td>{escape(e.label)}</td><td class="{e.verdict}">{VERDICTS[e.verdict]}</td>'
                f"<td>{e.counts['non_conforme']}</td><td>{e.counts['incomplet']}</td><td>{e.counts['a_verifier']}</td></tr>"
            )
        out.append("</table>")
    for note in report.notes:
        out.append(f"<p><small>{escape(note)}</small></p>")
    severities = sorted({f.severity for f in report.findings}, key=["bloquant", "majeur", "mineur", "info"].index)
    out.append(
        '<div class="filters"><strong>Filtrer :</strong> '
        + "".join(
            f'<label><input type="checkbox" checked data-ruleset="{escape(c)}"> {escape(c)}</label>'
            for c in report.rulesets
        )
        + " | "
        + "".join(
            f'<label><input type="checkbox" checked data-severity="{escape(s)}"> {escape(s)}</label>'
            for s in severities
        )
        + "</div>"
    )
    gaps = [f for f in report.findings if f.status in GAPS]
    out.append(f"<h2>Écarts ({len(gaps)})</h2>")
    header = "<tr><th>Règle</th><th>Gravité</th><th>Statut</th><th>Entité</th><th>Constat</th><th>À fournir</th><th>Source</th></tr>"
    out.append(
        '<table id="ecarts">' + header + "".join(_row(f) for f in gaps) + "</table>" if gaps else "<p>Aucun écart.</p>"
    )
    checked = [f for f in report.findings if f.status == "conforme"]
    out.append(f"<h2>Vérifié et conforme ({len(checked)})</h2>")
    out.append('<table id="conformes">' + header + "".join(_row(f) for f in checked) + "</table>")
    out.append(f"<script>{SCRIPT}</script></body></html>")
    return "\n".join(out) + "\n"
