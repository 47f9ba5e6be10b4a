"""The HTML report: one self-contained page (its CSS and JS inlined), gaps first, filterable by
rule set and severity. The markup is templates/rapport.html; every value is escaped."""

from __future__ import annotations

from pathlib import Path

from instruct.french import french_date
from instruct.model.report import GAPS, SEVERITY_ORDER, Report
from instruct.reports.formats import PLAIN, Options, ReportFormat
from instruct.reports.templating import render_page
from instruct.reports.text import STATUS_LABEL, VERDICTS, evidence_line, piece_quotes
from instruct.vocabulary import REMEDE_LIBELLES

TEMPLATES = Path(__file__).parent / "templates"


def render(report: Report, options: Options = PLAIN) -> str:
    return render_page(
        TEMPLATES,
        "rapport.html",
        report=report,
        title=f"Rapport d'instruction — {report.commune} (INSEE {report.insee or 'non renseigné'})",
        evaluated_on=french_date(report.evaluated_on),
        severities=sorted({f.severity for f in report.findings}, key=SEVERITY_ORDER.__getitem__),
        gaps=[f for f in report.findings if f.status in GAPS],
        checked=[f for f in report.findings if f.status == "conforme"],
        VERDICTS=VERDICTS,
        STATUS_LABEL=STATUS_LABEL,
        REMEDE_LIBELLES=REMEDE_LIBELLES,
        evidence_line=evidence_line,
        piece_quotes=piece_quotes,
    )


FORMAT = ReportFormat(
    name="html",
    media_type="text/html; charset=utf-8",
    extension=".html",
    render=render,
    label="version HTML imprimable",
)
