"""Alembic environment: the connection comes from instruct.service.storage.upgrade (or, for
`alembic` on the command line, from ACV_DATABASE_URL)."""

from alembic import context
from sqlalchemy import create_engine

from instruct.service import (
    draft_storage,  # noqa: F401 (the drafts' tables, on the same Base)
    instruction_storage,  # noqa: F401 (the partners' tracks, avis, reports' index, on the same Base)
    mail_storage,  # noqa: F401 (the outbox, on the same Base)
    messages_storage,  # noqa: F401 (the messagerie, on the same Base)
)
from instruct.service.storage import Base, database_url

target_metadata = Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        with create_engine(database_url()).connect() as own:
            _migrate(own)
            own.commit()
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
