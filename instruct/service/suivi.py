"""Who follows an instruction track (« suivi par »), written once for the queue, the dossier page and the API: an
instructeur of the track's partner who sees the dossier, or an admin, assigns it to themself, to a colleague (an
instructeur of the same partner who sees the dossier; an admin also to an admin), or to nobody. The change is a
conditional update on the track's revision: made on a revision someone else has changed since, it is refused (409)
and nothing is lost. Nothing here commits."""

from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from instruct.service import accounts
from instruct.service.instruction_storage import TRACK_PARTNERS, Instruction
from instruct.service.storage import Dossier, User, now

STALE = (
    "cette piste a changé depuis que vous l'avez affichée (suivi ou état modifié par quelqu'un d'autre) : "
    "rechargez la page et recommencez"
)


def instructs(user: User, partenaire: str) -> bool:
    """May `user` instruct a track of this partner (on a dossier they see)."""
    return user.role == "admin" or (user.role == "instructeur" and user.partenaire == partenaire)


def track_or_404(session: Session, user: User, dossier: Dossier, partenaire: str) -> Instruction:
    """The dossier's track of `partenaire`, if `user` instructs it (404 alike when there is none)."""
    track = (
        session.scalar(
            select(Instruction).where(Instruction.dossier_id == dossier.id, Instruction.partenaire == partenaire)
        )
        if partenaire in TRACK_PARTNERS
        else None
    )
    if track is None or not instructs(user, partenaire):
        raise HTTPException(404, f"aucune piste « {partenaire[:40]} » que vous instruisiez sur ce dossier")
    return track


def colleagues(session: Session, user: User, dossier: Dossier, partenaire: str) -> list[User]:
    """Whom `user` may assign the track to: the partner's active instructeurs who see the dossier; an admin also
    chooses among the admins. By name."""
    roles = ("instructeur", "admin") if user.role == "admin" else ("instructeur",)
    candidates = session.scalars(
        select(User)
        .where(User.active.is_(True), User.deleted_at.is_(None), User.role.in_(roles))
        .order_by(User.nom, User.login)
    )
    return [c for c in candidates if c.role == "admin" or (c.partenaire == partenaire and accounts.can_see(c, dossier))]


def assign(
    session: Session, user: User, dossier: Dossier, partenaire: str, login: str | None, revision: int | None
) -> Instruction:
    """Assign the track to `login` (None: to nobody), on the revision the user saw (None: the one read now)."""
    track = track_or_404(session, user, dossier, partenaire)
    target = None
    if login:
        target = next((c for c in colleagues(session, user, dossier, partenaire) if c.login == login), None)
        if target is None:
            raise HTTPException(
                422, f"« {login[:80]} » n'instruit pas cette piste : choisissez un instructeur de ce partenaire"
            )
    seen = track.revision if revision is None else revision
    done = session.execute(
        update(Instruction)
        .where(Instruction.id == track.id, Instruction.revision == seen)
        .values(assigned_to=target.id if target else None, revision=Instruction.revision + 1, updated_at=now()),
        execution_options={"synchronize_session": False},
    )
    if done.rowcount != 1:
        raise HTTPException(409, STALE)
    session.expire(track)
    return track
