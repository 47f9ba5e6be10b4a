"""The instruction workflow, as in the State's instruction platforms:
brouillon → depose → en_instruction → accepte / refuse / sans_suite, with a return to the town
for completion (a_completer → depose). Each transition is an Event (who, when, why)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from instruct.french import french_number
from instruct.service.storage import Busy, Dossier, Event, User, lock, now
from instruct.vocabulary import EtatDossier

TRANSITIONS: dict[tuple[str, str], set[str]] = {
    ("brouillon", "depose"): {"collectivite"},
    ("a_completer", "depose"): {"collectivite"},
    ("depose", "en_instruction"): {"instructeur", "admin"},
    ("depose", "a_completer"): {"instructeur", "admin"},
    ("en_instruction", "a_completer"): {"instructeur", "admin"},
    ("en_instruction", "accepte"): {"instructeur", "admin"},
    ("en_instruction", "refuse"): {"instructeur", "admin"},
    ("en_instruction", "sans_suite"): {"instructeur", "admin"},
}
REASON_REQUIRED = {"a_completer", "refuse", "sans_suite"}
MAX_REASON = 5000  # characters of a reason: a longer one is refused, never cut
EDITABLE = {"brouillon", "a_completer"}  # a town may add a version
LABELS = {e.value: e.libelle for e in EtatDossier}


@dataclass
class Refused(Exception):
    """A transition that cannot be made: `status` 403 (not yours to make), 409 (not now) or 422 (reason too long)."""

    status: int
    message: str


def transition(
    session: Session,
    dossier: Dossier,
    user: User,
    to: str,
    reason: str = "",
    confirmed: bool = False,
) -> Event:
    """Move the dossier to `to`, with its Event, in the caller's transaction (not committed).

    Decided once: the dossier is locked (storage.lock) before its state and its latest report are checked, so
    of two simultaneous decisions the second is checked against the first one's result and refused (409, naming
    the state the dossier is now in); the winner's state and Event are written in its own transaction."""
    allowed = {role for (_, target), roles in TRANSITIONS.items() if target == to for role in roles}
    if not allowed:
        raise Refused(409, f"état inconnu : {to} ({', '.join(LABELS)})")
    if user.role not in allowed:
        raise Refused(403, f"passage à « {LABELS[to]} » réservé à : {', '.join(sorted(allowed))}")
    if len(reason.strip()) > MAX_REASON:
        size, limit = french_number(len(reason.strip())), french_number(MAX_REASON)
        raise Refused(422, f"motif trop long : {size} caractères, au plus {limit} (raccourcissez-le)")
    if to in REASON_REQUIRED and not reason.strip():
        raise Refused(409, f"un motif est obligatoire pour « {LABELS[to]} »")
    try:
        lock(session, dossier)
    except Busy as busy:
        raise Refused(409, str(busy)) from None
    if (dossier.state, to) not in TRANSITIONS:
        raise Refused(409, impossible(dossier.state, to))
    latest = dossier.versions[-1].reports[-1] if dossier.versions and dossier.versions[-1].reports else None
    if to == "depose" and latest is not None and latest.bloquants and not confirmed:
        raise Refused(
            409,
            f"le rapport compte {latest.bloquants} écart(s) bloquant(s) : "
            "confirmez le dépôt en connaissance de cause (confirme=true)",
        )
    event = Event(
        dossier_id=dossier.id,
        user_id=user.id,
        from_state=dossier.state,
        to_state=to,
        reason=reason.strip(),
        version_number=dossier.versions[-1].number if dossier.versions else None,
    )
    dossier.state = to
    dossier.updated_at = now()
    session.add(event)
    return event


def impossible(state: str, to: str) -> str:
    """Why `to` cannot be reached from `state`: « déjà » when the dossier has gone past the states that lead there
    (it was decided, or deposited, by someone else, perhaps a moment before)."""
    label = LABELS.get(state, state)
    if state in _after({start for start, target in TRANSITIONS if target == to}):
        return f"le dossier est déjà « {label} » : le passage à « {LABELS[to]} » n'est plus possible"
    return f"transition impossible : {label} → {LABELS[to]}"


def _after(states: set[str]) -> set[str]:
    """Every state reachable from `states` by one transition or more."""
    reached, frontier = set(), set(states)
    while frontier:
        frontier = {target for start, target in TRANSITIONS if start in frontier} - reached
        reached |= frontier
    return reached
