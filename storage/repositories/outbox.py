"""The outbox: messages written with the change that caused them, sent from here."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import OutboxMessage, OutboxStatus

PENDING = OutboxStatus.PENDING


@dataclass(frozen=True, slots=True)
class Backlog:
    """What waits to be sent on one platform."""

    platform: str
    pending: int
    oldest: datetime | None


@functools.cache
def _insert() -> Any:
    return insert(OutboxMessage).returning(OutboxMessage.id, sort_by_parameter_order=True)


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        rows: Sequence[tuple[str, str, dict[str, Any]]],
        now: datetime,
        owner: str | None,
        lease_until: datetime | None,
    ) -> list[int]:
        """Write (platform, chat, message) rows, held by ``owner`` (the instance that will
        send them at once after the commit) until ``lease_until``; their ids, in order."""
        if not rows:
            return []
        connection = await self._session.connection()
        result = await connection.execute(
            _insert(),
            [
                {
                    "platform": platform,
                    "chat_id": chat_id,
                    "message": message,
                    "status": PENDING,
                    "attempts": 0,
                    "created_at": now,
                    "next_at": now,
                    "claimed_by": owner,
                    "lease_until": lease_until,
                }
                for platform, chat_id, message in rows
            ],
        )
        return [row[0] for row in result]

    async def anything_free(self, now: datetime) -> bool:
        """Whether a pending row is due that nobody holds (read only)."""
        found = await self._session.scalar(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == PENDING,
                OutboxMessage.next_at <= now,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            )
            .limit(1)
        )
        return found is not None

    async def claim(
        self, owner: str, now: datetime, until: datetime, limit: int
    ) -> list[OutboxMessage]:
        """Pending rows that are due and held by nobody alive, oldest first, now held by
        ``owner``. A row waits while an earlier row of its chat is still held by another
        instance, so a chat reads its messages in order; rows another instance is claiming
        at this moment are passed over (PostgreSQL), not waited for."""
        earlier = aliased(OutboxMessage)
        held_elsewhere = exists().where(
            earlier.platform == OutboxMessage.platform,
            earlier.chat_id == OutboxMessage.chat_id,
            earlier.status == PENDING,
            earlier.id < OutboxMessage.id,
            earlier.claimed_by != owner,
            earlier.lease_until >= now,
        )
        free = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == PENDING,
                OutboxMessage.next_at <= now,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
                ~held_elsewhere,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        taken = await self._session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(free))
            .values(claimed_by=owner, lease_until=until)
            .returning(OutboxMessage),
            execution_options={"synchronize_session": False},
        )
        return sorted(taken.all(), key=lambda row: row.id)

    async def renew(self, owner: str, until: datetime) -> None:
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.claimed_by == owner, OutboxMessage.status == PENDING)
            .values(lease_until=until)
        )

    async def release(self, owner: str) -> None:
        """What ``owner`` holds and has not sent is free for whoever sends next (a clean
        stop: a restart or another instance need not wait for the lease to run out)."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.claimed_by == owner, OutboxMessage.status == PENDING)
            .values(claimed_by=None, lease_until=None)
        )

    async def release_all(self) -> None:
        """One instance only (SQLite): what an earlier process held is this one's now."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == PENDING, OutboxMessage.claimed_by.is_not(None))
            .values(claimed_by=None, lease_until=None)
        )

    async def mark_sent(self, ids: Iterable[int], now: datetime) -> None:
        ids = list(ids)
        if ids:
            await self._session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(
                    status=OutboxStatus.SENT,
                    sent_at=now,
                    attempts=OutboxMessage.attempts + 1,
                    error=None,
                    claimed_by=None,
                    lease_until=None,
                )
            )

    async def mark_superseded(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if ids:
            await self._session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(status=OutboxStatus.SUPERSEDED, claimed_by=None, lease_until=None)
            )

    async def mark_retry(
        self, outbox_id: int, attempts: int, next_at: datetime, error: str
    ) -> None:
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.status == PENDING)
            .values(attempts=attempts, next_at=next_at, error=error[:200])
        )

    async def mark_undeliverable(self, outbox_id: int, attempts: int, error: str) -> None:
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(
                status=OutboxStatus.UNDELIVERABLE,
                attempts=attempts,
                error=error[:200],
                claimed_by=None,
                lease_until=None,
            )
        )

    async def backlog(self) -> list[Backlog]:
        """Per platform: how many wait, and since when the oldest of them."""
        rows = await self._session.execute(
            select(
                OutboxMessage.platform,
                func.count(),
                func.min(OutboxMessage.created_at),
            )
            .where(OutboxMessage.status == PENDING)
            .group_by(OutboxMessage.platform)
        )
        return [Backlog(platform, count, oldest) for platform, count, oldest in rows]

    async def undeliverable(self) -> dict[str, int]:
        rows = await self._session.execute(
            select(OutboxMessage.platform, func.count())
            .where(OutboxMessage.status == OutboxStatus.UNDELIVERABLE)
            .group_by(OutboxMessage.platform)
        )
        return {platform: count for platform, count in rows}

    async def forget_before(self, settled: datetime, undeliverable: datetime) -> int:
        """What was sent (or superseded) before ``settled`` and reported undeliverable before
        ``undeliverable``: the texts it holds are personal data, kept no longer than needed."""
        result = await self._session.execute(
            delete(OutboxMessage).where(
                or_(
                    and_(
                        OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.SUPERSEDED)),
                        OutboxMessage.created_at < settled,
                    ),
                    and_(
                        OutboxMessage.status == OutboxStatus.UNDELIVERABLE,
                        OutboxMessage.created_at < undeliverable,
                    ),
                )
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def forget_chats(self, chats: Iterable[tuple[str, str]]) -> None:
        """Erasure (/forget): every message to these chats, sent or not."""
        for platform, chat_id in chats:
            await self._session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.platform == platform, OutboxMessage.chat_id == chat_id
                )
            )
