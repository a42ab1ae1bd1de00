from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> Conversation | None:
        return await self._session.get(Conversation, user_id)

    async def save(self, user_id: int, state: str, data: dict[str, Any]) -> None:
        conversation = await self.get(user_id)
        if conversation is None:
            self._session.add(Conversation(user_id=user_id, state=state, data=dict(data)))
        else:
            conversation.state = state
            # A new dict object, so the JSON column is seen as changed.
            conversation.data = dict(data)

    async def clear(self, user_id: int) -> None:
        await self._session.execute(delete(Conversation).where(Conversation.user_id == user_id))
