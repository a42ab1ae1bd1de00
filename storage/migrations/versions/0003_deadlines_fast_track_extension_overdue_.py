"""deadlines: fast track, extension, overdue, job runs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 22:29:37.485240
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('job_runs',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('slot', storage.models.UTCDateTime(), nullable=False),
    sa.Column('finished_at', storage.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('urgent', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('extended_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('extension_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('overdue_notified_at', storage.models.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_appeals_status_due', ['status', 'due_at'], unique=False)
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.alter_column('urgent', server_default=None)



def downgrade() -> None:
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index('ix_appeals_status_due')
        batch_op.drop_column('overdue_notified_at')
        batch_op.drop_column('extension_reason')
        batch_op.drop_column('extended_days')
        batch_op.drop_column('urgent')

    op.drop_table('job_runs')
