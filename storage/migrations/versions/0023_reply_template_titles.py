"""a title for template replies made in the bot

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # What staff read on a template's button instead of its key; none for the older rows,
    # which then show their key as before.
    with op.batch_alter_table("reply_templates") as batch:
        batch.add_column(sa.Column("title", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reply_templates") as batch:
        batch.drop_column("title")
