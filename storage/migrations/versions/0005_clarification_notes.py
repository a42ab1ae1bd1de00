"""clarification notes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 22:48:07.562676
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('appeal_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('question', 'reply', name='notekind', native_enum=False, length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_appeal_notes_appeal_id_appeals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_appeal_notes_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_notes'))
    )
    with op.batch_alter_table('appeal_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_notes_appeal_id'), ['appeal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('appeal_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_notes_appeal_id'))

    op.drop_table('appeal_notes')
