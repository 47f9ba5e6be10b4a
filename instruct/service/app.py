"""The web service (FastAPI): the same calls as the CLI, behind accounts.
(No `from __future__ import annotations` here: FastAPI reads the endpoint annotations, some of
which are local to create_app.)

Every dossier read goes through `_visible` (404 when the user may not see it, whether it exists
or not); every change is one transaction: a submission is stored whole or not at all.
"""

import contextlib
import datetime as dt
import json
import os
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal, InvalidOperation
from typing import Annotated

import anyio.to_thread
from fastapi import (
    Depends,
    FastAPI,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    UploadFile,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from instruct.errors import InputError
from instruct.referentiel.registry import Referentiel
from instruct.reports import formats
from instruct.rules.catalogue import load_catalogue
from instruct.service import accounts, uploads, workflow
from instruct.service import pages as web
from instruct.service.storage import (
    Dossier,
    Event,
    Note,
    User,
    make_engine,
    sessions,
    upgrade,
    version_files,
)
from instruct.service.usecases import (
    SESSION_COOKIE,
    _codes,
    _gaps,
    _iso,
    _loaded,
    _version,
    evaluate,
    new_dossier,
    new_version,
    report_format,
    summaries,
    summary,
)


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


async def _too_large(send, limit: int, page: bool = False) -> None:
    """413 in JSON for the API, as a short French page for the browser's forms."""
    message = f"envoi trop volumineux (maximum {limit // (1024 * 1024)} Mo)"
    if page:  # no user here: the body is refused before the session is read
        body = web.TEMPLATES.get_template("trop-volumineux.html").render(message=message, user=None).encode()
        kind = b"text/html; charset=utf-8"
    else:
        body, kind = json.dumps({"erreur": message}, ensure_ascii=False).encode(), b"application/json; charset=utf-8"
    await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", kind)]})
    await send({"type": "http.response.body", "body": body})


class Transition(BaseModel):
    vers: str = Field(description="état d'arrivée : depose, en_instruction, a_completer, accepte, refuse, sans_suite")
    motif: str = ""
    confirme: bool = Field(False, description="déposer malgré des écarts bloquants, en connaissance de cause")


class NewNote(BaseModel):
    texte: str = Field(min_length=1, max_length=20000)
    privee: bool = True


class Login(BaseModel):
    identifiant: str = Field(max_length=80)
    mot_de_passe: str = Field(max_length=200)


@contextlib.asynccontextmanager
async def _threads(_app: FastAPI) -> AsyncIterator[None]:
    """Requests served at once by one process (the endpoints are plain functions, run in anyio's threads; 40 by default).
    They share one GIL: more threads only slice it thinner, every database round trip waits its turn again, and on
    SQLite more writers sleep on the lock. ACV_THREADS, 4 by default (load benchmark: 2 to 4 best, 8 and 40 worse)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = int(os.environ.get("ACV_THREADS", "4"))
    yield


def create_app(
    database_url: str | None = None, *, rules_dir: str | None = None, referentiel: Referentiel | None = None
) -> FastAPI:
    engine = make_engine(database_url)
    upgrade(engine)
    new_session = sessions(engine)
    catalogue = load_catalogue(rules_dir)
    app = FastAPI(
        title="acv-instruct",
        version="1",
        lifespan=_threads,
        description="Instruction des dossiers Action Cœur de Ville : dépôt, rapports d'écarts, instruction.",
    )
    app.add_middleware(LimitBody, limit=uploads.MAX_UPLOAD + 1024 * 1024)
    app.state.engine, app.state.sessions, app.state.catalogue = engine, new_session, catalogue

    def db() -> Iterator[Session]:
        with new_session() as session:
            yield session

    def current_user(request: Request, session: Annotated[Session, Depends(db)]) -> User:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else request.cookies.get(SESSION_COOKIE)
        user = accounts.user_of(session, token)
        if user is None:
            raise HTTPException(
                401, "authentification requise (session absente ou expirée)", headers={"WWW-Authenticate": "Bearer"}
            )
        return user

    Db = Annotated[Session, Depends(db)]
    Me = Annotated[User, Depends(current_user)]

    # --- errors in French, with the CLI's paths ------------------------------------------------

    @app.exception_handler(HTTPException)
    async def _http_error(_request, exc: HTTPException):
        return JSONResponse({"erreur": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(InputError)
    async def _input_error(_request, exc: InputError):
        return JSONResponse(
            {
                "erreur": f"{exc.source} : {len(exc.problems)} problème(s)",
                "problemes": [{"chemin": p.path, "message": p.message, "ligne": p.line} for p in exc.problems],
            },
            status_code=422,
        )

    @app.exception_handler(RequestValidationError)
    async def _request_error(_request, exc: RequestValidationError):
        problems = [
            {"chemin": ".".join(str(x) for x in e["loc"]), "message": e.get("msg", "valeur invalide")}
            for e in exc.errors()
        ]
        return JSONResponse({"erreur": "requête invalide", "problemes": problems}, status_code=422)

    @app.exception_handler(workflow.Refused)
    async def _refused(_request, exc: workflow.Refused):
        return JSONResponse({"erreur": exc.message}, status_code=exc.status)

    # --- sessions ------------------------------------------------------------------------------

    @app.post("/api/session", tags=["comptes"])
    def login(body: Login, request: Request, session: Db) -> JSONResponse:
        user = accounts.authenticate(session, body.identifiant, body.mot_de_passe)
        if user is None:
            raise HTTPException(401, "identifiant ou mot de passe incorrect")
        token, expires = accounts.open_session(session, user)
        session.commit()
        response = JSONResponse({"jeton": token, "expire": expires.isoformat(), "role": user.role})
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=int(accounts.token_hours() * 3600),
        )
        return response

    @app.delete("/api/session", tags=["comptes"], status_code=204)
    def logout(request: Request, session: Db, me: Me) -> Response:
        header = request.headers.get("authorization", "")
        accounts.close_session(
            session, header[7:] if header.lower().startswith("bearer ") else request.cookies.get(SESSION_COOKIE, "")
        )
        session.commit()
        response = Response(status_code=204)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/api/moi", tags=["comptes"])
    def whoami(me: Me) -> dict:
        return {
            "identifiant": me.login,
            "role": me.role,
            "commune_insee": me.commune_insee,
            "partenaire": me.partenaire,
            "territoire": me.territoire,
        }

    # --- dossiers ------------------------------------------------------------------------------

    def _visible(session: Session, user: User, dossier_id: str) -> Dossier:
        dossier = session.get(Dossier, dossier_id) if len(dossier_id) <= 24 else None
        if dossier is None or not accounts.can_see(user, dossier):
            raise HTTPException(404, "dossier introuvable")
        return dossier

    @app.post("/api/dossiers", tags=["dossiers"], status_code=201)
    def submit(
        session: Db,
        me: Me,
        archive: UploadFile | None = File(None, description="le dossier en ZIP"),
        dossier: UploadFile | None = File(None, description="dossier.yaml"),
        pieces: list[UploadFile] = File([]),
        date: dt.date | None = Form(None),
    ) -> dict:
        """A town submits a new dossier (state brouillon): a ZIP of its folder, or dossier.yaml and its pieces."""
        record = new_dossier(
            session, me, uploads.from_uploads(archive, dossier, pieces), date or dt.date.today(), catalogue, referentiel
        )
        session.commit()
        return summary(record)

    @app.post("/api/dossiers/{dossier_id}/versions", tags=["dossiers"], status_code=201)
    def add_version(
        dossier_id: str,
        session: Db,
        me: Me,
        archive: UploadFile | None = File(None),
        dossier: UploadFile | None = File(None),
        pieces: list[UploadFile] = File([]),
        date: dt.date | None = Form(None),
    ) -> dict:
        record = _visible(session, me, dossier_id)
        new_version(
            session,
            record,
            me,
            uploads.from_uploads(archive, dossier, pieces),
            date or dt.date.today(),
            catalogue,
            referentiel,
        )
        session.commit()
        return summary(record)

    @app.get("/api/dossiers", tags=["dossiers"])
    def list_dossiers(
        session: Db,
        me: Me,
        response: Response,
        etat: str | None = None,
        partenaire: str | None = None,
        territoire: str | None = None,
        limite: int = Query(100, ge=1, le=1000),
        decalage: int = Query(0, ge=0),
    ) -> list[dict]:
        """The dossiers this account may see, most recent first, a page at a time (`limite`, `decalage`;
        the total is in the X-Total-Count header); filters: état, a partner's rule sets (their verdicts
        shown), territoire (dep:01, reg:84)."""
        query = select(Dossier).where(accounts.visible_filter(me))
        if etat:
            query = query.where(Dossier.state == etat)
        if territoire:
            kind, _, code = territoire.partition(":")
            query = query.where(Dossier.departement == code if kind == "dep" else Dossier.region == code)
        response.headers["X-Total-Count"] = str(session.scalar(select(func.count()).select_from(query.subquery())))
        out = summaries(session, query.order_by(Dossier.updated_at.desc(), Dossier.id).limit(limite).offset(decalage))
        if partenaire:
            codes = _codes(catalogue, partenaire)
            out = [{**d, "verdicts": {k: v for k, v in d["verdicts"].items() if k in codes}} for d in out]
        return out

    @app.get("/api/dossiers/{dossier_id}", tags=["dossiers"])
    def show(dossier_id: str, session: Db, me: Me) -> dict:
        record = _visible(session, me, dossier_id)
        notes = session.scalars(select(Note).where(Note.dossier_id == record.id).order_by(Note.id)).all()
        if me.role == "collectivite":
            notes = [n for n in notes if not n.private]
        events = session.scalars(select(Event).where(Event.dossier_id == record.id).order_by(Event.id)).all()
        return {
            **summary(record),
            "versions": [
                {
                    "numero": v.number,
                    "depose_le": _iso(v.created_at),
                    "empreinte": v.content_hash,
                    "fichiers": [f.path for f in v.files],
                }
                for v in record.versions
            ],
            "journal": [
                {
                    "le": _iso(e.at),
                    "par": e.user.login,
                    "de": e.from_state,
                    "vers": e.to_state,
                    "motif": e.reason,
                    "version": e.version_number,
                }
                for e in events
            ],
            "notes": [{"le": _iso(n.at), "par": n.author.login, "privee": n.private, "texte": n.text} for n in notes],
        }

    @app.get("/api/dossiers/{dossier_id}/versions/{numero}/rapport", tags=["rapports"])
    def report(
        dossier_id: str,
        numero: int,
        request: Request,
        session: Db,
        me: Me,
        format: str | None = Query(None, description=f"{', '.join(formats.names())} (sinon l'en-tête Accept)"),
    ) -> Response:
        record = _visible(session, me, dossier_id)
        version = _version(record, numero)
        chosen = report_format(format, request.headers.get("accept", ""))
        stored = version.reports[-1]
        if chosen.name == "json":
            return Response(stored.report_json, media_type=chosen.media_type)
        full = evaluate(version_files(session, version), stored.evaluated_on, catalogue, referentiel)
        headers = (
            {"content-disposition": f'attachment; filename="rapport-{record.id}-v{numero}{chosen.extension}"'}
            if chosen.binary
            else {}
        )
        return Response(chosen.render_bytes(full), media_type=chosen.media_type, headers=headers)

    @app.get("/api/dossiers/{dossier_id}/comparaison", tags=["rapports"])
    def compare(dossier_id: str, session: Db, me: Me, de: int, a: int) -> dict:
        """Which gaps closed and which opened between two versions."""
        record = _visible(session, me, dossier_id)
        before = _gaps(json.loads(_version(record, de).reports[-1].report_json))
        after = _gaps(json.loads(_version(record, a).reports[-1].report_json))
        return {
            "de": de,
            "a": a,
            "fermes": [before[k] for k in before if k not in after],
            "ouverts": [after[k] for k in after if k not in before],
            "changes": [
                {**after[k], "avant": before[k]["statut"]}
                for k in after
                if k in before and before[k]["statut"] != after[k]["statut"]
            ],
        }

    @app.post("/api/dossiers/{dossier_id}/transitions", tags=["instruction"])
    def move(dossier_id: str, body: Transition, session: Db, me: Me) -> dict:
        record = _visible(session, me, dossier_id)
        latest = record.versions[-1].reports[-1] if record.versions else None
        workflow.transition(session, record, me, body.vers, body.motif, body.confirme, latest)
        session.commit()
        return summary(record)

    @app.post("/api/dossiers/{dossier_id}/notes", tags=["instruction"], status_code=201)
    def add_note(dossier_id: str, body: NewNote, session: Db, me: Me) -> dict:
        record = _visible(session, me, dossier_id)
        if me.role not in {"instructeur", "admin"}:
            raise HTTPException(403, "notes d'instruction réservées aux instructeurs")
        session.add(Note(dossier_id=record.id, author_id=me.id, private=body.privee, text=body.texte))
        session.commit()
        return {"ok": True}

    @app.get("/api/dossiers/{dossier_id}/ort-commerce", tags=["ORT"])
    def ort_commerce(
        dossier_id: str,
        session: Db,
        me: Me,
        point: str,
        surface: str,
        alimentaire: bool = False,
        date: dt.date | None = None,
    ) -> dict:
        """`acv ort commerce`: a commerce project at `point` (LON,LAT) of `surface` m² de vente."""
        from instruct.engine.ort_commerce import answer

        record = _visible(session, me, dossier_id)
        try:
            lon, lat = (float(x) for x in point.split(","))
            area = Decimal(surface.replace(",", "."))
        except (ValueError, InvalidOperation):
            raise HTTPException(422, "point LON,LAT et surface en m² attendus") from None
        loaded = _loaded(version_files(session, record.versions[-1]))
        return answer(
            loaded.dossier, lon, lat, area, alimentaire, catalogue.parameters, date or dt.date.today()
        ).as_dict()

    # --- the catalogue and the checklists (public) ----------------------------------------------

    @app.get("/api/regles", tags=["règles"])
    def rules() -> list[dict]:
        return [
            {
                "id": r.id,
                "controle": r.check,
                "jeu": rs.code,
                "partenaire": rs.partenaire,
                "titre": r.title,
                "gravite": r.severity,
                "source": str(r.source),
            }
            for rs in catalogue.rulesets.values()
            for r in rs.rules
        ]

    @app.get("/api/checklists/{partenaire}", tags=["règles"])
    def checklist(partenaire: str, etape: str | None = None, format: str = "markdown") -> Response:
        from instruct.reports import checklist as lists

        if partenaire not in lists.partners(catalogue):
            raise HTTPException(404, f"partenaire inconnu : {partenaire} ({', '.join(lists.partners(catalogue))})")
        if format == "docx":
            return Response(
                lists.render_docx(catalogue, partenaire, etape, dt.date.today()),
                media_type=formats.get("docx").media_type,
            )
        return Response(
            lists.render_markdown(catalogue, partenaire, etape, dt.date.today()),
            media_type=formats.get("markdown").media_type,
        )

    web.mount(app, referentiel)  # the HTML pages, outside /api
    return app


def app_from_environment() -> FastAPI:
    """For uvicorn's workers (`acv serve --workers N`): settings from the environment."""
    import os

    from instruct.referentiel.registry import load_referentiel

    folder = os.environ.get("ACV_REFERENTIEL")
    return create_app(referentiel=load_referentiel(folder) if folder else None)
