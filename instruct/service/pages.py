"""The web pages: server-rendered HTML (Jinja2) over the same calls as the JSON API, for the towns
and the instructeurs. No JavaScript is needed for any action; every page works on a phone.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)

Sessions are the API's: the `acv_session` cookie (HttpOnly, SameSite=Strict). Every POST form
also carries a token derived from the session token (`csrf_token`), checked before anything is
done; the login form, before any session, carries a random token doubled in a cookie. A dossier
that does not exist and one the user may not see give the same 404 page.
"""

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from instruct.errors import InputError, Problem
from instruct.french import french_date
from instruct.model.report import GAPS
from instruct.reports import formats
from instruct.reports.text import piece_quotes
from instruct.service import accounts, uploads, workflow
from instruct.service import usecases as service
from instruct.service.storage import Dossier, Event, Note, User, version_files

HERE = Path(__file__).parent
LOGIN_COOKIE = "acv_connexion"  # the login form's token, before any session
PARIS = ZoneInfo("Europe/Paris")

VERDICTS = {"recevable": "recevable", "incomplet": "incomplet", "non_recevable": "non recevable"}
STATUSES = {
    "non_conforme": "non conforme",
    "incomplet": "incomplet",
    "a_verifier": "à vérifier",
    "conforme": "conforme",
    "non_applicable": "non applicable",
}
GAP_HEADINGS = {"non_conforme": "Non conformes", "incomplet": "Incomplets", "a_verifier": "À vérifier"}
ROLES = {"collectivite": "collectivité", "instructeur": "instructeur", "admin": "administrateur"}
PARTNERS = {"action_logement": "Action Logement", "anah": "Anah", "anru": "ANRU", "ddt": "DDT"}
RULESET_PARTNERS = {
    "programme": "Programme Action Cœur de Ville",
    "action-logement": "Action Logement",
    "anah": "Anah",
    "anru": "ANRU",
    "ort": "Opération de revitalisation de territoire",
    "coherence": "Cohérence entre partenaires",
}
ACTIONS = {
    "depose": "Déposer le dossier",
    "en_instruction": "Passer en instruction",
    "a_completer": "Demander des compléments",
    "accepte": "Accepter",
    "refuse": "Refuser",
    "sans_suite": "Classer sans suite",
}
DONE = {
    "cree": "Dossier créé : voici son rapport d'instruction.",
    "version": "Nouvelle version enregistrée et évaluée.",
    "note": "Note enregistrée.",
    "etat": "État du dossier mis à jour.",
}
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}

router = APIRouter(include_in_schema=False)


# --- templates ----------------------------------------------------------------------------------


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(PARIS)


def fr_datetime(moment: dt.datetime | None) -> str:
    local = _local(moment)
    return f"{local:%d/%m/%Y} à {local:%H:%M}" if local else ""


def fr_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{_local(value):%d/%m/%Y}"
    if isinstance(value, dt.date):
        return french_date(value)
    try:
        return french_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


TEMPLATES = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters.update(fr_datetime=fr_datetime, fr_date=fr_date)
TEMPLATES.globals.update(
    VERDICTS=VERDICTS,
    STATUSES=STATUSES,
    GAP_HEADINGS=GAP_HEADINGS,
    LABELS=workflow.LABELS,
    ROLES=ROLES,
    PARTNERS=PARTNERS,
    DOWNLOADS=formats.downloads,
)


def page(request: Request, name: str, status: int = 200, user: User | None = None, **context) -> HTMLResponse:
    token = request.cookies.get(service.SESSION_COOKIE) if user is not None else None
    html = TEMPLATES.get_template(name).render(
        user=user, csrf=csrf_token(token) if token else "", request=request, **context
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def error_page(request: Request, status: int, title: str, message: str, user: User | None = None) -> HTMLResponse:
    return page(request, "erreur.html", status, user, title=title, message=message)


def not_found(request: Request, user: User | None = None) -> HTMLResponse:
    return error_page(
        request,
        404,
        "Page introuvable",
        "Cette page n'existe pas, ou vous n'avez pas accès à ce dossier. Vérifiez l'adresse, ou revenez à la liste de vos dossiers.",
        user,
    )


# --- sessions and CSRF --------------------------------------------------------------------------


def csrf_token(session_token: str) -> str:
    """Derived from the session token (secret, HttpOnly): the same in every worker, unknown to another site."""
    return hmac.new(b"acv-instruct formulaire", session_token.encode(), hashlib.sha256).hexdigest()


def _csrf_ok(request: Request, form: FormData) -> bool:
    token = request.cookies.get(service.SESSION_COOKIE) or ""
    sent = form.get("csrf")
    return bool(token) and isinstance(sent, str) and hmac.compare_digest(sent.encode(), csrf_token(token).encode())


def _me(request: Request, session: Session) -> User | None:
    return accounts.user_of(session, request.cookies.get(service.SESSION_COOKIE))


def _to_login(request: Request) -> RedirectResponse:
    """Logged out (or expired): the login page, then back to the page (a form's page, for a POST)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = re.sub(r"/(transition|notes|versions)$", "", request.url.path)
    return RedirectResponse("/connexion?" + urlencode({"suivant": target}), status_code=303)


def _safe_next(value: str | None) -> str:
    """Only a path of this site (no "//host", no scheme)."""
    if value and re.fullmatch(r"/(?![/\\])[^\s\\]*", value) and not value.startswith("/connexion"):
        return value
    return "/dossiers"


def _posted_to(request: Request, session: Session, form: FormData, dossier_id: str) -> tuple[User, Dossier] | Response:
    """What every form posted on a dossier checks first: logged in, the form's CSRF token, the dossier
    visible to this account. The page to answer instead when one fails."""
    me = _me(request, session)
    if me is None:
        return _to_login(request)
    if not _csrf_ok(request, form):
        return _forbidden(request, me)
    record = _visible(session, me, dossier_id)
    return (me, record) if record is not None else not_found(request, me)


def _visible(session: Session, user: User, dossier_id: str) -> Dossier | None:
    dossier = session.get(Dossier, dossier_id) if len(dossier_id) <= 24 else None
    return dossier if dossier is not None and accounts.can_see(user, dossier) else None


# --- login, logout ------------------------------------------------------------------------------


@router.get("/")
def home(request: Request) -> Response:
    with request.app.state.sessions() as session:
        user = _me(request, session)
    return RedirectResponse("/dossiers" if user else "/connexion", status_code=303)


def _login_form(
    request: Request, status: int = 200, error: str = "", login: str = "", suivant: str = ""
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = page(
        request,
        "connexion.html",
        status,
        None,
        login_token=token,
        error=error,
        login=login,
        suivant=_safe_next(suivant or request.query_params.get("suivant")),
        done="Vous êtes déconnecté." if request.query_params.get("ok") == "deconnexion" else "",
    )
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/connexion", max_age=3600)
    return response


@router.get("/connexion")
def login_page(request: Request) -> Response:
    with request.app.state.sessions() as session:
        if _me(request, session) is not None:
            return RedirectResponse(_safe_next(request.query_params.get("suivant")), status_code=303)
    return _login_form(request)


@router.post("/connexion")
async def login(request: Request) -> Response:
    form = await request.form()
    sent, expected = form.get("jeton"), request.cookies.get(LOGIN_COOKIE)
    if not (isinstance(sent, str) and expected and hmac.compare_digest(sent.encode(), expected.encode())):
        return _login_form(
            request,
            403,
            "Le formulaire de connexion avait expiré : saisissez à nouveau votre identifiant et votre mot de passe.",
            _text(form, "identifiant", 80),
            _text(form, "suivant", 2000),
        )
    login_name, password = _text(form, "identifiant", 80), _text(form, "mot_de_passe", 200)
    suivant = _text(form, "suivant", 2000)

    def check() -> tuple[str, dt.datetime] | None:
        with request.app.state.sessions() as session:
            user = accounts.authenticate(session, login_name, password) if login_name and password else None
            if user is None:
                return None
            opened = accounts.open_session(session, user)
            session.commit()
            return opened

    opened = await run_in_threadpool(check)
    if opened is None:
        return _login_form(request, 401, "Identifiant ou mot de passe incorrect.", login_name, suivant)
    response = RedirectResponse(_safe_next(suivant), status_code=303)
    response.set_cookie(
        service.SESSION_COOKIE,
        opened[0],
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=int(accounts.token_hours() * 3600),
    )
    response.delete_cookie(LOGIN_COOKIE, path="/connexion")
    return response


@router.post("/deconnexion")
async def logout(request: Request) -> Response:
    form = await request.form()
    token = request.cookies.get(service.SESSION_COOKIE)

    def close() -> bool:
        with request.app.state.sessions() as session:
            if _me(request, session) is None:
                return True
            if not _csrf_ok(request, form):
                return False
            accounts.close_session(session, token or "")
            session.commit()
            return True

    if not await run_in_threadpool(close):
        return _forbidden(request)
    response = RedirectResponse("/connexion?ok=deconnexion", status_code=303)
    response.delete_cookie(service.SESSION_COOKIE)
    return response


def _forbidden(request: Request, user: User | None = None) -> HTMLResponse:
    return error_page(
        request,
        403,
        "Formulaire refusé",
        "Ce formulaire a expiré ou ne vient pas de ce site (jeton de sécurité invalide). Rechargez la page et recommencez.",
        user,
    )


# --- the list -----------------------------------------------------------------------------------


@router.get("/dossiers")
def dossiers(request: Request) -> Response:
    catalogue = request.app.state.catalogue
    params = request.query_params
    etat, partenaire, territoire = (
        params.get("etat", ""),
        params.get("partenaire", ""),
        params.get("territoire", "").strip(),
    )
    partners = {
        p: RULESET_PARTNERS.get(p, p) for p in dict.fromkeys(rs.partenaire for rs in catalogue.rulesets.values())
    }
    problems = []
    with request.app.state.sessions() as session:
        me = _me(request, session)
        if me is None:
            return _to_login(request)
        query = select(Dossier).where(accounts.visible_filter(me)).order_by(Dossier.updated_at.desc(), Dossier.id)
        if etat in workflow.LABELS:
            query = query.where(Dossier.state == etat)
        elif etat:
            problems.append(f"état inconnu : {etat}")
            etat = ""
        if territoire and me.role != "collectivite":
            kind, _, code = territoire.partition(":")
            if kind in {"dep", "reg"} and code:
                query = query.where(Dossier.departement == code if kind == "dep" else Dossier.region == code)
            else:
                problems.append("territoire : dep:01 (département) ou reg:84 (région)")
        codes = None
        if partenaire in partners:
            codes = [rs.code for rs in catalogue.select([partenaire])]
        elif partenaire:
            problems.append(f"partenaire inconnu : {partenaire}")
            partenaire = ""
        rows = service.summaries(session, query.limit(1000))
        for info in rows:
            info["updated"] = dt.datetime.fromisoformat(info["mis_a_jour"])
            info["verdicts"] = {k: v for k, v in info["verdicts"].items() if codes is None or k in codes}
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


def _text(form: FormData, name: str, limit: int = 20000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


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
    for parse in (dt.date.fromisoformat, lambda t: dt.datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text)
        except ValueError:
            pass
    raise InputError("envoi", [Problem("date", "date d'évaluation invalide : jj/mm/aaaa")])


def _problems(exc: InputError) -> list[dict]:
    return [{"path": p.path, "line": p.line, "message": p.message} for p in exc.problems]


@router.get("/dossiers/nouveau")
def new_page(request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = _me(request, session)
        if me is None:
            return _to_login(request)
        if me.role != "collectivite":
            return error_page(
                request, 403, "Dépôt réservé aux collectivités", "Seule une collectivité dépose un dossier.", me
            )
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
        me = _me(request, session)
        if me is None:
            return _to_login(request)
        if not _csrf_ok(request, form):
            return _forbidden(request, me)
        if me.role != "collectivite":
            return error_page(
                request, 403, "Dépôt réservé aux collectivités", "Seule une collectivité dépose un dossier.", me
            )
        date = _text(form, "date", 20)
        try:
            files = uploads.from_uploads(*_uploads(form))
            record = service.new_dossier(session, me, files, _date(date), app.state.catalogue, app.state.referentiel)
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
        found = _posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        date = _text(form, "date", 20)
        try:
            files = uploads.from_uploads(*_uploads(form))
            service.new_version(session, record, me, files, _date(date), app.state.catalogue, app.state.referentiel)
            session.commit()
        except InputError as exc:
            session.rollback()
            return _dossier_page(
                request, session, me, _visible(session, me, dossier_id), 422, upload_problems=_problems(exc)
            )
        except HTTPException as exc:
            session.rollback()
            return _dossier_page(
                request,
                session,
                me,
                _visible(session, me, dossier_id),
                exc.status_code,
                upload_problems=[{"path": "", "line": None, "message": exc.detail}],
            )
        return RedirectResponse(f"/dossiers/{record.id}?ok=version", status_code=303)


# --- a dossier ----------------------------------------------------------------------------------


@router.get("/dossiers/{dossier_id}")
def dossier_page(dossier_id: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = _me(request, session)
        if me is None:
            return _to_login(request)
        record = _visible(session, me, dossier_id)
        if record is None:
            return not_found(request, me)
        done = DONE.get(request.query_params.get("ok", ""), "")
        return _dossier_page(request, session, me, record, 200, done=done)


def _finding_view(f: dict) -> dict:
    evidence = [
        {"label": e["label"], "value": e["value"], "path": e.get("path", ""), "missing": e.get("missing", False)}
        for e in f.get("evidence", [])
    ]
    return {
        **f,
        "evidence": evidence,
        "quotes": piece_quotes(SimpleNamespace(evidence=f.get("evidence", []))),
        "status_label": STATUSES.get(f["status"], f["status"]),
    }


def _report_view(report: dict, jeu: str) -> dict:
    findings = [f for f in report["findings"] if not jeu or f["ruleset"] == jeu]
    gaps = [_finding_view(f) for f in findings if f["status"] in GAPS]
    return {
        "commune": report["dossier"]["commune"],
        "insee": report["dossier"]["insee"],
        "fictif": report["dossier"].get("fictif"),
        "evaluated_on": report["evaluated_on"],
        "rulesets": report["rulesets"],
        "entities": report.get("entities", []),
        "notes": report.get("notes", []),
        "jeu": jeu,
        "gaps": {status: [f for f in gaps if f["status"] == status] for status in GAP_HEADINGS},
        "gap_count": len(gaps),
        "conformes": [_finding_view(f) for f in findings if f["status"] == "conforme"],
        "non_applicables": [_finding_view(f) for f in findings if f["status"] == "non_applicable"],
    }


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
) -> Response:
    notes = session.scalars(select(Note).where(Note.dossier_id == record.id).order_by(Note.id)).all()
    if me.role == "collectivite":
        notes = [n for n in notes if not n.private]
    events = session.scalars(select(Event).where(Event.dossier_id == record.id).order_by(Event.id)).all()
    latest = record.versions[-1].reports[-1] if record.versions and record.versions[-1].reports else None
    jeu = request.query_params.get("jeu", "")
    report = _report_view(json.loads(latest.report_json), jeu) if latest else None
    if report and jeu and jeu not in report["rulesets"]:
        report = _report_view(json.loads(latest.report_json), "")
    actions = [
        {
            "to": to,
            "label": ACTIONS.get(to, workflow.LABELS[to]),
            "reason_required": to in workflow.REASON_REQUIRED,
            "confirm": to == "depose" and bool(latest and latest.bloquants),
        }
        for (start, to), roles in workflow.TRANSITIONS.items()
        if start == record.state and me.role in roles
    ]
    return page(
        request,
        "dossier.html",
        status,
        me,
        dossier=record,
        info=service.summary(record),
        notes=notes,
        events=events,
        latest=latest,
        report=report,
        actions=actions,
        done=done,
        error=error,
        upload_problems=upload_problems or [],
        note_error=note_error,
        form_values=form_values or {},
        can_note=me.role in {"instructeur", "admin"},
        can_upload=me.role == "collectivite" and record.state in workflow.EDITABLE,
    )


@router.post("/dossiers/{dossier_id}/transition")
async def transition(dossier_id: str, request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_transition, dossier_id, request, form)


def _transition(dossier_id: str, request: Request, form: FormData) -> Response:
    with request.app.state.sessions() as session:
        found = _posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        to, reason = _text(form, "vers", 40), _text(form, "motif", 5000)
        latest = record.versions[-1].reports[-1] if record.versions else None
        try:
            workflow.transition(
                session, record, me, to, reason, form.get("confirme") in {"1", "on", "oui", "true"}, latest
            )
            session.commit()
        except workflow.Refused as exc:
            session.rollback()
            return _dossier_page(
                request,
                session,
                me,
                _visible(session, me, dossier_id),
                exc.status,
                error=exc.message[:1].upper() + exc.message[1:] + ".",
                form_values={"vers": to, "motif": reason},
            )
        return RedirectResponse(f"/dossiers/{record.id}?ok=etat", status_code=303)


@router.post("/dossiers/{dossier_id}/notes")
async def note(dossier_id: str, request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_note, dossier_id, request, form)


def _note(dossier_id: str, request: Request, form: FormData) -> Response:
    with request.app.state.sessions() as session:
        found = _posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        if me.role not in {"instructeur", "admin"}:
            return error_page(
                request, 403, "Notes réservées", "Les notes d'instruction sont réservées aux instructeurs.", me
            )
        text = _text(form, "texte", 20001).strip()
        if not text or len(text) > 20000:
            return _dossier_page(
                request,
                session,
                me,
                record,
                422,
                note_error="Écrivez la note (20 000 caractères au plus).",
                form_values={"texte": text},
            )
        session.add(
            Note(
                dossier_id=record.id,
                author_id=me.id,
                private=form.get("privee") in {"1", "on", "oui", "true"},
                text=text,
            )
        )
        session.commit()
        return RedirectResponse(f"/dossiers/{record.id}?ok=note#notes", status_code=303)


@router.get("/dossiers/{dossier_id}/versions/{numero}/rapport.{fmt}")
def report_file(dossier_id: str, numero: str, fmt: str, request: Request) -> Response:
    app = request.app
    with app.state.sessions() as session:
        me = _me(request, session)
        if me is None:
            return _to_login(request)
        record = _visible(session, me, dossier_id)
        version = next((v for v in record.versions if str(v.number) == numero), None) if record else None
        chosen = next((f for f in formats.downloads() if f.extension == f".{fmt}"), None)
        if version is None or chosen is None or not version.reports:
            return not_found(request, me)
        stored = version.reports[-1]
        files = version_files(session, version)
    report = service.evaluate(files, stored.evaluated_on, app.state.catalogue, app.state.referentiel)
    name = f"rapport-{_slug(record.commune_nom)}-{record.id}-v{version.number}{chosen.extension}"
    disposition = "attachment" if chosen.binary else "inline"
    headers = {
        "content-disposition": f"{disposition}; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
    }
    return Response(chosen.render_bytes(report), media_type=chosen.media_type, headers=headers)


def _slug(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower() or "dossier"


# --- mounting -----------------------------------------------------------------------------------


def mount(app: FastAPI, referentiel=None) -> None:
    """The pages, their stylesheet, and HTML error pages outside /api (the API keeps its JSON)."""
    app.state.referentiel = referentiel
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def is_page(request: Request) -> bool:
        return not request.url.path.startswith(("/api", "/docs", "/redoc", "/openapi"))

    @app.exception_handler(
        StarletteHTTPException
    )  # routing errors (404, 405...); the API's HTTPException keeps its handler
    async def _page_error(request: Request, exc: StarletteHTTPException):
        if not is_page(request):
            return JSONResponse(
                {"erreur": {404: "adresse inconnue", 405: "méthode non permise"}.get(exc.status_code, str(exc.detail))},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        if exc.status_code == 404:
            return not_found(request)
        if exc.status_code == 405:
            return error_page(
                request,
                405,
                "Action impossible",
                "Cette adresse ne s'utilise pas ainsi. Revenez à la liste de vos dossiers.",
            )
        return error_page(
            request,
            exc.status_code,
            "Requête refusée",
            "La requête n'a pas pu être traitée. Revenez à la liste de vos dossiers.",
        )

    @app.exception_handler(Exception)  # never a traceback: a French page (uvicorn still logs the exception)
    async def _crash(request: Request, _exc: Exception):
        if not is_page(request):
            return JSONResponse({"erreur": "erreur interne du service"}, status_code=500)
        try:
            return error_page(
                request,
                500,
                "Erreur du service",
                "Une erreur inattendue s'est produite ; rien n'a été enregistré pour cette action. Réessayez plus tard.",
            )
        except Exception:
            return PlainTextResponse("Erreur interne du service", status_code=500)
