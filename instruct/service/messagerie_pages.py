"""The messagerie's routes: on the dossier's page, the thread and its form (pages.py shows them through
templates/messagerie/), an attached file's download with safe headers; in the JSON API,
`GET/POST /api/dossiers/{id}/messages` and the attached files. Both go through messagerie.py.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)

A dossier the user may not see, a message of another dossier and an unknown file give the same 404."""

import re
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as FormFile

from instruct.errors import InputError
from instruct.service import api, messagerie, pages, usecases
from instruct.service.session_pages import form_text, logged_in, posted_to, to_login
from instruct.service.templating import not_found

FILE_HEADERS = {  # an attached file is never run nor shown inline by the browser: it is downloaded
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "cache-control": "no-store",
    "referrer-policy": "same-origin",
}

router = APIRouter()
_pages = APIRouter(include_in_schema=False)
_api = APIRouter(prefix="/api", tags=["messagerie"])


def file_response(name: str, data: bytes, headers: dict[str, str] | None = None) -> Response:
    """A file to download, never shown inline nor run by the browser (`headers`: more of them)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name) or "piece"
    return Response(
        data,
        media_type=messagerie.media_type(data),
        headers={
            **FILE_HEADERS,
            **(headers or {}),
            "content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
        },
    )


def _message_id(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[1-9][0-9]{0,8}", text) else None


# --- pages ----------------------------------------------------------------------------------------


@_pages.get("/dossiers/{dossier_id}/messages")
def thread_page(dossier_id: str, request: Request) -> Response:
    """The thread is on the dossier's page (after logging in from a message's form, one lands here)."""
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        if usecases.find_visible(session, me, dossier_id) is None:
            return not_found(request, me)
    return RedirectResponse(f"/dossiers/{dossier_id}#messagerie", status_code=303)


@_pages.post("/dossiers/{dossier_id}/messages")
async def message_submit(dossier_id: str, request: Request) -> Response:
    form = await request.form(max_files=messagerie.MAX_ATTACHMENTS + 1)
    try:
        return await run_in_threadpool(_message_submit, dossier_id, request, form)
    finally:
        await form.close()


def _message_submit(dossier_id: str, request: Request, form: FormData) -> Response:
    with request.app.state.sessions() as session:
        found = posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):  # logged out (back to the thread after logging in), CSRF, 404
            return found
        me, record = found
        text = form_text(form, "texte", 1 << 20)  # whole: too long is refused, shown again uncut
        chosen = [p for p in form.getlist("pieces") if isinstance(p, FormFile) and (p.filename or p.size)]
        try:
            files = messagerie.from_uploads(chosen)
            messagerie.post(session, record, me, text, files)
            session.commit()
        except (InputError, HTTPException) as exc:
            session.rollback()
            problems = (
                [{"path": p.path, "line": None, "message": p.message} for p in exc.problems]
                if isinstance(exc, InputError)
                else [{"path": "", "line": None, "message": exc.detail}]
            )
            status = 422 if isinstance(exc, InputError) else exc.status_code
            return pages._dossier_page(
                request,
                session,
                me,
                usecases.find_visible(session, me, dossier_id),
                status,
                message_problems=problems,
                form_values={"message": text},
            )
        return RedirectResponse(f"/dossiers/{record.id}?ok=message#messagerie", status_code=303)


@_pages.get("/dossiers/{dossier_id}/messages/{message_id}/pieces/{name}")
def piece_file(dossier_id: str, message_id: str, name: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = usecases.find_visible(session, me, dossier_id)
        number = _message_id(message_id)
        if record is None or number is None:
            return not_found(request, me)
        try:
            piece, data = messagerie.piece_or_404(session, record, number, name)
        except HTTPException:
            return not_found(request, me)
    return file_response(piece.name, data)


# --- the JSON API ---------------------------------------------------------------------------------


@_api.get("/dossiers/{dossier_id}/messages", summary="Le fil de messages d'un dossier")
def api_thread(dossier_id: str, session: api.Db, me: api.Me) -> list[dict]:
    """Every message of the dossier's thread, oldest first, with its attached files; the « à compléter » requests
    (type demande_de_complements) name the gaps asked about."""
    record = usecases.visible_or_404(session, me, dossier_id)
    return [messagerie.as_json(record, m) for m in messagerie.thread(session, record)]


@_api.post("/dossiers/{dossier_id}/messages", summary="Écrire sur le fil d'un dossier", status_code=201)
def api_post(
    dossier_id: str,
    session: api.Db,
    me: api.Me,
    texte: str = Form("", max_length=1 << 20, description="le message (20 000 caractères au plus)"),
    pieces: list[UploadFile] = File([], description="pièces jointes : PDF, DOCX, PNG ou JPEG"),
) -> dict:
    """A message from the town or an instructeur, with attached files checked as a dossier's pieces are."""
    record = usecases.visible_or_404(session, me, dossier_id)
    files = messagerie.from_uploads([p for p in pieces if p.filename or p.size])
    message = messagerie.post(session, record, me, texte, files)
    session.commit()
    return messagerie.as_json(record, message)


@_api.get("/dossiers/{dossier_id}/messages/{message_id}/pieces/{name}", summary="Une pièce jointe d'un message")
def api_piece(dossier_id: str, message_id: str, name: str, session: api.Db, me: api.Me) -> Response:
    record = usecases.visible_or_404(session, me, dossier_id)
    number = _message_id(message_id)
    if number is None:
        raise HTTPException(404, "pièce jointe introuvable")
    piece, data = messagerie.piece_or_404(session, record, number, name)
    return file_response(piece.name, data)


router.include_router(_pages)
router.include_router(_api)
