"""file d'instruction : le dernier rapport de chaque dossier et le pire verdict de chaque piste, en colonnes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

The instruction queue sorted and filtered by verdict looked, on every row, for the dossier's latest version, its
latest report and the worst verdict of the track's rule sets: 4 s for an admin's 29 000 tracks on PostgreSQL
(benchmarks/queue.py). `dossiers.latest_report_id` and `rapport_pistes` (dossier, track partner -> worst verdict of
its latest report and its rank) make them joins; both are filled here for the reports already stored, then kept by report_index.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The rule sets' codes when this migration was written, and whose track they belong to (as in 0008).
TRACK_OF_CODE = {
    "PROG": "ddt",
    "ORT": "ddt",
    "X": "ddt",
    "AL-V": "action-logement",
    "AL-O": "action-logement",
    "ANAH": "anah",
    "ANRU": "anru",
}
RANK = {"recevable": 1, "incomplet": 2, "non_recevable": 3}


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latest_report_id", sa.Integer(), nullable=True))
    op.create_table(
        "rapport_pistes",
        sa.Column("dossier_id", sa.String(length=24), nullable=False),
        sa.Column("partenaire", sa.String(length=20), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=30), nullable=False),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dossier_id", "partenaire"),
    )
    with op.batch_alter_table("rapport_pistes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rapport_pistes_report_id"), ["report_id"], unique=False)
    op.execute(
        "UPDATE dossiers SET latest_report_id = (SELECT r.id FROM reports r JOIN versions v ON v.id = r.version_id "
        "WHERE v.dossier_id = dossiers.id ORDER BY v.number DESC, r.id DESC LIMIT 1)"
    )
    partner = "CASE jeu " + " ".join(f"WHEN '{code}' THEN '{p}'" for code, p in TRACK_OF_CODE.items()) + " END"
    rank = "CASE verdict " + " ".join(f"WHEN '{v}' THEN {n}" for v, n in RANK.items()) + " ELSE 0 END"
    verdict = "CASE max(rang) " + " ".join(f"WHEN {n} THEN '{v}'" for v, n in RANK.items()) + " ELSE '' END"
    op.execute(
        f"INSERT INTO rapport_pistes (dossier_id, partenaire, report_id, verdict, rang) "
        f"SELECT dossier_id, partenaire, report_id, {verdict}, max(rang) FROM "
        f"(SELECT d.id AS dossier_id, report_id, {partner} AS partenaire, {rank} AS rang FROM rapport_verdicts "
        f"JOIN dossiers d ON d.latest_report_id = rapport_verdicts.report_id) AS par_piste "
        f"WHERE partenaire IS NOT NULL GROUP BY dossier_id, partenaire, report_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("rapport_pistes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rapport_pistes_report_id"))
    op.drop_table("rapport_pistes")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("latest_report_id")
