from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboundUpdate
from storage.repositories.upsert import insert_for


@functools.cache
def _note(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING key: a row back only when it is new."""
    return (
        insert_for(dialect)(InboundUpdate)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(InboundUpdate.key)
    )


class InboundRepository:
    """The ledger of updates handled (see :class:`~storage.models.InboundUpdate`)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def first_time(self, key: str, now: datetime) -> bool:
        """Note the update as handled in this transaction, right before its commit; False
        when it already was: the transaction, the update's work with it, is then rolled
        back. On PostgreSQL a copy being handled by another instance waits here for that
        one's commit."""
        connection = await self._session.connection()
        # Core, one cached statement: this runs for every update.
        noted = await connection.execute(
            _note(connection.dialect.name), {"key": key[:128], "received_at": now}
        )
        if noted.first() is None:
            await self._session.rollback()
            return False
        return True

    async def forget_before(self, moment: datetime) -> int:
        """Platforms redeliver within hours (Telegram keeps updates a day): older entries go."""
        result = await self._session.execute(
            delete(InboundUpdate).where(InboundUpdate.received_at < moment)
        )
        return int(getattr(result, "rowcount", 0) or 0)
