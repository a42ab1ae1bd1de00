"""corruption reports

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 22:58:15.979612
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('corruption_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=16), nullable=True),
    sa.Column('chat_id', sa.String(length=64), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', storage.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_corruption_reports_reporter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corruption_reports'))
    )


def downgrade() -> None:
    op.drop_table('corruption_reports')
