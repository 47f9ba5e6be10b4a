"""Sending e-mail: the settings (environment, checked at start-up, errors in French) and the sender, a
background thread started with the app that sends the outbox's due rows (mail_storage.Courriel) with smtplib.

Each row is claimed with a conditional update (`claimed_until`), so that of several processes (`acv serve
--workers N`) or threads exactly one sends it; a failure is written on the row (`attempts`, `last_error`) and
retried later, the wait doubling from ACV_SMTP_REESSAI seconds up to an hour: nothing is dropped. Without
ACV_SMTP_HOTE nothing is sent: the rows wait in the outbox (a log line says so) until a server is set."""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from instruct.errors import InputError, Problem
from instruct.service.mail_storage import Courriel
from instruct.service.storage import now

log = logging.getLogger("acv.courriels")

TLS_MODES = {"aucun": 25, "starttls": 587, "ssl": 465}  # mode -> default port
CLAIM = dt.timedelta(minutes=5)  # a row claimed by a sender that died is taken again after this
MAX_WAIT = 3600.0  # seconds: the longest wait between two attempts
POLL = 60.0  # seconds: the longest between two looks at the outbox (rows made due by `acv courriels --relancer`)
TIMEOUT = 30.0  # seconds: an SMTP connection or reply


class MailSettingsError(InputError):
    """A bad ACV_SMTP_* setting: the service does not start (French, as the other settings: `acv serve` says it
    and exits with 2). Built from "ACV_NAME : what is wrong" or "ACV_NAME what is wrong"."""

    def __init__(self, message: str):
        name, _, rest = message.partition(" ")
        super().__init__(name, [Problem("", rest.removeprefix(": "))])


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 25
    tls: str = "aucun"
    user: str | None = None
    password: str | None = None
    sender: str = ""
    public_url: str = ""
    retry: float = 30.0  # seconds before the first retry; doubled at each failure

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None) -> MailSettings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return env.get(name, "").strip()

        tls = get("ACV_SMTP_TLS") or "aucun"
        if tls not in TLS_MODES:
            raise MailSettingsError(f"ACV_SMTP_TLS : « {tls} » inconnu (attendu : aucun, starttls ou ssl)")
        port_text = get("ACV_SMTP_PORT")
        if port_text and not (port_text.isdigit() and 1 <= int(port_text) <= 65535):
            raise MailSettingsError(f"ACV_SMTP_PORT : « {port_text} » n'est pas un numéro de port (1 à 65535)")
        user, password = get("ACV_SMTP_UTILISATEUR") or None, env.get("ACV_SMTP_MOT_DE_PASSE") or None
        if bool(user) != bool(password):
            raise MailSettingsError("ACV_SMTP_UTILISATEUR : se donne avec ACV_SMTP_MOT_DE_PASSE (les deux, ou aucun)")
        host = get("ACV_SMTP_HOTE") or None
        if host and password and tls == "aucun" and host not in ("localhost", "127.0.0.1", "::1"):
            raise MailSettingsError(
                "ACV_SMTP_MOT_DE_PASSE : il ne circule pas en clair vers une autre machine ; "
                "choisissez ACV_SMTP_TLS=starttls ou ssl"
            )
        sender = get("ACV_SMTP_EXPEDITEUR")
        if sender and "@" not in parseaddr(sender)[1]:
            raise MailSettingsError(f"ACV_SMTP_EXPEDITEUR : « {sender} » n'est pas une adresse électronique")
        if host and not sender:
            raise MailSettingsError(
                "ACV_SMTP_EXPEDITEUR : l'adresse d'expédition des courriels manque (obligatoire avec ACV_SMTP_HOTE)"
            )
        public_url = get("ACV_URL_PUBLIQUE").rstrip("/")
        if public_url and not public_url.startswith(("https://", "http://")):
            raise MailSettingsError(
                f"ACV_URL_PUBLIQUE : « {public_url} » n'est pas une adresse web (https://instruction.exemple.fr)"
            )
        retry_text = get("ACV_SMTP_REESSAI") or "30"
        try:
            retry = float(retry_text)
        except ValueError:
            retry = -1.0
        if not 0 < retry <= MAX_WAIT:
            raise MailSettingsError(f"ACV_SMTP_REESSAI : « {retry_text} » secondes (attendu : entre 0 et 3600)")
        return cls(
            host=host,
            port=int(port_text) if port_text else TLS_MODES[tls],
            tls=tls,
            user=user,
            password=password,
            sender=sender,
            public_url=public_url,
            retry=retry,
        )


# Kinds of mail whose body holds a secret (the expert's personal link, worth the dossier's reading): once sent,
# the outbox keeps their subject and address, not their body.
SECRET_KINDS = frozenset({"avis_demande"})
SECRET_SENT = "(courriel envoyé ; il contenait un lien personnel, effacé après l'envoi)"


def public_url() -> str:
    """The service's public address, for the links in mails ("" when unset: the links are paths)."""
    return os.environ.get("ACV_URL_PUBLIQUE", "").strip().rstrip("/")


# --- the sender ----------------------------------------------------------------------------------

_WAKERS: set[threading.Event] = set()


def wake() -> None:
    """Tell the running senders of this process that the outbox has new rows (after a commit)."""
    for waker in list(_WAKERS):
        waker.set()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)  # SQLite gives naive UTC


def backoff(attempts: int, first: float) -> float:
    """Seconds before the next attempt after `attempts` failures."""
    return min(first * 2 ** max(attempts - 1, 0), MAX_WAIT)


def message(row: Courriel, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, row.to, row.subject
    mail["Date"] = format_datetime(now())
    mail["Message-ID"] = make_msgid(idstring=f"courriel{row.id}", domain=parseaddr(sender)[1].partition("@")[2] or None)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(row.text)
    mail.add_alternative(row.html, subtype="html")
    return mail


class Sender:
    """Sends the outbox's due rows in a thread, woken by `wake()` and at the next row's due time."""

    def __init__(self, new_session: Callable[[], Session], settings: MailSettings):
        self.sessions, self.settings = new_session, settings
        self._waker, self._stopping = threading.Event(), False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not self.settings.host:
            log.warning(
                "courriels : ACV_SMTP_HOTE n'est pas défini ; les courriels restent dans la boîte d'envoi "
                "(table courriels) et partiront quand un serveur sera configuré"
            )
            return
        self._stopping = False
        _WAKERS.add(self._waker)
        self._thread = threading.Thread(target=self._run, name="acv-courriels", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping = True
        _WAKERS.discard(self._waker)
        self._waker.set()
        if self._thread is not None:
            self._thread.join(TIMEOUT + 5)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping:
            self._waker.clear()
            try:
                wait = self.send_due()
            except Exception:  # the database away a moment: try again later, the rows are still there
                log.exception("courriels : boîte d'envoi illisible, nouvel essai dans %s s", self.settings.retry)
                wait = self.settings.retry
            self._waker.wait(wait)

    def send_due(self) -> float:
        """Send every due row; the seconds until the next one is due."""
        connection: smtplib.SMTP | None = None
        try:
            while not self._stopping and (row := self._claim()) is not None:
                try:
                    connection = connection or self._connect()
                    connection.send_message(message(row, self.settings.sender))
                except Exception as exc:  # refused, server away, a mail that cannot be built: kept, retried later
                    self._failed(row, exc)
                    connection = _close(connection)
                else:
                    self._sent(row)
        finally:
            _close(connection)
        return self._next_due()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls == "ssl":
            connection = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
            if s.tls == "starttls":
                connection.starttls(context=ssl.create_default_context())
        if s.user:
            connection.login(s.user, s.password or "")
        return connection

    def _claim(self) -> Courriel | None:
        with self.sessions() as session:
            moment = now()
            due = (
                (Courriel.sent_at.is_(None))
                & (Courriel.next_attempt_at <= moment)
                & or_(Courriel.claimed_until.is_(None), Courriel.claimed_until < moment)
            )
            for row_id in session.scalars(select(Courriel.id).where(due).order_by(Courriel.id).limit(20)).all():
                claimed = session.execute(
                    update(Courriel).where(Courriel.id == row_id, due).values(claimed_until=moment + CLAIM)
                )
                session.commit()
                if claimed.rowcount == 1:
                    return session.get(Courriel, row_id)
            return None

    def _sent(self, row: Courriel) -> None:
        values = {"sent_at": now(), "attempts": Courriel.attempts + 1, "claimed_until": None, "last_error": None}
        if row.kind in SECRET_KINDS:  # the link was the expert's key: it leaves the database once delivered
            values |= {"text": SECRET_SENT, "html": SECRET_SENT}
        with self.sessions() as session:
            session.execute(update(Courriel).where(Courriel.id == row.id).values(**values))
            session.commit()

    def _failed(self, row: Courriel, exc: Exception) -> None:
        attempts = row.attempts + 1
        wait = backoff(attempts, self.settings.retry)
        log.warning(
            "courriel %s à %s non envoyé (essai %s, nouvel essai dans %.1f s) : %s", row.id, row.to, attempts, wait, exc
        )
        with self.sessions() as session:
            session.execute(
                update(Courriel)
                .where(Courriel.id == row.id)
                .values(
                    attempts=attempts,
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    next_attempt_at=now() + dt.timedelta(seconds=wait),
                    claimed_until=None,
                )
            )
            session.commit()

    def _next_due(self) -> float:
        """Seconds until an unsent row is due (or its claim by another sender runs out)."""
        moment = now()
        unsent = Courriel.sent_at.is_(None)
        with self.sessions() as session:
            free = session.scalar(
                select(func.min(Courriel.next_attempt_at)).where(
                    unsent, or_(Courriel.claimed_until.is_(None), Courriel.claimed_until < moment)
                )
            )
            held = session.scalar(
                select(func.min(Courriel.claimed_until)).where(unsent, Courriel.claimed_until >= moment)
            )
        times = [_aware(t) for t in (free, held) if t is not None]
        if not times:
            return POLL
        return min(max((min(times) - now()).total_seconds(), 0.05), POLL)


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is not None:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()
    return None
