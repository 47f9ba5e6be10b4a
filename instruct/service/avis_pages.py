"""The experts' opinions on the pages. For the instructeurs, on the dossier's page (templates/avis/_liste.html): the
request form, the opinions they may read, the answers' files, « annuler la demande ». For the expert, who has no
account: `/avis/{token}` (templates/avis/expert.html), that dossier alone, read-only, and the answer form (its CSRF
value derived from the token); `/avis/{token}/fichiers/{name}`, the latest version's files. An unknown, expired or
cancelled link: the same 404 page. The token is in the address: these pages send `Referrer-Policy: no-referrer`.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)"""

import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as FormFile

from instruct.errors import InputError
from instruct.service import avis, messagerie, messagerie_pages, pages, usecases
from instruct.service.session_pages import form_text, logged_in, posted_to, to_login
from instruct.service.storage import Dossier
from instruct.service.templating import error_page, not_found, page

NO_REFERRER = {"referrer-policy": "no-referrer"}

router = APIRouter(include_in_schema=False)


def file_response(name: str, data: bytes) -> Response:
    """A file to download, never shown inline nor run by the browser, nor telling its link (the expert's key)."""
    return messagerie_pages.file_response(name, data, NO_REFERRER)


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[1-9][0-9]{0,8}", text) else None


def _problems(exc: InputError | HTTPException) -> list[dict]:
    if isinstance(exc, InputError):
        return [{"path": p.path, "line": None, "message": p.message} for p in exc.problems]
    return [{"path": "", "line": None, "message": exc.detail}]


# --- the instructeurs' side ---------------------------------------------------------------------------


@router.post("/dossiers/{dossier_id}/avis")
async def ask_submit(dossier_id: str, request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_ask_submit, dossier_id, request, form)


def _ask_submit(dossier_id: str, request: Request, form: FormData) -> Response:
    with request.app.state.sessions() as session:
        found = posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        values = {name: form_text(form, name, 1 << 20) for name in ("expert_nom", "expert_courriel", "question")}
        values["confidentiel"] = form.get("confidentiel") in {"1", "on", "oui", "true"}
        try:
            avis.ask(
                session,
                record,
                me,
                values["expert_nom"],
                values["expert_courriel"],
                values["question"],
                values["confidentiel"],
            )
            session.commit()
        except HTTPException as exc:
            session.rollback()
            if exc.status_code == 403:
                return error_page(
                    request, 403, "Avis réservés", "Les avis d'experts sont réservés aux instructeurs.", me
                )
            record = usecases.find_visible(session, me, dossier_id)
            return pages._dossier_page(
                request, session, me, record, exc.status_code, avis_problems=_problems(exc), avis_values=values
            )
        return RedirectResponse(f"/dossiers/{record.id}?ok=avis#avis", status_code=303)


@router.post("/dossiers/{dossier_id}/avis/{avis_id}/annuler")
async def cancel_submit(dossier_id: str, avis_id: str, request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_cancel_submit, dossier_id, avis_id, request, form)


def _cancel_submit(dossier_id: str, avis_id: str, request: Request, form: FormData) -> Response:
    with request.app.state.sessions() as session:
        found = posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        number = _number(avis_id)
        try:
            if number is None:
                raise HTTPException(404, "avis introuvable")
            avis.cancel(session, me, avis.readable_or_404(session, me, record, number))
            session.commit()
        except HTTPException as exc:
            session.rollback()
            if exc.status_code == 404:
                return not_found(request, me)
            detail = exc.detail[:1].upper() + exc.detail[1:] + "."
            return error_page(request, exc.status_code, "Demande d'avis non annulée", detail, me)
        return RedirectResponse(f"/dossiers/{record.id}?ok=avis_annule#avis", status_code=303)


@router.get("/dossiers/{dossier_id}/avis/{avis_id}/pieces/{name}")
def piece_file(dossier_id: str, avis_id: str, name: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = usecases.find_visible(session, me, dossier_id)
        number = _number(avis_id)
        try:
            if record is None or number is None:
                raise HTTPException(404, "avis introuvable")
            piece, data = avis.piece_or_404(session, avis.readable_or_404(session, me, record, number), name)
        except HTTPException:  # a town too: an opinion is not there for it
            return not_found(request, me)
    return file_response(piece.name, data)


# --- the expert's side ----------------------------------------------------------------------------------


def _expert_page(request: Request, name: str, status: int, **context) -> Response:
    response = page(request, name, status, None, **{"accueil": "#contenu", **context})
    response.headers.update(NO_REFERRER)
    return response


def _expert_not_found(request: Request) -> Response:
    return _expert_page(
        request,
        "avis/erreur.html",
        404,
        title="Lien introuvable",
        message="Ce lien d'avis n'existe pas, a expiré ou a été annulé. "
        "Demandez un nouveau lien à l'instructeur qui vous a sollicité.",
        code=404,
    )


def _expert_view(request: Request, session, token: str, status: int = 200, **extra) -> Response:
    found = avis.by_token(session, token)
    if found is None:
        return _expert_not_found(request)
    view = avis.expert_view(session.get(Dossier, found.dossier_id), found)
    return _expert_page(
        request,
        "avis/expert.html",
        status,
        token=token,
        accueil=f"/avis/{token}",
        expert_csrf=avis.csrf_token(token),
        max_pieces=messagerie.MAX_ATTACHMENTS,
        **view,
        **extra,
    )


@router.get("/avis/{token}")
def expert_page(token: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        done = "Votre avis a été transmis à l'instructeur. Merci." if request.query_params.get("ok") == "1" else ""
        return _expert_view(request, session, token, done=done)


@router.post("/avis/{token}")
async def answer_submit(token: str, request: Request) -> Response:
    form = await request.form(max_files=messagerie.MAX_ATTACHMENTS + 1)
    try:
        return await run_in_threadpool(_answer_submit, token, request, form)
    finally:
        await form.close()


def _answer_submit(token: str, request: Request, form: FormData) -> Response:
    with request.app.state.sessions() as session:
        found = avis.by_token(session, token)
        if found is None:
            return _expert_not_found(request)
        if not avis.csrf_ok(token, form.get("csrf")):
            return _expert_page(
                request,
                "avis/erreur.html",
                403,
                title="Formulaire refusé",
                message="Ce formulaire ne vient pas de cette page (jeton de sécurité invalide). "
                "Rechargez la page et recommencez.",
                code=403,
            )
        if found.answered_at is not None:
            return _already(request)
        text = form_text(form, "reponse", 1 << 20)
        seen = form_text(form, "revision", 12)
        chosen = [p for p in form.getlist("pieces") if isinstance(p, FormFile) and (p.filename or p.size)]
        try:
            files = messagerie.from_uploads(chosen)
            avis.answer(session, found, text, files, int(seen) if seen.isdigit() else -1)
            session.commit()
        except (InputError, HTTPException) as exc:
            session.rollback()
            if isinstance(exc, HTTPException) and exc.status_code == 409:
                return _already(request)
            status = 422 if isinstance(exc, InputError) else exc.status_code
            return _expert_view(request, session, token, status, problems=_problems(exc), values={"reponse": text})
    return RedirectResponse(f"/avis/{token}?ok=1", status_code=303, headers=NO_REFERRER)


def _already(request: Request) -> Response:
    return _expert_page(
        request,
        "avis/erreur.html",
        409,
        title="Avis déjà rendu",
        message="Un avis a déjà été rendu par ce lien : une seule réponse est possible. "
        "Pour compléter votre avis, écrivez à l'instructeur qui vous a sollicité.",
        code=409,
    )


@router.get("/avis/{token}/fichiers/{name:path}")
def expert_file(token: str, name: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        found = avis.by_token(session, token)
        if found is None:
            return _expert_not_found(request)
        try:
            path, data = avis.version_file_or_404(session, session.get(Dossier, found.dossier_id), name)
        except HTTPException:
            return _expert_not_found(request)
    return file_response(path.rsplit("/", 1)[-1], data)
