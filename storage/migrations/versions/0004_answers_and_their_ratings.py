"""answers and their ratings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 22:39:24.682284
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('appeal_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_appeal_answers_appeal_id_appeals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_appeal_answers_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_answers')),
    sa.UniqueConstraint('appeal_id', 'number', name=op.f('uq_appeal_answers_appeal_id'))
    )
    op.create_table('answer_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['appeal_answers.id'], name=op.f('fk_answer_ratings_answer_id_appeal_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_ratings')),
    sa.UniqueConstraint('answer_id', name=op.f('uq_answer_ratings_answer_id'))
    )
    # The answer given so far becomes answer number 1.
    op.execute(
        "INSERT INTO appeal_answers (appeal_id, number, text, author_id, created_at) "
        "SELECT id, 1, answer, assignee_id, COALESCE(answered_at, created_at) "
        "FROM appeals WHERE answer IS NOT NULL"
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_column('answer')



def downgrade() -> None:
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer', sa.TEXT(), nullable=True))
    op.execute(
        "UPDATE appeals SET answer = (SELECT text FROM appeal_answers "
        "WHERE appeal_answers.appeal_id = appeals.id ORDER BY number DESC LIMIT 1)"
    )

    op.drop_table('answer_ratings')
    op.drop_table('appeal_answers')
