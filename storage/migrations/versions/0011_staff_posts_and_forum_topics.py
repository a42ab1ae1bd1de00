"""staff posts and forum topics

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 00:52:31.717444
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('staff_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=True),
    sa.Column('thread_id', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=64), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_staff_posts_appeal_id_appeals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_posts'))
    )
    with op.batch_alter_table('staff_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_posts_appeal_id'), ['appeal_id'], unique=False)
        batch_op.create_index('ix_staff_posts_message', ['platform', 'chat_id', 'message_id'], unique=False)
        batch_op.create_index('ix_staff_posts_thread', ['platform', 'chat_id', 'thread_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('staff_posts', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_posts_thread')
        batch_op.drop_index('ix_staff_posts_message')
        batch_op.drop_index(batch_op.f('ix_staff_posts_appeal_id'))

    op.drop_table('staff_posts')
