"""A throwaway PostgreSQL server on loopback, for the tests.

No pytest in here: conftest wraps it. Typical use::

    with TemporaryPostgres() as pg:
        engine = sqlalchemy.create_engine(pg.url)

Each server gets its own cluster in a temporary directory (``initdb``), listens
on 127.0.0.1 on a free port, authenticates user ``acv`` with a random password
(scram-sha-256), and is stopped and deleted on exit.

PostgreSQL refuses to run as root. When the tests run as root, every server
command runs as the ``postgres`` system user (created by Debian's package), or
``nobody``, through ``subprocess``'s ``user=``/``group=`` arguments (a plain
setuid/setgid in the child, no ``preexec_fn``, no ``runuser``/PAM), and the
temporary directory is owned by that user.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BINARIES = ("initdb", "pg_ctl", "postgres")
USER = "acv"
DATABASE = "acv"
# Seconds allowed for each server command.
INITDB_TIMEOUT = 120
START_TIMEOUT = 60
STOP_TIMEOUT = 60
CONNECT_TIMEOUT = 10

# Durability is worthless for a test server; these make it a lot faster.
SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class PostgresError(RuntimeError):
    """A server command failed; the message carries its output."""

    def __init__(self, message: str, stderr: str = ""):
        super().__init__(message)
        self.stderr = stderr


# --------------------------------------------------------------------- finding
def _is_script(path: Path) -> bool:
    """Debian's /usr/bin wrappers (pg_wrapper, a Perl script) are not servers."""
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"#!"
    except OSError:
        return True


def _real_bin_dir(directory: Path) -> Path | None:
    """The directory holding the real initdb/pg_ctl/postgres, or None.

    Symlinks are resolved (on this machine /usr/local/bin/initdb links to
    /usr/lib/postgresql/15/bin/initdb), and wrapper scripts are refused.
    """
    initdb = directory / "initdb"
    if not initdb.is_file():
        return None
    real = initdb.resolve().parent
    for name in BINARIES:
        exe = real / name
        if not (exe.is_file() and os.access(exe, os.X_OK)) or _is_script(exe):
            return None
    return real


def _version_key(path: Path) -> tuple:
    # /usr/lib/postgresql/<N>/bin: highest N first; "9.6" sorts as (9, 6).
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (-1,)


def find_binaries() -> Path | None:
    """Directory with initdb, pg_ctl and postgres: $ACV_PG_BIN, then
    /usr/lib/postgresql/*/bin (highest version), then PATH."""
    explicit = os.environ.get("ACV_PG_BIN")
    if explicit:
        # An explicit setting is not second-guessed: wrong means not found.
        return _real_bin_dir(Path(explicit))
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    for directory in debian:
        found = _real_bin_dir(directory)
        if found:
            return found
    initdb = shutil.which("initdb")
    if initdb:
        return _real_bin_dir(Path(initdb).parent)
    return None


def _server_account() -> pwd.struct_passwd | None:
    """Who runs the server: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresError("running as root and neither a 'postgres' nor a 'nobody' user exists")


def unavailable_reason() -> str | None:
    """Why no TemporaryPostgres can be started here, or None if it can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    if find_binaries() is None:
        return (
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
            "$ACV_PG_BIN, /usr/lib/postgresql/*/bin or PATH (Debian: apt-get install postgresql)"
        )
    try:
        _server_account()
    except PostgresError as exc:
        return str(exc)
    return None


def available() -> bool:
    return unavailable_reason() is None


def free_port() -> int:
    """A loopback TCP port nobody listens on (racy, hence the retries below)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


# ---------------------------------------------------------------------- server
class TemporaryPostgres:
    """A PostgreSQL cluster in a temporary directory, serving ``.url``."""

    def __init__(self, bin_dir: Path | None = None, *, base_dir: str | None = None):
        self.bin_dir = bin_dir or find_binaries()
        if self.bin_dir is None:
            raise PostgresError(unavailable_reason() or "PostgreSQL binaries not found")
        self.base_dir = base_dir
        self.password = secrets.token_urlsafe(24)  # [A-Za-z0-9_-]: safe in a URL
        self.account = _server_account()
        self.dir: Path | None = None
        self.port: int | None = None
        self.started = False
        self.startup_seconds: float | None = None

    # -- public
    @property
    def url(self) -> str:
        """SQLAlchemy URL (psycopg 3 driver)."""
        return f"postgresql+psycopg://{USER}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def libpq_url(self) -> str:
        """The same, for psycopg.connect() / psql."""
        return self.url.replace("postgresql+psycopg://", "postgresql://", 1)

    @property
    def data_dir(self) -> Path:
        assert self.dir is not None
        return self.dir / "data"

    @property
    def log_file(self) -> Path:
        assert self.dir is not None
        return self.dir / "server.log"

    def start(self) -> TemporaryPostgres:
        t0 = time.monotonic()
        try:
            self._make_dir()
            self._initdb()
            self._start_server()
            self._create_database()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - t0
        return self

    def stop(self) -> None:
        try:
            if self.started:
                self.started = False
                try:
                    self._run(
                        [
                            self._bin("pg_ctl"),
                            "stop",
                            "-D",
                            str(self.data_dir),
                            "-m",
                            "fast",
                            "-w",
                            "-t",
                            str(STOP_TIMEOUT),
                        ],
                        timeout=STOP_TIMEOUT + 10,
                    )
                except (PostgresError, subprocess.TimeoutExpired):
                    self._kill_postmaster()
        finally:
            if self.dir is not None:
                shutil.rmtree(self.dir, ignore_errors=True)
                self.dir = None

    def __enter__(self) -> TemporaryPostgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<TemporaryPostgres port={self.port} dir={self.dir}>"

    # -- internals
    def _bin(self, name: str) -> str:
        return str(self.bin_dir / name)

    def _run(self, args: list[str], *, timeout: float) -> subprocess.CompletedProcess:
        """Run a server command (as the unprivileged account when root)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C", HOME=str(self.dir), TZ=env.get("TZ", "UTC"))
        kwargs = {}
        if self.account is not None:
            kwargs = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []}
        proc = subprocess.run(
            args,
            cwd=self.dir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            **kwargs,
        )
        if proc.returncode != 0:
            who = f" (as {self.account.pw_name})" if self.account else ""
            raise PostgresError(
                f"{Path(args[0]).name} failed{who} with exit code {proc.returncode}: "
                f"{' '.join(args)}\n{proc.stderr.strip()}\n{proc.stdout.strip()}".rstrip(),
                proc.stderr,
            )
        return proc

    def _make_dir(self) -> None:
        base = self.base_dir
        if base is None and self.account is not None:
            # The server account must be able to reach its directory.
            base = tempfile.gettempdir()
            p = Path(base).resolve()
            if any(not (os.stat(a).st_mode & 0o001) for a in (p, *p.parents)):
                base = "/tmp"
        self.dir = Path(tempfile.mkdtemp(prefix="acv-pg-", dir=base))
        os.chmod(self.dir, 0o700)
        if self.account is not None:
            os.chown(self.dir, self.account.pw_uid, self.account.pw_gid)

    def _initdb(self) -> None:
        pwfile = self.dir / "pwfile"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.password + "\n")
        if self.account is not None:
            os.chown(pwfile, self.account.pw_uid, self.account.pw_gid)
        base = [
            self._bin("initdb"),
            "-D",
            str(self.data_dir),
            "--username",
            USER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--no-sync",
        ]
        try:
            # C.UTF-8: byte-order collation like C, but lower()/upper() know accents.
            try:
                self._run(base + ["--locale=C.UTF-8"], timeout=INITDB_TIMEOUT)
            except PostgresError as exc:
                if "locale" not in exc.stderr.lower():  # e.g. invalid locale name
                    raise
                shutil.rmtree(self.data_dir, ignore_errors=True)
                self._run(base + ["--locale=C"], timeout=INITDB_TIMEOUT)
        finally:
            pwfile.unlink(missing_ok=True)

    def _start_server(self, attempts: int = 3) -> None:
        # Unix sockets live in our directory (never /var/run/postgresql); if the
        # path would be too long for a socket, go TCP-only.
        sockdir = str(self.dir) if len(str(self.dir)) < 80 else "''"
        for attempt in range(attempts):
            self.port = free_port()
            options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {sockdir} {SERVER_OPTIONS}"
            try:
                self._run(
                    [
                        self._bin("pg_ctl"),
                        "start",
                        "-D",
                        str(self.data_dir),
                        "-w",
                        "-t",
                        str(START_TIMEOUT),
                        "-l",
                        str(self.log_file),
                        "-o",
                        options,
                    ],
                    timeout=START_TIMEOUT + 10,
                )
            except PostgresError as exc:
                log = self._log_tail()
                in_use = "could not bind" in log or "already in use" in log
                if in_use and attempt + 1 < attempts:
                    self._kill_postmaster()
                    self.log_file.unlink(missing_ok=True)
                    continue
                raise PostgresError(f"{exc}\n--- server log ---\n{log}") from None
            self.started = True
            return

    def _create_database(self) -> None:
        import psycopg

        dsn = f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/postgres"
        try:
            with psycopg.connect(dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
                conn.execute(f'CREATE DATABASE "{DATABASE}" OWNER "{USER}"')
        except psycopg.Error as exc:
            raise PostgresError(
                f"cannot create database {DATABASE}: {exc}\n--- server log ---\n{self._log_tail()}"
            ) from exc

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except (OSError, AssertionError):
            return ""

    def _kill_postmaster(self) -> None:
        """Last resort when pg_ctl cannot stop the server: kill our postmaster."""
        try:
            pid = int((self.data_dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError, AssertionError):
            return
        for sig, wait in ((signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.05)
