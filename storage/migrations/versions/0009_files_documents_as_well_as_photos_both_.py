"""files: documents as well as photos, both ways

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 23:13:10.703645
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('appeal_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('file_id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_appeal_files_appeal_id_appeals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_files'))
    )
    with op.batch_alter_table('appeal_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_files_appeal_id'), ['appeal_id'], unique=False)

    # Photos attached so far keep their order; they came from the appeal's own platform.
    op.execute(
        "INSERT INTO appeal_files (appeal_id, position, kind, platform, file_id, name, size) "
        "SELECT appeal_photos.appeal_id, appeal_photos.position, 'photo', appeals.platform, "
        "appeal_photos.file_id, '', NULL "
        "FROM appeal_photos JOIN appeals ON appeals.id = appeal_photos.appeal_id"
    )
    with op.batch_alter_table('appeal_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_photos_appeal_id'))

    op.drop_table('appeal_photos')
    with op.batch_alter_table('appeal_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('files', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('appeal_answers', schema=None) as batch_op:
        batch_op.alter_column('files', server_default=None)

    # Earlier replies carried photo ids only; they are dropped with the column (nothing
    # had been deployed with it).
    with op.batch_alter_table('appeal_notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('files', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.drop_column('photos')
    with op.batch_alter_table('appeal_notes', schema=None) as batch_op:
        batch_op.alter_column('files', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('appeal_notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photos', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.drop_column('files')

    with op.batch_alter_table('appeal_answers', schema=None) as batch_op:
        batch_op.drop_column('files')

    op.create_table('appeal_photos',
    sa.Column('id', sa.INTEGER(), nullable=False),
    sa.Column('appeal_id', sa.INTEGER(), nullable=False),
    sa.Column('position', sa.INTEGER(), nullable=False),
    sa.Column('file_id', sa.VARCHAR(length=255), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_appeal_photos_appeal_id_appeals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_photos'))
    )
    with op.batch_alter_table('appeal_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_photos_appeal_id'), ['appeal_id'], unique=False)

    with op.batch_alter_table('appeal_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_files_appeal_id'))

    op.drop_table('appeal_files')
