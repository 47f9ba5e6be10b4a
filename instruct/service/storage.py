"""The database: accounts, dossiers with every version, their files (content-addressed), reports,
the workflow's append-only log and the instructeurs' notes.

SQLite by default (a file, nothing to set up); PostgreSQL when ACV_DATABASE_URL names one
(`postgresql+psycopg://user:password@host/db`). The schema is created and upgraded by Alembic
(`instruct/migrations`), never by `create_all`, so that both databases follow the same steps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

from instruct.vocabulary import PARTENAIRES_INSTRUCTEURS, EtatDossier

DEFAULT_URL = "sqlite:///acv-instruct.sqlite3"
BUSY_TIMEOUT_MS = 30000  # how long a SQLite writer waits for another one
LOCK_WAIT = 30.0  # seconds a request waits for a dossier another request holds (storage.lock), on both databases
MIGRATIONS = Path(__file__).parent / "migrations"

ROLES = ("collectivite", "instructeur", "admin")
PARTENAIRES = tuple(p.value for p in PARTENAIRES_INSTRUCTEURS)  # an instructeur's partner
STATES = tuple(e.value for e in EtatDossier)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    """Dossier ids are random: knowing one tells nothing about another."""
    return secrets.token_hex(12)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="ck_users_role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    nom: Mapped[str] = mapped_column(String(200), default="")
    commune_insee: Mapped[str | None] = mapped_column(String(5))  # collectivite
    partenaire: Mapped[str | None] = mapped_column(String(20))  # instructeur
    territoire: Mapped[str | None] = mapped_column(String(10))  # instructeur: "dep:01" or "reg:84"
    courriel: Mapped[str | None] = mapped_column(String(320))  # where notifications go (none: no mail)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # kept for the journal


class LoginAttempt(Base):
    """A login attempt not (yet) successful: counted per account and per address to throttle guessing."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str | None] = mapped_column(String(80), index=True)  # None once forgiven, or not a valid login
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)


class Token(Base):
    """A session: only the SHA-256 of the token is stored."""

    __tablename__ = "tokens"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (CheckConstraint(f"state IN {STATES}", name="ck_dossiers_state"),)

    id: Mapped[str] = mapped_column(String(24), primary_key=True, default=new_id)
    commune_insee: Mapped[str] = mapped_column(String(5), index=True)
    commune_nom: Mapped[str] = mapped_column(String(200))
    departement: Mapped[str | None] = mapped_column(String(3), index=True)
    region: Mapped[str | None] = mapped_column(String(2), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(20), default="brouillon")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    # The latest version's report, kept by report_index when a report is stored (no foreign key: reports already
    # depend on dossiers through versions): the instruction queue joins it instead of looking for it on every row.
    latest_report_id: Mapped[int | None] = mapped_column(Integer)

    versions: Mapped[list[Version]] = relationship(back_populates="dossier", order_by="Version.number")


class Blob(Base):
    """A file's bytes, stored once whatever the number of versions holding it."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("dossier_id", "number", name="uq_versions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    content_hash: Mapped[str] = mapped_column(String(64))

    dossier: Mapped[Dossier] = relationship(back_populates="versions")
    files: Mapped[list[VersionFile]] = relationship(order_by="VersionFile.path", cascade="all, delete-orphan")
    reports: Mapped[list[StoredReport]] = relationship(order_by="StoredReport.id", cascade="all, delete-orphan")


class VersionFile(Base):
    __tablename__ = "version_files"

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(255), primary_key=True)  # "dossier.yaml", "pieces/avenant.pdf"
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))


class StoredReport(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    evaluated_on: Mapped[dt.date] = mapped_column(Date)
    rules_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    recevable: Mapped[bool] = mapped_column(Boolean)
    bloquants: Mapped[int] = mapped_column(Integer)  # bloquant gaps (non_conforme or incomplet)
    summary: Mapped[dict] = mapped_column(JSON)  # verdict per rule set
    report_json: Mapped[str] = mapped_column(Text, deferred=True)  # read only when the report itself is asked for


class Event(Base):
    """Append-only: a transition of the workflow, who, when and why."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    version_number: Mapped[int | None] = mapped_column(Integer)
    partenaire: Mapped[str | None] = mapped_column(String(20), index=True)  # a partner's track; None: the dossier's
    regles: Mapped[list | None] = mapped_column(JSON)  # the rule ids a decision rests on

    user: Mapped[User] = relationship()


class Note(Base):
    """An instructeur's note: never shown to the town when private."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    private: Mapped[bool] = mapped_column(Boolean, default=True)
    text: Mapped[str] = mapped_column(Text)
    partenaire: Mapped[str | None] = mapped_column(String(20))  # the author's partner: who reads it when private

    author: Mapped[User] = relationship()


# --- engine, schema, sessions -------------------------------------------------------------------


def database_url(url: str | None = None) -> str:
    return url or os.environ.get("ACV_DATABASE_URL") or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # foreign keys on, and readers not blocked by a writer
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to the newest Alembic revision (or to `revision`)."""
    _migrate(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema and its stored values back to `revision` (the migrations' own tests)."""
    _migrate(engine, "downgrade", revision)


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        sqlite_db = connection.dialect.name == "sqlite"
        # On SQLite a batch operation recreates a table: dropping the old one must not cascade to its rows'
        # children (migration 0008 lost every version and report that way). A no-op inside a transaction: set before.
        if sqlite_db:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                getattr(command, direction)(config, revision)
        finally:
            if sqlite_db:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class Busy(Exception):
    """The dossier stayed held by another request for more than LOCK_WAIT seconds."""

    def __init__(self) -> None:
        super().__init__("le dossier est occupé par une autre opération ; réessayez dans un instant")


def lock(session: Session, dossier: Dossier) -> None:
    """Hold the dossier until this transaction ends, then read it again, so that a decision or a new version is
    checked against what the dossier is now and not what it was when the request read it: of two requests on one
    dossier, the second waits for the first to commit (or roll back) and then sees its result; Busy after
    LOCK_WAIT seconds.

    The lock is an UPDATE of the dossier's row (its updated_at), the same on both databases: on PostgreSQL a row
    lock, after which each statement of the transaction (read committed) sees what the other one committed; on
    SQLite the database's write lock, with no older snapshot kept (the driver opens the transaction at this first
    write: the reads before it were each their own)."""
    connection = session.connection()
    sqlite_db = connection.dialect.name == "sqlite"
    wait_ms = int(LOCK_WAIT * 1000)
    connection.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}" if sqlite_db else f"SET LOCAL lock_timeout = {wait_ms}")
    try:
        session.execute(
            update(Dossier).where(Dossier.id == dossier.id).values(updated_at=now()),
            execution_options={"synchronize_session": False},
        )
    except OperationalError as exc:  # SQLite: database is locked; PostgreSQL: lock_timeout (LockNotAvailable)
        raise Busy() from exc
    finally:
        if sqlite_db:  # a connection setting on SQLite (SET LOCAL ends with the transaction on PostgreSQL)
            connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    session.expire(dossier)  # its state, updated_at and versions are read again, under the lock


def put_blob(session: Session, data: bytes) -> str:
    """The file's bytes, stored once. When two submissions carry the same new file at the same moment, both find it
    missing: the second INSERT then does nothing (ON CONFLICT DO NOTHING) instead of failing on the primary key."""
    digest = hashlib.sha256(data).hexdigest()
    if session.scalar(select(Blob.sha256).where(Blob.sha256 == digest)) is None:  # the key, not the bytes
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(Blob)
            .values(sha256=digest, size=len(data), data=data)
            .on_conflict_do_nothing(index_elements=["sha256"])
        )
    return digest


def version_files(session: Session, version: Version) -> dict[str, bytes]:
    blobs = {
        b.sha256: b.data
        for b in session.scalars(select(Blob).where(Blob.sha256.in_([f.sha256 for f in version.files])))
    }
    return {f.path: blobs[f.sha256] for f in version.files}
