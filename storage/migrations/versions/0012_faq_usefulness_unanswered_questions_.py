"""faq, usefulness, unanswered questions, proposals, accessible mode

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 01:14:57.356332
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('faq_views',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_faq_views'))
    )
    op.create_table('unanswered_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terms', sa.String(length=200), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('last_at', storage.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unanswered_questions')),
    sa.UniqueConstraint('terms', name=op.f('uq_unanswered_questions_terms'))
    )
    op.create_table('faq_overrides',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_faq_overrides_updated_by_id_users')),
    sa.PrimaryKeyConstraint('code', 'locale', name=op.f('pk_faq_overrides'))
    )
    op.create_table('faq_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rated_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_faq_ratings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_ratings')),
    sa.UniqueConstraint('user_id', 'code', name=op.f('uq_faq_ratings_user_id'))
    )
    with op.batch_alter_table('faq_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faq_ratings_code'), ['code'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_proposals_answered_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposals_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accessible', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('numbered', sa.JSON(), server_default='[]', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('numbered')
        batch_op.drop_column('accessible')

    op.drop_table('proposals')
    with op.batch_alter_table('faq_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faq_ratings_code'))

    op.drop_table('faq_ratings')
    op.drop_table('faq_overrides')
    op.drop_table('unanswered_questions')
    op.drop_table('faq_views')
