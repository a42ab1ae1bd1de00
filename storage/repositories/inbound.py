from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboundUpdate


class InboundRepository:
    """The ledger of updates handled (see :class:`~storage.models.InboundUpdate`)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def first_time(self, key: str, now: datetime) -> bool:
        """Note the update as handled in this transaction, right before its commit; False
        when it already was: the transaction, the update's work with it, is then rolled
        back. On PostgreSQL a copy being handled by another instance waits here for that
        one's commit."""
        await self._session.flush()  # the update's own writes fail (or not) on their own
        self._session.add(InboundUpdate(key=key[:128], received_at=now))
        try:
            await self._session.flush()
        except IntegrityError:
            await self._session.rollback()
            return False
        return True

    async def forget_before(self, moment: datetime) -> int:
        """Platforms redeliver within hours (Telegram keeps updates a day): older entries go."""
        result = await self._session.execute(
            delete(InboundUpdate).where(InboundUpdate.received_at < moment)
        )
        return int(getattr(result, "rowcount", 0) or 0)
