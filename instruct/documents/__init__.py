"""What a town sends, turned into a validated dossier: the pieces read under limits in a
child process (read), PDF tables (tables), what a piece says (extract), the pieces set
against the dossier (reconcile: what was read, and the evidence; fill: what the dossier does not
say; compare: what both say), and a folder or file loaded (load).

May import: instruct (the common modules), model.
"""
