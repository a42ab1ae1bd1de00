from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobRun


class JobRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def last_slot(self, name: str, *, for_update: bool = False) -> datetime | None:
        run = await self._session.get(JobRun, name, with_for_update=for_update)
        return run.slot if run else None

    async def record(self, name: str, slot: datetime, finished_at: datetime) -> None:
        run = await self._session.get(JobRun, name)
        if run is None:
            self._session.add(JobRun(name=name, slot=slot, finished_at=finished_at))
        else:
            run.slot = slot
            run.finished_at = finished_at
