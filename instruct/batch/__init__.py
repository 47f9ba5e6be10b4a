"""The national batch: every dossier under some folders checked in processes (or on a
Dask cluster), with a cache, a resumable journal, and the synthesis (CSV, XLSX, dashboard).

May import: instruct (the common modules), model, referentiel, facts, rules, documents, engine, reports.
"""
