"""The map's one route: a geometry file (GeoJSON, KML, KMZ, zipped Shapefile) read for the map of a
périmètre (static/carte.js posts it when the town picks a file), answered as the geometry the field
holds, or a French error to show beside the file input. Without JavaScript the form's own import
button does the same through the step's page (form_pages); nothing is stored here.

It also gives the templates `fond_carte()`, the map background the carte macro uses by default:
ACV_FOND_CARTE when the CSP can allow its origin (templating.map_background_origin), else none.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

import os

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from instruct.form.geofiles import GeoFileError, read_surface
from instruct.form.geoshapes import MAX_FILE
from instruct.service.session_pages import csrf_ok, logged_in
from instruct.service.templating import TEMPLATES, map_background_origin

router = APIRouter(include_in_schema=False)
IMPORT_URL = "/formulaire/geometrie"


def fond_carte() -> str:
    """The tile URL template of the map background, read at each page (tests set it late); "" when unset
    or when the CSP could not allow it (then the map has no background, and the page still works)."""
    template = os.environ.get("ACV_FOND_CARTE", "").strip()
    return template if map_background_origin(template) else ""


TEMPLATES.globals.setdefault("fond_carte", fond_carte)


def _refused(message: str, status: int) -> JSONResponse:
    return JSONResponse({"erreur": message}, status_code=status)


@router.post(IMPORT_URL)
async def read_geometry(request: Request) -> Response:
    form = await request.form(max_files=1, max_fields=10)
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
    if me is None:
        return _refused("Votre session a expiré : reconnectez-vous, puis importez à nouveau le fichier.", 401)
    if not csrf_ok(request, form):
        return _refused("Ce formulaire a expiré : rechargez la page, puis importez à nouveau le fichier.", 403)
    upload = form.get("fichier")
    if not isinstance(upload, UploadFile):
        return _refused("Choisissez un fichier GeoJSON, KML, KMZ ou Shapefile zippé.", 422)
    data = await upload.read(MAX_FILE + 1)
    try:
        geometry = await run_in_threadpool(read_surface, upload.filename or "fichier", data)
    except GeoFileError as exc:
        return _refused(str(exc), 422)
    return JSONResponse({"geometrie": geometry})
