"""What the API and the pages show of the instruction by partner: each track (partner, state, dates, who follows
it, its decisions per immeuble, current and past, its journal) and the summary across tracks
(« 2 décisions sur 4 »). Read-only; everyone who sees the dossier reads it, the town included."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from instruct.model.report import GAPS
from instruct.service import immeubles, instructions, messagerie, suivi, usecases, workflow
from instruct.service.instruction_storage import DecisionImmeuble, Instruction
from instruct.service.storage import Dossier, Event


def decisions_summary(tracks: list[Instruction]) -> dict[str, Any]:
    """{"rendues": n, "pistes": N, "texte": "2 décisions sur 4"}: tracks decided, of all tracks."""
    done = sum(1 for t in tracks if t.state in workflow.DECIDED)
    return {
        "rendues": done,
        "pistes": len(tracks),
        "texte": f"{done} décision{'s' if done > 1 else ''} sur {len(tracks)}",
    }


def track_events(session: Session, record: Dossier) -> dict[str, list[Event]]:
    """The journal of each track (the dossier's events with that partner), oldest first."""
    found: dict[str, list[Event]] = {}
    for event in session.scalars(
        select(Event).where(Event.dossier_id == record.id, Event.partenaire.is_not(None)).order_by(Event.id)
    ):
        found.setdefault(event.partenaire, []).append(event)
    return found


def immeuble_rows(session: Session, record: Dossier, track: Instruction, report: dict) -> list[dict[str, Any]]:
    """Action Logement's immeubles: the report's verdict, the current decision and the past ones."""
    if track.partenaire != immeubles.PARTNER:
        return []
    rows = list(
        session.scalars(
            select(DecisionImmeuble).where(DecisionImmeuble.instruction_id == track.id).order_by(DecisionImmeuble.id)
        )
    )
    out = []
    for one in immeubles.immeubles_of(report):
        mine = [r for r in rows if r.immeuble == one["id"]]
        now_ = next((r for r in reversed(mine) if r.current), None)
        out.append({**one, "actuelle": now_, "passees": [r for r in mine if r is not now_]})
    return out


def decision_json(row: DecisionImmeuble | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "decision": row.decision,
        "libelle": immeubles.DECISION_LABELS[row.decision],
        "motif": row.motif,
        "regles": row.regles,
        "le": usecases.iso(row.at),
        "par": row.user.login,
        "version": row.version_number,
    }


def event_json(event: Event) -> dict[str, Any]:
    return {
        "le": usecases.iso(event.at),
        "par": event.user.login,
        "partenaire": event.partenaire,
        "de": event.from_state,
        "vers": event.to_state,
        "motif": event.reason,
        "regles": event.regles or [],
        "version": event.version_number,
    }


def tracks_view(session: Session, record: Dossier) -> list[dict[str, Any]]:
    """Each track as the pages and the API show it (objects: the pages format the dates)."""
    report = instructions.report_of(record)
    journals = track_events(session, record)
    views = []
    for track in instructions.tracks_of(session, record):
        journal = journals.get(track.partenaire, [])
        last = next((e for e in reversed(journal) if e.to_state == track.state), None)
        views.append(
            {
                "track": track,
                "partenaire": track.partenaire,
                "libelle": instructions.label(track.partenaire),
                "etat": track.state,
                "decision": last if track.state in workflow.DECIDED or track.state == "a_completer" else None,
                "immeubles": immeuble_rows(session, record, track, report),
                "journal": journal,
            }
        )
    return views


def as_json(session: Session, record: Dossier) -> dict[str, Any]:
    """The dossier JSON's `instructions` and `decisions`."""
    views = tracks_view(session, record)
    return {
        "instructions": [
            {
                "partenaire": v["partenaire"],
                "libelle": v["libelle"],
                "etat": v["etat"],
                "revision": v["track"].revision,
                "depose_le": usecases.iso(v["track"].opened_at),
                "decide_le": usecases.iso(v["track"].decided_at) if v["track"].decided_at else None,
                "suivi_par": v["track"].assignee.login if v["track"].assignee else None,
                "motif": v["decision"].reason if v["decision"] else "",
                "regles": (v["decision"].regles or []) if v["decision"] else [],
                "immeubles": [
                    {
                        "immeuble": i["id"],
                        "libelle": i["libelle"],
                        "verdict": i["verdict"],
                        "decision": decision_json(i["actuelle"]),
                        "historique": [decision_json(r) for r in i["passees"]],
                    }
                    for i in v["immeubles"]
                ],
                "journal": [event_json(e) for e in v["journal"]],
            }
            for v in views
        ],
        "decisions": decisions_summary([v["track"] for v in views]),
    }


def rule_choices(report: dict, partenaire: str, catalogue) -> list[dict[str, str]]:
    """The rule ids a partner's decision may cite: its rule sets' gaps in the latest report first (« écart »), then
    the rest of its rule sets' rules."""
    codes = [
        code
        for code, rs in catalogue.rulesets.items()
        if instructions.TRACK_OF_RULESET_PARTNER.get(rs.partenaire) == partenaire
    ]
    gaps = [f["rule"] for f in report.get("findings", []) if f["status"] in GAPS and f["ruleset"] in codes]
    titles = {r.id: r.title for code in codes for r in catalogue.rulesets[code].rules}
    first = [{"id": r, "titre": titles.get(r, ""), "ecart": True} for r in dict.fromkeys(gaps)]
    rest = [{"id": r, "titre": t, "ecart": False} for r, t in titles.items() if r not in set(gaps)]
    return first + rest


def forms_view(session: Session, user, record: Dossier, catalogue) -> dict[str, Any]:
    """What the dossier's page shows of the instruction: every track, the summary, the forms of the tracks `user`
    instructs (never the town's), the town's deposit and withdrawal."""
    views = tracks_view(session, record)
    report = instructions.report_of(record)
    latest = usecases.latest_report(record)
    gaps = messagerie.gap_choices(record)
    for view in views:
        track = view["track"]
        view["mine"] = user.role != "collectivite" and instructions.may_instruct(user, track, record)
        if not view["mine"]:
            continue
        view["choix"] = [
            {
                "to": to,
                "label": workflow.action_label(track.state, to),
                "motif_requis": workflow.reason_required(track.state, to),
            }
            for to in workflow.track_moves(track.state)
        ]
        view["collegues"] = suivi.colleagues(session, user, record, track.partenaire)  # « suivi par »
        view["par_immeuble"] = bool(view["immeubles"])
        if view["par_immeuble"]:
            view["choix"] = [c for c in view["choix"] if c["to"] not in {"accepte", "refuse"}]
        view["regles_choix"] = rule_choices(report, track.partenaire, catalogue)
        view["ecarts_choix"] = gaps if "a_completer" in {c["to"] for c in view["choix"]} else []
    town = user.role == "collectivite"
    decided = any(v["etat"] in workflow.DECIDED for v in views) or any(
        i["actuelle"] is not None and i["actuelle"].decision != "ajourne" for v in views for i in v["immeubles"]
    )
    return {
        "pistes": views,
        "decisions": decisions_summary([v["track"] for v in views]),
        "depot": town and record.state in {"brouillon", "a_completer"},
        "depot_confirme": bool(latest and latest.bloquants),
        "retrait": town and (record.state, "retire") in workflow.TOWN_TRANSITIONS and not decided,
        "mes_pistes": [v for v in views if v.get("mine")],
        "decisions_immeubles": immeubles.DECISION_LABELS,
    }
