from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import StaffPost


class StaffPostRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        appeal_id: int,
        platform: str,
        chat_id: str,
        *,
        message_id: str | None,
        thread_id: str | None,
        title: str,
        now: datetime,
    ) -> None:
        self._session.add(
            StaffPost(
                appeal_id=appeal_id,
                platform=platform,
                chat_id=chat_id,
                message_id=message_id,
                thread_id=thread_id,
                title=title,
                created_at=now,
            )
        )

    async def appeal_of(
        self, platform: str, chat_id: str, *, thread_id: str | None, reply_to: str | None
    ) -> int | None:
        """The appeal a staff message belongs to: by its forum topic, else by the message it
        answers."""
        base = select(StaffPost.appeal_id).where(
            StaffPost.platform == platform, StaffPost.chat_id == chat_id
        )
        if thread_id is not None:
            found = await self._session.scalar(
                base.where(StaffPost.thread_id == thread_id).limit(1)
            )
            if found is not None:
                return found
        if reply_to is not None:
            return await self._session.scalar(base.where(StaffPost.message_id == reply_to).limit(1))
        return None

    async def threads(self, appeal_id: int) -> Sequence[StaffPost]:
        """The forum topics of an appeal: one per staff chat, the first opened."""
        rows = await self._session.scalars(
            select(StaffPost)
            .where(StaffPost.appeal_id == appeal_id, StaffPost.thread_id.is_not(None))
            .order_by(StaffPost.id)
        )
        first: dict[tuple[str, str], StaffPost] = {}
        for row in rows:
            first.setdefault((row.platform, row.chat_id), row)
        return list(first.values())
