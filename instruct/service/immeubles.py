"""Action Logement decides immeuble by immeuble (the report's entities of type immeuble): accepté, refusé or
ajourné, each with a motif (required to refuse or adjourn) and the rule ids it rests on (at least one to refuse).
A new decision on an immeuble makes its previous one history (`current` False). Once every immeuble has a current
decision accepté or refusé, the track is decided: accepte when one at least is accepted, else refuse; an ajourné
keeps it open. One Event per call, with the list, under the same lock and conditional update as any track move
(instructions.set_state). Nothing here commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from instruct.model.report import GAPS
from instruct.rules.catalogue import Catalogue
from instruct.service import instructions, letters, notifications, uploads, workflow
from instruct.service.instruction_storage import DECISION_LABELS, IMMEUBLE_DECISIONS, DecisionImmeuble, Instruction
from instruct.service.storage import Dossier, Event, User

PARTNER = "action-logement"
MAX_MOTIF = workflow.MAX_REASON


def immeubles_of(report: dict) -> list[dict[str, Any]]:
    """The report's immeubles: id, label, verdict, and the rule ids of their gaps (a refusal's suggestions)."""
    gaps: dict[str, list[str]] = {}
    for finding in report.get("findings", []):
        if finding["status"] in GAPS and finding["entity"]["type"] == "immeuble":
            rules = gaps.setdefault(finding["entity"]["id"], [])
            if finding["rule"] not in rules:
                rules.append(finding["rule"])
    return [
        {"id": e["id"], "libelle": e["label"], "verdict": e.get("verdict", ""), "ecarts": gaps.get(e["id"], [])}
        for e in instructions.immeubles_in(report)
    ]


def current(session: Session, track: Instruction) -> dict[str, DecisionImmeuble]:
    """The current decision of each immeuble decided."""
    rows = session.scalars(
        select(DecisionImmeuble).where(DecisionImmeuble.instruction_id == track.id, DecisionImmeuble.current)
    )
    return {row.immeuble: row for row in rows}


def checked(decisions: list[dict[str, Any]], immeubles: list[dict], catalogue: Catalogue) -> list[dict[str, Any]]:
    """The decisions asked ({immeuble, decision, motif, regles}), each checked; workflow.Refused (422) naming the
    immeuble otherwise."""
    if not decisions:
        raise workflow.Refused(422, "aucune décision : choisissez une décision pour un immeuble au moins")
    known = {i["id"]: i for i in immeubles}
    seen: set[str] = set()
    out = []
    for asked in decisions:
        ident = str(asked.get("immeuble", "")).strip()
        if ident not in known:
            raise workflow.Refused(422, f"immeuble absent du dernier rapport : {uploads.shown(ident, 80)}")
        if ident in seen:
            raise workflow.Refused(422, f"deux décisions pour l'immeuble {ident}")
        seen.add(ident)
        decision = str(asked.get("decision", ""))
        if decision not in IMMEUBLE_DECISIONS:
            raise workflow.Refused(422, f"{ident} : décision inconnue (accepte, refuse ou ajourne)")
        motif = str(asked.get("motif", "")).strip()
        if len(motif) > MAX_MOTIF:
            raise workflow.Refused(422, f"{ident} : motif trop long (au plus {MAX_MOTIF} caractères)")
        if decision != "accepte" and not motif:
            raise workflow.Refused(422, f"{ident} : un motif est obligatoire pour « {DECISION_LABELS[decision]} »")
        rules = instructions.rules_checked(list(asked.get("regles") or []), catalogue)
        if decision == "refuse" and not rules:
            suggested = ", ".join(known[ident]["ecarts"][:5]) or "une règle du catalogue"
            raise workflow.Refused(422, f"{ident} : un refus cite au moins une règle (par exemple {suggested})")
        out.append(
            {
                "immeuble": ident,
                "libelle": known[ident]["libelle"],
                "decision": decision,
                "decision_libelle": DECISION_LABELS[decision],
                "motif": motif,
                "regles": rules,
            }
        )
    return out


def outcome(immeubles: list[dict], decided: dict[str, str]) -> str | None:
    """The track's decision once every immeuble has a current accepte or refuse (None: it stays open)."""
    if not immeubles or any(decided.get(i["id"]) not in {"accepte", "refuse"} for i in immeubles):
        return None
    return "accepte" if any(decided[i["id"]] == "accepte" for i in immeubles) else "refuse"


def decide_immeubles(
    session: Session,
    record: Dossier,
    track: Instruction,
    user: User,
    decisions: list[dict[str, Any]],
    *,
    catalogue: Catalogue,
    revision: int | None = None,
) -> Event:
    """Action Logement's decisions on some immeubles of the dossier (not committed), and the track's decision when
    they close it; one Event with the list."""
    if track.partenaire != PARTNER:
        raise workflow.Refused(422, "seule Action Logement décide immeuble par immeuble")
    if not instructions.may_instruct(user, track, record):
        raise workflow.Refused(403, "la piste Action Logement est instruite par ses propres instructeurs")
    immeubles = immeubles_of(instructions.report_of(record))
    if not immeubles:
        raise workflow.Refused(409, "le dernier rapport du dossier ne compte aucun immeuble : décidez pour la piste")
    asked = checked(decisions, immeubles, catalogue)
    instructions.locked(session, record)
    session.refresh(track)
    seen = track.revision if revision is None else revision
    if seen != track.revision:
        raise workflow.Refused(409, instructions.stale(track))
    if track.state != "en_instruction":
        state = workflow.LABELS[track.state]
        first = " : passez-la d'abord en instruction" if track.state == "depose" else ""
        raise workflow.Refused(409, f"la piste Action Logement est « {state} »{first} ; aucune décision par immeuble")
    decided = {ident: row.decision for ident, row in current(session, track).items()}
    previous = current(session, track)
    number = record.versions[-1].number if record.versions else None
    for one in asked:
        if one["immeuble"] in previous:
            previous[one["immeuble"]].current = False
        session.add(
            DecisionImmeuble(
                instruction_id=track.id,
                immeuble=one["immeuble"],
                libelle=one["libelle"],
                decision=one["decision"],
                motif=one["motif"],
                regles=one["regles"],
                user_id=user.id,
                version_number=number,
                current=True,
            )
        )
        decided[one["immeuble"]] = one["decision"]
    start = track.state
    to = outcome(immeubles, decided) or start
    instructions.set_state(session, track, to, seen)
    rules = list(dict.fromkeys(r for one in asked for r in one["regles"]))
    reason = "\n".join(
        f"{one['libelle']} : {one['decision_libelle']}" + (f" — {one['motif']}" if one["motif"] else "")
        for one in asked
    )
    event = instructions.event_of(record, user, start, to, reason, track, rules)
    session.add(event)
    instructions.derive(session, record)
    session.flush()
    notifications.on_transition(session, record, event, {"immeubles": asked})
    letters.on_decision(session, record, track, event)
    return event
