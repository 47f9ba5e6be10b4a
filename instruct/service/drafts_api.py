"""The drafts in the JSON API (/api/brouillons), over the same use cases as the form's pages (drafts): list,
start, read, save on a revision (409 when the draft changed meanwhile), what the rules say now, deposit.
Authentication and CSRF as for the rest of the API (api.current_user).

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from instruct.service import drafts, workflow
from instruct.service.api import Db, Me, Pool
from instruct.service.draft_storage import Brouillon

router = APIRouter(prefix="/api/brouillons", tags=["brouillons"])
MAX_VALUES = 50000


class Valeurs(BaseModel):
    """What a save sends: the form's values as typed (field name -> text) and the revision it was made from."""

    revision: int = Field(ge=1)
    valeurs: dict[str, str] = Field(max_length=MAX_VALUES)
    confirmations: list[str] | None = Field(None, max_length=MAX_VALUES)


class Nouveau(BaseModel):
    valeurs: dict[str, str] = Field(default_factory=dict, max_length=MAX_VALUES)


class Depot(BaseModel):
    confirme: bool = False


def _mine(session, me, draft_id: str) -> Brouillon:
    if not drafts.may_draft(me):
        raise HTTPException(403, "seule une collectivité prépare un dossier")
    draft = drafts.find(session, me, draft_id)
    if draft is None:
        raise HTTPException(404, "brouillon introuvable")
    return draft


def _shown(draft: Brouillon) -> dict[str, Any]:
    return {
        "id": draft.id,
        "revision": draft.revision,
        "dossier": draft.dossier_id,
        "valeurs": draft.raw,
        "provenance": draft.provenance,
        "confirmations": draft.confirmations,
        "pieces": [p.name for p in draft.pieces],
        "mis_a_jour": draft.updated_at.isoformat(),
    }


@router.get("")
def list_drafts(session: Db, me: Me) -> list[dict[str, Any]]:
    return [{"id": d.id, "revision": d.revision, "dossier": d.dossier_id} for d in drafts.of_town(session, me)]


@router.post("", status_code=201)
def start(body: Nouveau, session: Db, me: Me) -> dict[str, Any]:
    draft = drafts.create(session, me, body.valeurs)
    session.commit()
    return _shown(draft)


@router.get("/{draft_id}")
def read(draft_id: str, session: Db, me: Me) -> dict[str, Any]:
    return _shown(_mine(session, me, draft_id))


@router.put("/{draft_id}")
def save(draft_id: str, body: Valeurs, session: Db, me: Me) -> dict[str, Any]:
    draft = _mine(session, me, draft_id)
    try:
        revision = drafts.save(session, draft, body.revision, body.valeurs, body.confirmations)
    except drafts.Stale as stale:
        session.rollback()
        raise HTTPException(409, str(stale)) from None
    session.commit()
    return {"id": draft.id, "revision": revision}


@router.get("/{draft_id}/ecarts")
def gaps(draft_id: str, session: Db, me: Me, evaluators: Pool) -> dict[str, Any]:
    draft = _mine(session, me, draft_id)
    found = drafts.evaluate(session, draft, evaluators, dt.date.today())
    return {
        "revision": draft.revision,
        "erreurs": found.errors,
        "evaluation_impossible": found.failure or None,
        "ecarts": [
            {
                "gravite": g.severity,
                "statut": g.status,
                "message": g.message,
                "remede": g.remedy,
                "entite": g.entity,
                "etape": g.step,
                "champs": [label for label, _ in g.fields],
            }
            for g in found.gaps
        ],
        "reste_a_fournir": [
            {"gravite": severity, "libelle": label, "etape": step} for severity, label, _, step in found.missing
        ],
    }


@router.post("/{draft_id}/depot")
def deposit(draft_id: str, body: Depot, session: Db, me: Me, evaluators: Pool) -> dict[str, Any]:
    draft = _mine(session, me, draft_id)
    try:
        record = drafts.deposit(session, draft, me, evaluators, dt.date.today(), body.confirme)
    except workflow.Refused as refused:
        session.rollback()
        raise HTTPException(refused.status, refused.message) from None
    session.commit()
    return {"dossier": record.id, "etat": record.state}
