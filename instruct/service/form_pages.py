"""The guided form's pages: start a draft (from the pieces, empty, or an imported dossier), one page per step
with the rules' answer beside the fields, the summary with « ce qu'il reste à fournir », the deposit and the
exports. Every action is a plain form post (buttons `name="action"`); static/formulaire.js only adds autosave.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

import contextlib
import datetime as dt
import json
from collections import OrderedDict

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from instruct import form
from instruct.errors import InputError
from instruct.form import carte, geofiles
from instruct.service import drafts, uploads, usecases, workflow
from instruct.service.draft_storage import Brouillon
from instruct.service.session_pages import csrf_ok, logged_in, to_login
from instruct.service.storage import User
from instruct.service.templating import TEMPLATES, error_page, forbidden, not_found, page

router = APIRouter(include_in_schema=False)
CONTROLS = {"csrf", "revision", "action", "confirme", "fichier_geometrie", "nouvelles_pieces", "depart"}
MAX_FORM_FILES = 40
_CACHE: "OrderedDict[tuple[str, int], drafts.Evaluation]" = OrderedDict()  # (draft, revision) -> its evaluation
_CACHE_SIZE = 128
STEP_SLUGS = [s.slug for s in form.STEPS]
SAVED = "Brouillon enregistré."


# --- shared checks -------------------------------------------------------------------------------


def _town(request: Request, session: Session) -> User | Response:
    me = logged_in(request, session)
    if me is None:
        return to_login(request)
    if not drafts.may_draft(me):
        return error_page(request, 403, "Réservé aux collectivités", "Seule une collectivité prépare un dossier.", me)
    return me


def _draft(request: Request, session: Session, draft_id: str) -> tuple[User, Brouillon] | Response:
    me = _town(request, session)
    if isinstance(me, Response):
        return me
    draft = drafts.find(session, me, draft_id)
    return (me, draft) if draft is not None else not_found(request, me)


def _evaluation(request: Request, session: Session, draft: Brouillon) -> drafts.Evaluation:
    """The draft's evaluation at its revision, computed once (on the save that made it, usually)."""
    key = (draft.id, draft.revision)
    found = _CACHE.get(key)
    if found is None:
        found = drafts.evaluate(session, draft, request.app.state.evaluators, dt.date.today())
        _CACHE[key] = found
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return found


async def _form(request: Request) -> FormData:
    return await request.form(max_files=MAX_FORM_FILES, max_fields=20000)


def _files(form_data: FormData, name: str) -> list[tuple[str, bytes]]:
    """The chosen files of an input, each read up to one byte over the pieces' limit (refused later)."""
    chosen = [f for f in form_data.getlist(name) if isinstance(f, UploadFile) and (f.filename or f.size)]
    return [(f.filename or "piece", f.file.read(drafts.MAX_PIECE + 1)) for f in chosen]


def _nouveau(request: Request, me: User, status: int, errors: dict[str, str]) -> Response:
    return page(request, "nouveau.html", status, me, problems=[], date="", depart_erreurs=errors)


# --- starting a draft --------------------------------------------------------------------------


@router.post("/brouillons")
async def start(request: Request) -> Response:
    form_data = await _form(request)
    try:
        return await run_in_threadpool(_start, request, form_data)
    finally:
        await form_data.close()


def _start(request: Request, form_data: FormData) -> Response:
    with request.app.state.sessions() as session:
        me = _town(request, session)
        if isinstance(me, Response):
            return me
        if not csrf_ok(request, form_data):
            return forbidden(request, me)
        mode = form_data.get("depart") or "vide"
        try:
            if mode == "pieces":
                pieces = drafts.checked_pieces(_files(form_data, "pieces_lues"), "pieces_lues")
                if not pieces:
                    raise _field_error("pieces_lues", "choisissez la convention-cadre et/ou un avenant (PDF ou DOCX)")
                raw, provenance = drafts.prefill(pieces)
                draft = drafts.create(session, me, raw, provenance, pieces)
            elif mode == "import":
                draft = drafts.create(session, me, *_imported(form_data))
            else:
                draft = drafts.create(session, me)
            if not (draft.raw or {}).get(INSEE_FIELD):  # the town's own code, which no piece gives
                draft.raw = {**(draft.raw or {}), INSEE_FIELD: me.commune_insee}
            session.commit()
        except InputError as exc:
            session.rollback()
            field = "pieces_lues" if mode == "pieces" else "dossier_importe"
            return _nouveau(request, me, 422, {field: "; ".join(p.message for p in exc.problems)})
        return RedirectResponse(f"/brouillons/{draft.id}/{STEP_SLUGS[0]}", status_code=303)


def _field_error(name: str, message: str) -> InputError:
    from instruct.errors import Problem

    return InputError("envoi", [Problem(name, message)])


def _imported(form_data: FormData) -> tuple[dict, dict, dict]:
    chosen = _files(form_data, "dossier_importe")
    if not chosen:
        raise _field_error("dossier_importe", "choisissez un fichier dossier.yaml, dossier.json ou une archive ZIP")
    name, data = chosen[0]
    if len(data) > uploads.MAX_UPLOAD:
        raise _field_error("dossier_importe", "fichier trop volumineux (au plus 60 Mo)")
    lower = name.lower()
    if lower.endswith(".zip"):
        files = uploads.from_zip(data)
    elif lower.endswith((".yaml", ".yml", ".json")):
        files = uploads.from_parts((name, data), [])
    else:
        raise _field_error("dossier_importe", "format non reconnu : dossier.yaml, dossier.json ou archive ZIP")
    raw, pieces = drafts.imported(files)
    return raw, {}, pieces


@router.post("/dossiers/{dossier_id}/brouillon")
async def from_dossier(dossier_id: str, request: Request) -> Response:
    form_data = await _form(request)
    return await run_in_threadpool(_from_dossier, dossier_id, request, form_data)


def _from_dossier(dossier_id: str, request: Request, form_data: FormData) -> Response:
    with request.app.state.sessions() as session:
        me = _town(request, session)
        if isinstance(me, Response):
            return me
        if not csrf_ok(request, form_data):
            return forbidden(request, me)
        record = usecases.find_visible(session, me, dossier_id)
        if record is None or not record.versions:
            return not_found(request, me)
        if not usecases.may_add_version(me, record):
            return error_page(
                request, 409, "Nouvelle version impossible", f"Le dossier est {workflow.LABELS[record.state]}.", me
            )
        raw, pieces = drafts.from_version(session, record.versions[-1])
        provenance: dict = {}
        if not raw and pieces:  # a version of pieces alone: the form starts from what they say
            with contextlib.suppress(InputError):
                raw, provenance = drafts.prefill(pieces)
        draft = drafts.create(session, me, raw, provenance, pieces, dossier=record)
        session.commit()
        return RedirectResponse(f"/brouillons/{draft.id}/{STEP_SLUGS[0]}", status_code=303)


# --- the steps ---------------------------------------------------------------------------------


@router.get("/brouillons/{draft_id}")
def draft_home(draft_id: str) -> Response:
    return RedirectResponse(f"/brouillons/{draft_id}/{STEP_SLUGS[0]}", status_code=303)


@router.get("/brouillons/{draft_id}/recapitulatif")
def summary_page(draft_id: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        found = _draft(request, session, draft_id)
        if isinstance(found, Response):
            return found
        me, draft = found
        return _summary(request, session, me, draft, 200)


def _summary(request, session, me, draft, status: int, message: str = "", done: str = "") -> Response:
    evaluation = _evaluation(request, session, draft)
    return page(
        request,
        "formulaire/recapitulatif.html",
        status,
        me,
        draft=draft,
        steps=form.STEPS,
        evaluation=evaluation,
        counts=evaluation.count_by_step(),
        errors_by_step=_errors_by_step(evaluation.errors),
        bloquants=sum(1 for g in evaluation.gaps if g.severity == "bloquant"),
        pieces=[p.name for p in draft.pieces],
        a_confirmer=drafts.to_confirm(draft),
        message=message,
        done=done,
    )


def _errors_by_step(errors: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in errors:
        slug = form.step_of(name)
        if slug:
            counts[slug] = counts.get(slug, 0) + 1
    return counts


@router.get("/brouillons/{draft_id}/{etape}")
def step_page(draft_id: str, etape: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        found = _draft(request, session, draft_id)
        if isinstance(found, Response):
            return found
        me, draft = found
        if etape not in STEP_SLUGS:
            return not_found(request, me)
        done = SAVED if request.query_params.get("ok") == "1" else ""
        return _step(request, session, me, draft, etape, dict(draft.raw), 200, done=done)


def _step(
    request,
    session,
    me,
    draft,
    etape,
    raw,
    status,
    *,
    message="",
    done="",
    extra_errors=None,
    stale=False,
    element=None,
) -> Response:
    """A step's page (or, with `element`, one item of its list on a page of its own: form_items)."""
    evaluation = _evaluation(request, session, draft)
    errors = dict(evaluation.errors)
    errors.update(extra_errors or {})
    index = STEP_SLUGS.index(etape)
    step = form.STEPS[index]
    maps = {}
    if etape == "perimetres":  # the other périmètres and the rules' problems beside each map
        dossier = form.validated(raw)[0]
        findings = evaluation.report.findings if evaluation.report else []
        maps = {
            "contexte": lambda name: carte.contexte(dossier, name),
            "problemes": lambda name: carte.problemes(findings, name),
        }
    # The errors of this step's fields, and those no field owns (a list action refused): never a field path.
    here = [
        {
            "label": form.label_of(name) or "Formulaire",
            "href": f"#{form.anchor_of(name) or 'formulaire'}",
            "message": message,
        }
        for name, message in errors.items()
        if form.step_of(name) in {etape, None}
    ]
    return page(
        request,
        "formulaire/etape.html",
        status,
        me,
        draft=draft,
        revision=draft.revision,
        step=step,
        index=index,
        steps=form.STEPS,
        nodes=[form.build_at(element["chemin"], raw, errors)] if element else form.build(etape, raw, errors),
        element=element,
        errors=errors,
        step_errors=here,
        provenance=draft.provenance or {},
        confirmations=set(draft.confirmations or []),
        evaluation=evaluation,
        gaps=evaluation.of_step(etape),
        counts=evaluation.count_by_step(),
        pieces=[p.name for p in draft.pieces],
        message=message,
        done=done,
        stale=stale,
        cartes=maps,
    )


def _belongs(name: str, step) -> bool:
    root = name.split(".", 1)[0].lstrip("_#~")
    return root in step.racines or form.step_of(name) == step.slug


@router.post("/brouillons/{draft_id}/{etape}")
async def step_save(draft_id: str, etape: str, request: Request) -> Response:
    form_data = await _form(request)
    try:
        return await run_in_threadpool(_step_save, draft_id, etape, request, form_data)
    finally:
        await form_data.close()


def _step_save(draft_id: str, etape: str, request: Request, form_data: FormData) -> Response:
    autosave = request.headers.get("x-enregistrement") == "auto"
    with request.app.state.sessions() as session:
        found = _draft(request, session, draft_id)
        if isinstance(found, Response):
            return found
        me, draft = found
        if etape in {"depot", "supprimer"}:
            return (_deposit if etape == "depot" else _discard)(request, session, me, draft, form_data)
        if etape not in STEP_SLUGS or not csrf_ok(request, form_data):
            return not_found(request, me) if etape not in STEP_SLUGS else forbidden(request, me)
        step = form.STEPS[STEP_SLUGS.index(etape)]
        posted: dict[str, str] = {}
        for k, v in form_data.multi_items():  # several checked choices of one field: one value a line
            if isinstance(v, str) and k not in CONTROLS:
                posted[k] = f"{posted[k]}\n{v}" if k in posted else v
        raw = {k: v for k, v in draft.raw.items() if not _belongs(k, step)} | posted
        confirmed = {c for c in draft.confirmations or [] if not _belongs(c, step)}
        confirmed |= {c for c in form_data.getlist("confirme") if isinstance(c, str)}
        action = str(form_data.get("action") or "enregistrer")
        extra: dict[str, str] = {}
        revision = drafts.revision_of(str(form_data.get("revision") or ""))
        try:
            raw, extra = _act(session, draft, action, raw, form_data, revision)
            if action.startswith(("ajouter-pieces", "retirer-piece")) and not extra:
                revision = draft.revision  # add_pieces / remove_piece saved already, on the page's revision
            new = drafts.save(session, draft, revision, raw, sorted(confirmed))
            session.commit()
        except drafts.Stale as stale:
            session.rollback()
            session.expire_all()
            if autosave:
                return JSONResponse({"erreur": str(stale)}, status_code=409)
            return _step(request, session, me, draft, etape, raw, 409, message=str(stale), stale=True)
        except InputError as exc:  # a file refused: the values typed are kept, the message beside the field
            session.rollback()
            session.expire_all()
            extra = {p.path: p.message for p in exc.problems}
            return _step(request, session, me, draft, etape, raw, 422, extra_errors=extra)
        session.refresh(draft)
        evaluation = _evaluation(request, session, draft)
        if autosave:
            return _autosaved(request, me, draft, etape, evaluation, new)
        if extra:
            return _step(request, session, me, draft, etape, raw, 422, extra_errors=extra)
        return RedirectResponse(_target(draft, etape, action), status_code=303)


def _act(session, draft, action: str, raw: dict, form_data: FormData, revision: int) -> tuple[dict, dict]:
    """A list action, a geometry file, pieces added or removed; the values, and errors beside fields."""
    verb, _, target = action.partition(":")
    if verb in {"ajouter", "supprimer", "monter", "descendre"} and target:
        try:
            return form.apply(raw, action), {}
        except form.ActionError as exc:
            return raw, {target: str(exc)}
    if verb == "importer-geometrie" and target:
        return _geometry(raw, target, form_data)
    if verb == "ajouter-pieces":
        pieces = drafts.checked_pieces(_files(form_data, "nouvelles_pieces"), "nouvelles_pieces")
        if not pieces:
            return raw, {"nouvelles_pieces": "choisissez au moins une pièce (PDF ou DOCX)"}
        drafts.add_pieces(session, draft, revision, pieces)
        session.refresh(draft)
        return raw, {}
    if verb == "retirer-piece" and target:
        drafts.remove_piece(session, draft, revision, target)
        session.refresh(draft)
    return raw, {}


def _geometry(raw: dict, target: str, form_data: FormData) -> tuple[dict, dict]:
    """A GeoJSON, KML or zipped Shapefile put in a périmètre's field (instruct.form.geofiles)."""
    chosen = _files(form_data, "fichier_geometrie")
    if not chosen:  # the map's script may have read the file already and filled the field
        filled = raw.get(target, "").strip()
        return raw, {} if filled else {target: "choisissez un fichier GeoJSON, KML ou Shapefile zippé"}
    name, data = chosen[0]
    try:
        geometry = geofiles.read_surface(name, data)
    except geofiles.GeoFileError as exc:
        return raw, {target: str(exc)}
    return raw | {target: json.dumps(geometry, ensure_ascii=False)}, {}


def _target(draft: Brouillon, etape: str, action: str) -> str:
    index = STEP_SLUGS.index(etape)
    verb, _, target = action.partition(":")
    if verb == "suivant":
        return f"/brouillons/{draft.id}/" + (STEP_SLUGS[index + 1] if index + 1 < len(STEP_SLUGS) else "recapitulatif")
    if verb == "precedent" and index > 0:
        return f"/brouillons/{draft.id}/{STEP_SLUGS[index - 1]}"
    if verb == "aller" and (target in STEP_SLUGS or target == "recapitulatif"):
        return f"/brouillons/{draft.id}/{target}"
    anchor = f"#{form.anchor_of(target)}" if verb in {"ajouter", "monter", "descendre"} and target else ""
    return f"/brouillons/{draft.id}/{etape}?ok=1{anchor}"


def _autosaved(request, me, draft, etape, evaluation, revision: int) -> Response:
    html = TEMPLATES.get_template("formulaire/_lacunes.html").render(
        gaps=evaluation.of_step(etape), evaluation=evaluation, draft=draft, step_slug=etape
    )
    return JSONResponse({"revision": revision, "lacunes": html, "erreurs": evaluation.errors, "message": SAVED})


# --- deposit and exports -----------------------------------------------------------------------


def _deposit(request, session, me, draft, form_data: FormData) -> Response:
    if not csrf_ok(request, form_data):
        return forbidden(request, me)
    confirmed = form_data.get("confirme") in {"1", "on", "oui"}
    try:
        record = drafts.deposit(session, draft, me, request.app.state.evaluators, dt.date.today(), confirmed)
        session.commit()
    except (HTTPException, workflow.Refused, InputError) as exc:
        session.rollback()
        session.expire_all()
        if isinstance(exc, InputError):
            text = "; ".join(p.message for p in exc.problems)
        else:
            text = str(getattr(exc, "detail", None) or getattr(exc, "message", exc))
        return _summary(request, session, me, draft, 409, message=text)
    return RedirectResponse(f"/dossiers/{record.id}?ok=etat", status_code=303)


def _discard(request, session, me, draft, form_data: FormData) -> Response:
    if not csrf_ok(request, form_data):
        return forbidden(request, me)
    drafts.discard(session, draft)
    session.commit()
    return RedirectResponse("/dossiers", status_code=303)


def _town_drafts(request: Request, user: User | None) -> list[dict]:
    """The town's drafts for the list of dossiers (formulaire/_brouillons.html)."""
    if user is None or not drafts.may_draft(user):
        return []
    with request.app.state.sessions() as session:
        return [
            {"id": d.id, "maj": d.updated_at, "version": bool(d.dossier_id), "nom": d.raw.get(NAME_FIELD, "")}
            for d in drafts.of_town(session, user)
        ]


NAME_FIELD = "collectivites.ville_centre.nom"
INSEE_FIELD = "collectivites.ville_centre.insee"
TEMPLATES.globals.update(brouillons_de=_town_drafts)
