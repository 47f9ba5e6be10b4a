"""The throwaway PostgreSQL server of tests/pg.py really works.

Skipped when no server binaries are installed, unless ACV_REQUIRE_POSTGRES=1
(CI sets it), in which case the absence is a failure.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import pg

REQUIRED = os.environ.get("ACV_REQUIRE_POSTGRES") == "1"
MAX_STARTUP_SECONDS = 30  # typically well under 2 s


@pytest.fixture
def server():
    reason = pg.unavailable_reason()
    if reason:
        if REQUIRED:
            pytest.fail(f"ACV_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    t0 = time.monotonic()
    with pg.TemporaryPostgres() as srv:
        srv.measured_startup = time.monotonic() - t0
        yield srv


def test_find_binaries_gives_real_server_binaries():
    found = pg.find_binaries()
    if found is None:
        if REQUIRED:
            pytest.fail("ACV_REQUIRE_POSTGRES=1 but no PostgreSQL server binaries found")
        pytest.skip("PostgreSQL server binaries not installed")
    for name in pg.BINARIES:
        exe = found / name
        assert exe.is_file() and os.access(exe, os.X_OK)
        assert not pg._is_script(exe), f"{exe} is a wrapper script"


def test_temporary_postgres_round_trip(server):
    import psycopg
    import sqlalchemy as sa

    assert server.measured_startup < MAX_STARTUP_SECONDS
    assert server.url.startswith("postgresql+psycopg://acv:")
    assert "@127.0.0.1:" in server.url and server.url.endswith("/acv")
    port = server.port
    assert pg.port_open(port)

    # psycopg directly
    with psycopg.connect(server.libpq_url, connect_timeout=10) as conn:
        version = conn.execute("SELECT version()").fetchone()[0]
        assert version.startswith("PostgreSQL ")
        assert conn.execute("SELECT current_user, current_database()").fetchone() == ("acv", "acv")
        assert conn.execute("SHOW server_encoding").fetchone()[0] == "UTF8"
        conn.execute("CREATE TABLE direct (id serial PRIMARY KEY, nom text NOT NULL)")
        conn.execute("INSERT INTO direct (nom) VALUES (%s), (%s)", ("Châtellerault", "Évreux"))
        conn.commit()
        assert conn.execute("SELECT nom FROM direct ORDER BY id").fetchall() == [("Châtellerault",), ("Évreux",)]

    # a wrong password is refused (scram-sha-256, not trust)
    bad = server.libpq_url.replace(server.password, "wrong")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(bad, connect_timeout=10).close()

    # SQLAlchemy 2 with the psycopg 3 driver
    engine = sa.create_engine(server.url)
    try:
        meta = sa.MetaData()
        ville = sa.Table(
            "ville",
            meta,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("nom", sa.String(100), nullable=False),
        )
        meta.create_all(engine)
        with engine.begin() as conn:
            conn.execute(ville.insert(), [{"nom": "Niort"}, {"nom": "Saint-Étienne"}])
        with engine.connect() as conn:
            assert conn.execute(sa.select(ville.c.nom).order_by(ville.c.id)).scalars().all() == [
                "Niort",
                "Saint-Étienne",
            ]
            assert conn.scalar(sa.text("SELECT version()")).startswith("PostgreSQL ")
            assert conn.scalar(sa.select(sa.func.count()).select_from(sa.text("direct"))) == 2
        assert engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()

    directory = server.dir
    server.stop()
    assert not pg.port_open(port), "server still listening after stop"
    assert not directory.exists()
    server.stop()  # idempotent: the fixture's exit stops it again


def test_context_manager_closes_port_and_cleans_up():
    reason = pg.unavailable_reason()
    if reason:
        if REQUIRED:
            pytest.fail(f"ACV_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    with pg.TemporaryPostgres() as srv:
        port, directory = srv.port, srv.dir
        assert pg.port_open(port)
        assert (directory / "data" / "PG_VERSION").exists()
    assert not pg.port_open(port)
    assert not directory.exists()


def test_failure_reports_the_command_output():
    # Fake binaries that fail loudly: the exception carries their stderr, and
    # the temporary directory is removed. (Created in /tmp, world-readable, as
    # the server account must run them when the tests run as root.)
    fake = Path(tempfile.mkdtemp(prefix="acv-fake-pg-"))
    try:
        fake.chmod(0o755)
        for name in pg.BINARIES:
            exe = fake / name
            exe.write_text(f"#!/bin/sh\necho '{name}: simulated disk full' >&2\nexit 3\n")
            exe.chmod(0o755)
        srv = pg.TemporaryPostgres(fake)
        with pytest.raises(pg.PostgresError, match="initdb: simulated disk full"):
            srv.start()
        assert srv.dir is None
    finally:
        shutil.rmtree(fake)
