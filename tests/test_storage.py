"""The schema: Alembic's migrations build exactly the models, on SQLite and PostgreSQL, and
files are stored once whatever the number of versions holding them."""

import hashlib
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from instruct.service import accounts
from instruct.service.instruction_storage import POSTGRESQL_ONLY_INDEXES
from instruct.service.storage import (
    Base,
    Blob,
    Dossier,
    User,
    Version,
    VersionFile,
    downgrade,
    make_engine,
    put_blob,
    sessions,
    upgrade,
)

pytestmark = pytest.mark.deux_bases  # the schema, its migrations and its queries, on each base


@pytest.fixture(scope="module")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _not_postgresql_only(obj, name, kind, reflected, compare_to) -> bool:
    """The full-text index exists on PostgreSQL alone (made by its migration), outside the models."""
    return not (kind == "index" and name in POSTGRESQL_ONLY_INDEXES)


def test_migrations_build_exactly_the_models_and_run_twice(engine):
    upgrade(engine)
    upgrade(engine)  # already at head: nothing to do
    with engine.connect() as connection:
        opts = {"compare_type": True, "include_object": _not_postgresql_only}
        diff = compare_metadata(MigrationContext.configure(connection, opts=opts), Base.metadata)
    assert diff == [], f"les modèles diffèrent des migrations : {diff}"
    assert {"users", "dossiers", "versions", "blobs", "events", "notes", "reports"} <= set(
        inspect(engine).get_table_names()
    )


def test_a_file_is_stored_once(engine):
    upgrade(engine)
    with sessions(engine)() as session:
        user = accounts.create_user(
            session, f"ville{engine.dialect.name}", "un-mot-de-passe", "collectivite", commune_insee="99101"
        )
        dossier = Dossier(commune_insee="99101", commune_nom="Villebelle", owner_id=user.id)
        session.add(dossier)
        for number in (1, 2):
            version = Version(dossier=dossier, number=number, created_by=user.id, content_hash=str(number))
            session.add(version)
            version.files.append(
                VersionFile(path="pieces/avenant.pdf", sha256=put_blob(session, b"%PDF-1.7 la meme piece"))
            )
            session.flush()
        session.commit()
        assert (
            session.scalar(select(func.count()).select_from(Blob).where(Blob.size == len(b"%PDF-1.7 la meme piece")))
            == 1
        )
        assert session.scalar(select(func.count()).select_from(VersionFile)) >= 2


def test_passwords_are_hashed_and_sessions_expire(engine, monkeypatch):
    upgrade(engine)
    with sessions(engine)() as session:
        user = accounts.create_user(
            session,
            f"ddt{engine.dialect.name}",
            "un-mot-de-passe",
            "instructeur",
            partenaire="ddt",
            territoire="dep:99",
        )
        assert user.password_hash.startswith("$argon2id$") and "un-mot-de-passe" not in user.password_hash
        assert accounts.authenticate(session, user.login, "mauvais") is None
        token, _ = accounts.open_session(session, accounts.authenticate(session, user.login, "un-mot-de-passe"))
        session.commit()
        assert accounts.user_of(session, token).id == user.id
        monkeypatch.setattr(
            accounts,
            "now",
            lambda: __import__("datetime").datetime(2999, 1, 1, tzinfo=__import__("datetime").timezone.utc),
        )
        assert accounts.user_of(session, token) is None
        with pytest.raises(accounts.AccountError, match="trop court"):
            accounts.create_user(session, "court", "abc", "admin")


def test_migration_0002_gives_accounts_the_rules_spelling_of_action_logement(engine):
    """An account stored as `action_logement` (before 0002) reads `action-logement` after it."""
    upgrade(engine)
    login = f"al-ancien-{engine.dialect.name}"
    downgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (login, password_hash, role, nom, partenaire, territoire, active, created_at) "
                "VALUES (:login, 'x', 'instructeur', '', 'action_logement', 'dep:01', :active, CURRENT_TIMESTAMP)"
            ),
            {"login": login, "active": True},
        )
    upgrade(engine)
    with sessions(engine)() as session:
        assert session.scalar(select(User.partenaire).where(User.login == login)) == "action-logement"
        assert session.scalar(select(func.count()).where(User.partenaire == "action_logement")) == 0
    downgrade(engine, "0001")  # and back: the old spelling again
    with sessions(engine)() as session:
        assert session.scalar(select(User.partenaire).where(User.login == login)) == "action_logement"
    upgrade(engine)


def test_accounts_take_either_spelling_of_a_partner_and_store_one(engine):
    upgrade(engine)
    with sessions(engine)() as session:
        for n, spelling in enumerate(("action_logement", "Action-Logement")):
            user = accounts.create_user(
                session,
                f"al{n}{engine.dialect.name}",
                "un-mot-de-passe",
                "instructeur",
                partenaire=spelling,
                territoire="dep:01",
            )
            assert user.partenaire == "action-logement"
        with pytest.raises(accounts.AccountError, match="action-logement, anah, anru, ddt"):
            accounts.create_user(
                session,
                f"x{engine.dialect.name}",
                "un-mot-de-passe",
                "instructeur",
                partenaire="logement",
                territoire="dep:01",
            )


def test_the_same_new_file_stored_by_two_transactions_at_once(engine):
    """Two submissions carrying the same new piece at the same moment: both succeed, one blob."""
    upgrade(engine)
    data = f"même pièce, deux dépôts simultanés ({engine.dialect.name})".encode()
    first, second, outcome = sessions(engine)(), sessions(engine)(), {}

    def other():
        try:
            put_blob(second, data)
            second.commit()
            outcome["ok"] = True
        except Exception as exc:
            outcome["error"] = exc

    try:
        put_blob(first, data)
        first.flush()  # inserted, not committed
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(1.0)
        first.commit()
        thread.join(30)
        assert outcome == {"ok": True}
    finally:
        first.close()
        second.close()
    with sessions(engine)() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Blob).where(Blob.sha256 == hashlib.sha256(data).hexdigest())
            )
            == 1
        )
