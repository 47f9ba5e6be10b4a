"""The model: what a dossier is (pydantic, validated on load) and what a report is
(findings, verdicts per rule set and per entity). Plain data, no judgement.

May import: instruct (the common modules).
"""
