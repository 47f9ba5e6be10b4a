"""The PDF report a partner can sign and send: the A4 document of a4_report, drawn by reportlab (a4_pdf)."""

from __future__ import annotations

from instruct.model.report import Report
from instruct.reports import a4_pdf, a4_report
from instruct.reports.formats import PLAIN, Options, ReportFormat


def render(report: Report, options: Options = PLAIN) -> bytes:
    return a4_pdf.render(a4_report.build(report))


FORMAT = ReportFormat(
    name="pdf",
    media_type="application/pdf",
    extension=".pdf",
    render=render,
    binary=True,
    label="télécharger en PDF",
)
