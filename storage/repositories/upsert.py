"""INSERT … ON CONFLICT, which SQLite and PostgreSQL both have, each in its own dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite


def insert_for(dialect: str) -> Any:
    """The dialect's ``insert`` (the one with ``on_conflict_do_…``)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert
