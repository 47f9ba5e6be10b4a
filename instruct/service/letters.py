"""The letters of the instruction: the hook every decision calls (a track's decision, Action Logement's decisions
per immeuble, a request « à compléter », a deposit). Issue 18 produces the décision motivée here (the letter the
town receives, with its attestation); until then the hook records nothing and returns None. It is called in the
decision's transaction, after its Event is written, so that a letter exists if and only if the decision does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from instruct.service.storage import Dossier, Event

if TYPE_CHECKING:
    from instruct.service.instruction_storage import Instruction


def on_decision(session: Session, dossier: Dossier, track: Instruction | None, event: Event) -> None:
    """A decision was made on `dossier` (on `track`; None: the dossier's own, a deposit): its letter, some day."""
    return None
