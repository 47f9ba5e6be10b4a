"""lettres : la lettre de chaque changement d'état (accusé de réception, demande de compléments, décision motivée),
en DOCX et en PDF

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

One letter per Event, written in the change's transaction (instruct.service.letters). The changes made before this
migration have none: their letters are not written after the fact, the journal keeps their reasons.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

KINDS = (
    "('accuse_reception', 'mise_en_instruction', 'demande_complements', 'decision', 'decision_immeubles', "
    "'reprise', 'retrait')"
)


def upgrade() -> None:
    op.create_table(
        "lettres",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(length=24), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("docx", sa.LargeBinary(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(f"kind IN {KINDS}", name="ck_lettres_kind"),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("lettres", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lettres_dossier_id"), ["dossier_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lettres", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lettres_dossier_id"))
    op.drop_table("lettres")
