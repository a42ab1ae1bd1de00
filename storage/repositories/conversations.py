from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Delete, bindparam, delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation, utcnow
from storage.repositories.upsert import replace_on


@functools.cache
def _clear() -> Delete:
    return delete(Conversation).where(Conversation.user_id == bindparam("user_id"))


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, user_id: int, state: str, data: dict[str, Any]) -> None:
        """Where the person now is, in one upsert (this runs for nearly every update, and an
        ORM flush of the row cost three times as much). A Conversation already loaded in this
        session is not updated: the conversation is saved last, once per update."""
        connection = await self._session.connection()
        await connection.execute(
            replace_on(
                connection.dialect.name,
                Conversation,
                "user_id",
                ("state", "data", "updated_at"),
            ),
            {"user_id": user_id, "state": state, "data": dict(data), "updated_at": utcnow()},
        )

    async def clear(self, user_id: int) -> None:
        await self._session.execute(_clear(), {"user_id": user_id})
