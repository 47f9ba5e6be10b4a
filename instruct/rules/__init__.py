"""The rule language: the catalogue (rule files read and checked), conditions, dated
parameters and figures. Rules are data; this package only reads and validates them.

May import: instruct (errors, yamlio, french, vocabulary), model, facts.
"""
