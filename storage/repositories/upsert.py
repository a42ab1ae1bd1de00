"""INSERT … ON CONFLICT, which SQLite and PostgreSQL both have, each in its own dialect."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite


def insert_for(dialect: str) -> Any:
    """The dialect's ``insert`` (the one with ``on_conflict_do_…``)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


@functools.cache
def replace_on(dialect: str, model: type, key: str, columns: Sequence[str]) -> Any:
    """INSERT a row, or where ``key`` is taken, set ``columns`` to the new row's: one
    statement, built once per dialect (``columns`` a tuple, to be cached)."""
    statement = insert_for(dialect)(model)
    return statement.on_conflict_do_update(
        index_elements=[key], set_={name: statement.excluded[name] for name in columns}
    )
