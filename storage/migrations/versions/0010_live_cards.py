"""live cards

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 23:20:17.253950
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('live_cards',
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_live_cards_appeal_id_appeals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('appeal_id', name=op.f('pk_live_cards'))
    )


def downgrade() -> None:
    op.drop_table('live_cards')
