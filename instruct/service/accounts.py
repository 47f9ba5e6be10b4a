"""Accounts, sessions and who may see what.

Passwords are hashed with argon2id (12 to 128 characters, not the login, not one character
repeated: `check_password`); a session is a random token of which only the SHA-256 is
stored, valid ACV_TOKEN_HOURS (8 h by default). A town (`collectivite`) sees its own commune's
dossiers; an `instructeur` of a partner sees the dossiers of their territory (a département
`dep:01` or a région `reg:84`) once deposited; an `admin` sees everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from instruct.service.storage import PARTENAIRES, ROLES, Dossier, Token, User, now
from instruct.vocabulary import canonical_partner

# OWASP's Password Storage Cheat Sheet: argon2id with 19 MiB, 2 passes, 1 lane. argon2-cffi's default (64 MiB,
# 3 passes, 4 lanes: RFC 9106's low-memory profile) costs about 5 times that work; measured on the 2-core
# server, 16 logins at once then wait 4 s at p95 (benchmarks/load.py --scenario connexions). Hashes made
# with other parameters still verify, and are made again with these at the next login (check_needs_rehash).
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_PASSWORD = 12
# argon2 itself takes up to 2^32 - 1 bytes; the limit is the login form's and the API's (200
# characters): 128 leaves every password that can be set one that can be typed at login.
MAX_PASSWORD = 128
LOGIN_PATTERN = re.compile(r"[A-Za-z0-9._@-]{3,80}")
COURRIEL_PATTERN = re.compile(r"[^@\s<>(),;:\"\[\]]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")  # notifications' address
DELETED_HASH = "!supprimé"  # not an argon2 hash: nothing verifies against it


class AccountError(ValueError):
    """A French message for the person creating the account."""


def token_hours() -> float:
    return float(os.environ.get("ACV_TOKEN_HOURS", "8"))


def create_user(
    session: Session,
    login: str,
    password: str,
    role: str,
    *,
    nom: str = "",
    commune_insee: str | None = None,
    partenaire: str | None = None,
    territoire: str | None = None,
    courriel: str | None = None,
) -> User:
    if not LOGIN_PATTERN.fullmatch(login):
        raise AccountError("identifiant invalide : 3 à 80 caractères parmi lettres, chiffres, . _ @ -")
    if role not in ROLES:
        raise AccountError(f"rôle inconnu : {role} (attendu : {', '.join(ROLES)})")
    check_password(password, login)
    if role == "collectivite" and not (commune_insee and re.fullmatch(r"\d{5}|2[AB]\d{3}", commune_insee)):
        raise AccountError("un compte collectivite a le code INSEE de sa commune (--commune 01053)")
    if role == "instructeur":
        partenaire = canonical_partner(partenaire or "")
        if partenaire not in PARTENAIRES:
            raise AccountError(f"un instructeur a un partenaire : {', '.join(PARTENAIRES)} (--partenaire)")
        if not (territoire and re.fullmatch(r"dep:(\d{2}|2[AB]|97\d)|reg:\d{2}", territoire)):
            raise AccountError(
                "un instructeur a un territoire : dep:01 (département) ou reg:84 (région) (--territoire)"
            )
    courriel = checked_courriel(courriel)
    if session.scalar(select(User).where(User.login == login)) is not None:
        raise AccountError(f"identifiant déjà pris : {login}")
    user = User(
        login=login,
        password_hash=HASHER.hash(password),
        role=role,
        nom=nom,
        commune_insee=commune_insee if role == "collectivite" else None,
        partenaire=partenaire if role == "instructeur" else None,
        territoire=territoire if role == "instructeur" else None,
        courriel=courriel,
    )
    session.add(user)
    session.flush()
    return user


def check_password(password: str, login: str) -> None:
    """The password policy, at creation and at every change; AccountError in French."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"mot de passe trop court : au moins {MIN_PASSWORD} caractères")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"mot de passe trop long : au plus {MAX_PASSWORD} caractères")
    if not password.strip():
        raise AccountError("mot de passe refusé : il ne contient que des espaces")
    if len(set(password.strip())) < 4:
        raise AccountError("mot de passe refusé : il faut au moins 4 caractères différents")
    if login and login.casefold() in password.casefold():
        raise AccountError("mot de passe refusé : il ne doit pas contenir l'identifiant")
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise AccountError("mot de passe refusé : caractère de contrôle (tabulation, retour à la ligne…)")


def find_user(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == login)) if LOGIN_PATTERN.fullmatch(login) else None
    if user is None or user.deleted_at is not None:
        raise AccountError(f"compte inconnu : {login}")
    return user


def set_password(session: Session, login: str, password: str) -> User:
    """A new password (the policy applies); the account's open sessions end."""
    user = find_user(session, login)
    check_password(password, login)
    user.password_hash = HASHER.hash(password)
    end_sessions(session, user)
    return user


def checked_courriel(courriel: str | None) -> str | None:
    """The address the notifications go to (None: no mail), or a French AccountError."""
    courriel = (courriel or "").strip()
    if not courriel:
        return None
    if len(courriel) > 254 or not COURRIEL_PATTERN.fullmatch(courriel):
        raise AccountError(f"adresse électronique invalide : {courriel[:80]} (attendu : prenom.nom@exemple.fr)")
    return courriel


def set_courriel(session: Session, login: str, courriel: str | None) -> User:
    """Set (or, with None or "", remove) the address an account's notifications go to."""
    user = find_user(session, login)
    user.courriel = checked_courriel(courriel)
    return user


def set_active(session: Session, login: str, active: bool) -> User:
    """Disable (no login, its open sessions end at once) or enable again."""
    user = find_user(session, login)
    user.active = active
    if not active:
        end_sessions(session, user)
    return user


def delete_user(session: Session, login: str) -> User:
    """Soft delete: the row stays for the journal (events, notes and versions still name their
    author); the account can never log in again, nor be enabled, nor its login be taken again."""
    user = find_user(session, login)
    user.active = False
    user.deleted_at = now()
    user.password_hash = DELETED_HASH
    end_sessions(session, user)
    return user


def end_sessions(session: Session, user: User) -> None:
    session.execute(delete(Token).where(Token.user_id == user.id))


_dummy_hash: str | None = None


def password_matches(password_hash: str | None, password: str) -> bool:
    """argon2 verification; with no hash (no such account), the same work against a dummy one, so
    that the time taken does not tell whether a login exists."""
    global _dummy_hash
    if password_hash is None:
        _dummy_hash = _dummy_hash or HASHER.hash("compte inexistant")
        password_hash = _dummy_hash
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, login: str, password: str) -> User | None:
    """The account if the password matches (synchronous: for scripts and tests; the service logs in
    through service/logins, throttled and off the request threads)."""
    user = session.scalar(select(User).where(User.login == login)) if LOGIN_PATTERN.fullmatch(login) else None
    usable = user is not None and user.active
    if not password_matches(user.password_hash if usable else None, password) or not usable:
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User) -> tuple[str, dt.datetime]:
    token = secrets.token_urlsafe(32)
    expires = now() + dt.timedelta(hours=token_hours())
    session.add(Token(hash=_digest(token), user_id=user.id, expires_at=expires))
    session.execute(delete(Token).where(Token.expires_at < now()))  # expired sessions are forgotten
    return token, expires


def user_of(session: Session, token: str | None) -> User | None:
    """The active user behind an unexpired token, or None."""
    if not token or len(token) > 200:
        return None
    row = session.get(Token, _digest(token))
    if row is None:
        return None
    expires = (
        row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    )  # SQLite drops the zone
    if expires <= now() or not row.user.active:
        return None
    return row.user


def close_session(session: Session, token: str) -> None:
    session.execute(delete(Token).where(Token.hash == _digest(token)))


def csrf_token(session_token: str) -> str:
    """Derived from the session token (secret, HttpOnly): the same in every worker, unknown to another site.
    The pages' forms carry it; the API asks for it (X-CSRF-Token) when it authenticates by the cookie."""
    return hmac.new(b"acv-instruct formulaire", session_token.encode(), hashlib.sha256).hexdigest()


def csrf_ok(session_token: str | None, sent: object) -> bool:
    return (
        bool(session_token)
        and isinstance(sent, str)
        and hmac.compare_digest(sent.encode(), csrf_token(session_token or "").encode())
    )


# --- who may see what ---------------------------------------------------------------------------


def in_territory(territoire: str | None, dossier: Dossier) -> bool:
    if not territoire:
        return False
    kind, _, code = territoire.partition(":")
    return (kind == "dep" and dossier.departement == code) or (kind == "reg" and dossier.region == code)


def can_see(user: User, dossier: Dossier) -> bool:
    if user.role == "admin":
        return True
    if user.role == "collectivite":
        return dossier.commune_insee == user.commune_insee
    return dossier.state != "brouillon" and in_territory(user.territoire, dossier)


def visible_filter(user: User):
    """The same rule as `can_see`, as a query condition."""
    if user.role == "admin":
        return True
    if user.role == "collectivite":
        return Dossier.commune_insee == user.commune_insee
    kind, _, code = (user.territoire or "").partition(":")
    place = Dossier.departement == code if kind == "dep" else Dossier.region == code
    return (Dossier.state != "brouillon") & place
