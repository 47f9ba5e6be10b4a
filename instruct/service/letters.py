"""The letters of the instruction: every state change (a deposit, a mise en instruction, a request « à compléter »,
a track's decision, Action Logement's decisions per immeuble, a reprise en instruction, a withdrawal) produces its
letter, DOCX and PDF, stored in `lettres` (instruction_storage.Lettre) next to its Event.

`on_decision` is called by instructions.py and immeubles.py in the change's transaction, after its Event is flushed,
so that a letter exists if and only if the change does. The letter's facts are read once here (the event, the
dossier, the track, the rules cited with their titles and sources from the catalogue the app puts in
`session.info[CATALOGUE]`, else from the latest report), its text is letter_text's, its two renderings the A4
layer's (instruct.reports.a4_docx, a4_pdf). Who may read a letter: whoever sees the dossier's journal (the pages
and the API show every track's journal to everyone who sees the dossier)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from instruct.reports import a4, a4_docx, a4_pdf
from instruct.service import letter_text, usecases, workflow
from instruct.service.instruction_storage import DECISION_LABELS, DecisionImmeuble, Instruction, Lettre
from instruct.service.storage import Dossier, Event
from instruct.vocabulary import PARTENAIRE_LIBELLES, Partenaire

CATALOGUE = "acv.catalogue"  # session.info key: the rules' catalogue (app.py sets it on every session)
PARIS = ZoneInfo("Europe/Paris")
log = logging.getLogger(__name__)


def on_decision(session: Session, dossier: Dossier, track: Instruction | None, event: Event) -> Lettre:
    """The letter of `event` (a change of `track`; None: the dossier's own, a deposit or a withdrawal), written."""
    started = time.perf_counter()
    if event.id is None:
        session.flush()
    facts = facts_of(session, dossier, track, event)
    document = letter_text.build(facts, a4.logo_for(facts.partner_key))
    letter = Lettre(
        dossier_id=dossier.id,
        event_id=event.id,
        kind=facts.kind,
        file_name=letter_text.file_name(facts, event.id),
        docx=a4_docx.render(document),
        pdf=a4_pdf.render(document),
    )
    session.add(letter)
    session.flush()
    log.debug("lettre %s du dossier %s : %.0f ms", facts.kind, dossier.id, (time.perf_counter() - started) * 1000)
    return letter


# --- the facts --------------------------------------------------------------------------------------


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def immeuble_rows(session: Session, track: Instruction, event: Event) -> list[DecisionImmeuble]:
    """The decisions per immeuble `event` records: those written since the track's previous event (under the
    dossier's lock, the rows of one call are written after the previous call's event and before their own)."""
    previous = session.scalar(
        select(Event)
        .where(Event.dossier_id == event.dossier_id, Event.partenaire == track.partenaire, Event.id < event.id)
        .order_by(Event.id.desc())
        .limit(1)
    )
    rows = session.scalars(
        select(DecisionImmeuble).where(DecisionImmeuble.instruction_id == track.id).order_by(DecisionImmeuble.id)
    ).all()
    since = _aware(previous.at) if previous is not None else None
    return [r for r in rows if since is None or _aware(r.at) > since]


def kind_of(track: Instruction | None, event: Event, rows: list[DecisionImmeuble]) -> str:
    if track is None:
        return "retrait" if event.to_state == "retire" else "accuse_reception"
    if rows and (event.from_state == event.to_state or event.to_state in {"accepte", "refuse"}):
        return "decision_immeubles"
    if event.to_state == "a_completer":
        return "demande_complements"
    if event.to_state in workflow.DECIDED:
        return "decision"
    if event.to_state == "en_instruction" and event.from_state in workflow.DECIDED:
        return "reprise"
    return "mise_en_instruction"


def rules_cited(session: Session, dossier: Dossier, ids: list[str]) -> list[letter_text.RuleCited]:
    """Each rule id with its title and source: from the app's catalogue, else from the latest report's findings."""
    known: dict[str, tuple[str, str]] = {}
    catalogue = session.info.get(CATALOGUE)
    if catalogue is not None:
        known = {r.id: (r.title, str(r.source)) for rs in catalogue.rulesets.values() for r in rs.rules}
    if any(i not in known for i in ids):
        latest = usecases.latest_report(dossier)
        for finding in json.loads(latest.report_json).get("findings", []) if latest else []:
            known.setdefault(finding["rule"], (finding.get("title", ""), finding.get("source", "")))
    return [letter_text.RuleCited(i, *known.get(i, ("règle du catalogue", "catalogue des règles"))) for i in ids]


def partner_of(track: Instruction | None) -> tuple[str, str]:
    if track is None:
        return "acv", PARTENAIRE_LIBELLES[Partenaire.PROGRAMME]
    return track.partenaire, PARTENAIRE_LIBELLES[Partenaire(track.partenaire)]


def facts_of(session: Session, dossier: Dossier, track: Instruction | None, event: Event) -> letter_text.LetterFacts:
    rows = immeuble_rows(session, track, event) if track is not None and track.partenaire == "action-logement" else []
    kind = kind_of(track, event, rows)
    key, partner = partner_of(track)
    local = _aware(event.at or dt.datetime.now(dt.UTC)).astimezone(PARIS)
    ids = list(dict.fromkeys([*(event.regles or []), *(r for row in rows for r in row.regles or [])]))
    partners = []
    if kind == "accuse_reception":
        tracks = session.scalars(select(Instruction).where(Instruction.dossier_id == dossier.id)).all()
        partners = [partner_of(t)[1] for t in sorted(tracks, key=lambda t: t.partenaire)]
    return letter_text.LetterFacts(
        kind=kind,
        partner_key=key,
        partner=partner,
        dossier_id=dossier.id,
        commune=dossier.commune_nom,
        insee=dossier.commune_insee,
        version=event.version_number,
        day=local.date(),
        time=f"{local:%H:%M}",
        by=(event.user.nom or event.user.login) if event.user else "",
        from_label=workflow.LABELS.get(event.from_state or "", event.from_state or ""),
        to_label=workflow.LABELS.get(event.to_state, event.to_state),
        to_state=event.to_state,
        dossier_state=workflow.LABELS.get(dossier.state, dossier.state),
        reason="" if kind == "decision_immeubles" else event.reason or "",
        rules=rules_cited(session, dossier, ids),
        immeubles=[
            letter_text.ImmeubleDecision(r.libelle, DECISION_LABELS[r.decision], r.motif, tuple(r.regles or ()))
            for r in (rows if kind == "decision_immeubles" else [])
        ],
        partners=partners,
        redeposit=event.from_state == "a_completer",
    )


# --- reading them -----------------------------------------------------------------------------------


def letters_of(session: Session, dossier: Dossier) -> list[Lettre]:
    """The dossier's letters, oldest first (their bytes are loaded only when one is downloaded)."""
    return list(session.scalars(select(Lettre).where(Lettre.dossier_id == dossier.id).order_by(Lettre.id)))


def letter_of(session: Session, dossier: Dossier, letter_id: int) -> Lettre | None:
    """The letter if it is this dossier's; None otherwise (the caller answers the same 404)."""
    letter = session.get(Lettre, letter_id)
    return letter if letter is not None and letter.dossier_id == dossier.id else None
