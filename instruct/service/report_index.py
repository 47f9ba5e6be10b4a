"""A stored report as rows, written when the report is stored, so that the instruction queue filters and sorts by
verdict and by rule id through indexes and joins instead of reading JSON: its verdict per rule set
(`rapport_verdicts`), its gaps per rule and status (`rapport_ecarts`), its worst verdict per track in place of the
previous report's (`rapport_pistes`), and the dossier's pointer to its latest report (`dossiers.latest_report_id`).
Migrations 0008 and 0009 filled them for the reports stored before them, the same way."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from instruct.model.report import gap_counts
from instruct.service.instruction_storage import RapportEcart, RapportPiste, RapportVerdict
from instruct.service.storage import Dossier, StoredReport, Version
from instruct.vocabulary import Verdict

# Whose track a rule set's verdict belongs to, by its code (tests/test_file.py checks it against the catalogue).
TRACK_OF_CODE = {
    "PROG": "ddt",
    "ORT": "ddt",
    "X": "ddt",
    "AL-V": "action-logement",
    "AL-O": "action-logement",
    "ANAH": "anah",
    "ANRU": "anru",
}
# The worst of a track's rule sets wins: sans_objet 1 … non_recevable 5 (vocabulary.Verdict). A row stored
# before a_corriger and sans_objet existed keeps its old `rang`: the queue sorts by this table of the
# stored verdict, not by that column.
VERDICT_RANK = {v.value: v.rang for v in Verdict}


def index_report(session: Session, stored: StoredReport, gaps: Mapping[tuple[str, str], int] | None = None) -> None:
    """The rows of `stored` (flushed first, for its id), which becomes its dossier's latest report. `gaps`: its
    findings counted by (rule, status) for the GAPS statuses when the caller has them (else read from its JSON)."""
    session.flush()
    verdicts = [{"report_id": stored.id, "jeu": code, "verdict": verdict} for code, verdict in stored.summary.items()]
    if gaps is None:
        findings = json.loads(stored.report_json).get("findings", [])
        gaps = gap_counts((finding["rule"], finding.get("status")) for finding in findings)
    worst: dict[str, str] = {}
    for code, verdict in stored.summary.items():
        track = TRACK_OF_CODE.get(code)
        if track and VERDICT_RANK.get(verdict, 0) >= VERDICT_RANK.get(worst.get(track, ""), -1):
            worst[track] = verdict
    if verdicts:
        session.execute(insert(RapportVerdict), verdicts)
    if gaps:
        session.execute(
            insert(RapportEcart),
            [{"report_id": stored.id, "regle": r, "statut": s, "nombre": n} for (r, s), n in gaps.items()],
        )
    dossier = session.scalar(select(Version.dossier_id).where(Version.id == stored.version_id))
    session.execute(delete(RapportPiste).where(RapportPiste.dossier_id == dossier))  # the previous report's
    if worst:
        session.execute(
            insert(RapportPiste),
            [
                {"dossier_id": dossier, "partenaire": track, "report_id": stored.id, "verdict": v,
                 "rang": VERDICT_RANK.get(v, 0)}
                for track, v in worst.items()
            ],
        )  # fmt: skip
    session.execute(
        update(Dossier).where(Dossier.id == dossier).values(latest_report_id=stored.id),
        execution_options={"synchronize_session": False},
    )
