"""The national batch: every dossier under some folders checked in processes (or on a
Dask cluster), with a cache, a resumable journal, and the synthesis (CSV, XLSX, dashboard).

May import: instruct (errors, messages, yamlio, yamlcompose, french, vocabulary), model, referentiel, facts, rules, documents, engine, reports.
"""
