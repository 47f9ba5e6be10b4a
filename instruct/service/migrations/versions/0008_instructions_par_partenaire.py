"""instruction par partenaire : une piste par partenaire concerné, décisions par immeuble, avis d'experts,
annotations privées par partenaire, index des verdicts et des écarts des rapports (la file d'attente)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

A dossier already deposited gets one track per partner its latest report concerns (a rule set with at least one
point that applies), in the dossier's state; a private note is its author's partner's; every stored report's verdicts
and gaps are indexed.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_STATES = "('brouillon', 'depose', 'en_instruction', 'a_completer', 'accepte', 'refuse', 'sans_suite')"
NEW_STATES = (
    "('brouillon', 'depose', 'en_instruction', 'a_completer', 'accepte', 'refuse', 'sans_suite', 'retire', 'instruit')"
)
TRACK_STATES = "('depose', 'en_instruction', 'a_completer', 'accepte', 'refuse', 'sans_suite', 'retire')"
# The rule sets' codes when this migration was written, and whose track they belong to.
TRACK_OF_CODE = {
    "PROG": "ddt",
    "ORT": "ddt",
    "X": "ddt",
    "AL-V": "action-logement",
    "AL-O": "action-logement",
    "ANAH": "anah",
    "ANRU": "anru",
}
GAPS = ("non_conforme", "incomplet", "a_verifier")
APPLIES = ("conforme", *GAPS)


def upgrade() -> None:
    op.create_table(
        "instructions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(length=24), nullable=False),
        sa.Column("partenaire", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("assigned_to", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"state IN {TRACK_STATES}", name="ck_instructions_state"),
        sa.CheckConstraint("partenaire IN ('action-logement', 'anah', 'anru', 'ddt')", name="ck_instructions_partenaire"),
        sa.ForeignKeyConstraint(["assigned_to"], ["users.id"]),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id", "partenaire", name="uq_instructions_partenaire"),
    )
    with op.batch_alter_table("instructions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instructions_dossier_id"), ["dossier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_instructions_assigned_to"), ["assigned_to"], unique=False)
        batch_op.create_index("ix_instructions_queue", ["partenaire", "state"], unique=False)
    op.create_table(
        "decisions_immeubles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instruction_id", sa.Integer(), nullable=False),
        sa.Column("immeuble", sa.String(length=100), nullable=False),
        sa.Column("libelle", sa.String(length=300), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("motif", sa.Text(), nullable=False),
        sa.Column("regles", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=True),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.CheckConstraint("decision IN ('accepte', 'refuse', 'ajourne')", name="ck_decisions_immeubles_decision"),
        sa.ForeignKeyConstraint(["instruction_id"], ["instructions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decisions_immeubles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_immeubles_instruction_id"), ["instruction_id"], unique=False)
    op.create_table(
        "avis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(length=24), nullable=False),
        sa.Column("partenaire", sa.String(length=20), nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expert_nom", sa.String(length=200), nullable=False),
        sa.Column("expert_courriel", sa.String(length=320), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("confidentiel", sa.Boolean(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("avis", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_avis_dossier_id"), ["dossier_id"], unique=False)
    op.create_table(
        "avis_pieces",
        sa.Column("avis_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["avis_id"], ["avis.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sha256"], ["blobs.sha256"]),
        sa.PrimaryKeyConstraint("avis_id", "name"),
    )
    op.create_table(
        "rapport_verdicts",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("jeu", sa.String(length=20), nullable=False),
        sa.Column("verdict", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", "jeu"),
    )
    with op.batch_alter_table("rapport_verdicts", schema=None) as batch_op:
        batch_op.create_index("ix_rapport_verdicts_jeu", ["jeu", "verdict"], unique=False)
    op.create_table(
        "rapport_ecarts",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("regle", sa.String(length=20), nullable=False),
        sa.Column("statut", sa.String(length=20), nullable=False),
        sa.Column("nombre", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", "regle", "statut"),
    )
    with op.batch_alter_table("rapport_ecarts", schema=None) as batch_op:
        batch_op.create_index("ix_rapport_ecarts_regle", ["regle", "statut"], unique=False)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partenaire", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("regles", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_partenaire"), ["partenaire"], unique=False)
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partenaire", sa.String(length=20), nullable=True))
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_constraint("ck_dossiers_state", type_="check")
        batch_op.create_check_constraint("ck_dossiers_state", f"state IN {NEW_STATES}")
    _fill()


def _fill() -> None:
    """Tracks for the dossiers already deposited, partners for private notes, the reports' index."""
    bind = op.get_bind()
    bind.execute(
        sa.text("UPDATE notes SET partenaire = (SELECT users.partenaire FROM users WHERE users.id = notes.author_id)")
    )
    reports = bind.execute(sa.text("SELECT id, version_id, report_json FROM reports ORDER BY id")).all()
    latest_by_version = {}
    for report_id, version_id, text in reports:
        rulesets = json.loads(text).get("rulesets", {})
        latest_by_version[version_id] = rulesets
        for code, result in rulesets.items():
            bind.execute(
                sa.text("INSERT INTO rapport_verdicts (report_id, jeu, verdict) VALUES (:r, :j, :v)"),
                {"r": report_id, "j": code, "v": result.get("verdict", "")},
            )
        counts: dict[tuple[str, str], int] = {}
        for finding in json.loads(text).get("findings", []):
            if finding.get("status") in GAPS:
                key = (finding["rule"], finding["status"])
                counts[key] = counts.get(key, 0) + 1
        for (rule, status), number in counts.items():
            bind.execute(
                sa.text("INSERT INTO rapport_ecarts (report_id, regle, statut, nombre) VALUES (:r, :g, :s, :n)"),
                {"r": report_id, "g": rule, "s": status, "n": number},
            )
    deposited = bind.execute(
        sa.text(
            "SELECT d.id, d.state, d.updated_at, (SELECT v.id FROM versions v WHERE v.dossier_id = d.id "
            "ORDER BY v.number DESC LIMIT 1) FROM dossiers d WHERE d.state <> 'brouillon'"
        )
    ).all()
    for dossier_id, state, updated_at, version_id in deposited:
        rulesets = latest_by_version.get(version_id, {})
        partners = sorted(
            {
                TRACK_OF_CODE[code]
                for code, result in rulesets.items()
                if code in TRACK_OF_CODE and any(result.get("counts", {}).get(s, 0) for s in APPLIES)
            }
            | {"ddt"}
        )
        first = bind.execute(
            sa.text("SELECT min(at) FROM events WHERE dossier_id = :d AND to_state = 'depose'"), {"d": dossier_id}
        ).scalar()
        for partner in partners:
            bind.execute(
                sa.text(
                    "INSERT INTO instructions (dossier_id, partenaire, state, revision, opened_at, updated_at, "
                    "decided_at) VALUES (:d, :p, :s, 0, :o, :u, :decided)"
                ),
                {
                    "d": dossier_id,
                    "p": partner,
                    "s": state,
                    "o": first or updated_at,
                    "u": updated_at,
                    "decided": updated_at if state in ("accepte", "refuse", "sans_suite") else None,
                },
            )
    if bind.dialect.name == "postgresql":  # the queue's full-text search (LIKE on SQLite)
        op.execute(
            "CREATE INDEX ix_dossiers_recherche ON dossiers USING gin "
            "(to_tsvector('simple', commune_nom || ' ' || commune_insee || ' ' || id))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_dossiers_recherche")
    op.execute("UPDATE dossiers SET state = 'sans_suite' WHERE state IN ('retire', 'instruit')")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_constraint("ck_dossiers_state", type_="check")
        batch_op.create_check_constraint("ck_dossiers_state", f"state IN {OLD_STATES}")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_column("partenaire")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_partenaire"))
        batch_op.drop_column("regles")
        batch_op.drop_column("partenaire")
    op.drop_table("rapport_ecarts")
    op.drop_table("rapport_verdicts")
    op.drop_table("avis_pieces")
    op.drop_table("avis")
    op.drop_table("decisions_immeubles")
    op.drop_table("instructions")
