"""The queue in the JSON API: `GET /api/file` (the page's parameters; `format=csv|xlsx` for the export) and
`POST /api/dossiers/{id}/instructions/{partenaire}/suivi` (assignment). Over queue.py and suivi.py.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from instruct.model.fields import Ligne
from instruct.service import queue, queue_export, suivi, usecases
from instruct.service.api import Db, Me, Rules
from instruct.service.storage import now

router = APIRouter(prefix="/api")


class Suivi(BaseModel):
    instructeur: Ligne | None = Field(None, max_length=80, description="identifiant de l'instructeur ; null : personne")
    revision: int | None = Field(
        None, ge=0, le=2**31 - 1, description="la révision de la piste lue (sinon : celle du moment)"
    )


def may_use_queue(me) -> None:
    if me.role not in ("instructeur", "admin"):
        raise HTTPException(403, "file d'instruction réservée aux instructeurs et aux administrateurs")


@router.get(
    "/file", tags=["instruction"], summary="La file d'instruction : les pistes à instruire", response_model=None
)
def file(request: Request, session: Db, me: Me, catalogue: Rules) -> Response | dict:
    """Onglet (`a_traiter`, `suivis`, `traites`, `tous`), `q` (commune, INSEE, dossier), `verdict`, `regle`,
    `etat`, `partenaire` (administrateur), `tri` and `ordre` (`asc`, `desc`), `page` (50 pistes) ; `format=csv` ou
    `xlsx` : toute la liste filtrée et triée en tableur."""
    may_use_queue(me)
    params = request.query_params
    found = queue.criteria(params, me, catalogue)
    kind = params.get("format", "")
    if kind and kind not in queue_export.MEDIA:
        found = replace(found, problems=(*found.problems, "format : csv ou xlsx"))
    if found.problems:
        raise HTTPException(400, " ; ".join(found.problems))
    if kind:
        rows = queue.all_rows(session, me, catalogue, found)
        return queue_export.export(rows, kind, me.role == "admin", now().astimezone(queue_export.PARIS).date())
    shown = queue.queue(session, me, catalogue, found)
    return {
        "onglet": shown.criteria.onglet,
        "onglets": shown.counts,
        "total": shown.total,
        "page": shown.criteria.page,
        "pages": shown.pages,
        "par_page": queue.PAGE_SIZE,
        "pistes": [queue.as_json(row) for row in shown.rows],
    }


@router.post(
    "/dossiers/{dossier_id}/instructions/{partenaire}/suivi",
    tags=["instruction"],
    summary="Suivre une piste, ne plus la suivre, ou l'attribuer à un collègue",
)
def assign(dossier_id: str, partenaire: str, body: Suivi, session: Db, me: Me) -> dict:
    record = usecases.visible_or_404(session, me, dossier_id)
    track = suivi.assign(session, me, record, partenaire, body.instructeur, body.revision)
    session.commit()
    return {
        "dossier": record.id,
        "partenaire": track.partenaire,
        "revision": track.revision,
        "suivi_par": track.assignee.login if track.assignee else None,
    }
