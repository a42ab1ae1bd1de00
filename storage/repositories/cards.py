from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LiveCard


class LiveCardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, appeal_id: int) -> LiveCard | None:
        return await self._session.get(LiveCard, appeal_id)

    async def put(self, appeal_id: int, platform: str, chat_id: str, message_id: str) -> None:
        card = await self.get(appeal_id)
        if card is None:
            self._session.add(
                LiveCard(
                    appeal_id=appeal_id, platform=platform, chat_id=chat_id, message_id=message_id
                )
            )
        else:
            card.platform, card.chat_id, card.message_id = platform, chat_id, message_id
