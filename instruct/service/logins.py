"""Logging in, for the API and the login page: throttled, with argon2 off the request threads.

Throttling: every attempt is written to `login_attempts` (the login when it is a valid one, the
client's address) before the password is checked, and forgiven when it succeeds. Past
ACV_ECHECS_COMPTE failures (5) on one account, or ACV_ECHECS_ADRESSE (20: a town hall's staff may
share one address) from one address, within ACV_FENETRE_MINUTES (15), the next attempt is refused
(`Throttled`, 429 with the delay) without checking the password. The state is in the database, not
in memory: the uvicorn workers (`acv serve --workers N`) share it, and a restart does not reset it.
A success forgives the account's failures, not the address's (an attacker's own account must not
wipe the count of their guesses at others).

argon2 (accounts.HASHER: 19 MiB, 2 passes, about 45 ms of CPU on the shared 2-core VM) runs in a dedicated
pool of ACV_HACHAGE threads (1) rather than in the request threads (ACV_THREADS, 4): the login route
awaits it asynchronously, so logins queue for the hasher and never hold the threads public reads need.
At most MAX_WAITING logins wait for it; past that, `Busy` (503).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from anyio import to_thread
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from instruct.service import accounts
from instruct.service.storage import LoginAttempt, User, now

MAX_WAITING = 64


def _setting(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


class Throttled(Exception):
    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = max(1, seconds)

    @property
    def message(self) -> str:
        minutes = -(-self.seconds // 60)
        delay = f"{minutes} minute{'s' if minutes > 1 else ''}" if self.seconds > 60 else f"{self.seconds} secondes"
        return f"trop de tentatives de connexion : réessayez dans {delay}"


class Busy(Exception):
    seconds = 5
    message = "trop de connexions en cours : réessayez dans quelques secondes"


class Disabled(Exception):
    message = "ce compte est désactivé : adressez-vous à l'administrateur du service"


@dataclass(frozen=True)
class Opened:
    role: str
    token: str
    expires: dt.datetime


# --- argon2 in its own threads ------------------------------------------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_waiting = 0


def _hasher() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=_setting("ACV_HACHAGE", 1), thread_name_prefix="argon2")
        return _pool


async def _hashing(function, *args):
    """`function(*args)` in the argon2 pool, awaited without holding a request thread."""
    global _waiting
    if _waiting >= MAX_WAITING:
        raise Busy()
    _waiting += 1  # the event loop's thread alone counts: no lock needed
    try:
        return await asyncio.get_running_loop().run_in_executor(_hasher(), function, *args)
    finally:
        _waiting -= 1


# --- throttling ---------------------------------------------------------------------------------


def _as_utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # SQLite drops the zone


def wait_seconds(session: Session, login: str | None, address: str) -> int:
    """0, or how long before the next attempt is allowed for this login or address."""
    window = dt.timedelta(minutes=_setting("ACV_FENETRE_MINUTES", 15))
    since = now() - window
    wait = 0
    for column, key, limit in (
        (LoginAttempt.login, login, _setting("ACV_ECHECS_COMPTE", 5)),
        (LoginAttempt.address, address, _setting("ACV_ECHECS_ADRESSE", 20)),
    ):
        if key is None:
            continue
        recent = (column == key) & (LoginAttempt.at > since)
        count = session.scalar(select(func.count()).select_from(LoginAttempt).where(recent)) or 0
        if count >= limit:  # free again when the (count - limit + 1)-th oldest leaves the window
            moments = session.scalars(
                select(LoginAttempt.at).where(recent).order_by(LoginAttempt.at).limit(count - limit + 1)
            ).all()
            left = (_as_utc(moments[-1]) + window - now()).total_seconds()
            wait = max(wait, int(left) + 1)
    return wait


def _one_at_a_time(session: Session, login: str | None, address: str) -> None:
    """The attempts on one account, or from one address, counted and written one after another (parallel guesses
    otherwise all see the same count: 10 sent at once were all checked). SQLite: the first write (the clean-up) takes
    the database's write lock until the commit; PostgreSQL: a transaction-level advisory lock per account and per
    address, always taken in that order."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in ([f"compte:{login}"] if login else []) + [f"adresse:{address}"]:
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def _before(sessions: sessionmaker[Session], login: str | None, address: str) -> tuple[int, int, User | None]:
    """Throttled? Else the attempt, written first (parallel guesses count at once), and the account."""
    with sessions() as session:
        _one_at_a_time(session, login, address)
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < now() - dt.timedelta(days=1)))
        wait = wait_seconds(session, login, address)
        if wait:
            return wait, 0, None
        attempt = LoginAttempt(login=login, address=address)
        session.add(attempt)
        user = session.scalar(select(User).where(User.login == login)) if login else None
        session.commit()
        return 0, attempt.id, user


def _after(sessions: sessionmaker[Session], user_id: int, attempt_id: int, new_hash: str | None) -> Opened | None:
    """The password was right: the account's failures forgiven, a new session."""
    with sessions() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:  # disabled meanwhile
            return None
        session.execute(update(LoginAttempt).where(LoginAttempt.login == user.login).values(login=None))
        session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
        if new_hash:
            user.password_hash = new_hash
        token, expires = accounts.open_session(session, user)
        session.commit()
        return Opened(user.role, token, expires)


async def log_in(sessions: sessionmaker[Session], login: str, password: str, address: str) -> Opened | None:
    """A new session, or None (wrong login or password); raises Throttled, Busy or Disabled."""
    valid = accounts.LOGIN_PATTERN.fullmatch(login) is not None
    wait, attempt_id, user = await to_thread.run_sync(_before, sessions, login if valid else None, address[:64])
    if wait:
        raise Throttled(wait)
    plausible = user is not None and user.deleted_at is None and 0 < len(password) <= accounts.MAX_PASSWORD
    if not await _hashing(
        accounts.password_matches, user.password_hash if plausible else None, password if plausible else ""
    ):
        return None
    if not user.active:
        raise Disabled()
    new_hash = None
    if accounts.HASHER.check_needs_rehash(user.password_hash):
        new_hash = await _hashing(accounts.HASHER.hash, password)
    opened = await to_thread.run_sync(_after, sessions, user.id, attempt_id, new_hash)
    if opened is None:
        raise Disabled()
    return opened


def client_address(request) -> str:
    """The peer's address (uvicorn puts the proxy's client there when told to trust the proxy)."""
    return request.client.host if request.client else "inconnue"
