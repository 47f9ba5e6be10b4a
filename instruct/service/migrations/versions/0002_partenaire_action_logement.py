"""un seul nom par partenaire : action_logement devient action-logement (comme dans les règles)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Spellings of a partner the accounts stored before the rules' spelling became the only one.
RENAMED = {"action_logement": "action-logement"}

users = sa.table("users", sa.column("partenaire", sa.String(20)))


def upgrade() -> None:
    for old, new in RENAMED.items():
        op.execute(users.update().where(users.c.partenaire == old).values(partenaire=new))


def downgrade() -> None:
    for old, new in RENAMED.items():
        op.execute(users.update().where(users.c.partenaire == new).values(partenaire=old))
