"""The outbox as the sender sees it: claiming what nobody sends, keeping and handing back
leases, and recording outcomes (through the core, which knows what follows from them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.contracts import Outgoing
from handlers.core import ConversationCore
from handlers.outgoing import outbox
from handlers.outgoing.outgoing_codec import decode
from storage.models import OutboxMessage
from storage.uow import UnitOfWork


class DatabaseOutbox:
    def __init__(
        self,
        core: ConversationCore,
        holder: outbox.Holder,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._core = core
        self._factory: async_sessionmaker[AsyncSession] = core.session_factory
        self._holder = holder
        self._clock = clock

    async def take_over(self) -> None:
        """One instance only (SQLite): what an earlier process held is free at once, rather
        than when its lease runs out."""
        async with self._core.writing, UnitOfWork(self._factory) as uow:
            await uow.outbox.release_all()
            await uow.commit()

    async def claim(self, limit: int) -> list[tuple[Outgoing, datetime, int]]:
        now = self._clock()
        async with UnitOfWork(self._factory) as uow:
            # A look first, without the write lock: most of the time there is nothing.
            if not await uow.outbox.anything_free(now):
                return []
        async with self._core.writing, UnitOfWork(self._factory) as uow:
            rows = await uow.outbox.claim(
                self._holder.instance, now, now + self._holder.lease, limit
            )
            await uow.commit()
        return [(_message(row), row.created_at, row.attempts) for row in rows]

    async def renew(self) -> None:
        async with self._core.writing, UnitOfWork(self._factory) as uow:
            await uow.outbox.renew(self._holder.instance, self._clock() + self._holder.lease)
            await uow.commit()

    async def release(self) -> None:
        async with self._core.writing, UnitOfWork(self._factory) as uow:
            await uow.outbox.release(self._holder.instance)
            await uow.commit()

    async def settle(self, outcomes: Sequence[outbox.Outcome]) -> list[Outgoing]:
        return await self._core.settle(outcomes)


def _message(row: OutboxMessage) -> Outgoing:
    return decode(row.message, row.id)
