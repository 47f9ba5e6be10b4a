"""The browser's session: the login and logout pages, and what every page and form checks first
(who is logged in, the form's CSRF token, the dossier visible to them).

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)

Sessions are the API's: the `acv_session` cookie (HttpOnly, SameSite=Strict). Every POST form
also carries a token derived from the session token (`templating.csrf_token`), checked before
anything is done; the login form, before any session, carries a random token doubled in a cookie.
Logging in is `logins.log_in`, as for the API: throttled (429 and Retry-After, the form again with
the delay in French), argon2 awaited in its own thread pool.
"""

import hmac
import re
import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from instruct.model.fields import control_problem
from instruct.service import accounts, logins, usecases
from instruct.service.storage import Dossier, User
from instruct.service.templating import forbidden, not_found, page

LOGIN_COOKIE = "acv_connexion"  # the login form's token, before any session

router = APIRouter(include_in_schema=False)


# --- what every page checks ---------------------------------------------------------------------


def logged_in(request: Request, session: Session) -> User | None:
    return accounts.user_of(session, request.cookies.get(usecases.SESSION_COOKIE))


def csrf_ok(request: Request, form: FormData) -> bool:
    return accounts.csrf_ok(request.cookies.get(usecases.SESSION_COOKIE), form.get("csrf"))


def to_login(request: Request) -> RedirectResponse:
    """Logged out (or expired): the login page, then back to the page (a form's page, for a POST)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = re.sub(r"/(transition|notes|versions|instructions/.*)$", "", request.url.path)
    return RedirectResponse("/connexion?" + urlencode({"suivant": target}), status_code=303)


def safe_next(value: str | None) -> str:
    """Only a path of this site (no "//host", no scheme)."""
    if value and re.fullmatch(r"/(?![/\\])[^\s\\]*", value) and not value.startswith("/connexion"):
        return value
    return "/dossiers"


def posted_to(request: Request, session: Session, form: FormData, dossier_id: str) -> tuple[User, Dossier] | Response:
    """What every form posted on a dossier checks first: logged in, the form's CSRF token, the dossier
    visible to this account. The page to answer instead when one fails."""
    me = logged_in(request, session)
    if me is None:
        return to_login(request)
    if not csrf_ok(request, form):
        return forbidden(request, me)
    record = usecases.find_visible(session, me, dossier_id)
    return (me, record) if record is not None else not_found(request, me)


def form_text(form: FormData, name: str, limit: int = 20000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


# --- login, logout ------------------------------------------------------------------------------


@router.get("/")
def home(request: Request) -> Response:
    with request.app.state.sessions() as session:
        user = logged_in(request, session)
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
        suivant=safe_next(suivant or request.query_params.get("suivant")),
        done="Vous êtes déconnecté." if request.query_params.get("ok") == "deconnexion" else "",
    )
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/connexion", max_age=3600)
    return response


@router.get("/connexion")
def login_page(request: Request) -> Response:
    with request.app.state.sessions() as session:
        if logged_in(request, session) is not None:
            return RedirectResponse(safe_next(request.query_params.get("suivant")), status_code=303)
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
            form_text(form, "identifiant", 80),
            form_text(form, "suivant", 2000),
        )
    login_name, password = form_text(form, "identifiant", 200), form_text(form, "mot_de_passe", 1000)
    suivant = form_text(form, "suivant", 2000)
    if problem := control_problem(login_name):
        return _login_form(request, 422, f"Identifiant : {problem}.", "", suivant)
    try:
        opened = await logins.log_in(request.app.state.sessions, login_name, password, logins.client_address(request))
    except (logins.Throttled, logins.Busy) as exc:
        status = 429 if isinstance(exc, logins.Throttled) else 503
        response = _login_form(
            request, status, exc.message[:1].upper() + exc.message[1:] + ".", login_name[:80], suivant
        )
        response.headers["Retry-After"] = str(exc.seconds)
        return response
    except logins.Disabled as exc:
        return _login_form(request, 403, exc.message[:1].upper() + exc.message[1:] + ".", login_name[:80], suivant)
    if opened is None:
        return _login_form(request, 401, "Identifiant ou mot de passe incorrect.", login_name[:80], suivant)
    response = RedirectResponse(safe_next(suivant), status_code=303)
    usecases.set_session_cookie(response, opened.token, secure=request.url.scheme == "https")
    response.delete_cookie(LOGIN_COOKIE, path="/connexion")
    return response


@router.post("/deconnexion")
async def logout(request: Request) -> Response:
    form = await request.form()
    token = request.cookies.get(usecases.SESSION_COOKIE)

    def close() -> bool:
        with request.app.state.sessions() as session:
            if logged_in(request, session) is None:
                return True
            if not csrf_ok(request, form):
                return False
            accounts.close_session(session, token or "")
            session.commit()
            return True

    if not await run_in_threadpool(close):
        return forbidden(request)
    response = RedirectResponse("/connexion?ok=deconnexion", status_code=303)
    response.delete_cookie(usecases.SESSION_COOKIE)
    return response
