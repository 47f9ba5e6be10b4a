"""The dossier pages: server-rendered HTML (Jinja2) over the same use cases as the JSON API, for
the towns and the instructeurs: the list, a new dossier, a dossier with its report, its forms
(new version, note; the instruction's forms are instruction_pages') and its report files. No
JavaScript is needed for any action; every page works on a phone.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)

A dossier that does not exist and one the user may not see give the same 404 page
(`usecases.find_visible`); a town never reads a private note (`annotations.notes_visible_to`).
"""

import datetime as dt
import json
import re
import unicodedata
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from instruct.errors import InputError, Problem
from instruct.french import parse_date
from instruct.model.fields import control_problem
from instruct.reports import formats
from instruct.reports.checklist import partners as rule_partners
from instruct.service import annotations, avis, instruction_views, messagerie, uploads, usecases, workflow
from instruct.service.report_view import report_view
from instruct.service.session_pages import csrf_ok, form_text, logged_in, posted_to, to_login
from instruct.service.storage import Dossier, User, version_files
from instruct.service.templating import error_page, forbidden, not_found, page, report_headers
from instruct.vocabulary import Partenaire, canonical_partner

RULESET_PARTNERS = {p.value: p.libelle for p in Partenaire}
DONE = {
    "cree": "Dossier créé : voici son rapport d'instruction.",
    "version": "Nouvelle version enregistrée et évaluée.",
    "note": "Note enregistrée.",
    "etat": "État du dossier mis à jour.",
    "decision": "Décision enregistrée ; la collectivité en est informée.",
    "retrait": "Dossier retiré.",
    "message": "Message envoyé.",
    "avis": "Demande d'avis envoyée à l'expert.",
    "avis_annule": "Demande d'avis annulée : son lien ne mène plus au dossier.",
}

router = APIRouter(include_in_schema=False)


# --- the list -----------------------------------------------------------------------------------


@router.get("/dossiers")
def dossiers(request: Request) -> Response:
    catalogue = request.app.state.catalogue
    params = request.query_params
    etat, partenaire, territoire = (
        params.get("etat", ""),
        canonical_partner(params.get("partenaire", "")),
        params.get("territoire", "").strip(),
    )
    partners = {p: RULESET_PARTNERS.get(p, p) for p in rule_partners(catalogue)}
    problems = []
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        if etat and etat not in workflow.LABELS:
            problems.append(f"état inconnu : {etat}")
            etat = ""
        place = territoire if me.role != "collectivite" else ""  # a town's list is its commune's
        kind, _, code = place.partition(":")
        if place and (not (kind in {"dep", "reg"} and code) or control_problem(place)):
            problems.append("territoire : dep:01 (département) ou reg:84 (région)")
            place = ""
        if partenaire and partenaire not in partners:
            problems.append(f"partenaire inconnu : {partenaire}")
            partenaire = ""
        codes = usecases.partner_codes(catalogue, partenaire) if partenaire else None
        query = usecases.dossiers_query(me, etat=etat, territoire=place)
        rows = usecases.listed(session, query, 1000, codes=codes)
        for info in rows:
            info["updated"] = dt.datetime.fromisoformat(info["mis_a_jour"])
        return page(
            request,
            "dossiers.html",
            400 if problems else 200,
            me,
            rows=rows,
            etat=etat,
            partenaire=partenaire,
            territoire=territoire,
            partners=partners,
            problems=problems,
        )


# --- a new dossier, a new version ---------------------------------------------------------------


def _uploads(form: FormData) -> tuple[UploadFile | None, UploadFile | None, list[UploadFile]]:
    """The chosen files (a browser sends an empty part for a file input left empty)."""

    def chosen(value) -> bool:
        return isinstance(value, UploadFile) and bool(value.filename or value.size)

    archive = form.get("archive")
    dossier = form.get("dossier")
    pieces = [p for p in form.getlist("pieces") if chosen(p)]
    return (archive if chosen(archive) else None), (dossier if chosen(dossier) else None), pieces


def _date(text: str) -> dt.date:
    text = text.strip()
    if not text:
        return dt.date.today()
    try:
        return parse_date(text)
    except ValueError as error:
        raise InputError("envoi", [Problem("date", f"date d'évaluation : {error}")]) from None


def _checked(form: FormData, name: str) -> bool:
    """A checkbox (or the API's spelling of yes)."""
    return form.get(name) in {"1", "on", "oui", "true"}


def _problems(exc: InputError) -> list[dict]:
    return [{"path": p.path, "line": p.line, "message": p.message} for p in exc.problems]


def _towns_only(request: Request, me: User) -> Response:
    return error_page(request, 403, "Dépôt réservé aux collectivités", "Seule une collectivité dépose un dossier.", me)


@router.get("/dossiers/nouveau")
def new_page(request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        if not usecases.may_submit(me):
            return _towns_only(request, me)
        return page(request, "nouveau.html", 200, me, problems=[], date="")


@router.post("/dossiers/nouveau")
async def new_submit(request: Request) -> Response:
    form = await request.form(max_files=uploads.MAX_FILES + 2)
    try:
        return await run_in_threadpool(_new_submit, request, form)
    finally:
        await form.close()


def _new_submit(request: Request, form: FormData) -> Response:
    app = request.app
    with app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        if not csrf_ok(request, form):
            return forbidden(request, me)
        if not usecases.may_submit(me):
            return _towns_only(request, me)
        date = form_text(form, "date", 1 << 20)  # whole: "2026-11-26 xyz" is refused
        try:
            files = uploads.from_uploads(*_uploads(form))
            record = usecases.new_dossier(session, me, files, _date(date), app.state.evaluators)
            session.commit()
        except InputError as exc:
            session.rollback()
            return page(request, "nouveau.html", 422, me, problems=_problems(exc), date=date)
        except HTTPException as exc:
            session.rollback()
            return page(
                request,
                "nouveau.html",
                exc.status_code,
                me,
                problems=[{"path": "", "line": None, "message": exc.detail}],
                date=date,
            )
        return RedirectResponse(f"/dossiers/{record.id}?ok=cree", status_code=303)


@router.post("/dossiers/{dossier_id}/versions")
async def version_submit(dossier_id: str, request: Request) -> Response:
    form = await request.form(max_files=uploads.MAX_FILES + 2)
    try:
        return await run_in_threadpool(_version_submit, dossier_id, request, form)
    finally:
        await form.close()


def _version_submit(dossier_id: str, request: Request, form: FormData) -> Response:
    app = request.app
    with app.state.sessions() as session:
        found = posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        date = form_text(form, "date", 1 << 20)  # whole: "2026-11-26 xyz" is refused
        try:
            files = uploads.from_uploads(*_uploads(form))
            usecases.new_version(session, record, me, files, _date(date), app.state.evaluators)
            session.commit()
        except InputError as exc:
            session.rollback()
            return _dossier_page(
                request,
                session,
                me,
                usecases.find_visible(session, me, dossier_id),
                422,
                upload_problems=_problems(exc),
            )
        except HTTPException as exc:
            session.rollback()
            return _dossier_page(
                request,
                session,
                me,
                usecases.find_visible(session, me, dossier_id),
                exc.status_code,
                upload_problems=[{"path": "", "line": None, "message": exc.detail}],
            )
        return RedirectResponse(f"/dossiers/{record.id}?ok=version", status_code=303)


# --- a dossier ----------------------------------------------------------------------------------


@router.get("/dossiers/{dossier_id}")
def dossier_page(dossier_id: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = usecases.find_visible(session, me, dossier_id)
        if record is None:
            return not_found(request, me)
        done = DONE.get(request.query_params.get("ok", ""), "")
        return _dossier_page(request, session, me, record, 200, done=done)


def _dossier_page(
    request: Request,
    session: Session,
    me: User,
    record: Dossier,
    status: int,
    *,
    done: str = "",
    error: str = "",
    upload_problems: list | None = None,
    note_error: str = "",
    form_values: dict | None = None,
    **extra,
) -> Response:
    latest = usecases.latest_report(record)
    jeu = request.query_params.get("jeu", "")
    report = report_view(json.loads(latest.report_json), jeu) if latest else None
    if report and jeu and jeu not in report["rulesets"]:
        report = report_view(json.loads(latest.report_json), "")
    return page(
        request,
        "dossier.html",
        status,
        me,
        dossier=record,
        info=usecases.summary(record),
        notes=annotations.notes_visible_to(session, me, record),
        events=usecases.journal(session, record),
        latest=latest,
        report=report,
        instruction=instruction_views.forms_view(session, me, record, request.app.state.catalogue),
        done=done,
        error=error,
        upload_problems=upload_problems or [],
        note_error=note_error,
        form_values=form_values or {},
        can_note=annotations.may_write_notes(me),
        note_readers=annotations.readers_label(me),
        can_upload=usecases.may_add_version(me, record),
        messagerie=messagerie.page_view(session, record),  # the thread, the pending request (messagerie_pages)
        avis=avis.page_view(session, me, record),  # the experts' opinions asked (avis_pages)
        **extra,
    )


@router.post("/dossiers/{dossier_id}/notes")
async def note(dossier_id: str, request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_note, dossier_id, request, form)


def _note(dossier_id: str, request: Request, form: FormData) -> Response:
    with request.app.state.sessions() as session:
        found = posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        if not annotations.may_write_notes(me):
            return error_page(
                request, 403, "Notes réservées", "Les notes d'instruction sont réservées aux instructeurs.", me
            )
        text = form_text(form, "texte", 1 << 20).strip()  # whole: too long is refused, shown again uncut
        if not text or len(text) > 20000 or control_problem(text, paragraph=True):
            return _dossier_page(
                request,
                session,
                me,
                record,
                422,
                note_error="Écrivez la note (20 000 caractères au plus, sans caractère de contrôle).",
                form_values={"texte": text},
            )
        annotations.add_note(session, record, me, text, private=_checked(form, "privee"))
        session.commit()
        return RedirectResponse(f"/dossiers/{record.id}?ok=note#notes", status_code=303)


@router.get("/dossiers/{dossier_id}/versions/{numero}/rapport.{fmt}")
def report_file(dossier_id: str, numero: str, fmt: str, request: Request) -> Response:
    app = request.app
    with app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = usecases.find_visible(session, me, dossier_id)
        number = int(numero) if re.fullmatch(r"[1-9][0-9]{0,8}", numero) else None  # as written in the links
        version = usecases.find_version(record, number) if record and number else None
        chosen = next((f for f in formats.downloads() if f.extension == f".{fmt}"), None)
        if version is None or chosen is None or not version.reports:
            return not_found(request, me)
        stored = version.reports[-1]
        files = version_files(session, version)  # read before the session closes; evaluated outside it
    try:
        body = usecases.report_again(files, stored, chosen, app.state.evaluators)
    except HTTPException as exc:  # the evaluation's worker died: a page, not the API's JSON
        detail = exc.detail[:1].upper() + exc.detail[1:] + "."
        return error_page(request, exc.status_code, "Erreur du service", detail, me)
    name = f"rapport-{_slug(record.commune_nom)}-{record.id}-v{version.number}{chosen.extension}"
    disposition = "attachment" if chosen.binary else "inline"
    headers = {
        **report_headers(body, chosen.media_type),
        "content-disposition": f"{disposition}; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
    }
    return Response(body, media_type=chosen.media_type, headers=headers)


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower() or "dossier"
