"""The partners' instruction tables, on the same `Base` as storage.

- `instructions`: one track per partner concerned by a deposited dossier (Action Logement, Anah, ANRU, and the DDT
  for the programme, the ORT and the coherence rule sets), with its own state, assignment and revision: every change
  of a track is `UPDATE … WHERE revision = n`, so of simultaneous decisions exactly one wins. Its journal is the
  dossier's `events` whose `partenaire` is the track's.
- `decisions_immeubles`: Action Logement decides immeuble by immeuble (accepté, refusé, ajourné), with reasons and
  the rule ids they rest on; `current` is False once re-decided or once the track is reopened (kept as history).
- `avis` and `avis_pieces`: an expert's opinion asked by an instructeur, by e-mail; the expert reaches that dossier
  alone, read-only, through a secret link (only its SHA-256 is stored) and answers once, with attached files.
- `rapport_verdicts` and `rapport_ecarts`: each stored report's verdict per rule set and its gaps per rule and
  status, as rows, so that the queue filters by verdict and rule id with an index instead of reading JSON;
  `rapport_pistes` (migration 0009): the worst verdict per track of a dossier's latest report, which the queue
  joins and sorts on.
- `lettres` (migration 0010): the letter each state change produces (accusé de réception, demande de compléments,
  décision motivée…), its DOCX and PDF, one per Event; `Event.lettre` reaches it from the journal (its bytes are
  loaded only when downloaded).

Imported by the migrations' environment so that Alembic and the schema tests see them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from instruct.service.storage import Base, Event, User, now

TRACK_PARTNERS = ("action-logement", "anah", "anru", "ddt")
# Whose track a rule set's findings belong to (a rule set's `partenaire:` -> the partner that instructs it).
TRACK_OF_RULESET_PARTNER = {
    "action-logement": "action-logement",
    "anah": "anah",
    "anru": "anru",
    "programme": "ddt",
    "ort": "ddt",
    "coherence": "ddt",
}
TRACK_STATES = ("depose", "en_instruction", "a_completer", "accepte", "refuse", "sans_suite", "retire")
DECIDED = ("accepte", "refuse", "sans_suite")  # a track's decisions
IMMEUBLE_DECISIONS = ("accepte", "refuse", "ajourne")
DECISION_LABELS = {"accepte": "accepté", "refuse": "refusé", "ajourne": "ajourné"}  # what a person reads
# The queue's full-text search on PostgreSQL: a GIN index on this expression, made by migration 0008 (on SQLite the
# queue searches with LIKE). A query uses the index only when it writes the same expression.
SEARCH_DOCUMENT = "to_tsvector('simple', commune_nom || ' ' || commune_insee || ' ' || id)"
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_dossiers_recherche"})


class Instruction(Base):
    """A partner's instruction track of a dossier."""

    __tablename__ = "instructions"
    __table_args__ = (
        UniqueConstraint("dossier_id", "partenaire", name="uq_instructions_partenaire"),
        CheckConstraint(f"state IN {TRACK_STATES}", name="ck_instructions_state"),
        CheckConstraint(f"partenaire IN {TRACK_PARTNERS}", name="ck_instructions_partenaire"),
        Index("ix_instructions_queue", "partenaire", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    partenaire: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="depose")
    revision: Mapped[int] = mapped_column(Integer, default=0)  # +1 at every change (conditional updates)
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # « suivi par »
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)  # the deposit
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # None while open

    assignee: Mapped[User | None] = relationship()
    immeubles: Mapped[list[DecisionImmeuble]] = relationship(
        order_by="DecisionImmeuble.id", cascade="all, delete-orphan", back_populates="instruction"
    )


class DecisionImmeuble(Base):
    """Action Logement's decision on one immeuble of a dossier."""

    __tablename__ = "decisions_immeubles"
    __table_args__ = (CheckConstraint(f"decision IN {IMMEUBLE_DECISIONS}", name="ck_decisions_immeubles_decision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instruction_id: Mapped[int] = mapped_column(ForeignKey("instructions.id", ondelete="CASCADE"), index=True)
    immeuble: Mapped[str] = mapped_column(String(100))  # the entity id of the report (« IMM-01 »)
    libelle: Mapped[str] = mapped_column(String(300))  # as the report names it
    decision: Mapped[str] = mapped_column(String(20))
    motif: Mapped[str] = mapped_column(Text, default="")
    regles: Mapped[list] = mapped_column(JSON, default=list)  # the rule ids the decision rests on
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version_number: Mapped[int | None] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean, default=True)

    instruction: Mapped[Instruction] = relationship(back_populates="immeubles")
    user: Mapped[User] = relationship()


class Avis(Base):
    """An expert's opinion on a dossier, asked by an instructeur (of `partenaire`; None: an admin)."""

    __tablename__ = "avis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    partenaire: Mapped[str | None] = mapped_column(String(20))
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    expert_nom: Mapped[str] = mapped_column(String(200), default="")
    expert_courriel: Mapped[str] = mapped_column(String(320))
    question: Mapped[str] = mapped_column(Text)
    confidentiel: Mapped[bool] = mapped_column(Boolean, default=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the expert's link
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=0)

    requester: Mapped[User] = relationship()
    pieces: Mapped[list[AvisPiece]] = relationship(
        order_by="AvisPiece.name", cascade="all, delete-orphan", lazy="selectin"
    )


class AvisPiece(Base):
    __tablename__ = "avis_pieces"

    avis_id: Mapped[int] = mapped_column(ForeignKey("avis.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    size: Mapped[int] = mapped_column(Integer)


class RapportVerdict(Base):
    """A stored report's verdict for one rule set."""

    __tablename__ = "rapport_verdicts"
    __table_args__ = (Index("ix_rapport_verdicts_jeu", "jeu", "verdict"),)

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    jeu: Mapped[str] = mapped_column(String(20), primary_key=True)  # « AL-O »
    verdict: Mapped[str] = mapped_column(String(30))


class RapportEcart(Base):
    """How many gaps of one rule, in one status, a stored report has."""

    __tablename__ = "rapport_ecarts"
    __table_args__ = (Index("ix_rapport_ecarts_regle", "regle", "statut"),)

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    regle: Mapped[str] = mapped_column(String(20), primary_key=True)  # « AL-O-10 »
    statut: Mapped[str] = mapped_column(String(20), primary_key=True)  # non_conforme, incomplet, a_verifier
    nombre: Mapped[int] = mapped_column(Integer)


class RapportPiste(Base):
    """The worst verdict among one track's rule sets (the DDT: programme, ORT, coherence) in a dossier's latest
    report, with its rank (Verdict.rang: sans_objet 1 … non_recevable 5), replaced at every new report: the queue's
    verdict column, sort and filter, joined on the track's own key (migration 0009)."""

    __tablename__ = "rapport_pistes"

    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True)
    partenaire: Mapped[str] = mapped_column(String(20), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(30))
    rang: Mapped[int] = mapped_column(Integer)


LETTER_KINDS = (
    "accuse_reception",  # a deposit or a redeposit
    "mise_en_instruction",
    "demande_complements",
    "decision",  # accepté, refusé, classé sans suite
    "decision_immeubles",  # Action Logement's decisions per immeuble
    "reprise",  # a decision reopened: repassé en instruction
    "retrait",  # the town withdrew its dossier
)


class Lettre(Base):
    """The letter a state change produced (one per Event), written once in the change's transaction."""

    __tablename__ = "lettres"
    __table_args__ = (CheckConstraint(f"kind IN {LETTER_KINDS}", name="ck_lettres_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    file_name: Mapped[str] = mapped_column(String(200))  # without its extension: « lettre-refus-… »
    docx: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    event: Mapped[Event] = relationship(backref=backref("lettre", uselist=False))
