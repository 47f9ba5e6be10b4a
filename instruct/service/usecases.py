"""What the API and the pages both do, written once: who may see a dossier (its notes: annotations.py), the
lists and their filters, a town's submission (a new dossier or version, evaluated on the CLI's
path), reports in a format, comparisons, logging in and out.
HTTP errors are raised here so both shells answer alike; nothing here commits."""

import datetime as dt
import json
from typing import Any

from fastapi import HTTPException
from fastapi.responses import Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from instruct.documents.load import load
from instruct.errors import InputError
from instruct.model.report import GAPS, Report
from instruct.referentiel.territoires import departement, region
from instruct.reports import formats
from instruct.reports.formats import ReportFormat
from instruct.rules.catalogue import Catalogue
from instruct.service import accounts, report_index, scratch, uploads, workflow
from instruct.service.evaluator import Evaluated, EvaluationFailed, Evaluators
from instruct.service.storage import (
    Busy,
    Dossier,
    Event,
    StoredReport,
    User,
    Version,
    lock,
    put_blob,
)

SESSION_COOKIE = "acv_session"


# --- who sees what ------------------------------------------------------------------------------


def find_visible(session: Session, user: User, dossier_id: str) -> Dossier | None:
    """The dossier if `user` may see it. None alike for one that does not exist and one that is not
    theirs: both shells answer the same 404, so an identifier cannot be probed."""
    dossier = (
        session.get(Dossier, dossier_id)
        if dossier_id.isascii() and dossier_id.isalnum() and len(dossier_id) <= 24
        else None
    )
    return dossier if dossier is not None and accounts.can_see(user, dossier) else None


def visible_or_404(session: Session, user: User, dossier_id: str) -> Dossier:
    """find_visible(), or the API's 404."""
    dossier = find_visible(session, user, dossier_id)
    if dossier is None:
        raise HTTPException(404, "dossier introuvable")
    return dossier


def journal(session: Session, dossier: Dossier) -> list[Event]:
    """The dossier's transitions, oldest first (everyone who sees the dossier reads them)."""
    query = select(Event).where(Event.dossier_id == dossier.id).order_by(Event.id)
    return list(session.scalars(query.options(selectinload(Event.lettre))))  # each row links its letter


# --- lists --------------------------------------------------------------------------------------


def dossiers_query(user: User, *, etat: str = "", territoire: str = "") -> Select:
    """The dossiers `user` may see, in state `etat` and in `territoire` (dep:01, reg:84) when given."""
    query = select(Dossier).where(accounts.visible_filter(user))
    if etat:
        query = query.where(Dossier.state == etat)
    if territoire:
        kind, _, code = territoire.partition(":")
        query = query.where(Dossier.departement == code if kind == "dep" else Dossier.region == code)
    return query


def count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery()))


def listed(
    session: Session, query: Select, limit: int, offset: int = 0, codes: set[str] | None = None
) -> list[dict[str, Any]]:
    """A page of the query's summaries, most recently changed first; with `codes`, only the verdicts of
    those rule sets (a partner's)."""
    rows = summaries(session, query.order_by(Dossier.updated_at.desc(), Dossier.id).limit(limit).offset(offset))
    if codes is not None:
        for row in rows:
            row["verdicts"] = {k: v for k, v in row["verdicts"].items() if k in codes}
    return rows


def partner_codes(catalogue: Catalogue, partenaire: str) -> set[str]:
    """The codes of a partner's rule sets (the cross-partner ones included)."""
    try:
        return {rs.code for rs in catalogue.select([partenaire])}
    except InputError:
        raise HTTPException(422, f"partenaire inconnu : {partenaire}") from None


# --- submissions --------------------------------------------------------------------------------


def may_submit(user: User) -> bool:
    """Only a town submits dossiers and their versions (for its own commune)."""
    return user.role == "collectivite"


def may_add_version(user: User, record: Dossier) -> bool:
    return may_submit(user) and record.state in workflow.EDITABLE


def new_dossier(
    session: Session,
    user: User,
    files: dict[str, bytes],
    as_of: dt.date,
    evaluators: Evaluators,
) -> Dossier:
    """A town's new dossier (brouillon) with its first version and report; not committed."""
    if not may_submit(user):
        raise HTTPException(403, "seule une collectivité dépose un dossier")
    record = Dossier(
        commune_insee=user.commune_insee,
        commune_nom="",
        departement=departement(user.commune_insee),
        region=region(user.commune_insee),
        owner_id=user.id,
    )
    evaluated = _evaluated(record, files, as_of, evaluators)
    _store_version(session, record, user, files, evaluated, evaluators.catalogue.digest)
    session.flush()
    session.add(
        Event(
            dossier_id=record.id,
            user_id=user.id,
            from_state=None,
            to_state="brouillon",
            reason="création",
            version_number=1,
        )
    )
    return record


def new_version(
    session: Session,
    record: Dossier,
    user: User,
    files: dict[str, bytes],
    as_of: dt.date,
    evaluators: Evaluators,
) -> Version:
    """The town's next version of a dossier it may still change; not committed. Evaluated first, then numbered
    and stored with the dossier locked (storage.lock): simultaneous versions get consecutive numbers, and none is
    added to a dossier deposited in the meantime."""
    if not may_submit(user):
        raise HTTPException(403, "seule la collectivité ajoute une version")
    _still_editable(record)
    evaluated = _evaluated(record, files, as_of, evaluators)
    try:
        lock(session, record)
    except Busy as busy:
        raise HTTPException(409, str(busy)) from None
    _still_editable(record)
    return _store_version(session, record, user, files, evaluated, evaluators.catalogue.digest)


def _still_editable(record: Dossier) -> None:
    if record.state not in workflow.EDITABLE:
        raise HTTPException(
            409,
            f"dossier {workflow.LABELS[record.state]} : "
            "une nouvelle version n'est possible qu'en brouillon ou à compléter",
        )


def _evaluated(dossier: Dossier, files: dict[str, bytes], as_of: dt.date, evaluators: Evaluators) -> Evaluated:
    """The files' report, rendered before the first write: on SQLite the write lock is held from there to the
    commit, and a dossier's lock (storage.lock) should not wait for an evaluation."""
    try:
        report = evaluators.evaluate_stored(files, as_of)  # rendered and counted in the worker
    except EvaluationFailed as exc:
        raise HTTPException(500, f"{exc} ; réessayez") from None
    if report.insee != dossier.commune_insee:
        raise HTTPException(
            422,
            f"le dossier concerne la commune {report.commune} (INSEE {report.insee or 'non renseigné'}) ; "
            f"ce compte dépose pour la commune INSEE {dossier.commune_insee}",
        )
    dossier.commune_nom = dossier.commune_nom or report.commune
    return report


def _store_version(
    session: Session, dossier: Dossier, user: User, files: dict[str, bytes], evaluated: Evaluated, rules_hash: str
) -> Version:
    """The next version, numbered after the latest one (the caller holds the dossier, or has just created it)."""
    number = dossier.versions[-1].number + 1 if dossier.versions else 1
    version = Version(dossier=dossier, number=number, created_by=user.id, content_hash=uploads.content_hash(files))
    session.add(version)
    for name, data in files.items():
        version.files.append(_file(session, version, name, data))
    stored = StoredReport(
        evaluated_on=evaluated.evaluated_on,
        rules_hash=rules_hash,
        recevable=evaluated.recevable,
        bloquants=evaluated.bloquants,
        summary=evaluated.summary,
        report_json=evaluated.report_json,
    )
    version.reports.append(stored)
    report_index.index_report(session, stored, evaluated.gaps)  # its verdicts and gaps as rows, for the queue
    return version


def load_files(files: dict[str, bytes]):
    """Stored files loaded as the CLI loads a folder (the dossier, its pieces read)."""
    with scratch.scratch().folder() as folder:
        return load(uploads.write_folder(files, folder))


def evaluate(files: dict[str, bytes], as_of: dt.date, evaluators: Evaluators) -> Report:
    """The CLI's path (the files as a folder -> load, pieces read -> check), in one of the app's worker
    processes: a worker that dies fails this request alone, with a 500 in French."""
    try:
        return evaluators.evaluate(files, as_of)
    except EvaluationFailed as exc:
        raise HTTPException(500, f"{exc} ; réessayez") from None


def report_format(asked: str | None, accept: str) -> ReportFormat:
    """The format named by `?format=`, else the first of the `Accept` header's media types that a
    format has, else JSON; a name no format has is refused (406)."""
    chosen = formats.get(asked) if asked else formats.from_accept(accept) or formats.get("json")
    if chosen is None:
        raise HTTPException(406, f"format inconnu : {asked} ({', '.join(formats.names())})")
    return chosen


def _file(session: Session, version: Version, name: str, data: bytes):
    from instruct.service.storage import VersionFile

    return VersionFile(path=name, sha256=put_blob(session, data))


def summaries(session: Session, query) -> list[dict[str, Any]]:
    """summary() of each dossier a `select(Dossier)…` finds (its filters, order and page kept), in one
    query of plain columns: building the dossiers, versions and reports as objects was most of a list's cost."""
    v, r = aliased(Version), aliased(StoredReport)
    latest_version = select(v.id).where(v.dossier_id == Dossier.id).order_by(v.number.desc()).limit(1)
    latest_report = select(r.id).where(r.version_id == Version.id).order_by(r.id.desc()).limit(1)
    rows = session.execute(
        query.with_only_columns(
            Dossier.id,
            Dossier.commune_nom,
            Dossier.commune_insee,
            Dossier.departement,
            Dossier.region,
            Dossier.state,
            Dossier.updated_at,
            Version.number,
            StoredReport.recevable,
            StoredReport.bloquants,
            StoredReport.summary,
        )
        .select_from(Dossier)
        .outerjoin(Version, Version.id == latest_version.correlate(Dossier).scalar_subquery())
        .outerjoin(StoredReport, StoredReport.id == latest_report.correlate(Version).scalar_subquery())
    )
    return [
        {
            "id": row.id,
            "commune": row.commune_nom,
            "insee": row.commune_insee,
            "departement": row.departement,
            "region": row.region,
            "etat": row.state,
            "version": row.number or 0,
            "recevable": row.recevable,
            "bloquants": row.bloquants,
            "verdicts": row.summary or {},
            "mis_a_jour": iso(row.updated_at),
        }
        for row in rows
    ]


def summary(record: Dossier) -> dict[str, Any]:
    latest = latest_report(record)
    return {
        "id": record.id,
        "commune": record.commune_nom,
        "insee": record.commune_insee,
        "departement": record.departement,
        "region": record.region,
        "etat": record.state,
        "version": record.versions[-1].number if record.versions else 0,
        "recevable": latest.recevable if latest else None,
        "bloquants": latest.bloquants if latest else None,
        "verdicts": latest.summary if latest else {},
        "mis_a_jour": iso(record.updated_at),
    }


def iso(moment: dt.datetime) -> str:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()


def _gaps(report: dict) -> dict[tuple, dict]:
    return {
        (f["rule"], f["check"] or "", f["entity"]["type"], f["entity"]["id"]): {
            "regle": f["rule"],
            "controle": f["check"],
            "entite": f["entity"]["label"],
            "statut": f["status"],
            "message": f["message"],
        }
        for f in report["findings"]
        if f["status"] in GAPS
    }


# --- instruction --------------------------------------------------------------------------------


def latest_report(record: Dossier) -> StoredReport | None:
    return record.versions[-1].reports[-1] if record.versions and record.versions[-1].reports else None


def find_version(record: Dossier, number: int) -> Version | None:
    return next((v for v in record.versions if v.number == number), None)


def version_or_404(record: Dossier, number: int) -> Version:
    """find_version(), or the API's 404."""
    found = find_version(record, number)
    if found is None:
        raise HTTPException(404, f"version {number} introuvable")
    return found


def report_again(files: dict[str, bytes], stored: StoredReport, chosen: ReportFormat, evaluators: Evaluators) -> bytes:
    """A stored report in another format: the version's files evaluated again on the same date (only
    the JSON is stored)."""
    return chosen.render_bytes(evaluate(files, stored.evaluated_on, evaluators))


def comparison(record: Dossier, de: int, a: int) -> dict[str, Any]:
    """Which gaps closed and which opened between two versions."""
    before = _gaps(json.loads(version_or_404(record, de).reports[-1].report_json))
    after = _gaps(json.loads(version_or_404(record, a).reports[-1].report_json))
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


# --- sessions -----------------------------------------------------------------------------------


def set_session_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=secure,
        max_age=int(accounts.token_hours() * 3600),
    )
