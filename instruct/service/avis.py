"""Experts' opinions (« avis d'experts »), written once for the JSON API and the pages.

An instructeur (or an admin) on a dossier they see asks an expert, by e-mail, for an opinion; the expert has no
account: the link `/avis/{token}` is the only key (only the token's SHA-256 is stored; it lapses after ACV_AVIS_JOURS
days, 30 by default, or when the request is cancelled). Through it the expert reads that dossier alone, read-only,
and answers once (a conditional update: of two answers exactly one is kept), with attached files checked as the
messagerie's are. Who reads an opinion: a confidential one, the instructeurs of the requester's partner who see the
dossier, and the admins; any other, every instructeur who sees the dossier, and the admins; never the town.
HTTP errors are raised here so both shells answer alike; nothing here commits."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException
from sqlalchemy import delete, false, or_, select, update
from sqlalchemy.orm import Session

from instruct.french import french_number
from instruct.model.fields import control_problem
from instruct.service import accounts, mail, notifications, uploads, usecases
from instruct.service.instruction_storage import Avis, AvisPiece
from instruct.service.report_view import report_view
from instruct.service.storage import Blob, Dossier, User, Version, VersionFile, now, put_blob

log = logging.getLogger("acv.avis")

ASKERS = frozenset({"instructeur", "admin"})
MAX_QUESTION = 20000  # characters of a question, and of an answer: longer is refused, never cut
MAX_NAME = 200
DEFAULT_DAYS = 30
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")  # what secrets.token_urlsafe gives: anything else is never looked up


def days() -> int:
    """ACV_AVIS_JOURS: how many days an expert's link lasts (30 by default; 1 to 365)."""
    text = os.environ.get("ACV_AVIS_JOURS", "").strip()
    if text.isdigit() and 1 <= int(text) <= 365:
        return int(text)
    if text:
        log.warning("ACV_AVIS_JOURS : « %s » n'est pas un nombre de jours de 1 à 365 ; %d jours", text, DEFAULT_DAYS)
    return DEFAULT_DAYS


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def expert_link(token: str) -> str:
    """The expert's page, absolute when ACV_URL_PUBLIQUE is set."""
    return f"{mail.public_url()}/avis/{token}"


def csrf_token(token: str) -> str:
    """The answer form's token, derived from the link's: a page of another site cannot post an answer."""
    return hmac.new(b"acv-instruct avis", token.encode(), hashlib.sha256).hexdigest()


def csrf_ok(token: str, sent: object) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), csrf_token(token).encode())


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # SQLite drops the zone


# --- who reads what ---------------------------------------------------------------------------------


def may_ask(user: User) -> bool:
    return user.role in ASKERS


def _readable(user: User):
    if user.role == "admin":
        return True
    if user.role == "instructeur" and user.partenaire:
        return or_(Avis.confidentiel.is_(False), Avis.partenaire == user.partenaire)
    return false()


def may_cancel(user: User, avis: Avis) -> bool:
    """The requester's partner's instructeurs (an admin: any request), while it is unanswered."""
    if avis.answered_at is not None:
        return False
    return user.role == "admin" or (user.role == "instructeur" and user.partenaire == avis.partenaire)


def asked_on(session: Session, user: User, record: Dossier) -> list[Avis]:
    """The opinions asked on a dossier that `user` may read, oldest first (none for a town)."""
    if not may_ask(user):
        return []
    query = select(Avis).where(Avis.dossier_id == record.id, _readable(user)).order_by(Avis.id)
    return list(session.scalars(query))


def _askers_only(user: User) -> None:
    if not may_ask(user):
        raise HTTPException(403, "avis d'experts réservés aux instructeurs")


def readable_or_404(session: Session, user: User, record: Dossier, avis_id: int) -> Avis:
    """One opinion of the dossier that `user` may read; 403 for a town, 404 alike for any other."""
    _askers_only(user)
    found = session.scalar(select(Avis).where(Avis.id == avis_id, Avis.dossier_id == record.id, _readable(user)))
    if found is None:
        raise HTTPException(404, "avis introuvable")
    return found


# --- asking, cancelling -------------------------------------------------------------------------------


def ask(
    session: Session, record: Dossier, user: User, nom: str, courriel: str, question: str, confidentiel: bool
) -> Avis:
    """A request for an expert's opinion and its e-mail (an outbox row, sent after commit); not committed."""
    _askers_only(user)
    nom, question = nom.strip(), question.strip()
    if len(nom) > MAX_NAME or control_problem(nom):
        raise HTTPException(422, f"nom de l'expert : {MAX_NAME} caractères au plus, sur une ligne")
    if not courriel.strip():
        raise HTTPException(422, "adresse électronique de l'expert manquante")
    try:
        address = accounts.checked_courriel(courriel)
    except accounts.AccountError as exc:
        raise HTTPException(422, str(exc)) from None
    if problem := _text_problem(question, "question"):
        raise HTTPException(422, problem)
    token = secrets.token_urlsafe(32)
    avis = Avis(
        dossier_id=record.id,
        partenaire=user.partenaire if user.role == "instructeur" else None,
        requested_by=user.id,
        expert_nom=nom,
        expert_courriel=address,
        question=question,
        confidentiel=confidentiel,
        token_hash=_digest(token),
        expires_at=now() + dt.timedelta(days=days()),
    )
    session.add(avis)
    session.flush()
    context = {"avis": avis, "demandeur": user.nom or user.login, "lien": expert_link(token)}
    notifications.notify(session, "avis_demande", record, [address], context)
    return avis


def cancel(session: Session, user: User, avis: Avis) -> None:
    """Cancel an unanswered request (its link then leads nowhere): a conditional delete, 409 if answered meanwhile."""
    if not may_cancel(user, avis):
        raise HTTPException(
            409 if avis.answered_at is not None else 403,
            "avis déjà rendu : la demande ne s'annule plus"
            if avis.answered_at is not None
            else "seuls les instructeurs du partenaire qui a demandé l'avis l'annulent",
        )
    done = session.execute(
        delete(Avis)
        .where(Avis.id == avis.id, Avis.answered_at.is_(None), Avis.revision == avis.revision)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise HTTPException(409, "la demande vient d'être modifiée (avis rendu ou annulé) ; rechargez la page")
    session.expunge(avis)


# --- the expert's side ------------------------------------------------------------------------------


def by_token(session: Session, token: str) -> Avis | None:
    """The opinion a link leads to, while it may be read: None alike for an unknown, cancelled or expired one."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    found = session.scalar(select(Avis).where(Avis.token_hash == _digest(token)))
    if found is None or _aware(found.expires_at) <= now():
        return None
    return found


def _text_problem(text: str, what: str) -> str | None:
    """Why a question (`what` = « question ») or an answer (« avis ») cannot be kept, in French; None when it can."""
    if not text.strip():
        return (
            "question vide : écrivez la question posée à l'expert"
            if what == "question"
            else "avis vide : écrivez votre avis"
        )
    if len(text) > MAX_QUESTION:
        long = "longue" if what == "question" else "long"
        count, most = french_number(len(text)), french_number(MAX_QUESTION)
        return f"{what} trop {long} : {count} caractères (au plus {most})"
    if problem := control_problem(text, paragraph=True):
        return f"{what} refusé{'e' if what == 'question' else ''} : {problem}"
    return None


def answer_problem(text: str) -> str | None:
    """Why an answer cannot be kept, in French; None when it can."""
    return _text_problem(text.strip(), "avis")


def answer(session: Session, avis: Avis, text: str, files: dict[str, bytes], seen: int) -> Avis:
    """The expert's answer, written once: `UPDATE … WHERE answered_at IS NULL AND revision = seen` (409 when another
    answer came first); attached files already checked (messagerie.attachments); the requester is told after
    commit. Not committed."""
    text = text.strip()
    if problem := answer_problem(text):
        raise HTTPException(422, problem)
    done = session.execute(
        update(Avis)
        .where(Avis.id == avis.id, Avis.answered_at.is_(None), Avis.revision == seen, Avis.expires_at > now())
        .values(answered_at=now(), answer=text, revision=Avis.revision + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise HTTPException(409, "cet avis a déjà été rendu : une seule réponse est possible")
    for name, data in files.items():
        session.add(AvisPiece(avis_id=avis.id, name=name, sha256=put_blob(session, data), size=len(data)))
    session.flush()
    session.refresh(avis)
    record = session.get(Dossier, avis.dossier_id)
    context = {"avis": avis, "lien": notifications.link(record) + "#avis"}
    notifications.notify(session, "avis_rendu", record, [avis.requester], context)
    return avis


def latest_version(record: Dossier) -> Version | None:
    return record.versions[-1] if record.versions else None


def _name_refused(name: str) -> bool:
    return len(name.encode("utf-8", "replace")) > uploads.MAX_NAME_BYTES or any(
        uploads.name_problem(part) for part in name.split("/")
    )


def version_file_or_404(session: Session, record: Dossier, name: str) -> tuple[str, bytes]:
    """A file of the dossier's latest version (the one the expert reads), and its bytes; 404 alike for any other."""
    version = latest_version(record)
    if version is None or _name_refused(name):
        raise HTTPException(404, "fichier introuvable")
    found = session.scalar(select(VersionFile).where(VersionFile.version_id == version.id, VersionFile.path == name))
    if found is None:
        raise HTTPException(404, "fichier introuvable")
    return found.path, session.scalar(select(Blob.data).where(Blob.sha256 == found.sha256))


def piece_or_404(session: Session, avis: Avis, name: str) -> tuple[AvisPiece, bytes]:
    """A file attached to an answer, and its bytes; 404 alike for any other."""
    if "/" in name or _name_refused(name):
        raise HTTPException(404, "pièce jointe introuvable")
    piece = session.scalar(select(AvisPiece).where(AvisPiece.avis_id == avis.id, AvisPiece.name == name))
    if piece is None:
        raise HTTPException(404, "pièce jointe introuvable")
    return piece, session.scalar(select(Blob.data).where(Blob.sha256 == piece.sha256))


def expert_view(record: Dossier, avis: Avis) -> dict[str, Any]:
    """What the expert's page shows: the dossier's commune and state, the question, the latest version's report and
    files; nothing else of the dossier (no note, no message, no other dossier)."""
    version = latest_version(record)
    stored = usecases.latest_report(record)
    return {
        "avis": avis,
        "dossier": record,
        "version": version,
        "fichiers": [f.path for f in version.files] if version else [],
        "report": report_view(json.loads(stored.report_json), "") if stored else None,
        "expires": _aware(avis.expires_at),
    }


# --- as the API and the dossier's page say it ---------------------------------------------------------


def as_json(record: Dossier, avis: Avis) -> dict[str, Any]:
    """An opinion as the API shows it (never its link)."""
    return {
        "id": avis.id,
        "demande_le": usecases.iso(avis.at),
        "demande_par": avis.requester.login,
        "partenaire": avis.partenaire,
        "expert_nom": avis.expert_nom,
        "expert_courriel": avis.expert_courriel,
        "question": avis.question,
        "confidentiel": avis.confidentiel,
        "expire_le": usecases.iso(avis.expires_at),
        "rendu_le": usecases.iso(avis.answered_at) if avis.answered_at else None,
        "reponse": avis.answer,
        "pieces": [
            {
                "nom": p.name,
                "taille": p.size,
                "adresse": f"/api/dossiers/{record.id}/avis/{avis.id}/pieces/{quote(p.name)}",
            }
            for p in avis.pieces
        ],
    }


def page_view(session: Session, user: User, record: Dossier) -> dict[str, Any]:
    """What the dossier's page shows of the opinions: none of it to a town."""
    if not may_ask(user):
        return {"may_read": False, "items": []}
    items = [
        {"avis": a, "may_cancel": may_cancel(user, a), "expires": _aware(a.expires_at)}
        for a in asked_on(session, user, record)
    ]
    return {"may_read": True, "may_ask": True, "items": items, "jours": days()}
