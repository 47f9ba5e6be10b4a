"""The instruction notes (« annotations »), written once for the JSON API and the pages: who writes them, who reads
which. A note carries its author's partner (None for an admin). A private one (« annotation privée ») is read by the
instructeurs of that same partner who see the dossier, and by the admins; an admin's private note by the admins
alone. A public one is read by everyone who sees the dossier, the town included. The filter is in the query: a note
another partner may not read never leaves the database for them (not even counted).
HTTP errors are raised here so both shells answer alike; nothing here commits."""

from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from instruct.french import french_number
from instruct.service.storage import Dossier, Note, User
from instruct.vocabulary import Partenaire

MAX_NOTE = 20000  # characters of a note: a longer one is refused, never cut
NOTE_WRITERS = frozenset({"instructeur", "admin"})  # who writes instruction notes


def may_write_notes(user: User) -> bool:
    return user.role in NOTE_WRITERS


def readable_filter(user: User):
    """The notes `user` may read, as a query condition (on a dossier they see)."""
    if user.role == "admin":
        return True
    if user.role == "instructeur" and user.partenaire:
        return or_(Note.private.is_(False), Note.partenaire == user.partenaire)
    return Note.private.is_(False) if user.role == "collectivite" else false()


def notes_visible_to(session: Session, user: User, dossier: Dossier) -> list[Note]:
    """The notes on a dossier that `user` may read, oldest first (the caller has checked that they see it)."""
    query = select(Note).where(Note.dossier_id == dossier.id, readable_filter(user)).order_by(Note.id)
    return list(session.scalars(query))


def readers_label(user: User) -> str:
    """Who reads the private notes `user` writes, in French, for the page (« les instructeurs Anah et les
    administrateurs »)."""
    if user.role == "instructeur" and user.partenaire:
        return f"les instructeurs {partner_label(user.partenaire)} et les administrateurs"
    return "les administrateurs"


def partner_label(partenaire: str | None) -> str:
    """« Anah », « Action Logement »…; « administrateurs » for an admin's note (no partner)."""
    if not partenaire:
        return "administrateurs"
    try:
        return Partenaire(partenaire).libelle
    except ValueError:
        return partenaire


def add_note(session: Session, record: Dossier, user: User, text: str, private: bool) -> Note:
    """A note by an instructeur or an admin, under their partner; not committed."""
    if not may_write_notes(user):
        raise HTTPException(403, "notes d'instruction réservées aux instructeurs")
    if not text.strip() or len(text) > MAX_NOTE:  # refused, never cut
        raise HTTPException(
            422, f"note vide ou trop longue : {french_number(len(text))} caractères (de 1 à {french_number(MAX_NOTE)})"
        )
    partenaire = user.partenaire if user.role == "instructeur" else None
    note = Note(dossier_id=record.id, author_id=user.id, private=private, text=text, partenaire=partenaire)
    session.add(note)
    return note
