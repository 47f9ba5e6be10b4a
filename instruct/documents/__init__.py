"""What a town sends, turned into a validated dossier.

- read: a piece read under limits in a child process, into its structure (blocks in reading
  order, headings, tables), by read_pdf (tables: PDF tables) or read_docx;
- text, values, columns: text normalised, dates in running text, the columns of a table of actions;
- extract: what a piece says, each value with its quote and confidence (evidence): its kind
  (kinds), parties and signatories (parties), trame parts (sections), actions and budget (actions);
- reconcile: the pieces set against the dossier (what was read, and the evidence); fill: what
  the dossier does not say; compare: what both say; load: a folder or file loaded.

May import: instruct (the common modules), model.
"""

DOSSIER_FILES = ("dossier.yaml", "dossier.yml", "dossier.json")  # a dossier's own file: here, not in load, for
# the batch's parent process, which finds dossiers without loading the model (pydantic) that validates them
