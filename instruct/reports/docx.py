"""The DOCX report a partner can sign and send: title with the town and the date, the verdict per
rule set, the table of gaps (rule, what is missing, what to provide, source), then what was
checked and found conforme."""

from __future__ import annotations

from io import BytesIO

from instruct.french import french_date
from instruct.model.report import GAPS, Report
from instruct.reports.formats import PLAIN, Options, ReportFormat
from instruct.reports.text import STATUS_LABEL, VERDICTS, piece_quotes
from instruct.vocabulary import REMEDE_LIBELLES


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    return table


def render(report: Report, options: Options = PLAIN) -> bytes:
    from docx import Document  # on first use: every `acv` command reads the registry
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(f"Rapport d'instruction — {report.commune}", level=0)
    document.add_paragraph(
        f"Commune : {report.commune} (INSEE {report.insee or 'non renseigné'}) — dossier {report.dossier_id} — "
        f"situation au {french_date(report.evaluated_on)}"
        + (" — dossier fictif (exemple ou synthétique)" if report.fictif else "")
    )
    document.add_heading("Verdicts", level=1)
    _table(
        document,
        ["Jeu de règles", "Verdict", "Non conformes", "Incomplets", "À vérifier", "Conformes"],
        [
            [
                f"{code} — {r.title}",
                VERDICTS[r.verdict],
                str(r.counts["non_conforme"]),
                str(r.counts["incomplet"]),
                str(r.counts["a_verifier"]),
                str(r.counts["conforme"]),
            ]
            for code, r in report.rulesets.items()
        ],
    )
    if report.entities:
        document.add_heading("Immeubles", level=1)
        _table(
            document,
            ["Immeuble", "Verdict", "Non conformes", "Incomplets", "À vérifier"],
            [
                [
                    e.label,
                    VERDICTS[e.verdict],
                    str(e.counts["non_conforme"]),
                    str(e.counts["incomplet"]),
                    str(e.counts["a_verifier"]),
                ]
                for e in report.entities
            ],
        )
    for note in report.notes:
        document.add_paragraph(note)
    gaps = [f for f in report.findings if f.status in GAPS]
    document.add_heading(f"Écarts ({len(gaps)})", level=1)
    if gaps:
        _table(
            document,
            ["Règle", "Statut", "Entité", "Constat", "Que faire", "Source"],
            [
                [
                    f"{f.rule} ({f.severity})",
                    STATUS_LABEL[f.status],
                    f.entity.label,
                    "\n".join([f.message] + [f"Lu dans : {q}" for q in piece_quotes(f)]),
                    f"{REMEDE_LIBELLES[f.status]} : {f.remedy}" if f.remedy else "",
                    f.source,
                ]
                for f in gaps
            ],
        )
    else:
        document.add_paragraph("Aucun écart.")
    checked = [f for f in report.findings if f.status == "conforme"]
    document.add_heading(f"Vérifié et conforme ({len(checked)})", level=1)
    for f in checked:
        document.add_paragraph(f"{f.rule} {f.title} — {f.entity.label} : {f.message}", style="List Bullet")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FORMAT = ReportFormat(
    name="docx",
    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extension=".docx",
    render=render,
    binary=True,
    label="télécharger en DOCX (Word)",
)
