from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ReplyTemplateRow


class ReplyTemplateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self) -> Sequence[ReplyTemplateRow]:
        stmt = select(ReplyTemplateRow).order_by(ReplyTemplateRow.key)
        return (await self._session.execute(stmt)).scalars().all()

    async def get(self, key: str) -> ReplyTemplateRow | None:
        return await self._session.get(ReplyTemplateRow, key)

    async def put(self, row: ReplyTemplateRow) -> None:
        existing = await self.get(row.key)
        if existing is None:
            self._session.add(row)
        else:
            existing.topics = row.topics
            existing.text_ru = row.text_ru
            existing.title = row.title
            existing.updated_by_id = row.updated_by_id
            existing.updated_at = row.updated_at

    async def delete(self, key: str) -> bool:
        result = await self._session.execute(
            delete(ReplyTemplateRow).where(ReplyTemplateRow.key == key)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
