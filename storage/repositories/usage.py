"""Usage counters: added to in batches, read back summed over a span of days."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import UsageCount
from storage.repositories.upsert import insert_for

# (day, channel, event)
UsageKey = tuple[date, str, str]


@functools.cache
def _upsert(dialect: str) -> Any:
    statement = insert_for(dialect)(UsageCount)
    return statement.on_conflict_do_update(
        index_elements=["day", "channel", "event"],
        set_={"count": UsageCount.__table__.c.count + statement.excluded["count"]},
    )


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
