"""courriels : la boîte d'envoi des notifications, et l'adresse électronique des comptes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("courriel", sa.String(length=320), nullable=True))
    op.create_table(
        "courriels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("dossier_id", sa.String(length=24), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("courriels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courriels_dossier_id"), ["dossier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_courriels_next_attempt_at"), ["next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_courriels_sent_at"), ["sent_at"], unique=False)


def downgrade() -> None:
    op.drop_table("courriels")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of `users` would fail on the foreign keys
    op.drop_column("users", "courriel")
