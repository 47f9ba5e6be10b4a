"""brouillons : le formulaire guidé enregistré côté serveur, et ses pièces

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "brouillons",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.Column("dossier_id", sa.String(length=24), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("confirmations", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("brouillons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_brouillons_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_brouillons_commune_insee"), ["commune_insee"], unique=False)
        batch_op.create_index(batch_op.f("ix_brouillons_dossier_id"), ["dossier_id"], unique=False)
    op.create_table(
        "brouillon_pieces",
        sa.Column("brouillon_id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["brouillon_id"], ["brouillons.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sha256"], ["blobs.sha256"]),
        sa.PrimaryKeyConstraint("brouillon_id", "name"),
    )


def downgrade() -> None:
    op.drop_table("brouillon_pieces")
    op.drop_table("brouillons")
