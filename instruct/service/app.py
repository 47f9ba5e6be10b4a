"""The web service (FastAPI): this module only builds the app (settings, middleware, lifespan,
error handlers) and mounts the JSON API (api.py), the pages (pages.py, session_pages.py) and the
stylesheet. What they do lives in usecases.py, written once for both.
(No `from __future__ import annotations` here: FastAPI reads the handlers' annotations.)
"""

import contextlib
import json
import os
from collections.abc import AsyncIterator

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from instruct.errors import InputError, Problem
from instruct.messages import french_message
from instruct.referentiel.registry import Referentiel
from instruct.rules.catalogue import load_catalogue
from instruct.service import (
    api,
    avis_api,
    avis_pages,
    drafts_api,
    form_exports,
    form_items,
    form_pages,
    info_pages,
    letters,
    mail,
    pages,
    session_pages,
    uploads,
    workflow,
)
from instruct.service.carte_pages import router as carte_router
from instruct.service.comparison_pages import router as comparison_router
from instruct.service.evaluator import EvaluationSettings, Evaluators
from instruct.service.instruction_pages import router as instruction_router
from instruct.service.letters_pages import router as letters_router
from instruct.service.messagerie_pages import router as messagerie_router
from instruct.service.ort_pages import router as ort_router
from instruct.service.queue_api import router as queue_api_router
from instruct.service.queue_pages import router as queue_router
from instruct.service.regles_pages import router as regles_router
from instruct.service.storage import make_engine, sessions, upgrade
from instruct.service.templating import HERE, TEMPLATES, SecurityHeaders, error_page, not_found
from instruct.yamlio import parse_json


class LimitBody:
    """ASGI middleware: a request body larger than `limit` is refused (413) before it is read whole."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        page = not scope.get("path", "").startswith("/api")
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await _too_large(send, self.limit, page)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await _too_large(send, self.limit, page)


class _BodyTooLarge(Exception):
    pass


class JsonBody:
    """ASGI middleware: a JSON request body is read (at most MAX_JSON bytes) and checked, its depth
    before its syntax (yamlio.parse_json), before FastAPI parses it: a French 422, never a 500."""

    MAX_JSON = 1024 * 1024

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or b"json" not in dict(scope.get("headers") or []).get(b"content-type", b""):
            return await self.app(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                return
            body, more = body + message.get("body", b""), message.get("more_body", False)
            if len(body) > self.MAX_JSON:
                return await _too_large(send, self.MAX_JSON)
        try:
            if body.strip():
                parse_json(body.decode("utf-8"), "requête")
        except UnicodeDecodeError as exc:
            return await _send_json(send, 422, _problems(InputError("requête", [Problem("", _UTF8 % exc.start)])))
        except InputError as exc:
            return await _send_json(send, 422, _problems(exc))
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


_UTF8 = "le corps de la requête n'est pas en UTF-8 (octet %d)"


def _problems(exc: InputError) -> dict:
    """An InputError as the API says it (the CLI's paths and lines)."""
    return {
        "erreur": f"{exc.source} : {len(exc.problems)} problème(s)",
        "problemes": [{"chemin": p.path, "message": p.message, "ligne": p.line} for p in exc.problems],
    }


async def _send_json(send, status: int, content: dict) -> None:
    body = json.dumps(content, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", _JSON_TYPE)]})
    await send({"type": "http.response.body", "body": body})


_JSON_TYPE = b"application/json; charset=utf-8"


async def _too_large(send, limit: int, page: bool = False) -> None:
    """413 in JSON for the API, as a short French page for the browser's forms."""
    message = f"envoi trop volumineux (maximum {limit // (1024 * 1024)} Mo)"
    if page:  # no user here: the body is refused before the session is read
        body = TEMPLATES.get_template("trop-volumineux.html").render(message=message, user=None).encode()
        kind = b"text/html; charset=utf-8"
    else:
        body, kind = json.dumps({"erreur": message}, ensure_ascii=False).encode(), b"application/json; charset=utf-8"
    await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", kind)]})
    await send({"type": "http.response.body", "body": body})


@contextlib.asynccontextmanager
async def _threads(app: FastAPI) -> AsyncIterator[None]:
    """Requests served at once by one process (the endpoints are plain functions, run in anyio's threads;
    40 by default). They share one GIL: more threads only slice it thinner, every database round trip waits its
    turn again, and on SQLite more writers sleep on the lock. ACV_THREADS, 4 by default (load benchmark: 2 to 4
    best, 8 and 40 worse). The evaluation worker processes (service/evaluator) start and stop with the app."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = int(os.environ.get("ACV_THREADS", "4"))
    app.state.evaluators.start()
    app.state.courriels.start()  # the outbox's sender (instruct.service.mail)
    try:
        yield
    finally:
        app.state.courriels.stop()
        app.state.evaluators.stop()


def create_app(
    database_url: str | None = None,
    *,
    rules_dir: str | None = None,
    referentiel: Referentiel | None = None,
    evaluation: EvaluationSettings | None = None,
) -> FastAPI:
    """`evaluation`: the rule engine and its worker processes (default: from ACV_MOTEUR, ACV_EVALUATEURS…)."""
    evaluation = evaluation or EvaluationSettings.read()  # a bad setting stops here, before the database
    mail_settings = mail.MailSettings.read()  # ACV_SMTP_*: the same
    engine = make_engine(database_url)
    upgrade(engine)
    new_session = sessions(engine)
    catalogue = load_catalogue(rules_dir)
    new_session.configure(info={letters.CATALOGUE: catalogue})  # the letters cite the rules' titles and sources
    app = FastAPI(
        title="acv-instruct",
        version="1",
        lifespan=_threads,
        docs_url=None,  # /docs: info_pages, from the vendored Swagger UI (FastAPI's loads it from a CDN)
        redoc_url=None,
        description="Instruction des dossiers Action Cœur de Ville : dépôt, rapports d'écarts, instruction.",
    )
    app.add_middleware(JsonBody)
    app.add_middleware(LimitBody, limit=uploads.MAX_UPLOAD + 1024 * 1024)
    app.add_middleware(SecurityHeaders)  # outermost: the 413 page too
    app.state.engine, app.state.sessions, app.state.catalogue = engine, new_session, catalogue
    app.state.referentiel = referentiel
    app.state.evaluators = Evaluators(catalogue, referentiel, evaluation)
    app.state.courriels = mail.Sender(new_session, mail_settings)
    _api_errors(app)
    _page_errors(app)
    app.include_router(api.router)  # JSON, under /api
    app.include_router(session_pages.router)  # the HTML pages, outside /api
    app.include_router(pages.router)
    app.include_router(form_pages.router)  # the guided form: drafts, steps, deposit, exports
    app.include_router(form_items.router)  # a long list's item on its own page
    app.include_router(form_exports.router)  # dossier.yaml and ZIP of a draft or a version
    app.include_router(drafts_api.router)  # the same drafts in the JSON API
    app.include_router(info_pages.router)  # accessibilité, mentions légales..., /docs
    app.include_router(carte_router)  # the périmètres' map: a geometry file read (JSON)
    app.include_router(messagerie_router)  # a dossier's thread: its form, attached files, JSON API
    app.include_router(comparison_router)  # two versions of a dossier compared
    app.include_router(ort_router)  # the ORT commerce question (DDT): the map, the answer in words
    app.include_router(instruction_router)  # deposit, withdrawal, a track's decision and its confirmation
    app.include_router(letters_router)  # each state change's letter, PDF and DOCX, and their list in the API
    app.include_router(queue_router)  # the instructeurs' queue (file d'instruction), its exports, assignment
    app.include_router(queue_api_router)  # the same queue and assignment in the JSON API
    app.include_router(avis_api.router)  # experts' opinions in the JSON API
    app.include_router(avis_pages.router)  # experts' opinions: the dossier's form, the expert's page (/avis/…)
    app.include_router(regles_router)  # a page per rule (/regles), public
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


# FastAPI's own English details (a body it cannot parse: StarletteHTTPException), in French.
FASTAPI_DETAILS = {
    "There was an error parsing the body": "corps de la requête illisible (JSON mal formé ou trop imbriqué)"
}


def _api_errors(app: FastAPI) -> None:
    """Errors in French JSON, with the CLI's paths."""

    @app.exception_handler(HTTPException)
    async def _http_error(_request, exc: HTTPException):
        return JSONResponse({"erreur": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(InputError)
    async def _input_error(_request, exc: InputError):
        return JSONResponse(_problems(exc), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _request_error(_request, exc: RequestValidationError):
        problems = [{"chemin": ".".join(str(x) for x in e["loc"]), "message": french_message(e)} for e in exc.errors()]
        return JSONResponse({"erreur": "requête invalide", "problemes": problems}, status_code=422)

    @app.exception_handler(workflow.Refused)
    async def _refused(_request, exc: workflow.Refused):
        return JSONResponse({"erreur": exc.message}, status_code=exc.status)


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith(("/api", "/docs", "/redoc", "/openapi"))


def _page_errors(app: FastAPI) -> None:
    """Routing errors (404, 405...) and crashes: a French page outside /api, French JSON inside it
    (the API's own HTTPException keeps its handler). Never a traceback (uvicorn still logs it)."""

    @app.exception_handler(StarletteHTTPException)
    async def _page_error(request: Request, exc: StarletteHTTPException):
        refused = uploads.form_error(exc.status_code, exc.detail)  # python-multipart's limits, in French
        if refused is not None:
            exc = StarletteHTTPException(refused[0], refused[1])
            if _is_page(request):
                return error_page(
                    request, exc.status_code, "Envoi refusé", exc.detail[:1].upper() + exc.detail[1:] + "."
                )
        if not _is_page(request):
            return JSONResponse(
                {
                    "erreur": {404: "adresse inconnue", 405: "méthode non permise"}.get(
                        exc.status_code, FASTAPI_DETAILS.get(str(exc.detail), str(exc.detail))
                    )
                },
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

    @app.exception_handler(Exception)
    async def _crash(request: Request, _exc: Exception):
        if not _is_page(request):
            return JSONResponse({"erreur": "erreur interne du service"}, status_code=500)
        try:
            return error_page(
                request,
                500,
                "Erreur du service",
                "Une erreur inattendue s'est produite ; rien n'a été enregistré pour cette action. "
                "Réessayez plus tard.",
            )
        except Exception:
            return PlainTextResponse("Erreur interne du service", status_code=500)


def app_from_environment() -> FastAPI:
    """For uvicorn's workers (`acv serve --workers N`): settings from the environment."""
    from instruct.referentiel.registry import load_referentiel

    folder = os.environ.get("ACV_REFERENTIEL")
    return create_app(referentiel=load_referentiel(folder) if folder else None)
