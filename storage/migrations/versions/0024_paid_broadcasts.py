"""Telegram paid broadcasts: a mailing marked paid, its Stars set aside and spent

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mailings") as batch:
        batch.add_column(sa.Column("paid", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("paid_reserved", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("paid_spent", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("mailings") as batch:
        batch.drop_column("paid_spent")
        batch.drop_column("paid_reserved")
        batch.drop_column("paid")
