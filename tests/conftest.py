import atexit
import datetime as dt
import functools
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED_DATA = ROOT.parent / "shared" / "data"
EVALUATION_DATE = dt.date(2026, 11, 26)

# The commands the tests start keep their compiled catalogue (rules.compiled) in a folder of this run, not in
# the user's cache.
if "ACV_CACHE" not in os.environ:
    os.environ["ACV_CACHE"] = tempfile.mkdtemp(prefix="acv-cache-")
    atexit.register(shutil.rmtree, os.environ["ACV_CACHE"], True)

# The suite starts hundreds of processes (commands, servers, their workers). Where PYTHONDONTWRITEBYTECODE is set
# (CI machines), each would compile the package from source, ≈ 0.8 s of CPU for the service's imports: compile it
# once, as pip does for an installed wheel (the files are checked against their sources, so an edit recompiles).
if sys.dont_write_bytecode and "PYTEST_XDIST_WORKER" not in os.environ:
    import compileall

    compileall.compile_dir(ROOT / "instruct", quiet=1, workers=0)


@pytest.fixture(scope="session")
def catalogue():
    from instruct.rules.catalogue import load_catalogue

    return load_catalogue()


@pytest.fixture(scope="session")
def sample_referentiel():
    from instruct.referentiel.registry import load_referentiel

    return load_referentiel(SAMPLES / "referentiel")


def acv_command() -> list[str]:
    script = Path(sys.executable).parent / "acv"
    return [str(script)] if script.exists() else [sys.executable, "-m", "instruct.cli.main"]


BASES = ("sqlite", "postgresql")


@functools.cache
def single_base() -> str:
    """The base of the modules whose behaviour does not depend on it: PostgreSQL, the service's base with several
    workers, where it can start (or is required), else SQLite."""
    import pg

    required = os.environ.get("ACV_REQUIRE_POSTGRES") == "1"
    return "postgresql" if required or pg.unavailable_reason() is None else "sqlite"


def pytest_generate_tests(metafunc):
    """`database_url` on both bases for the modules and tests marked `deux_bases` (what they test depends on the
    base: storage, locks, migrations, the queue's search, throttling), on `single_base()` for the others.
    ACV_TOUTES_BASES=1 (`make test-bases`) runs every module on both."""
    if "database_url" not in metafunc.fixturenames:
        return
    both = os.environ.get("ACV_TOUTES_BASES") == "1" or metafunc.definition.get_closest_marker("deux_bases")
    metafunc.parametrize("database_url", BASES if both else (single_base(),), indirect=True, scope="module")


def once(database_url: str) -> bool:
    """For a test that needs one base only (a page's accessibility) in a module that runs on both."""
    return database_url.startswith(single_base())


@pytest.fixture(scope="module")
def database_url(request, tmp_path_factory):
    """A SQLite file, or a throwaway PostgreSQL (tests/pg.py) that CI requires (ACV_REQUIRE_POSTGRES=1) and a
    machine without it skips with the reason; which ones: pytest_generate_tests."""
    import pg

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'acv.sqlite3'}"
        return
    reason = pg.unavailable_reason()
    if reason:
        if os.environ.get("ACV_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL requis : {reason}")
        pytest.skip(f"PostgreSQL absent : {reason}")
    with pg.TemporaryPostgres() as server:
        yield server.url
