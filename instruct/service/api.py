"""The JSON API under /api: the same calls as the CLI, behind accounts. Each route reads its
request, calls the use cases (usecases.py, shared with the pages) and shapes the JSON.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)

Every dossier read goes through `usecases.visible_or_404` (404 when the user may not see it,
whether it exists or not); every change is one transaction: a submission is stored whole or not
at all.

Authentication: `Authorization: Bearer <jeton>`, or the pages' session cookie; a change (POST,
DELETE…) made on the cookie alone also carries `X-CSRF-Token` (the `csrf` of the login's answer and
of /api/moi), else 403. The login (`logins.log_in`) is throttled: 429 with Retry-After.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from instruct.model.fields import Ligne, Paragraphe, read_point, read_surface
from instruct.referentiel.registry import Referentiel
from instruct.reports import formats
from instruct.rules.catalogue import Catalogue
from instruct.service import (
    accounts,
    annotations,
    immeubles,
    instruction_views,
    instructions,
    logins,
    uploads,
    usecases,
)
from instruct.service.evaluator import Evaluators
from instruct.service.storage import User, version_files
from instruct.vocabulary import canonical_partner

router = APIRouter(prefix="/api")


class Transition(BaseModel):
    vers: Ligne = Field(
        max_length=40,
        description="état d'arrivée : la collectivité depose ou retire son dossier ; un instructeur mène la piste de "
        "son partenaire : en_instruction, a_completer, accepte, refuse, sans_suite (en_instruction depuis une "
        "décision : la repasser en instruction)",
    )
    motif: Paragraphe = ""
    confirme: bool = Field(False, description="déposer malgré des écarts bloquants, en connaissance de cause")
    ecarts: list[Ligne] = Field(
        [], max_length=500, description="« à compléter » : les écarts du dernier rapport à compléter (leurs id)"
    )
    regles: list[Ligne] = Field([], max_length=50, description="les règles sur lesquelles la décision repose (AL-O-10)")
    partenaire: Ligne | None = Field(
        None, max_length=40, description="la piste (action-logement, anah, anru, ddt) : obligatoire pour un admin"
    )
    revision: int | None = Field(
        None, ge=0, le=2**31 - 1, description="la révision de la piste lue : refusé (409) si elle a changé"
    )


class DecisionImmeubleBody(BaseModel):
    immeuble: Ligne = Field(max_length=100, description="l'identifiant de l'immeuble dans le rapport (IMM-01)")
    decision: Ligne = Field(max_length=20, description="accepte, refuse ou ajourne")
    motif: Paragraphe = Field("", description="obligatoire pour refuse et ajourne")
    regles: list[Ligne] = Field([], max_length=50, description="les règles citées (au moins une pour refuse)")


class DecisionsImmeubles(BaseModel):
    decisions: list[DecisionImmeubleBody] = Field(min_length=1, max_length=500)
    revision: int | None = Field(
        None, ge=0, le=2**31 - 1, description="la révision de la piste lue : refusé (409) si elle a changé"
    )


class NewNote(BaseModel):
    texte: Paragraphe = Field(min_length=1, max_length=20000)
    privee: bool = True


class Login(BaseModel):
    identifiant: Ligne = Field(max_length=200)
    mot_de_passe: str = Field(max_length=1000)


# --- what every route may ask for -----------------------------------------------------------------


def db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:] if header.lower().startswith("bearer ") else None


def _token(request: Request) -> str | None:
    """A bearer token, or else the pages' session cookie."""
    return _bearer(request) or request.cookies.get(usecases.SESSION_COOKIE)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def current_user(request: Request, session: Annotated[Session, Depends(db)]) -> User:
    """The account behind the bearer token, or else the session cookie; a change made on the
    cookie's strength also carries the X-CSRF-Token header (`csrf` in /api/moi and at login)."""
    user = accounts.user_of(session, _token(request))
    if user is None:
        raise HTTPException(
            401, "authentification requise (session absente ou expirée)", headers={"WWW-Authenticate": "Bearer"}
        )
    cookie = request.cookies.get(usecases.SESSION_COOKIE)
    by_cookie = _bearer(request) is None
    if (
        by_cookie
        and request.method not in SAFE_METHODS
        and not accounts.csrf_ok(cookie, request.headers.get("x-csrf-token"))
    ):
        raise HTTPException(
            403,
            "jeton CSRF absent ou invalide : une modification authentifiée par le cookie de session porte "
            "l'en-tête X-CSRF-Token (valeur « csrf » de /api/moi), ou utilisez l'en-tête Authorization: Bearer",
        )
    return user


def catalogue_of(request: Request) -> Catalogue:
    return request.app.state.catalogue


def referentiel_of(request: Request) -> Referentiel | None:
    return request.app.state.referentiel


Db = Annotated[Session, Depends(db)]
Me = Annotated[User, Depends(current_user)]


def evaluators_of(request: Request) -> Evaluators:
    return request.app.state.evaluators


Rules = Annotated[Catalogue, Depends(catalogue_of)]
Filtre = Annotated[Ligne | None, Query(max_length=100)]
DECALAGE_MAX = 10_000_000  # far beyond any list, well within a 64-bit OFFSET
Pool = Annotated[Evaluators, Depends(evaluators_of)]
Registry = Annotated[Referentiel | None, Depends(referentiel_of)]


# --- sessions ------------------------------------------------------------------------------------


@router.post("/session", tags=["comptes"], summary="Ouvrir une session (jeton)")
async def login(body: Login, request: Request) -> JSONResponse:
    """A session: the bearer token (`jeton`), also set as the pages' cookie; `csrf` is the header
    X-CSRF-Token a change sent with the cookie alone carries. Too many failures: 429 with Retry-After."""
    try:
        opened = await logins.log_in(
            request.app.state.sessions, body.identifiant, body.mot_de_passe, logins.client_address(request)
        )
    except (logins.Throttled, logins.Busy) as exc:
        raise HTTPException(
            429 if isinstance(exc, logins.Throttled) else 503, exc.message, headers={"Retry-After": str(exc.seconds)}
        ) from None
    except logins.Disabled as exc:
        raise HTTPException(403, exc.message) from None
    if opened is None:
        raise HTTPException(401, "identifiant ou mot de passe incorrect")
    response = JSONResponse(
        {
            "jeton": opened.token,
            "expire": opened.expires.isoformat(),
            "role": opened.role,
            "csrf": accounts.csrf_token(opened.token),
        }
    )
    usecases.set_session_cookie(response, opened.token, secure=request.url.scheme == "https")
    return response


@router.delete("/session", tags=["comptes"], summary="Fermer la session", status_code=204)
def logout(request: Request, session: Db, me: Me) -> Response:
    accounts.close_session(session, _token(request) or "")
    session.commit()
    response = Response(status_code=204)
    response.delete_cookie(usecases.SESSION_COOKIE)
    return response


@router.get("/moi", tags=["comptes"], summary="Le compte connecté")
def whoami(me: Me, request: Request) -> dict:
    return {
        "csrf": accounts.csrf_token(_token(request) or ""),
        "identifiant": me.login,
        "role": me.role,
        "commune_insee": me.commune_insee,
        "partenaire": me.partenaire,
        "territoire": me.territoire,
    }


# --- dossiers ------------------------------------------------------------------------------------


@router.post("/dossiers", tags=["dossiers"], summary="Envoyer un nouveau dossier (évalué à l'envoi)", status_code=201)
def submit(
    session: Db,
    me: Me,
    evaluators: Pool,
    archive: UploadFile | None = File(None, description="le dossier en ZIP"),
    dossier: UploadFile | None = File(None, description="dossier.yaml"),
    pieces: list[UploadFile] = File([]),
    date: dt.date | None = Form(None),
) -> dict:
    """A town submits a new dossier (state brouillon): a ZIP of its folder, or dossier.yaml and its pieces."""
    files = uploads.from_uploads(archive, dossier, pieces)
    record = usecases.new_dossier(session, me, files, date or dt.date.today(), evaluators)
    session.commit()
    return usecases.summary(record)


@router.post(
    "/dossiers/{dossier_id}/versions",
    tags=["dossiers"],
    summary="Envoyer une nouvelle version d'un dossier",
    status_code=201,
)
def add_version(
    dossier_id: str,
    session: Db,
    me: Me,
    evaluators: Pool,
    archive: UploadFile | None = File(None),
    dossier: UploadFile | None = File(None),
    pieces: list[UploadFile] = File([]),
    date: dt.date | None = Form(None),
) -> dict:
    record = usecases.visible_or_404(session, me, dossier_id)
    files = uploads.from_uploads(archive, dossier, pieces)
    usecases.new_version(session, record, me, files, date or dt.date.today(), evaluators)
    session.commit()
    return usecases.summary(record)


@router.get("/dossiers", tags=["dossiers"], summary="Lister les dossiers visibles")
def list_dossiers(
    session: Db,
    me: Me,
    catalogue: Rules,
    response: Response,
    etat: Filtre = None,
    partenaire: Filtre = None,
    territoire: Filtre = None,
    limite: int = Query(100, ge=1, le=1000),
    decalage: int = Query(0, ge=0, le=DECALAGE_MAX),
) -> list[dict]:
    """The dossiers this account may see, most recent first, a page at a time (`limite`, `decalage`;
    the total is in the X-Total-Count header); filters: état, a partner's rule sets (their verdicts
    shown), territoire (dep:01, reg:84)."""
    codes = usecases.partner_codes(catalogue, partenaire) if partenaire else None
    query = usecases.dossiers_query(me, etat=etat or "", territoire=territoire or "")
    response.headers["X-Total-Count"] = str(usecases.count(session, query))
    return usecases.listed(session, query, limite, decalage, codes)


@router.get("/dossiers/{dossier_id}", tags=["dossiers"], summary="Un dossier : état, versions, journal")
def show(dossier_id: str, session: Db, me: Me) -> dict:
    record = usecases.visible_or_404(session, me, dossier_id)
    notes = annotations.notes_visible_to(session, me, record)
    return {
        **usecases.summary(record),
        "versions": [
            {
                "numero": v.number,
                "depose_le": usecases.iso(v.created_at),
                "empreinte": v.content_hash,
                "fichiers": [f.path for f in v.files],
            }
            for v in record.versions
        ],
        "journal": [instruction_views.event_json(e) for e in usecases.journal(session, record)],
        **instruction_views.as_json(session, record),
        "notes": [
            {
                "le": usecases.iso(n.at),
                "par": n.author.login,
                "privee": n.private,
                "partenaire": n.partenaire,
                "texte": n.text,
            }
            for n in notes
        ],
    }


@router.get(
    "/dossiers/{dossier_id}/versions/{numero}/rapport", tags=["rapports"], summary="Le rapport d'écarts d'une version"
)
def report(
    dossier_id: str,
    numero: int,
    request: Request,
    session: Db,
    me: Me,
    evaluators: Pool,
    format: str | None = Query(None, description=f"{', '.join(formats.names())} (sinon l'en-tête Accept)"),
) -> Response:
    record = usecases.visible_or_404(session, me, dossier_id)
    version = usecases.version_or_404(record, numero)
    chosen = usecases.report_format(format, request.headers.get("accept", ""))
    stored = version.reports[-1]
    if chosen.name == "json":
        return Response(stored.report_json, media_type=chosen.media_type)
    body = usecases.report_again(version_files(session, version), stored, chosen, evaluators)
    headers = (
        {"content-disposition": f'attachment; filename="rapport-{record.id}-v{numero}{chosen.extension}"'}
        if chosen.binary
        else {}
    )
    return Response(body, media_type=chosen.media_type, headers=headers)


@router.get("/dossiers/{dossier_id}/comparaison", tags=["rapports"], summary="Comparer deux versions d'un dossier")
def compare(dossier_id: str, session: Db, me: Me, de: int, a: int) -> dict:
    """Which gaps closed and which opened between two versions."""
    return usecases.comparison(usecases.visible_or_404(session, me, dossier_id), de, a)


@router.post(
    "/dossiers/{dossier_id}/transitions",
    tags=["instruction"],
    summary="Déposer ou retirer un dossier ; mener la piste d'instruction d'un partenaire",
)
def move(dossier_id: str, body: Transition, session: Db, me: Me, catalogue: Rules) -> dict:
    """A town deposits or withdraws its dossier; an instructeur moves their partner's track; an admin names the
    track (`partenaire`)."""
    record = usecases.visible_or_404(session, me, dossier_id)
    partenaire = canonical_partner(body.partenaire) if body.partenaire else None
    instructions.act(
        session,
        record,
        me,
        body.vers,
        body.motif,
        catalogue=catalogue,
        confirmed=body.confirme,
        gaps=body.ecarts,
        rule_ids=body.regles,
        partenaire=partenaire,
        revision=body.revision,
    )
    session.commit()
    return {**usecases.summary(record), **instruction_views.as_json(session, record)}


@router.post(
    "/dossiers/{dossier_id}/instructions/{partenaire}/immeubles",
    tags=["instruction"],
    summary="Action Logement : décider immeuble par immeuble",
)
def decide_immeubles(
    dossier_id: str, partenaire: str, body: DecisionsImmeubles, session: Db, me: Me, catalogue: Rules
) -> dict:
    record = usecases.visible_or_404(session, me, dossier_id)
    track = instructions.track_for(session, record, me, canonical_partner(partenaire))
    immeubles.decide_immeubles(
        session,
        record,
        track,
        me,
        [d.model_dump() for d in body.decisions],
        catalogue=catalogue,
        revision=body.revision,
    )
    session.commit()
    return {**usecases.summary(record), **instruction_views.as_json(session, record)}


@router.post(
    "/dossiers/{dossier_id}/notes", tags=["instruction"], summary="Ajouter une note au dossier", status_code=201
)
def add_note(dossier_id: str, body: NewNote, session: Db, me: Me) -> dict:
    record = usecases.visible_or_404(session, me, dossier_id)
    annotations.add_note(session, record, me, body.texte, body.privee)
    session.commit()
    return {"ok": True}


@router.get(
    "/dossiers/{dossier_id}/ort-commerce",
    tags=["ORT"],
    summary="Un projet de commerce dans l'ORT : autorisation d'exploitation commerciale",
)
def ort_commerce(
    dossier_id: str,
    session: Db,
    me: Me,
    catalogue: Rules,
    point: str,
    surface: str,
    alimentaire: bool = False,
    date: dt.date | None = None,
    artificialisation: bool | None = None,
) -> dict:
    """`acv ort commerce`: a commerce project at `point` (LON,LAT) of `surface` m² de vente;
    `artificialisation`: whether it causes artificialisation des sols (unknown: not concluded)."""
    from instruct.engine.ort_commerce import answer, point_warnings

    record = usecases.visible_or_404(session, me, dossier_id)
    try:
        lon, lat = read_point(point)
        area = read_surface(surface)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    loaded = usecases.load_files(version_files(session, record.versions[-1]))
    when = date or dt.date.today()
    found = answer(loaded.dossier, lon, lat, area, alimentaire, catalogue.parameters, when, artificialisation)
    warnings = [{"type": w.kind, "message": w.message} for w in point_warnings(loaded.dossier, lon, lat)]
    return {**found.as_dict(), "avertissements": warnings}


# --- the catalogue and the checklists (public) ---------------------------------------------------


@router.get("/regles", tags=["règles"], summary="Le catalogue des règles")
def rules(catalogue: Rules) -> list[dict]:
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


@router.get(
    "/checklists/{partenaire}", tags=["règles"], summary="La liste des pièces et données à fournir d'un partenaire"
)
def checklist(catalogue: Rules, partenaire: str, etape: str | None = None, format: str = "markdown") -> Response:
    from instruct.reports import checklist as lists

    partenaire = canonical_partner(partenaire)
    if partenaire not in lists.partners(catalogue):
        raise HTTPException(404, f"partenaire inconnu : {partenaire} ({', '.join(lists.partners(catalogue))})")
    if format == "docx":
        return Response(
            lists.render_docx(catalogue, partenaire, etape, dt.date.today()), media_type=formats.get("docx").media_type
        )
    return Response(
        lists.render_markdown(catalogue, partenaire, etape, dt.date.today()),
        media_type=formats.get("markdown").media_type,
    )
