"""A report in each format a person reads (text, markdown, json, html, docx) and the
partners' checklists. Reads the model, never judges.

May import: instruct (errors, yamlio, french, vocabulary), model, facts, rules.
"""
