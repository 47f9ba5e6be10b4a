"""Sample and synthetic dossiers: the generator of synthetic towns for the batch and the
rendering of sample pieces (DOCX, PDF) from a dossier.

May import: instruct (the common modules), model, documents.
"""
