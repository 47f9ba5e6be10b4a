"""The guided form's downloads: a draft as dossier.yaml or as a ZIP with its pieces (what `acv check` reads),
and any version of a dossier as a ZIP, for the town to keep or to start again from.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from instruct.service import drafts, usecases
from instruct.service.form_pages import _draft
from instruct.service.session_pages import logged_in, to_login
from instruct.service.storage import version_files
from instruct.service.templating import not_found

router = APIRouter(include_in_schema=False)


@router.get("/brouillons/{draft_id}/export/dossier.yaml")
def export_yaml(draft_id: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        found = _draft(request, session, draft_id)
        if isinstance(found, Response):
            return found
        files = drafts.files_of(session, found[1])
        return _download(files["dossier.yaml"], "dossier.yaml", "application/yaml")


@router.get("/brouillons/{draft_id}/export/dossier.zip")
def export_zip(draft_id: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        found = _draft(request, session, draft_id)
        if isinstance(found, Response):
            return found
        return _download(drafts.zipped(drafts.files_of(session, found[1])), "dossier.zip", "application/zip")


@router.get("/dossiers/{dossier_id}/versions/{numero}/dossier.zip")
def export_version(dossier_id: str, numero: int, request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = usecases.find_visible(session, me, dossier_id)
        version = usecases.find_version(record, numero) if record is not None else None
        if version is None:
            return not_found(request, me)
        return _download(drafts.zipped(version_files(session, version)), "dossier.zip", "application/zip")


def _download(body: bytes, name: str, media_type: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
