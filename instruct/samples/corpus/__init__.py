"""A corpus of fictitious pieces written the many ways towns write them, each with its ground
truth (truth.Verite), for the reader's tests and benchmarks/documents.py. Every piece says
« document fictif établi pour des essais ».

Two writers that do not share code: `essais` (the corpus the reader is developed on) and
`inedits` (kept apart: the reader is measured on it, never tuned to it).
"""
