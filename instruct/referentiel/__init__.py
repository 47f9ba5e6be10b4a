"""Official lists the rules compare a dossier with: the ACV programme's communes, the ORT
registry, départements and régions. Read from files, never fetched.

May import: instruct (the common modules), model.
"""
