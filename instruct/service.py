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
import tempfile
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from instruct import accounts, report_json, uploads, web, workflow
from instruct.check import Report, check_dossier
from instruct.errors import InputError
from instruct.findings import GAPS
from instruct.loader import load
from instruct.referentiel import Referentiel
from instruct.rules import Catalogue, load_catalogue
from instruct.storage import Dossier, Event, Note, StoredReport, User, Version, make_engine, now, put_blob, sessions, upgrade, version_files
from instruct.territoires import departement, region

SESSION_COOKIE = "acv_session"
FORMATS = {  # format -> media type
    "json": "application/json", "text": "text/plain; charset=utf-8", "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


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
    if page:
        body = ('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Envoi trop volumineux</title></head>'
                f'<body><main><h1>Envoi trop volumineux</h1><p>{message} : réduisez les pièces ou envoyez-les en plusieurs '
                'versions.</p><p><a href="/dossiers">Retour à vos dossiers</a></p></main></body></html>').encode()
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


def create_app(database_url: str | None = None, *, rules_dir: str | None = None, referentiel: Referentiel | None = None) -> FastAPI:
    engine = make_engine(database_url)
    upgrade(engine)
    new_session = sessions(engine)
    catalogue = load_catalogue(rules_dir)
    app = FastAPI(title="acv-instruct", version="1", lifespan=_threads,
                  description="Instruction des dossiers Action Cœur de Ville : dépôt, rapports d'écarts, instruction.")
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
            raise HTTPException(401, "authentification requise (session absente ou expirée)", headers={"WWW-Authenticate": "Bearer"})
        return user

    Db = Annotated[Session, Depends(db)]
    Me = Annotated[User, Depends(current_user)]

    # --- errors in French, with the CLI's paths ------------------------------------------------

    @app.exception_handler(HTTPException)
    async def _http_error(_request, exc: HTTPException):
        return JSONResponse({"erreur": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(InputError)
    async def _input_error(_request, exc: InputError):
        return JSONResponse({"erreur": f"{exc.source} : {len(exc.problems)} problème(s)",
                             "problemes": [{"chemin": p.path, "message": p.message, "ligne": p.line} for p in exc.problems]},
                            status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _request_error(_request, exc: RequestValidationError):
        problems = [{"chemin": ".".join(str(x) for x in e["loc"]), "message": e.get("msg", "valeur invalide")} for e in exc.errors()]
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
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                            max_age=int(accounts.token_hours() * 3600))
        return response

    @app.delete("/api/session", tags=["comptes"], status_code=204)
    def logout(request: Request, session: Db, me: Me) -> Response:
        header = request.headers.get("authorization", "")
        accounts.close_session(session, header[7:] if header.lower().startswith("bearer ") else request.cookies.get(SESSION_COOKIE, ""))
        session.commit()
        response = Response(status_code=204)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/api/moi", tags=["comptes"])
    def whoami(me: Me) -> dict:
        return {"identifiant": me.login, "role": me.role, "commune_insee": me.commune_insee, "partenaire": me.partenaire,
                "territoire": me.territoire}

    # --- dossiers ------------------------------------------------------------------------------

    def _visible(session: Session, user: User, dossier_id: str) -> Dossier:
        dossier = session.get(Dossier, dossier_id) if len(dossier_id) <= 24 else None
        if dossier is None or not accounts.can_see(user, dossier):
            raise HTTPException(404, "dossier introuvable")
        return dossier

    @app.post("/api/dossiers", tags=["dossiers"], status_code=201)
    def submit(session: Db, me: Me, archive: UploadFile | None = File(None, description="le dossier en ZIP"),
               dossier: UploadFile | None = File(None, description="dossier.yaml"), pieces: list[UploadFile] = File([]),
               date: dt.date | None = Form(None)) -> dict:
        """A town submits a new dossier (state brouillon): a ZIP of its folder, or dossier.yaml and its pieces."""
        record = new_dossier(session, me, uploads.from_uploads(archive, dossier, pieces), date or dt.date.today(), catalogue, referentiel)
        session.commit()
        return summary(record)

    @app.post("/api/dossiers/{dossier_id}/versions", tags=["dossiers"], status_code=201)
    def add_version(dossier_id: str, session: Db, me: Me, archive: UploadFile | None = File(None),
                    dossier: UploadFile | None = File(None), pieces: list[UploadFile] = File([]),
                    date: dt.date | None = Form(None)) -> dict:
        record = _visible(session, me, dossier_id)
        new_version(session, record, me, uploads.from_uploads(archive, dossier, pieces), date or dt.date.today(), catalogue, referentiel)
        session.commit()
        return summary(record)

    @app.get("/api/dossiers", tags=["dossiers"])
    def list_dossiers(session: Db, me: Me, response: Response, etat: str | None = None, partenaire: str | None = None,
                      territoire: str | None = None, limite: int = Query(100, ge=1, le=1000),
                      decalage: int = Query(0, ge=0)) -> list[dict]:
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
            "versions": [{"numero": v.number, "depose_le": _iso(v.created_at), "empreinte": v.content_hash,
                          "fichiers": [f.path for f in v.files]} for v in record.versions],
            "journal": [{"le": _iso(e.at), "par": e.user.login, "de": e.from_state, "vers": e.to_state, "motif": e.reason,
                         "version": e.version_number} for e in events],
            "notes": [{"le": _iso(n.at), "par": n.author.login, "privee": n.private, "texte": n.text} for n in notes],
        }

    @app.get("/api/dossiers/{dossier_id}/versions/{numero}/rapport", tags=["rapports"])
    def report(dossier_id: str, numero: int, request: Request, session: Db, me: Me,
               format: str | None = Query(None, description="json, text, markdown, html ou docx (sinon l'en-tête Accept)")) -> Response:
        record = _visible(session, me, dossier_id)
        version = _version(record, numero)
        chosen = format or _from_accept(request.headers.get("accept", ""))
        if chosen not in FORMATS:
            raise HTTPException(406, f"format inconnu : {chosen} (json, text, markdown, html, docx)")
        stored = version.reports[-1]
        if chosen == "json":
            return Response(stored.report_json, media_type=FORMATS["json"])
        full = evaluate(version_files(session, version), stored.evaluated_on, catalogue, referentiel)
        body = render(full, chosen)
        headers = {"content-disposition": f'attachment; filename="rapport-{record.id}-v{numero}.docx"'} if chosen == "docx" else {}
        return Response(body, media_type=FORMATS[chosen], headers=headers)

    @app.get("/api/dossiers/{dossier_id}/comparaison", tags=["rapports"])
    def compare(dossier_id: str, session: Db, me: Me, de: int, a: int) -> dict:
        """Which gaps closed and which opened between two versions."""
        record = _visible(session, me, dossier_id)
        before = _gaps(json.loads(_version(record, de).reports[-1].report_json))
        after = _gaps(json.loads(_version(record, a).reports[-1].report_json))
        return {"de": de, "a": a,
                "fermes": [before[k] for k in before if k not in after],
                "ouverts": [after[k] for k in after if k not in before],
                "changes": [{**after[k], "avant": before[k]["statut"]} for k in after if k in before and before[k]["statut"] != after[k]["statut"]]}

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
    def ort_commerce(dossier_id: str, session: Db, me: Me, point: str, surface: str, alimentaire: bool = False,
                     date: dt.date | None = None) -> dict:
        """`acv ort commerce`: a commerce project at `point` (LON,LAT) of `surface` m² de vente."""
        from instruct.ort_commerce import answer

        record = _visible(session, me, dossier_id)
        try:
            lon, lat = (float(x) for x in point.split(","))
            area = Decimal(surface.replace(",", "."))
        except (ValueError, InvalidOperation):
            raise HTTPException(422, "point LON,LAT et surface en m² attendus") from None
        loaded = _loaded(version_files(session, record.versions[-1]))
        return answer(loaded.dossier, lon, lat, area, alimentaire, catalogue.parameters, date or dt.date.today()).as_dict()

    # --- the catalogue and the checklists (public) ----------------------------------------------

    @app.get("/api/regles", tags=["règles"])
    def rules() -> list[dict]:
        return [{"id": r.id, "controle": r.check, "jeu": rs.code, "partenaire": rs.partenaire, "titre": r.title, "gravite": r.severity,
                 "source": str(r.source)} for rs in catalogue.rulesets.values() for r in rs.rules]

    @app.get("/api/checklists/{partenaire}", tags=["règles"])
    def checklist(partenaire: str, etape: str | None = None, format: str = "markdown") -> Response:
        from instruct import checklist as lists

        if partenaire not in lists.partners(catalogue):
            raise HTTPException(404, f"partenaire inconnu : {partenaire} ({', '.join(lists.partners(catalogue))})")
        if format == "docx":
            return Response(lists.render_docx(catalogue, partenaire, etape, dt.date.today()), media_type=FORMATS["docx"])
        return Response(lists.render_markdown(catalogue, partenaire, etape, dt.date.today()), media_type=FORMATS["markdown"])

    web.mount(app, referentiel)  # the HTML pages, outside /api
    return app


def app_from_environment() -> FastAPI:
    """For uvicorn's workers (`acv serve --workers N`): settings from the environment."""
    import os

    from instruct.referentiel import load_referentiel

    folder = os.environ.get("ACV_REFERENTIEL")
    return create_app(referentiel=load_referentiel(folder) if folder else None)


# --- the calls behind the endpoints (and the web pages) -----------------------------------------

def new_dossier(session: Session, user: User, files: dict[str, bytes], as_of: dt.date, catalogue: Catalogue,
                referentiel: Referentiel | None) -> Dossier:
    """A town's new dossier (brouillon) with its first version and report; not committed."""
    if user.role != "collectivite":
        raise HTTPException(403, "seule une collectivité dépose un dossier")
    record = Dossier(commune_insee=user.commune_insee, commune_nom="", departement=departement(user.commune_insee),
                     region=region(user.commune_insee), owner_id=user.id)
    _store_version(session, record, user, files, as_of, catalogue, referentiel)
    session.flush()
    session.add(Event(dossier_id=record.id, user_id=user.id, from_state=None, to_state="brouillon", reason="création", version_number=1))
    return record


def new_version(session: Session, record: Dossier, user: User, files: dict[str, bytes], as_of: dt.date, catalogue: Catalogue,
                referentiel: Referentiel | None) -> Version:
    """The town's next version of a dossier it may still change; not committed."""
    if user.role != "collectivite":
        raise HTTPException(403, "seule la collectivité ajoute une version")
    if record.state not in workflow.EDITABLE:
        raise HTTPException(409, f"dossier {workflow.LABELS[record.state]} : une nouvelle version n'est possible qu'en brouillon ou à compléter")
    version = _store_version(session, record, user, files, as_of, catalogue, referentiel)
    record.updated_at = now()
    return version


def _store_version(session: Session, dossier: Dossier, user: User, files: dict[str, bytes], as_of: dt.date, catalogue: Catalogue,
                   referentiel: Referentiel | None) -> Version:
    report = evaluate(files, as_of, catalogue, referentiel)
    if report.insee != dossier.commune_insee:
        raise HTTPException(422, f"le dossier concerne la commune {report.commune} (INSEE {report.insee or 'non renseigné'}) ; "
                                 f"ce compte dépose pour la commune INSEE {dossier.commune_insee}")
    stored = _stored(report, catalogue)  # rendered before the first write: on SQLite the write lock is held from there to the commit
    dossier.commune_nom = dossier.commune_nom or report.commune
    version = Version(dossier=dossier, number=len(dossier.versions) + 1, created_by=user.id, content_hash=uploads.content_hash(files))
    session.add(version)
    for name, data in files.items():
        version.files.append(_file(session, version, name, data))
    version.reports.append(stored)
    return version


def _loaded(files: dict[str, bytes]):
    with tempfile.TemporaryDirectory(prefix="acv-") as folder:
        return load(uploads.write_folder(files, Path(folder)))


def evaluate(files: dict[str, bytes], as_of: dt.date, catalogue: Catalogue, referentiel: Referentiel | None) -> Report:
    """The CLI's path: the files as a folder -> load (pieces read) -> check."""
    with tempfile.TemporaryDirectory(prefix="acv-") as folder:
        try:
            loaded = load(uploads.write_folder(files, Path(folder)))
        except InputError as exc:  # name the file as sent, not where it was unpacked
            exc.source = exc.source.replace(folder, "envoi")
            raise
        return check_dossier(loaded.dossier, catalogue, as_of, referentiel=referentiel, documents=loaded.documents,
                             source=loaded.source.replace(folder, "envoi"))


def render(report: Report, chosen: str) -> bytes:
    from instruct import report_docx, report_html, report_text

    if chosen == "docx":
        return report_docx.render(report)
    if chosen == "html":
        return report_html.render(report).encode()
    if chosen == "markdown":
        return report_text.render_markdown(report).encode()
    if chosen == "text":
        return report_text.render_text(report).encode()
    return report_json.render(report).encode()


def _from_accept(accept: str) -> str:
    for media in (part.split(";")[0].strip() for part in accept.split(",")):
        for name, full in FORMATS.items():
            if media == full.split(";")[0]:
                return name
    return "json"


def _file(session: Session, version: Version, name: str, data: bytes):
    from instruct.storage import VersionFile

    return VersionFile(path=name, sha256=put_blob(session, data))


def _stored(report: Report, catalogue: Catalogue) -> StoredReport:
    bloquants = sum(1 for f in report.findings if f.severity == "bloquant" and f.status in {"non_conforme", "incomplet"})
    return StoredReport(evaluated_on=report.evaluated_on, rules_hash=catalogue.digest, recevable=report.recevable,
                        bloquants=bloquants, summary={code: r.verdict for code, r in report.rulesets.items()},
                        report_json=report_json.render(report))


def _version(record: Dossier, numero: int) -> Version:
    for version in record.versions:
        if version.number == numero:
            return version
    raise HTTPException(404, f"version {numero} introuvable")


def _codes(catalogue: Catalogue, partenaire: str) -> set[str]:
    try:
        return {rs.code for rs in catalogue.select([partenaire])}
    except InputError:
        raise HTTPException(422, f"partenaire inconnu : {partenaire}") from None


def summaries(session: Session, query) -> list[dict[str, Any]]:
    """summary() of each dossier a `select(Dossier)…` finds (its filters, order and page kept), in one
    query of plain columns: building the dossiers, versions and reports as objects was most of a list's cost."""
    v, r = aliased(Version), aliased(StoredReport)
    latest_version = select(v.id).where(v.dossier_id == Dossier.id).order_by(v.number.desc()).limit(1)
    latest_report = select(r.id).where(r.version_id == Version.id).order_by(r.id.desc()).limit(1)
    rows = session.execute(
        query.with_only_columns(Dossier.id, Dossier.commune_nom, Dossier.commune_insee, Dossier.departement, Dossier.region,
                                Dossier.state, Dossier.updated_at, Version.number, StoredReport.recevable,
                                StoredReport.bloquants, StoredReport.summary)
        .select_from(Dossier)
        .outerjoin(Version, Version.id == latest_version.correlate(Dossier).scalar_subquery())
        .outerjoin(StoredReport, StoredReport.id == latest_report.correlate(Version).scalar_subquery()))
    return [{"id": row.id, "commune": row.commune_nom, "insee": row.commune_insee, "departement": row.departement,
             "region": row.region, "etat": row.state, "version": row.number or 0, "recevable": row.recevable,
             "bloquants": row.bloquants, "verdicts": row.summary or {}, "mis_a_jour": _iso(row.updated_at)}
            for row in rows]


def summary(record: Dossier) -> dict[str, Any]:
    latest = record.versions[-1].reports[-1] if record.versions and record.versions[-1].reports else None
    return {"id": record.id, "commune": record.commune_nom, "insee": record.commune_insee, "departement": record.departement,
            "region": record.region, "etat": record.state, "version": record.versions[-1].number if record.versions else 0,
            "recevable": latest.recevable if latest else None, "bloquants": latest.bloquants if latest else None,
            "verdicts": latest.summary if latest else {}, "mis_a_jour": _iso(record.updated_at)}


def _iso(moment: dt.datetime) -> str:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)).isoformat()


def _gaps(report: dict) -> dict[tuple, dict]:
    return {(f["rule"], f["check"] or "", f["entity"]["type"], f["entity"]["id"]):
            {"regle": f["rule"], "controle": f["check"], "entite": f["entity"]["label"], "statut": f["status"], "message": f["message"]}
            for f in report["findings"] if f["status"] in GAPS}
