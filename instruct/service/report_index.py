"""A stored report's verdicts and gaps as rows (`rapport_verdicts`, `rapport_ecarts`), written when the report is
stored, so that the instruction queue filters by verdict and by rule id through an index instead of reading JSON.
Migration 0008 filled them for the reports stored before it, the same way."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import insert
from sqlalchemy.orm import Session

from instruct.service.instruction_storage import RapportEcart, RapportVerdict
from instruct.service.storage import StoredReport
from instruct.vocabulary import GAPS


def index_report(session: Session, stored: StoredReport) -> None:
    """The rows of `stored` (flushed first, for its id): its verdict per rule set, its gaps per rule and status."""
    session.flush()
    verdicts = [{"report_id": stored.id, "jeu": code, "verdict": verdict} for code, verdict in stored.summary.items()]
    gaps = Counter(
        (finding["rule"], finding["status"])
        for finding in json.loads(stored.report_json).get("findings", [])
        if finding.get("status") in GAPS
    )
    if verdicts:
        session.execute(insert(RapportVerdict), verdicts)
    if gaps:
        session.execute(
            insert(RapportEcart),
            [
                {"report_id": stored.id, "regle": rule, "statut": status, "nombre": n}
                for (rule, status), n in gaps.items()
            ],
        )
