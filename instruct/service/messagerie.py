"""The messagerie's use cases, written once for the pages and the JSON API: one thread per dossier between the town
and the instructeurs, read and written by everyone who may see the dossier (the same 404 for everyone else:
`usecases.visible_or_404`), with attached files checked as a dossier's pieces are (uploads.py: names, sizes,
content against the name); and the « à compléter » request: a message naming the gaps of the latest report that
the instructeur ticked, pinned at the top of the dossier's page until the town adds a version.
HTTP errors are raised here so both shells answer alike; nothing here commits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from instruct.errors import InputError, Problem
from instruct.french import french_number
from instruct.model.fields import control_problem
from instruct.model.report import GAPS
from instruct.service import accounts, notifications, uploads, usecases
from instruct.service.messages_storage import Message, MessagePiece
from instruct.service.storage import Blob, Dossier, User, put_blob

MAX_TEXT = 20000  # characters of a message: a longer one is refused, never cut
MAX_ATTACHMENTS = 20  # files attached to one message (all of them: uploads.MAX_UPLOAD bytes at most)
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpeg": "image/jpeg",
}


# --- reading --------------------------------------------------------------------------------------


def thread(session: Session, record: Dossier) -> list[Message]:
    """The dossier's messages, oldest first (everyone who sees the dossier reads them all)."""
    return list(session.scalars(select(Message).where(Message.dossier_id == record.id).order_by(Message.id)))


def pinned(session: Session, record: Dossier) -> Message | None:
    """The « à compléter » request still waiting for its answer: the latest request, while the dossier is « à
    compléter » and the town has added no version since it was made."""
    if record.state != "a_completer" or not record.versions:
        return None
    latest = session.scalar(
        select(Message)
        .where(Message.dossier_id == record.id, Message.kind == "demande")
        .order_by(Message.id.desc())
        .limit(1)
    )
    return latest if latest is not None and latest.version_number == record.versions[-1].number else None


def gap_choices(record: Dossier) -> list[dict[str, Any]]:
    """The gaps of the dossier's latest report, as a request names them (id, rule, entity, status, message)."""
    latest = usecases.latest_report(record)
    if latest is None:
        return []
    found = []
    for f in json.loads(latest.report_json)["findings"]:
        if f["status"] in GAPS:
            gap = {
                "id": gap_id(f),
                "regle": f["rule"],
                "controle": f["check"] or "",
                "entite": f["entity"]["label"],
                "statut": f["status"],
                "message": f["message"],
            }
            if gap["id"] not in {g["id"] for g in found}:
                found.append(gap)
    return found


def gap_id(finding: dict) -> str:
    """A gap's identifier: its rule (and check), and the entity it concerns: « X-05:avenant:1 »."""
    rule = finding["rule"] + (f"/{finding['check']}" if finding["check"] else "")
    return f"{rule}:{finding['entity']['type']}:{finding['entity']['id']}"


def piece_or_404(session: Session, record: Dossier, message_id: int, name: str) -> tuple[MessagePiece, bytes]:
    """An attached file of one of the dossier's messages, and its bytes; 404 alike for any other (a name no piece
    could have, with a control character or too long, too: it never reaches the database)."""
    if len(name.encode("utf-8", "replace")) > uploads.MAX_NAME_BYTES or "/" in name or uploads.name_problem(name):
        raise HTTPException(404, "pièce jointe introuvable")
    piece = session.scalar(
        select(MessagePiece)
        .join(Message, Message.id == MessagePiece.message_id)
        .where(Message.dossier_id == record.id, Message.id == message_id, MessagePiece.name == name)
    )
    if piece is None:
        raise HTTPException(404, "pièce jointe introuvable")
    return piece, session.scalar(select(Blob.data).where(Blob.sha256 == piece.sha256))


def media_type(data: bytes) -> str:
    return MEDIA_TYPES.get(uploads.content_type(data), "application/octet-stream")


# --- writing --------------------------------------------------------------------------------------


def attachments(received: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """Files sent with a message (name as sent, content) -> name -> content, checked as a dossier's pieces are:
    their number and total size, each name (no path, control or bidi character, hidden file, two names for one
    file), each content against its name (PDF, DOCX, PNG or JPEG). InputError in French otherwise."""
    if len(received) > MAX_ATTACHMENTS:
        raise _refuse("pieces", f"trop de pièces jointes : {len(received)} (au plus {MAX_ATTACHMENTS})")
    total = sum(len(data) for _, data in received)
    if total > uploads.MAX_UPLOAD:
        raise _refuse("pieces", f"pièces jointes trop volumineuses (au plus {uploads.MAX_UPLOAD // (1024 * 1024)} Mo)")
    named = []
    for sent, data in received:
        base = uploads.safe_name(Path(sent or "").name)
        if base is None:
            raise _refuse(uploads.shown(sent or "pièce"), "nom de pièce jointe refusé")
        named.append((sent, f"pieces/{base}", data))
    files = {path.split("/", 1)[1]: data for path, data in uploads.collect(named).items()}
    for name, data in files.items():
        expected = uploads.PIECE_TYPES.get(Path(name).suffix.lower())
        if expected is None:
            raise _refuse(uploads.shown(name), "type de pièce jointe refusé : PDF, DOCX, PNG ou JPEG")
        if not data:
            raise _refuse(uploads.shown(name), "fichier vide")
        kind = uploads.content_type(data)
        if kind != expected:
            suffix = Path(name).suffix.lower().lstrip(".")
            raise _refuse(
                uploads.shown(name), f"le contenu ne correspond pas au nom : {kind} dans un fichier .{suffix}"
            )
    return files


def from_uploads(files: list) -> dict[str, bytes]:
    """Files of a form or the API (objects with `.file` and `.filename`), each read up to MAX_UPLOAD, checked."""
    received = []
    for upload in files:
        data = upload.file.read(uploads.MAX_UPLOAD + 1)
        if len(data) > uploads.MAX_UPLOAD:
            raise _refuse(
                uploads.shown(upload.filename or "pièce"),
                f"fichier trop volumineux (au plus {uploads.MAX_UPLOAD // (1024 * 1024)} Mo)",
            )
        received.append((upload.filename or "piece", data))
    return attachments(received)


def text_problem(text: str, files: dict[str, bytes]) -> str | None:
    """Why a message's text cannot be sent, in French; None when it can."""
    if not text.strip() and not files:
        return "écrivez un message ou joignez une pièce"
    if len(text) > MAX_TEXT:
        return f"message trop long : {french_number(len(text))} caractères (au plus {french_number(MAX_TEXT)})"
    if problem := control_problem(text, paragraph=True):
        return f"message refusé : {problem}"
    return None


def post(session: Session, record: Dossier, user: User, text: str, files: dict[str, bytes]) -> Message:
    """A message on the dossier's thread, with its attached files (already checked: `attachments`); not
    committed. Those told of it (`notify_message`) are told in the same transaction."""
    text = text.strip()
    if problem := text_problem(text, files):
        raise HTTPException(422, problem)
    message = _message(record, user, "message", text)
    for name, data in files.items():
        message.pieces.append(MessagePiece(name=name, sha256=put_blob(session, data), size=len(data)))
    session.add(message)
    session.flush()
    notify_message(session, record, message, user)
    return message


def request(session: Session, record: Dossier, user: User, reason: str, gaps: list[dict[str, Any]]) -> Message:
    """The « à compléter » request of a track (instructions.track_move, under the dossier's lock): a message on the
    thread with the reason and the gaps named (already checked among the latest report's: `gap_choices`)."""
    message = _message(record, user, "demande", reason)
    message.gaps = gaps
    session.add(message)
    return message


def _message(record: Dossier, user: User, kind: str, text: str) -> Message:
    return Message(
        dossier_id=record.id,
        author_id=user.id,
        kind=kind,
        text=text,
        version_number=record.versions[-1].number if record.versions else None,
        gaps=[],
    )


def _refuse(where: str, message: str) -> InputError:
    return InputError("pièces jointes", [Problem(where, message)])


# --- who is told ------------------------------------------------------------------------------------


def readers(session: Session, record: Dossier) -> list[User]:
    """The active accounts that see the dossier, but the administrators (the town's, the instructeurs')."""
    concerned = ((User.role == "collectivite") & (User.commune_insee == record.commune_insee)) | (
        User.role == "instructeur"
    )
    candidates = session.scalars(select(User).where(User.active.is_(True), User.deleted_at.is_(None), concerned))
    return [u for u in candidates if accounts.can_see(u, record)]


def notify_message(session: Session, record: Dossier, message: Message, author: User) -> None:
    """Those who see the dossier, its author aside, are told of a new message (notification kind "message"): outbox
    rows in this transaction, sent once it commits."""
    recipients = [u for u in readers(session, record) if u.id != author.id]
    if recipients:
        context = {
            "auteur": author.nom or author.login,
            "texte": message.text,
            "lien": notifications.link(record) + "#messagerie",
        }
        notifications.notify(session, "message", record, recipients, context)


# --- as the API says it -----------------------------------------------------------------------------


def as_json(record: Dossier, message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "le": usecases.iso(message.at),
        "par": message.author.login,
        "role": message.author.role,
        "type": "demande_de_complements" if message.kind == "demande" else "message",
        "texte": message.text,
        "version": message.version_number,
        "ecarts": message.gaps,
        "pieces": [
            {
                "nom": p.name,
                "taille": p.size,
                "adresse": f"/api/dossiers/{record.id}/messages/{message.id}/pieces/{quote(p.name)}",
            }
            for p in message.pieces
        ],
    }


def page_view(session: Session, record: Dossier) -> dict[str, Any]:
    """What the dossier's page shows of the messagerie: the thread, the pending request, the gaps one may cite."""
    return {
        "messages": thread(session, record),
        "demande": pinned(session, record),
        "ecarts": gap_choices(record),
        "max_pieces": MAX_ATTACHMENTS,
    }
