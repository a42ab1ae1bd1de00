from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobRun


class JobRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def ensure(self, name: str) -> None:
        """The job's row exists (for its lock); call in a transaction of its own."""
        if await self._session.get(JobRun, name) is not None:
            return
        self._session.add(JobRun(name=name, slot=None, finished_at=None))
        try:
            await self._session.flush()
        except IntegrityError:
            await self._session.rollback()  # another instance wrote it first: as good

    async def take(self, name: str) -> JobRun | None:
        """The job's row, locked until this transaction ends; None while another instance
        holds it (that one is running the job: this one leaves it). On SQLite, with one
        process writing at a time, the row itself."""
        return await self._session.get(
            JobRun, name, with_for_update={"skip_locked": True}, populate_existing=True
        )

    async def last_slot(self, name: str) -> datetime | None:
        run = await self._session.get(JobRun, name)
        return run.slot if run else None

    async def record(self, name: str, slot: datetime | None, finished_at: datetime) -> None:
        run = await self._session.get(JobRun, name)
        if run is None:
            self._session.add(JobRun(name=name, slot=slot, finished_at=finished_at))
        else:
            run.slot = slot if slot is not None else run.slot
            run.finished_at = finished_at
