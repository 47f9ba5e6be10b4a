"""The DOCX report a partner can sign and send: the A4 document of a4_report (header, verdicts, « À traiter en
premier », the other gaps, one line for what is conforme), written by python-docx (a4_docx)."""

from __future__ import annotations

from instruct.model.report import Report
from instruct.reports import a4_docx, a4_report
from instruct.reports.formats import PLAIN, Options, ReportFormat


def render(report: Report, options: Options = PLAIN) -> bytes:
    return a4_docx.render(a4_report.build(report))


FORMAT = ReportFormat(
    name="docx",
    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extension=".docx",
    render=render,
    binary=True,
    label="télécharger en DOCX (Word)",
)
