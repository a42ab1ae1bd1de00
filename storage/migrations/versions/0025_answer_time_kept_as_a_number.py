"""the answer time kept as a number, in the index the period reports read; daily roll-ups

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("appeals") as batch:
        batch.add_column(sa.Column("answer_seconds", sa.Float(), nullable=True))
    seconds = (
        "EXTRACT(EPOCH FROM (first_answered_at - created_at))"
        if op.get_bind().dialect.name == "postgresql"
        else "(julianday(first_answered_at) - julianday(created_at)) * 86400.0"
    )
    op.execute(
        f"UPDATE appeals SET answer_seconds = {seconds} WHERE first_answered_at IS NOT NULL"
    )
    with op.batch_alter_table("appeals") as batch:
        batch.drop_index("ix_appeals_period_answered")
        batch.create_index(
            "ix_appeals_period_answered", ["first_answered_at", "department", "answer_seconds"]
        )
    op.create_table(
        "report_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day_start", storage.models.UTCDateTime(), nullable=False),
        sa.Column("day_end", storage.models.UTCDateTime(), nullable=False),
        sa.Column("department", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("due", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("answered", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_days")),
        sa.UniqueConstraint(
            "day_start", "department", "topic", name=op.f("uq_report_days_day_start")
        ),
    )
    op.create_table(
        "report_days_counted",
        sa.Column("day_start", storage.models.UTCDateTime(), nullable=False),
        sa.Column("day_end", storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day_start", name=op.f("pk_report_days_counted")),
    )
    op.create_index("ix_report_days_counted_end", "report_days_counted", ["day_end"])


def downgrade() -> None:
    op.drop_index("ix_report_days_counted_end", table_name="report_days_counted")
    op.drop_table("report_days_counted")
    op.drop_table("report_days")
    with op.batch_alter_table("appeals") as batch:
        batch.drop_index("ix_appeals_period_answered")
        batch.create_index(
            "ix_appeals_period_answered", ["first_answered_at", "created_at", "department"]
        )
        batch.drop_column("answer_seconds")
