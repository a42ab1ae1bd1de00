"""departments and staff roles

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:23:01.542550
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('staff_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('department', sa.String(length=32), nullable=False),
    sa.Column('role', sa.Enum('admin', 'head', 'operator', 'anticorruption', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_staff_members_added_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_members')),
    sa.UniqueConstraint('platform', 'external_id', 'department', name=op.f('uq_staff_members_platform'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('department', sa.String(length=32), nullable=False, server_default='general')
        )
        batch_op.create_index(batch_op.f('ix_appeals_department'), ['department'], unique=False)
    # Existing appeals go to the department of the same name as their topic (the shipped
    # catalogue), and "other" to the general office.
    op.execute(
        "UPDATE appeals SET department = topic WHERE topic IN "
        "('housing', 'waste', 'energy', 'education', 'health', 'roads', 'transport', 'social')"
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.alter_column('department', server_default=None)



def downgrade() -> None:
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeals_department'))
        batch_op.drop_column('department')

    op.drop_table('staff_members')
