"""The instruction workflow, as in the State's instruction platforms:
brouillon → depose → en_instruction → accepte / refuse / sans_suite, with a return to the town
for completion (a_completer → depose). Each transition is an Event (who, when, why)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from instruct.french import french_number
from instruct.service.storage import Dossier, Event, StoredReport, User, now
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
    latest: StoredReport | None = None,
) -> Event:
    allowed = {role for (_, target), roles in TRANSITIONS.items() if target == to for role in roles}
    if not allowed:
        raise Refused(409, f"état inconnu : {to} ({', '.join(LABELS)})")
    if user.role not in allowed:
        raise Refused(403, f"passage à « {LABELS[to]} » réservé à : {', '.join(sorted(allowed))}")
    if (dossier.state, to) not in TRANSITIONS:
        raise Refused(409, f"transition impossible : {LABELS.get(dossier.state, dossier.state)} → {LABELS[to]}")
    if len(reason.strip()) > MAX_REASON:
        size, limit = french_number(len(reason.strip())), french_number(MAX_REASON)
        raise Refused(422, f"motif trop long : {size} caractères, au plus {limit} (raccourcissez-le)")
    if to in REASON_REQUIRED and not reason.strip():
        raise Refused(409, f"un motif est obligatoire pour « {LABELS[to]} »")
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
