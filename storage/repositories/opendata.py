"""What the open datasets and Open311 read: aggregates, and of each appeal only what may be
public (never its author, text or exact place: the caller coarsens the place)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Appeal,
    AppealStatus,
    GroupMember,
    MemberStatus,
    Poll,
    PollStatus,
    RefGroup,
)


@dataclass(frozen=True, slots=True)
class PublicAppeal:
    """The columns of an appeal that Open311 may show, some of them only coarsened."""

    id: int
    topic: str
    department: str
    status: AppealStatus
    created_at: datetime
    due_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    latitude: float | None
    longitude: float | None
    public_text: str | None


_PUBLIC_COLUMNS = (
    Appeal.id,
    Appeal.topic,
    Appeal.department,
    Appeal.status,
    Appeal.created_at,
    Appeal.due_at,
    Appeal.answered_at,
    Appeal.closed_at,
    Appeal.latitude,
    Appeal.longitude,
    Appeal.public_text,
)


class OpenDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def first_appeal_at(self) -> datetime | None:
        moment: datetime | None = await self._session.scalar(select(func.min(Appeal.created_at)))
        return moment

    async def appeals_by_topic_and_status(
        self, start: datetime, end: datetime
    ) -> list[tuple[str, str, int]]:
        """(topic, status, count) of the appeals registered in [start, end)."""
        rows = await self._session.execute(
            select(Appeal.topic, Appeal.status, func.count())
            .where(Appeal.created_at >= start, Appeal.created_at < end)
            .group_by(Appeal.topic, Appeal.status)
            .order_by(Appeal.topic, Appeal.status)
        )
        return [(topic, str(status), int(n)) for topic, status, n in rows]

    async def groups_with_members(self) -> list[tuple[RefGroup, int]]:
        members = func.count(GroupMember.id)
        rows = await self._session.execute(
            select(RefGroup, members)
            .outerjoin(
                GroupMember,
                and_(
                    GroupMember.group_id == RefGroup.id,
                    GroupMember.status == MemberStatus.MEMBER,
                ),
            )
            .where(RefGroup.archived.is_(False))
            .group_by(RefGroup.id)
            .order_by(RefGroup.code)
        )
        return [(group, int(n)) for group, n in rows]

    async def public_polls(self) -> Sequence[Poll]:
        """Closed polls open to everyone whose results were announced."""
        found = await self._session.scalars(
            select(Poll)
            .where(
                Poll.status == PollStatus.CLOSED,
                Poll.share_results.is_(True),
                Poll.audience == "all",
            )
            .order_by(Poll.id)
        )
        return found.all()

    async def public_appeals(
        self,
        start: datetime,
        end: datetime,
        *,
        topics: Collection[str] = (),
        statuses: Collection[AppealStatus] = (),
        limit: int,
    ) -> list[PublicAppeal]:
        """Appeals registered in [start, end), newest first, at most ``limit``."""
        stmt = select(*_PUBLIC_COLUMNS).where(Appeal.created_at >= start, Appeal.created_at < end)
        if topics:
            stmt = stmt.where(Appeal.topic.in_(topics))
        if statuses:
            stmt = stmt.where(Appeal.status.in_(statuses))
        rows = await self._session.execute(
            stmt.order_by(Appeal.created_at.desc(), Appeal.id.desc()).limit(limit)
        )
        return [PublicAppeal(*row) for row in rows]

    async def public_appeals_by_id(self, ids: Collection[int]) -> list[PublicAppeal]:
        rows = await self._session.execute(
            select(*_PUBLIC_COLUMNS).where(Appeal.id.in_(ids)).order_by(Appeal.id)
        )
        return [PublicAppeal(*row) for row in rows]
