"""The web service: the FastAPI app, its API and HTML pages, storage (SQLAlchemy, Alembic
migrations), accounts, the instruction workflow and uploads.

May import: instruct (errors, yamlio, french, vocabulary), model, referentiel, facts, rules, documents, engine, reports.
"""
