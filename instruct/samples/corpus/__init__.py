"""A corpus of fictitious pieces written the many ways towns write them, each with its ground
truth (truth.Verite), for the reader's tests and benchmarks/documents.py. Every piece says
« document fictif établi pour des essais ».

Four writers that do not share code nor saw the reader: `essais` (the corpus the reader was
developed on), then `inedits`, `temoins` and `controle`, each written apart, measured once as
it came, then used for general fixes (README, « Reading the pieces: accuracy and speed »).
"""
