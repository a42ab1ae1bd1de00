"""followers and merged duplicates

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 23:04:03.616955
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('appeal_followers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_appeal_followers_appeal_id_appeals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_appeal_followers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_followers')),
    sa.UniqueConstraint('appeal_id', 'user_id', name=op.f('uq_appeal_followers_appeal_id'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_appeals_merged_into_id_appeals'), 'appeals', ['merged_into_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_appeals_merged_into_id_appeals'), type_='foreignkey')
        batch_op.drop_column('merged_into_id')

    op.drop_table('appeal_followers')
