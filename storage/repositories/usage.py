"""Usage counters: added to in batches, read back summed over a span of days."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import UsageCount

# (day, channel, event)
UsageKey = tuple[date, str, str]


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
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(UsageCount).values(rows)
        statement = statement.on_conflict_do_update(
            index_elements=["day", "channel", "event"],
            set_={"count": UsageCount.count + statement.excluded["count"]},
        )
        await self._session.execute(statement)

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
