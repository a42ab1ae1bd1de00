"""What the open datasets read: aggregates only, never a person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Appeal, GroupMember, MemberStatus, Poll, PollStatus, RefGroup


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
