"""What the API and the pages both do with dossiers: store a town's submission (a new
dossier or version, evaluated on the CLI's path), render a report in a format, list and
summarise dossiers. HTTP errors are raised here so both shells answer alike."""

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from instruct.documents.load import load
from instruct.engine.check import check_dossier
from instruct.errors import InputError
from instruct.model.report import GAPS, Report
from instruct.referentiel.registry import Referentiel
from instruct.referentiel.territoires import departement, region
from instruct.reports import formats
from instruct.reports import json as report_json
from instruct.reports.formats import ReportFormat
from instruct.rules.catalogue import Catalogue
from instruct.service import uploads, workflow
from instruct.service.storage import (
    Dossier,
    Event,
    StoredReport,
    User,
    Version,
    now,
    put_blob,
)

SESSION_COOKIE = "acv_session"


def new_dossier(
    session: Session,
    user: User,
    files: dict[str, bytes],
    as_of: dt.date,
    catalogue: Catalogue,
    referentiel: Referentiel | None,
) -> Dossier:
    """A town's new dossier (brouillon) with its first version and report; not committed."""
    if user.role != "collectivite":
        raise HTTPException(403, "seule une collectivité dépose un dossier")
    record = Dossier(
        commune_insee=user.commune_insee,
        commune_nom="",
        departement=departement(user.commune_insee),
        region=region(user.commune_insee),
        owner_id=user.id,
    )
    _store_version(session, record, user, files, as_of, catalogue, referentiel)
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
    catalogue: Catalogue,
    referentiel: Referentiel | None,
) -> Version:
    """The town's next version of a dossier it may still change; not committed."""
    if user.role != "collectivite":
        raise HTTPException(403, "seule la collectivité ajoute une version")
    if record.state not in workflow.EDITABLE:
        raise HTTPException(
            409,
            f"dossier {workflow.LABELS[record.state]} : "
            "une nouvelle version n'est possible qu'en brouillon ou à compléter",
        )
    version = _store_version(session, record, user, files, as_of, catalogue, referentiel)
    record.updated_at = now()
    return version


def _store_version(
    session: Session,
    dossier: Dossier,
    user: User,
    files: dict[str, bytes],
    as_of: dt.date,
    catalogue: Catalogue,
    referentiel: Referentiel | None,
) -> Version:
    report = evaluate(files, as_of, catalogue, referentiel)
    if report.insee != dossier.commune_insee:
        raise HTTPException(
            422,
            f"le dossier concerne la commune {report.commune} (INSEE {report.insee or 'non renseigné'}) ; "
            f"ce compte dépose pour la commune INSEE {dossier.commune_insee}",
        )
    stored = _stored(
        report, catalogue
    )  # rendered before the first write: on SQLite the write lock is held from there to the commit
    dossier.commune_nom = dossier.commune_nom or report.commune
    version = Version(
        dossier=dossier, number=len(dossier.versions) + 1, created_by=user.id, content_hash=uploads.content_hash(files)
    )
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
        return check_dossier(
            loaded.dossier,
            catalogue,
            as_of,
            referentiel=referentiel,
            documents=loaded.documents,
            source=loaded.source.replace(folder, "envoi"),
        )


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


def _stored(report: Report, catalogue: Catalogue) -> StoredReport:
    bloquants = sum(
        1 for f in report.findings if f.severity == "bloquant" and f.status in {"non_conforme", "incomplet"}
    )
    return StoredReport(
        evaluated_on=report.evaluated_on,
        rules_hash=catalogue.digest,
        recevable=report.recevable,
        bloquants=bloquants,
        summary={code: r.verdict for code, r in report.rulesets.items()},
        report_json=report_json.render(report),
    )


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
            "mis_a_jour": _iso(row.updated_at),
        }
        for row in rows
    ]


def summary(record: Dossier) -> dict[str, Any]:
    latest = record.versions[-1].reports[-1] if record.versions and record.versions[-1].reports else None
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
        "mis_a_jour": _iso(record.updated_at),
    }


def _iso(moment: dt.datetime) -> str:
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
