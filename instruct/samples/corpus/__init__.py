"""A corpus of fictitious pieces written the many ways towns write them, each with its ground
truth (truth.Verite), for the reader's tests and benchmarks/documents.py. Every piece says
« document fictif établi pour des essais ».

Three writers that do not share code: `essais` (the corpus the reader was developed on),
`inedits` (written apart; its first measure guided a few general fixes) and `temoins` (written
apart last, never used to tune the reader: the honest measure).
"""
