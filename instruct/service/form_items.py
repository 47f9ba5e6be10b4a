"""One item of a long list (a fiche action, an immeuble) on a page of its own: the list's page stays short
with each item folded under its name, and an item is filled or corrected alone, saved on the draft's
revision like a step (form_pages), then back to the list or on to the next item.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from instruct import form
from instruct.service import drafts
from instruct.service.form_pages import CONTROLS, SAVED, _autosaved, _draft, _evaluation, _form, _step
from instruct.service.session_pages import csrf_ok
from instruct.service.templating import forbidden, not_found

router = APIRouter(include_in_schema=False)
LISTS = {"fiches": "fiches_actions", "immeubles": "immeubles"}  # steps whose list may be long


def _element(draft, etape: str, index: int) -> dict | None:
    root = LISTS.get(etape)
    if root is None:
        return None
    try:
        count = int((draft.raw or {}).get(f"{root}.__nombre", "0") or 0)
    except ValueError:
        count = 0
    if not 0 <= index < count:
        return None
    return {"chemin": f"{root}.{index}", "index": index, "nombre": count}


@router.get("/brouillons/{draft_id}/{etape}/element/{index}")
def item_page(draft_id: str, etape: str, index: int, request: Request) -> Response:
    with request.app.state.sessions() as session:
        found = _draft(request, session, draft_id)
        if isinstance(found, Response):
            return found
        me, draft = found
        element = _element(draft, etape, index)
        if element is None:
            return not_found(request, me)
        done = SAVED if request.query_params.get("ok") == "1" else ""
        return _step(request, session, me, draft, etape, dict(draft.raw), 200, done=done, element=element)


@router.post("/brouillons/{draft_id}/{etape}/element/{index}")
async def item_save(draft_id: str, etape: str, index: int, request: Request) -> Response:
    form_data = await _form(request)
    try:
        return await run_in_threadpool(_item_save, draft_id, etape, index, request, form_data)
    finally:
        await form_data.close()


def _item_save(draft_id: str, etape: str, index: int, request: Request, form_data: FormData) -> Response:
    autosave = request.headers.get("x-enregistrement") == "auto"
    with request.app.state.sessions() as session:
        found = _draft(request, session, draft_id)
        if isinstance(found, Response):
            return found
        me, draft = found
        element = _element(draft, etape, index)
        if element is None:
            return not_found(request, me)
        if not csrf_ok(request, form_data):
            return forbidden(request, me)
        prefix = element["chemin"] + "."
        posted: dict[str, str] = {}
        for k, v in form_data.multi_items():
            if isinstance(v, str) and k not in CONTROLS and k.startswith(prefix):
                posted[k] = f"{posted[k]}\n{v}" if k in posted else v
        raw = {k: v for k, v in draft.raw.items() if not k.startswith(prefix)} | posted
        confirmed = {c for c in draft.confirmations or [] if not c.startswith(prefix)}
        confirmed |= {c for c in form_data.getlist("confirme") if isinstance(c, str)}
        action = str(form_data.get("action") or "enregistrer")
        verb, _, target = action.partition(":")
        errors = {}
        if verb in {"ajouter", "supprimer", "monter", "descendre"} and target:
            try:
                raw = form.apply(raw, action)
            except form.ActionError as exc:
                errors = {target: str(exc)}
        page_revision = drafts.revision_of(str(form_data.get("revision") or ""))
        try:
            revision = drafts.save(session, draft, page_revision, raw, sorted(confirmed))
            session.commit()
        except drafts.Stale as stale:
            session.rollback()
            session.expire_all()
            if autosave:
                return JSONResponse({"erreur": str(stale)}, status_code=409)
            return _step(request, session, me, draft, etape, raw, 409, message=str(stale), stale=True, element=element)
        session.refresh(draft)
        evaluation = _evaluation(request, session, draft)
        if autosave:
            return _autosaved(request, me, draft, etape, evaluation, revision)
        if errors:
            return _step(request, session, me, draft, etape, raw, 422, extra_errors=errors, element=element)
        base = f"/brouillons/{draft.id}/{etape}"
        if verb == "liste" or (verb in {"supprimer", "monter", "descendre"} and target == element["chemin"]):
            return RedirectResponse(f"{base}#{form.anchor_of(LISTS[etape])}", status_code=303)
        if verb == "element" and target.isdigit() and _element(draft, etape, int(target)):
            return RedirectResponse(f"{base}/element/{target}", status_code=303)
        return RedirectResponse(f"{base}/element/{index}?ok=1", status_code=303)
