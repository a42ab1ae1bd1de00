"""usage counters split into shards

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-24 02:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The counts so far become shard 0 of their counters.
    with op.batch_alter_table("usage_counts", recreate="always") as batch_op:
        batch_op.add_column(
            sa.Column("shard", sa.SmallInteger(), nullable=False, server_default="0")
        )
        batch_op.drop_constraint("pk_usage_counts", type_="primary")
        batch_op.create_primary_key("pk_usage_counts", ["day", "channel", "event", "shard"])
    with op.batch_alter_table("usage_counts") as batch_op:
        batch_op.alter_column("shard", server_default=None)


def downgrade() -> None:
    # Each counter's shards summed into one row (marked -1 while the others are deleted).
    op.execute(
        "INSERT INTO usage_counts (day, channel, event, shard, count) "
        "SELECT day, channel, event, -1, SUM(count) FROM usage_counts "
        "GROUP BY day, channel, event"
    )
    op.execute("DELETE FROM usage_counts WHERE shard <> -1")
    with op.batch_alter_table("usage_counts", recreate="always") as batch_op:
        batch_op.drop_constraint("pk_usage_counts", type_="primary")
        batch_op.drop_column("shard")
        batch_op.create_primary_key("pk_usage_counts", ["day", "channel", "event"])
