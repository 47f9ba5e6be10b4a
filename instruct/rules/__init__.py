"""The rule language: the rule and parameter file formats (schema, published by
`acv schema --regles`), the catalogue that reads them, the checks against the facts
(checks), unit-bearing literals (literals), conditions, dated parameters and figures.
Rules are data; this package only reads and validates them, and documents them: a page
per rule (documentation), its conditions in French sentences (sentences) and its example
cases (examples, tests/cases).

May import: instruct (the common modules), model, facts.
"""
