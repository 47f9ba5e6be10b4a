"""The queue's pages: « File d'instruction » (`GET /instruction`, its tabs, sorts, search, filters, pages and
exports) and the assignment of a track (`GET|POST /dossiers/{id}/instructions/{partenaire}/suivi`, the form of
`templates/file/_suivi.html`, which the dossier page may include too). Over queue.py and suivi.py.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from instruct.service import queue, queue_export, suivi, usecases
from instruct.service.instruction_storage import TRACK_PARTNERS
from instruct.service.session_pages import form_text, logged_in, posted_to, safe_next, to_login
from instruct.service.storage import now
from instruct.service.templating import error_page, not_found, page
from instruct.vocabulary import VERDICT_LIBELLES

router = APIRouter(include_in_schema=False)
DONE = {"suivi": "Suivi de la piste mis à jour."}


def _instructeurs_only(request: Request, me) -> Response:
    return error_page(
        request,
        403,
        "Accès réservé aux instructeurs",
        "La file d'instruction est réservée aux instructeurs des partenaires et aux administrateurs. "
        "Revenez à la liste de vos dossiers.",
        me,
    )


@router.get("/instruction")
def file_page(request: Request) -> Response:
    catalogue = request.app.state.catalogue
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        if me.role not in ("instructeur", "admin"):
            return _instructeurs_only(request, me)
        found = queue.criteria(request.query_params, me, catalogue)
        kind = request.query_params.get("format", "")
        problems = list(found.problems)
        if kind and kind not in queue_export.MEDIA:
            problems.append(f"format d'export inconnu : {kind[:20]} (csv ou xlsx)")
        elif kind and not problems:
            rows = queue.all_rows(session, me, catalogue, found)
            return queue_export.export(rows, kind, me.role == "admin", now().astimezone(queue_export.PARIS).date())
        shown = queue.queue(session, me, catalogue, found)
        return page(
            request,
            "file/file.html",
            400 if problems else 200,
            me,
            shown=shown,
            found=shown.criteria,
            problems=problems,
            columns=queue_export.columns(me.role == "admin"),
            COLUMNS=queue.COLUMNS,
            TABS=queue.TABS,
            TRACK_STATES=queue.STATE_LABELS,
            VERDICT_CHOICES={v: VERDICT_LIBELLES[v] for v in queue.VERDICT_RANK},
            TRACK_PARTNERS=TRACK_PARTNERS,
            link=lambda **changed: "/instruction?" + urlencode(queue.params_of(shown.criteria, **changed)),
            here="/instruction?" + urlencode(queue.params_of(shown.criteria)),
            done=DONE.get(request.query_params.get("ok", "")),
        )


def _suivi_page(request: Request, session, me, record, partenaire: str, status=200, error="", retour=""):
    track = suivi.track_or_404(session, me, record, partenaire)
    return page(
        request,
        "file/suivi.html",
        status,
        me,
        record=record,
        track=track,
        colleagues=suivi.colleagues(session, me, record, partenaire),
        retour=safe_next(retour or request.query_params.get("retour") or f"/dossiers/{record.id}"),
        error=error,
    )


@router.get("/dossiers/{dossier_id}/instructions/{partenaire}/suivi")
def suivi_page(dossier_id: str, partenaire: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = usecases.find_visible(session, me, dossier_id)
        if record is None:
            return not_found(request, me)
        try:
            return _suivi_page(request, session, me, record, partenaire)
        except HTTPException:
            return not_found(request, me)


@router.post("/dossiers/{dossier_id}/instructions/{partenaire}/suivi")
async def suivi_submit(dossier_id: str, partenaire: str, request: Request) -> Response:
    form = await request.form()

    def apply() -> Response:
        with request.app.state.sessions() as session:
            found = posted_to(request, session, form, dossier_id)
            if isinstance(found, Response):
                return found
            me, record = found
            login = form_text(form, "instructeur", 80).strip() or None
            seen = form_text(form, "revision", 9)  # a revision is an int column: 9 digits at most
            retour = safe_next(form_text(form, "retour", 2000) or f"/dossiers/{record.id}")
            try:
                if not (seen.isascii() and seen.isdigit()):
                    raise HTTPException(422, "formulaire incomplet (révision de la piste) : rechargez la page")
                suivi.assign(session, me, record, partenaire, login, int(seen))
                session.commit()
            except HTTPException as exc:
                session.rollback()
                if exc.status_code == 404:
                    return not_found(request, me)
                return _suivi_page(request, session, me, record, partenaire, exc.status_code, exc.detail, retour)
            path, _, fragment = retour.partition("#")
            back = path + ("&" if "?" in path else "?") + "ok=suivi" + (f"#{fragment}" if fragment else "")
            return RedirectResponse(back, status_code=303)

    return await run_in_threadpool(apply)
