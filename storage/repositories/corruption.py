from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CorruptionReport


class CorruptionReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, report: CorruptionReport) -> CorruptionReport:
        self._session.add(report)
        await self._session.flush()
        return report

    async def get(self, report_id: int) -> CorruptionReport | None:
        return await self._session.get(CorruptionReport, report_id, with_for_update=True)

    async def latest(self, limit: int) -> Sequence[CorruptionReport]:
        stmt = select(CorruptionReport).order_by(CorruptionReport.id.desc()).limit(limit)
        return (await self._session.execute(stmt)).scalars().all()
