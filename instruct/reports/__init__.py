"""A report in each format a person reads (text, markdown, json, html, docx) and the
partners' checklists. Reads the model, never judges.

One module per format, each declaring `FORMAT = ReportFormat(...)`; formats.py finds them, and
the CLI, the API and the pages offer what it finds. HTML goes through the Jinja2 templates of
templates/ (templating.py), its CSS and JS inlined so that the page stands alone. Every format
for a person renders presentation.py's `present(report)`: the gaps grouped by cause, the gravest
first (« À traiter en premier »), in French labels.

May import: instruct (the common modules), model, facts, rules, form (the labels of evidence paths).
"""
