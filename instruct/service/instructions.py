"""The instruction by partner, written once for the pages and the JSON API: a deposit opens one track (« piste
d'instruction ») per partner concerned, each track moves on its own (workflow.TRACK_TRANSITIONS), the town deposits,
redeposits and withdraws its dossier, and the dossier's state is derived from its tracks' (workflow.derived).

Every change of a track is taken under the dossier's lock (storage.lock: of simultaneous decisions, the second is
checked against the first one's result) and written as a conditional update on the track's revision (`UPDATE …
WHERE id = :id AND revision = :seen`, 409 in French when another change came first: a confirmation page's revision
seen is checked so). Each move writes its Event (the track's partner, the rule ids it rests on), its notifications
(outbox rows in the same transaction) and calls the letters' hook. Nothing here commits; errors are
workflow.Refused (403, 409, 422 in French), which both shells answer alike.

Partners concerned: the rule sets of the latest report with at least one point that applies (conforme or a gap),
mapped to their partner by the catalogue (`rulesets[code].partenaire`, then TRACK_OF_RULESET_PARTNER); without a
catalogue at hand, by the rule set's code (TRACK_OF_CODE, as migration 0008 does). The DDT always instructs."""

from __future__ import annotations

import json

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from instruct.model.report import GAPS
from instruct.rules.catalogue import Catalogue
from instruct.service import accounts, letters, messagerie, notifications, uploads, usecases, workflow
from instruct.service.instruction_storage import (
    TRACK_OF_RULESET_PARTNER,
    TRACK_PARTNERS,
    DecisionImmeuble,
    Instruction,
)
from instruct.service.storage import Busy, Dossier, Event, User, lock, now
from instruct.vocabulary import PARTENAIRE_LIBELLES, Partenaire

APPLIES = ("conforme", *GAPS)
TRACK_OF_CODE = {
    "PROG": "ddt",
    "ORT": "ddt",
    "X": "ddt",
    "AL-V": "action-logement",
    "AL-O": "action-logement",
    "ANAH": "anah",
    "ANRU": "anru",
}
MAX_GAPS = 500  # gaps named by one request


def label(partenaire: str) -> str:
    """« Action Logement », « DDT »…"""
    return PARTENAIRE_LIBELLES[Partenaire(partenaire)]


def report_of(record: Dossier) -> dict:
    latest = usecases.latest_report(record)
    return json.loads(latest.report_json) if latest is not None else {}


# --- tracks ---------------------------------------------------------------------------------------


def concerned(report: dict, catalogue: Catalogue | None = None) -> list[str]:
    """The partners whose rule sets apply to the report (at least one point conforme or a gap), the DDT always."""
    partners = {"ddt"}
    for code, result in report.get("rulesets", {}).items():
        if not any(result.get("counts", {}).get(status, 0) for status in APPLIES):
            continue
        ruleset = catalogue.rulesets.get(code) if catalogue is not None else None
        partner = TRACK_OF_RULESET_PARTNER.get(ruleset.partenaire) if ruleset else TRACK_OF_CODE.get(code)
        if partner:
            partners.add(partner)
    return sorted(partners, key=TRACK_PARTNERS.index)


def tracks_of(session: Session, record: Dossier) -> list[Instruction]:
    """The dossier's tracks, in the order of TRACK_PARTNERS."""
    found = session.scalars(select(Instruction).where(Instruction.dossier_id == record.id))
    return sorted(found, key=lambda t: TRACK_PARTNERS.index(t.partenaire))


def track_or_none(session: Session, record: Dossier, partenaire: str) -> Instruction | None:
    return session.scalar(
        select(Instruction).where(Instruction.dossier_id == record.id, Instruction.partenaire == partenaire)
    )


def open_tracks(
    session: Session, record: Dossier, report_json: str, catalogue: Catalogue | None = None
) -> list[Instruction]:
    """A track, state depose, for each partner concerned that has none yet (a redeposit may concern a new one)."""
    existing = {t.partenaire for t in tracks_of(session, record)}
    opened = [
        Instruction(dossier_id=record.id, partenaire=p, state="depose", revision=0, opened_at=now(), updated_at=now())
        for p in concerned(json.loads(report_json), catalogue)
        if p not in existing
    ]
    session.add_all(opened)
    session.flush()
    return opened


def may_instruct(user: User, track: Instruction, record: Dossier) -> bool:
    """An instructeur of the track's partner who sees the dossier, or an admin."""
    if user.role == "admin":
        return True
    return user.role == "instructeur" and user.partenaire == track.partenaire and accounts.can_see(user, record)


def track_for(session: Session, record: Dossier, user: User, partenaire: str | None) -> Instruction:
    """The track an account acts on: an instructeur's partner's (`partenaire`, when given, must be theirs), the one
    an admin names. Refused in French otherwise."""
    if user.role == "instructeur":
        if partenaire and partenaire != user.partenaire:
            raise workflow.Refused(403, f"la piste {label_or(partenaire)} est instruite par ses propres instructeurs")
        partenaire = user.partenaire
    elif user.role == "admin":
        if not partenaire:
            raise workflow.Refused(
                422, "nommez la piste d'instruction (partenaire : " + ", ".join(TRACK_PARTNERS) + ")"
            )
    else:
        raise workflow.Refused(403, "l'instruction est réservée aux instructeurs des partenaires")
    if partenaire not in TRACK_PARTNERS:
        raise workflow.Refused(422, f"partenaire inconnu : {uploads.shown(partenaire, 40)}")
    track = track_or_none(session, record, partenaire)
    if track is None:
        raise workflow.Refused(409, f"le dossier n'a pas de piste d'instruction {label(partenaire)}")
    return track


def label_or(partenaire: str) -> str:
    return label(partenaire) if partenaire in TRACK_PARTNERS else uploads.shown(partenaire, 40)


def locked(session: Session, record: Dossier) -> None:
    try:
        lock(session, record)
    except Busy as busy:
        raise workflow.Refused(409, str(busy)) from None


def set_state(session: Session, track: Instruction, to: str, seen: int) -> None:
    """The conditional update of a track: its state, its revision + 1; 409 when its revision is no longer `seen`."""
    moment = now()
    result = session.execute(
        update(Instruction)
        .where(Instruction.id == track.id, Instruction.revision == seen)
        .values(
            state=to,
            revision=Instruction.revision + 1,
            updated_at=moment,
            decided_at=moment if to in workflow.DECIDED else None,
        ),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise workflow.Refused(409, stale(track))
    session.refresh(track)


def stale(track: Instruction) -> str:
    return (
        f"la piste {label(track.partenaire)} a changé depuis que vous l'avez lue (une autre décision vient "
        "d'être prise) : relisez le dossier avant de décider"
    )


def rules_checked(rule_ids: list[str] | tuple[str, ...], catalogue: Catalogue) -> list[str]:
    """Rule ids as cited (« AL-O-10 »), without repeats; 422 in French for an id the catalogue does not have."""
    cited = list(dict.fromkeys(r.strip() for r in rule_ids if r.strip()))
    if len(cited) > workflow.MAX_RULES:
        raise workflow.Refused(422, f"trop de règles citées : {len(cited)} (au plus {workflow.MAX_RULES})")
    known = {rule.id for ruleset in catalogue.rulesets.values() for rule in ruleset.rules}
    unknown = [r for r in cited if r not in known]
    if unknown:
        raise workflow.Refused(
            422, f"règle inconnue : {uploads.shown(unknown[0], 40)} (citez l'identifiant d'une règle)"
        )
    return cited


def derive(session: Session, record: Dossier) -> None:
    record.state = workflow.derived(record.state, [t.state for t in tracks_of(session, record)])
    record.updated_at = now()


def event_of(record: Dossier, user: User, start: str | None, to: str, reason: str, track=None, rules=None) -> Event:
    return Event(
        dossier_id=record.id,
        user_id=user.id,
        from_state=start,
        to_state=to,
        reason=reason,
        version_number=record.versions[-1].number if record.versions else None,
        partenaire=track.partenaire if track is not None else None,
        regles=rules or None,
    )


# --- a track's moves ------------------------------------------------------------------------------


def track_move(
    session: Session,
    record: Dossier,
    track: Instruction,
    user: User,
    to: str,
    reason: str = "",
    rule_ids: list[str] | tuple[str, ...] = (),
    gaps: list[str] | tuple[str, ...] = (),
    *,
    catalogue: Catalogue,
    revision: int | None = None,
) -> Event:
    """Move `track` to `to` (not committed): checked under the dossier's lock against the track's state, and, when
    `revision` is given (a confirmation page's), against the revision its author saw."""
    if not may_instruct(user, track, record):
        raise workflow.Refused(403, f"la piste {label(track.partenaire)} est instruite par ses propres instructeurs")
    if to not in {end for _, end in workflow.TRACK_TRANSITIONS}:
        if to in {end for _, end in workflow.TOWN_TRANSITIONS}:
            raise workflow.Refused(403, f"passage à « {workflow.LABELS[to]} » réservé à la collectivité")
        raise workflow.Refused(409, f"état inconnu : {uploads.shown(to, 40)} ({', '.join(workflow.ACTIONS)})")
    gaps = list(dict.fromkeys(gaps))
    if gaps and to != "a_completer":
        raise workflow.Refused(422, "des écarts ne se citent qu'avec une demande de compléments (« à compléter »)")
    if len(gaps) > MAX_GAPS:
        raise workflow.Refused(422, f"trop d'écarts cités : {len(gaps)} (au plus {MAX_GAPS})")
    rules = rules_checked(rule_ids, catalogue)
    locked(session, record)
    session.refresh(track)
    seen = track.revision if revision is None else revision
    if seen != track.revision:
        raise workflow.Refused(409, stale(track))
    start = track.state
    if (start, to) not in workflow.TRACK_TRANSITIONS:
        raise workflow.Refused(409, f"piste {label(track.partenaire)} " + workflow.impossible(start, to))
    reopen = start in workflow.DECIDED and to == "en_instruction"
    named_as = "repasser en instruction" if reopen else workflow.LABELS[to]
    reason = workflow.reason_checked(reason, workflow.reason_required(start, to), named_as)
    if to in {"accepte", "refuse"} and track.partenaire == "action-logement" and immeubles_in(report_of(record)):
        raise workflow.Refused(
            409, "Action Logement décide immeuble par immeuble : décidez immeuble par immeuble (la piste suit)"
        )
    # The latest report cannot change meanwhile: a version is added only to a dossier à compléter or in brouillon.
    choices = {g["id"]: g for g in messagerie.gap_choices(record)} if to == "a_completer" else {}
    unknown = [g for g in gaps if g not in choices]
    if unknown:
        raise workflow.Refused(422, f"écart absent du dernier rapport : {uploads.shown(unknown[0], 80)}")
    named = [g for g in choices.values() if g["id"] in gaps]  # in the report's order
    if start in workflow.DECIDED:  # reopened: the decisions per immeuble become history
        for decision in session.scalars(
            select(DecisionImmeuble).where(DecisionImmeuble.instruction_id == track.id, DecisionImmeuble.current)
        ):
            decision.current = False
    set_state(session, track, to, seen)
    event = event_of(record, user, start, to, reason, track, rules)
    session.add(event)
    derive(session, record)
    if to == "a_completer":
        messagerie.request(session, record, user, reason, named)
    session.flush()
    notifications.on_transition(session, record, event, {"ecarts": named})
    letters.on_decision(session, record, track, event)
    return event


# --- the town's moves -----------------------------------------------------------------------------


def town_move(
    session: Session,
    record: Dossier,
    user: User,
    to: str,
    reason: str = "",
    confirmed: bool = False,
    catalogue: Catalogue | None = None,
) -> Event:
    """The town deposits (opening the tracks), redeposits a completed dossier (its tracks à compléter go back
    en instruction) or withdraws it while nothing is decided; not committed."""
    if user.role != "collectivite" or to not in {"depose", "retire"}:
        label = workflow.LABELS.get(to, uploads.shown(to, 40))
        if to in {"depose", "retire"}:
            raise workflow.Refused(403, f"passage à « {label} » réservé à la collectivité")
        if user.role == "collectivite":
            raise workflow.Refused(403, f"passage à « {label} » réservé aux instructeurs du partenaire de la piste")
        raise workflow.Refused(
            403, f"passage à « {label} » : décidez depuis le formulaire de la piste de votre partenaire"
        )
    reason = workflow.reason_checked(reason, False, workflow.LABELS[to])
    locked(session, record)
    start = record.state
    if (start, to) not in workflow.TOWN_TRANSITIONS:
        raise workflow.Refused(409, "dossier " + workflow.impossible(start, to, workflow.TOWN_TRANSITIONS))
    latest = usecases.latest_report(record)
    tracks = tracks_of(session, record)
    if to == "depose" and latest is not None and latest.bloquants and not confirmed:
        raise workflow.Refused(
            409,
            f"le rapport compte {latest.bloquants} écart(s) bloquant(s) : confirmez le dépôt en connaissance de cause",
        )
    if to == "retire":
        _withdrawable(session, tracks)
        for track in tracks:
            set_state(session, track, "retire", track.revision)
    event = event_of(record, user, start, to, reason)
    session.add(event)
    moved_back = []
    if to == "depose":
        if latest is not None:
            open_tracks(session, record, latest.report_json, catalogue)
        for track in tracks:
            if track.state == "a_completer":
                set_state(session, track, "en_instruction", track.revision)
                number = record.versions[-1].number if record.versions else None
                back = f"dossier complété et déposé de nouveau (version {number})"
                moved_back.append(event_of(record, user, "a_completer", "en_instruction", back, track))
        session.add_all(moved_back)
        record.state = "depose"
    else:
        record.state = "retire"
    derive(session, record)
    session.flush()
    partners = [t.partenaire for t in tracks_of(session, record)]
    notifications.on_transition(session, record, event, {"partenaires": partners})
    letters.on_decision(session, record, None, event)
    return event


def _withdrawable(session: Session, tracks: list[Instruction]) -> None:
    decided = [t for t in tracks if t.state in workflow.DECIDED]
    if decided:
        names = ", ".join(f"{label(t.partenaire)} : {workflow.LABELS[t.state]}" for t in decided)
        raise workflow.Refused(409, f"le dossier ne peut plus être retiré : une décision a été rendue ({names})")
    immeubles = session.scalar(
        select(DecisionImmeuble.id)
        .where(DecisionImmeuble.instruction_id.in_([t.id for t in tracks]), DecisionImmeuble.current)
        .where(DecisionImmeuble.decision.in_(["accepte", "refuse"]))
        .limit(1)
    )
    if immeubles is not None:
        raise workflow.Refused(
            409, "le dossier ne peut plus être retiré : Action Logement a rendu une décision sur un immeuble"
        )


def act(
    session: Session,
    record: Dossier,
    user: User,
    to: str,
    reason: str = "",
    *,
    catalogue: Catalogue,
    confirmed: bool = False,
    gaps: list[str] | tuple[str, ...] = (),
    rule_ids: list[str] | tuple[str, ...] = (),
    partenaire: str | None = None,
    revision: int | None = None,
) -> Event:
    """The API's and the pages' one entry: a town moves its dossier, an instructeur their partner's track, an admin
    the track it names."""
    if user.role == "collectivite":
        if gaps or rule_ids:
            raise workflow.Refused(422, "une collectivité ne cite ni écart ni règle")
        return town_move(session, record, user, to, reason, confirmed, catalogue)
    track = track_for(session, record, user, partenaire)
    return track_move(session, record, track, user, to, reason, rule_ids, gaps, catalogue=catalogue, revision=revision)


def immeubles_in(report: dict) -> list[dict]:
    """The report's immeubles (entities of type immeuble): id, label, verdict."""
    return [e for e in report.get("entities", []) if e.get("type") == "immeuble"]
