from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LiveCard
from storage.repositories.upsert import replace_on

_WHERE_IT_IS = ("platform", "chat_id", "message_id")


class LiveCardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, appeal_id: int) -> LiveCard | None:
        return await self._session.get(LiveCard, appeal_id)

    async def put(self, appeal_id: int, platform: str, chat_id: str, message_id: str) -> None:
        """Where the appeal's card now is. One statement: when two updates each sent a card
        before either was noted, the later one wins, with no conflict to retry."""
        connection = await self._session.connection()
        await connection.execute(
            replace_on(connection.dialect.name, LiveCard, "appeal_id", _WHERE_IT_IS),
            {
                "appeal_id": appeal_id,
                "platform": platform,
                "chat_id": chat_id,
                "message_id": message_id,
            },
        )
