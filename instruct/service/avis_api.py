"""The experts' opinions in the JSON API: `POST/GET /api/dossiers/{id}/avis` (ask, list what this account may read),
`DELETE /api/dossiers/{id}/avis/{avis_id}` (cancel an unanswered request) and the answers' attached files. All go
through avis.py. A dossier the user may not see: 404; a town: 403 (an opinion is never the town's to read).

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)"""

import re

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel, Field

from instruct.model.fields import Ligne, Paragraphe
from instruct.service import api, avis, usecases
from instruct.service.avis_pages import file_response

router = APIRouter(prefix="/api", tags=["avis d'experts"])


class NewAvis(BaseModel):
    expert_nom: Ligne = Field("", max_length=200, description="le nom de l'expert")
    expert_courriel: Ligne = Field(max_length=254, description="son adresse électronique : le lien lui est envoyé")
    question: Paragraphe = Field(max_length=20000, description="la question posée (20 000 caractères au plus)")
    confidentiel: bool = Field(False, description="lu seulement par les instructeurs du partenaire qui le demande")


def _avis_id(text: str) -> int:
    if not re.fullmatch(r"[1-9][0-9]{0,8}", text):
        raise HTTPException(404, "avis introuvable")
    return int(text)


@router.post("/dossiers/{dossier_id}/avis", summary="Demander l'avis d'un expert", status_code=201)
def ask(dossier_id: str, body: NewAvis, session: api.Db, me: api.Me) -> dict:
    """The expert receives by e-mail a link to this dossier alone, read-only, valid ACV_AVIS_JOURS days (the link
    is in the e-mail only, never in this answer)."""
    record = usecases.visible_or_404(session, me, dossier_id)
    asked = avis.ask(session, record, me, body.expert_nom, body.expert_courriel, body.question, body.confidentiel)
    session.commit()
    return avis.as_json(record, asked)


@router.get("/dossiers/{dossier_id}/avis", summary="Les avis d'experts demandés sur un dossier")
def listed(dossier_id: str, session: api.Db, me: api.Me) -> list[dict]:
    """The opinions this account may read: a confidential one, its partner's instructeurs and the admins."""
    record = usecases.visible_or_404(session, me, dossier_id)
    if not avis.may_ask(me):
        raise HTTPException(403, "avis d'experts réservés aux instructeurs")
    return [avis.as_json(record, a) for a in avis.asked_on(session, me, record)]


@router.delete("/dossiers/{dossier_id}/avis/{avis_id}", summary="Annuler une demande d'avis", status_code=204)
def cancel(dossier_id: str, avis_id: str, session: api.Db, me: api.Me) -> Response:
    """An unanswered request of this account's partner: its link then leads nowhere."""
    record = usecases.visible_or_404(session, me, dossier_id)
    avis.cancel(session, me, avis.readable_or_404(session, me, record, _avis_id(avis_id)))
    session.commit()
    return Response(status_code=204)


@router.get("/dossiers/{dossier_id}/avis/{avis_id}/pieces/{name}", summary="Une pièce jointe d'un avis")
def piece(dossier_id: str, avis_id: str, name: str, session: api.Db, me: api.Me) -> Response:
    record = usecases.visible_or_404(session, me, dossier_id)
    found, data = avis.piece_or_404(session, avis.readable_or_404(session, me, record, _avis_id(avis_id)), name)
    return file_response(found.name, data)
