"""unanswered FAQ questions kept as anonymous terms

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Questions the FAQ had no answer to were kept as typed (a phone number, a surname):
    # from now on only their words, without numbers and names. What was kept before is
    # rewritten the same way; rows that come to the same words are added up.
    from handlers.faq.faq_search import anonymous_terms

    table = sa.table(
        "unanswered_questions",
        sa.column("id", sa.Integer),
        sa.column("terms", sa.String),
        sa.column("text", sa.String),
        sa.column("count", sa.Integer),
        sa.column("last_at", sa.DateTime),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(table.c.id, table.c.terms, table.c.text, table.c.count, table.c.last_at)
    ).all()
    merged: dict[str, tuple[str, int, object]] = {}
    for row in rows:
        words = anonymous_terms(row.text)
        if not words:
            continue
        key = " ".join(sorted(words))[:200]
        text = " ".join(words)[:300]
        _, count, last_at = merged.get(key, (text, 0, row.last_at))
        merged[key] = (text, count + row.count, max(last_at, row.last_at))
    connection.execute(sa.delete(table))
    if merged:
        connection.execute(
            sa.insert(table),
            [
                {"terms": key, "text": text, "count": count, "last_at": last_at}
                for key, (text, count, last_at) in merged.items()
            ],
        )


def downgrade() -> None:
    # What was typed is gone for good; the anonymous words stay.
    pass
