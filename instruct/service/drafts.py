"""What the guided form does with a draft (brouillon), written once for its pages and the JSON API: who
sees which draft, starting one (empty, from pieces, from an imported dossier, from a dossier's latest
version), saving it (a conditional update on its revision: a save made on an older revision is refused and
nothing is lost), its pieces, its evaluation in the worker pool, what is left to provide, its export and its
deposit through the dossiers' own use cases. Nothing here commits."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from fastapi import HTTPException
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from instruct import form
from instruct.errors import InputError, Problem
from instruct.model.report import GAPS, SEVERITY_ORDER, Report
from instruct.service import instructions, uploads, usecases
from instruct.service.draft_storage import Brouillon, BrouillonPiece
from instruct.service.evaluator import EvaluationFailed, Evaluators
from instruct.service.storage import Blob, Dossier, User, Version, now, put_blob, version_files
from instruct.yamlio import parse

MAX_PIECE = 20 * 1024 * 1024  # bytes of one piece added to a draft (a larger one is refused beside its field)
MAX_PIECES = 30
MAX_RAW = 5_000_000  # characters of a draft's values (keys and values), far above a 200-fiche dossier
PIECE_SUFFIXES = (".pdf", ".docx")


class Stale(Exception):
    """The draft changed since the page was shown (another tab, another person of the town)."""

    def __init__(self) -> None:
        super().__init__(
            "ce brouillon a été modifié entre-temps (dans un autre onglet ou par une autre personne) : "
            "vos saisies sont conservées ci-dessous ; vérifiez-les puis enregistrez à nouveau"
        )


# --- who sees which draft -----------------------------------------------------------------------


def may_draft(user: User) -> bool:
    return user.role == "collectivite"


def of_town(session: Session, user: User) -> list[Brouillon]:
    """The drafts of the user's commune, most recently saved first (every account of the town shares them)."""
    if not may_draft(user):
        return []
    query = select(Brouillon).where(Brouillon.commune_insee == user.commune_insee)
    return list(session.scalars(query.order_by(Brouillon.updated_at.desc())))


def find(session: Session, user: User, draft_id: str) -> Brouillon | None:
    """The draft if `user` may see it; None alike for one that does not exist and one of another town."""
    if not (draft_id.isascii() and draft_id.isalnum() and len(draft_id) <= 24) or not may_draft(user):
        return None
    draft = session.get(Brouillon, draft_id)
    return draft if draft is not None and draft.commune_insee == user.commune_insee else None


# --- starting one -------------------------------------------------------------------------------


def create(
    session: Session,
    user: User,
    raw: dict[str, str] | None = None,
    provenance: dict | None = None,
    pieces: dict[str, bytes] | None = None,
    dossier: Dossier | None = None,
) -> Brouillon:
    if not may_draft(user):
        raise HTTPException(403, "seule une collectivité prépare un dossier")
    draft = Brouillon(
        owner_id=user.id,
        commune_insee=user.commune_insee,
        dossier_id=dossier.id if dossier is not None else None,
        raw=dict(raw or {}),
        provenance=dict(provenance or {}),
        confirmations=[],
        revision=1,
    )
    session.add(draft)
    for name, data in (pieces or {}).items():
        draft.pieces.append(BrouillonPiece(name=name, sha256=put_blob(session, data)))
    session.flush()
    return draft


def checked_pieces(named: list[tuple[str, bytes]], field_name: str = "pieces") -> dict[str, bytes]:
    """Pieces sent to a draft: PDF or DOCX, each at most MAX_PIECE; an InputError keyed by the field otherwise."""
    problems = []
    for name, data in named:
        if len(data) > MAX_PIECE:
            problems.append(f"« {name} » est trop volumineux : {len(data) // (1024 * 1024)} Mo, au plus 20 Mo")
        elif not name.lower().endswith(PIECE_SUFFIXES):
            problems.append(f"« {name} » n'est pas un PDF ni un DOCX")
    if len(named) > MAX_PIECES:
        problems.append(f"trop de pièces : au plus {MAX_PIECES}")
    if problems:
        raise InputError("envoi", [Problem(field_name, " ; ".join(problems))])
    files = uploads.from_parts(None, named) if named else {}
    return {name.removeprefix("pieces/"): data for name, data in files.items()}


def prefill(pieces: dict[str, bytes]) -> tuple[dict[str, str], dict[str, dict]]:
    """What the pieces say, as form values, and for each value its quote (file, where, text, confidence)."""
    loaded = usecases.load_files({f"pieces/{name}": data for name, data in pieces.items()})
    data = loaded.dossier.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    data.pop("id", None)  # the scratch folder's name: derived again from the commune
    raw = form.to_raw(data)
    provenance = {}
    for path, quote in (loaded.documents.provenance if loaded.documents else {}).items():
        provenance[field_name(path)] = {
            "fichier": quote.file,
            "ou": quote.where,
            "texte": quote.text[:400],
            "confiance": round(float(quote.confidence), 2),
        }
    return raw, provenance


def field_name(path: str) -> str:
    """`convention.avenants[0].date_signature` -> `convention.avenants.0.date_signature` (the form's names)."""
    return path.replace("[", ".").replace("]", "")


def imported(files: dict[str, bytes]) -> tuple[dict[str, str], dict[str, bytes]]:
    """An imported dossier (dossier.yaml/JSON and pieces, as uploads.from_uploads checked them) as form values."""
    name = next((n for n in uploads.DOSSIER_NAMES if n in files), None)
    pieces = {n.removeprefix("pieces/"): b for n, b in files.items() if n.startswith("pieces/")}
    if name is None:
        return {}, pieces
    data = parse(files[name].decode("utf-8", errors="replace"), name)
    if not isinstance(data, dict):
        raise InputError(name, [Problem("", "le dossier doit être un objet (clé: valeur) à la racine")])
    return form.to_raw(data), pieces


def from_version(session: Session, version: Version) -> tuple[dict[str, str], dict[str, bytes]]:
    """A stored version as form values and pieces: the start of a new version made with the form."""
    return imported(version_files(session, version))


# --- saving -------------------------------------------------------------------------------------


def save(
    session: Session,
    draft: Brouillon,
    revision: int,
    raw: dict[str, str] | None = None,
    confirmations: list[str] | None = None,
) -> int:
    """Store the values (and confirmations) if the draft is still at `revision`; the new revision, or Stale.
    The UPDATE carries the condition, so of two saves from the same revision the second is refused on both
    databases."""
    values: dict = {"revision": revision + 1, "updated_at": now()}
    if raw is not None and sum(len(k) + len(v) for k, v in raw.items()) > MAX_RAW:
        raise InputError(
            "formulaire",
            [Problem("", f"formulaire trop volumineux (au plus {MAX_RAW // 10**6} millions de caractères)")],
        )
    if raw is not None:
        values["raw"] = {str(k): str(v) for k, v in raw.items()}
    if confirmations is not None:
        values["confirmations"] = sorted(set(confirmations))
    done = session.execute(
        update(Brouillon).where(Brouillon.id == draft.id, Brouillon.revision == revision).values(**values),
        execution_options={"synchronize_session": False},
    )
    if done.rowcount != 1:
        raise Stale()
    session.expire(draft)
    return revision + 1


def add_pieces(session: Session, draft: Brouillon, revision: int, pieces: dict[str, bytes]) -> int:
    """Add (or replace, by name) pieces: a state change too, so conditional on the revision."""
    new = save(session, draft, revision)
    names = set(pieces)
    session.execute(
        delete(BrouillonPiece).where(BrouillonPiece.brouillon_id == draft.id, BrouillonPiece.name.in_(names))
    )
    for name, data in pieces.items():
        session.add(BrouillonPiece(brouillon_id=draft.id, name=name, sha256=put_blob(session, data)))
    session.flush()
    session.expire(draft)
    return new


def remove_piece(session: Session, draft: Brouillon, revision: int, name: str) -> int:
    new = save(session, draft, revision)
    session.execute(delete(BrouillonPiece).where(BrouillonPiece.brouillon_id == draft.id, BrouillonPiece.name == name))
    session.expire(draft)
    return new


def to_confirm(draft: Brouillon) -> dict[str, list[str]]:
    """The values read in the pieces not yet confirmed, by step: field names."""
    confirmed = set(draft.confirmations or [])
    found: dict[str, list[str]] = {}
    for name in draft.provenance or {}:
        if name not in confirmed and (slug := form.step_of(name)):
            found.setdefault(slug, []).append(name)
    return found


def pieces_of(session: Session, draft: Brouillon) -> dict[str, bytes]:
    shas = {p.sha256 for p in draft.pieces}
    blobs = {b.sha256: b.data for b in session.scalars(select(Blob).where(Blob.sha256.in_(shas)))} if shas else {}
    return {p.name: blobs[p.sha256] for p in draft.pieces}


def discard(session: Session, draft: Brouillon) -> None:
    session.delete(draft)


# --- evaluation and what is left to provide -----------------------------------------------------


@dataclass
class Gap:
    """One gap of the report as the form shows it: in French, with the field to go to."""

    severity: str
    status: str
    message: str
    remedy: str
    entity: str
    step: str | None
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label, anchor) of the evidence's fields


@dataclass
class Evaluation:
    report: Report | None
    errors: dict[str, str]  # field name -> French message (values that do not parse or validate)
    gaps: list[Gap]
    missing: list[tuple[str, str, str, str | None]]  # (severity, label, anchor, step) of « ce qu'il reste à fournir »
    failure: str = ""

    def of_step(self, slug: str) -> list[Gap]:
        return [g for g in self.gaps if g.step == slug]

    def count_by_step(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for g in self.gaps:
            if g.step:
                counts[g.step] = counts.get(g.step, 0) + 1
        return counts


def evaluate(session: Session, draft: Brouillon, evaluators: Evaluators, as_of: dt.date) -> Evaluation:
    """The draft as typed, the values that do not validate set aside (each with its French message), judged in a
    worker with its pieces; the gaps ordered by severity."""
    dossier, errors = form.validated(dict(draft.raw))
    data = dossier.model_dump(mode="json", exclude_none=True)
    shas = sorted((p.name, p.sha256) for p in draft.pieces)
    key = hashlib.sha256(json.dumps([data, shas, as_of.isoformat()], sort_keys=True).encode()).hexdigest()
    report = _REPORTS.get(key)  # a save that changed no valid value (a typo being typed, a step left as it was)
    if report is None:
        try:
            report = evaluators.evaluate_form(data, pieces_of(session, draft), as_of)
        except (EvaluationFailed, InputError) as exc:
            message = str(exc) if isinstance(exc, EvaluationFailed) else "; ".join(p.message for p in exc.problems)
            return Evaluation(None, errors, [], [], failure=message)
        _REPORTS[key] = report
        while len(_REPORTS) > 64:
            _REPORTS.pop(next(iter(_REPORTS)))
    return judged(report, errors)


_REPORTS: dict[str, Report] = {}  # the latest reports by what was judged (the dossier, the pieces, the date)


def judged(report: Report, errors: dict[str, str]) -> Evaluation:
    gaps, missing, seen = [], [], set()
    findings = sorted(
        (f for f in report.findings if f.status in GAPS), key=lambda f: (SEVERITY_ORDER[f.severity], f.rule)
    )
    for f in findings:
        paths = [p.strip() for e in f.evidence for p in str(e.get("path") or "").split(",") if p.strip()]
        step = next((s for s in (form.step_of(p) for p in paths) if s), None) or form.step_of(f.entity.path or "")
        labels = list({label: (label, form.anchor_of(p)) for p in paths if (label := form.label_of(p))}.values())
        gaps.append(Gap(f.severity, f.status, f.message, f.remedy or "", f.entity.label, step, labels))
        if f.status != "incomplet":
            continue
        for e in f.evidence:
            if not e.get("missing"):
                continue
            for path in (p.strip() for p in str(e.get("path") or "").split(",") if p.strip()):
                label = form.label_of(path) or str(e.get("label") or "")  # the fact's own French label
                if label and label not in seen:
                    seen.add(label)
                    missing.append((f.severity, label, form.anchor_of(path), form.step_of(path)))
    return Evaluation(report, errors, gaps, missing)


# --- export and deposit -------------------------------------------------------------------------


def files_of(session: Session, draft: Brouillon) -> dict[str, bytes]:
    """The draft as the folder `acv check` reads: dossier.yaml (what validates) and its pieces."""
    dossier, _ = form.validated(dict(draft.raw))
    files = {"dossier.yaml": form.dump_yaml(dossier).encode("utf-8")}
    files.update({f"pieces/{name}": data for name, data in pieces_of(session, draft).items()})
    return files


def zipped(files: dict[str, bytes], folder: str = "dossier") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(f"{folder}/{name}", files[name])
    return out.getvalue()


def deposit(
    session: Session, draft: Brouillon, user: User, evaluators: Evaluators, as_of: dt.date, confirmed: bool
) -> Dossier:
    """The draft becomes a version (a new dossier, or the next version of its dossier) through the dossiers' use
    cases, then is deposited (the confirmation of blocking gaps as on the dossier's page); the draft is removed.
    Raises HTTPException or workflow.Refused; the caller rolls back."""
    files = files_of(session, draft)
    if draft.dossier_id:
        record = usecases.visible_or_404(session, user, draft.dossier_id)
        usecases.new_version(session, record, user, files, as_of, evaluators)
    else:
        record = usecases.new_dossier(session, user, files, as_of, evaluators)
    session.flush()
    instructions.town_move(session, record, user, "depose", "", confirmed, evaluators.catalogue)
    session.delete(draft)
    return record


def revision_of(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1
