"""Usage counters: added to in batches, read back summed over a span of days."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import UsageCount

# (day, channel, event)
UsageKey = tuple[date, str, str]


_UPSERTS: dict[str, Any] = {}


def _upsert(dialect: str) -> Any:
    if dialect not in _UPSERTS:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = UsageCount.__table__
        statement = insert(UsageCount)
        _UPSERTS[dialect] = statement.on_conflict_do_update(
            index_elements=["day", "channel", "event"],
            set_={"count": table.c.count + statement.excluded["count"]},
        )
    return _UPSERTS[dialect]


class UsageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, counts: Mapping[UsageKey, int]) -> None:
        """Add to the counters in one statement; a row new to the day is created. Both
        dialects have the same upsert, so two instances adding at once lose nothing."""
        if not counts:
            return
        rows = [
            {"day": day, "channel": channel, "event": event, "count": n}
            for (day, channel, event), n in counts.items()
        ]
        connection = await self._session.connection()
        # Core, not the ORM, and the rows as parameters: one cached statement for every
        # update (this runs in each update's transaction).
        await connection.execute(_upsert(connection.dialect.name), rows)

    async def totals(self, start: date, end: date) -> list[tuple[str, str, int]]:
        """(channel, event, count) summed over the days [start, end)."""
        total = func.sum(UsageCount.count)
        rows = await self._session.execute(
            select(UsageCount.channel, UsageCount.event, total)
            .where(UsageCount.day >= start, UsageCount.day < end)
            .group_by(UsageCount.channel, UsageCount.event)
            .order_by(UsageCount.channel, total.desc(), UsageCount.event)
        )
        return [(channel, event, int(n)) for channel, event, n in rows]
