"""Sample and synthetic dossiers: the generator of synthetic towns for the batch and the
rendering of sample pieces (DOCX, PDF) from a dossier.

May import: instruct (errors, messages, yamlio, yamlcompose, french, vocabulary), model, documents.
"""
