"""Judging a dossier: rules prepared for a date (prepare), the plain-Python reference
evaluator (python), the durable-rules adapter (durable, imported on first use only), outcomes
turned into findings and verdicts (findings), and `check`, the one path every shell calls.

May import: instruct (the common modules), model, referentiel, facts, rules, documents.
"""
