"""Official lists the rules compare a dossier with: the ACV programme's communes, the ORT
registry, départements and régions (departements: their names, INSEE COG; emprises: their bounding boxes, to
warn about a point outside its town's département). Read from files or tables here, never fetched.

May import: instruct (the common modules), model.
"""
