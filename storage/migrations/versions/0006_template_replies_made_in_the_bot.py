"""template replies made in the bot

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 22:52:14.023222
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reply_templates',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('text_ru', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_reply_templates_updated_by_id_users')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_reply_templates'))
    )


def downgrade() -> None:
    op.drop_table('reply_templates')
