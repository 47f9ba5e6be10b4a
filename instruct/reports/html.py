"""The HTML report: one self-contained page (its CSS and JS inlined), « À traiter en premier »
first, then the other gaps, each cause once with its evidence, rules and sources; filterable by
rule set and severity. The markup is templates/rapport.html; every value is escaped."""

from __future__ import annotations

from pathlib import Path

from instruct.model.report import SEVERITY_ORDER, Report
from instruct.reports.formats import PLAIN, Options, ReportFormat
from instruct.reports.presentation import present
from instruct.reports.templating import render_page
from instruct.reports.text import STATUS_LABEL, verdict_word

TEMPLATES = Path(__file__).parent / "templates"


def render(report: Report, options: Options = PLAIN) -> str:
    p = present(report)
    return render_page(
        TEMPLATES,
        "rapport.html",
        p=p,
        severities=sorted({c.severity for c in p.causes}, key=SEVERITY_ORDER.__getitem__),
        checked=[f for f in p.findings if f.status == "conforme"],
        STATUS_LABEL=STATUS_LABEL,
        verdict_word=verdict_word,
    )


FORMAT = ReportFormat(
    name="html",
    media_type="text/html; charset=utf-8",
    extension=".html",
    render=render,
    label="version HTML imprimable",
)
