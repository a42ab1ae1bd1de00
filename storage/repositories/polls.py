"""Polls, surveys and public discussions: what they ask, who answered, what was decided."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Discussion,
    DiscussionComment,
    Poll,
    PollResponse,
    PollStatus,
    User,
)
from storage.repositories.mailings import in_audience


class PollRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- polls ------------------------------------------------------------------------

    async def add(self, poll: Poll) -> Poll:
        self._session.add(poll)
        await self._session.flush()
        return poll

    async def get(self, poll_id: int, *, for_update: bool = False) -> Poll | None:
        return await self._session.get(Poll, poll_id, with_for_update=for_update or None)

    async def delete(self, poll: Poll) -> None:
        await self._session.delete(poll)

    async def with_status(self, *statuses: PollStatus, limit: int = 50) -> Sequence[Poll]:
        return (
            await self._session.scalars(
                select(Poll).where(Poll.status.in_(statuses)).order_by(Poll.id.desc()).limit(limit)
            )
        ).all()

    async def due_to_open(self, now: datetime) -> Sequence[Poll]:
        return (
            await self._session.scalars(
                select(Poll)
                .where(Poll.status == PollStatus.SCHEDULED, Poll.opens_at <= now)
                .with_for_update()
            )
        ).all()

    async def due_to_close(self, now: datetime) -> Sequence[Poll]:
        return (
            await self._session.scalars(
                select(Poll)
                .where(Poll.status == PollStatus.OPEN, Poll.closes_at <= now)
                .with_for_update()
            )
        ).all()

    async def due_to_remind(self, before: datetime) -> Sequence[Poll]:
        """Open polls closing before ``before`` whose reminder has not gone out."""
        return (
            await self._session.scalars(
                select(Poll)
                .where(
                    Poll.status == PollStatus.OPEN,
                    Poll.closes_at <= before,
                    Poll.reminded_at.is_(None),
                )
                .with_for_update()
            )
        ).all()

    # --- responses ----------------------------------------------------------------------

    async def response(
        self, poll_id: int, user_id: int, *, for_update: bool = False
    ) -> PollResponse | None:
        query = select(PollResponse).where(
            PollResponse.poll_id == poll_id, PollResponse.user_id == user_id
        )
        if for_update:
            query = query.with_for_update(of=PollResponse)
        return await self._session.scalar(query)

    async def start_response(self, response: PollResponse) -> PollResponse | None:
        """A new response; None when the person already has one (the unique key on poll and
        person refuses it, in a savepoint, so the rest of the unit of work goes on)."""
        response.answers = []
        try:
            async with self._session.begin_nested():
                self._session.add(response)
        except IntegrityError:
            return None
        return response

    async def responses(self, poll_id: int) -> Sequence[PollResponse]:
        return (
            await self._session.scalars(
                select(PollResponse)
                .where(PollResponse.poll_id == poll_id)
                .order_by(PollResponse.id)
            )
        ).all()

    async def completed_count(self, poll_id: int) -> int:
        return int(
            await self._session.scalar(
                select(func.count())
                .select_from(PollResponse)
                .where(PollResponse.poll_id == poll_id, PollResponse.completed_at.is_not(None))
            )
            or 0
        )

    async def completed_user_ids(self, poll_id: int) -> set[int]:
        rows = await self._session.scalars(
            select(PollResponse.user_id).where(
                PollResponse.poll_id == poll_id, PollResponse.completed_at.is_not(None)
            )
        )
        return set(rows)

    async def open_for(self, now: datetime) -> Sequence[Poll]:
        return (
            await self._session.scalars(
                select(Poll)
                .where(Poll.status == PollStatus.OPEN, Poll.closes_at > now)
                .order_by(Poll.closes_at)
            )
        ).all()

    # --- audiences ----------------------------------------------------------------------

    async def audience(self, audience: str) -> Sequence[User]:
        """Everyone the bot knows, the members of reference groups, or those who filed or
        follow appeals on a topic."""
        query = select(User).where(in_audience(audience)).order_by(User.id)
        return (await self._session.scalars(query)).all()

    async def in_audience(self, audience: str, user_id: int) -> bool:
        found = await self._session.scalar(
            select(func.count()).select_from(User).where(User.id == user_id, in_audience(audience))
        )
        return bool(found)

    # --- public discussions -------------------------------------------------------------

    async def add_discussion(self, discussion: Discussion) -> Discussion:
        self._session.add(discussion)
        await self._session.flush()
        return discussion

    async def discussion(
        self, discussion_id: int, *, for_update: bool = False
    ) -> Discussion | None:
        return await self._session.get(
            Discussion, discussion_id, with_for_update=for_update or None
        )

    async def discussions(self, *statuses: PollStatus, limit: int = 20) -> Sequence[Discussion]:
        return (
            await self._session.scalars(
                select(Discussion)
                .where(Discussion.status.in_(statuses))
                .order_by(Discussion.id.desc())
                .limit(limit)
            )
        ).all()

    async def discussions_due_to_open(self, now: datetime) -> Sequence[Discussion]:
        return (
            await self._session.scalars(
                select(Discussion)
                .where(Discussion.status == PollStatus.SCHEDULED, Discussion.opens_at <= now)
                .with_for_update()
            )
        ).all()

    async def discussions_due_to_close(self, now: datetime) -> Sequence[Discussion]:
        return (
            await self._session.scalars(
                select(Discussion)
                .where(Discussion.status == PollStatus.OPEN, Discussion.closes_at <= now)
                .with_for_update()
            )
        ).all()

    async def add_comment(self, comment: DiscussionComment) -> DiscussionComment:
        self._session.add(comment)
        await self._session.flush()
        return comment

    async def comment(
        self, comment_id: int, *, for_update: bool = False
    ) -> DiscussionComment | None:
        return await self._session.get(
            DiscussionComment, comment_id, with_for_update=for_update or None
        )

    async def comments(self, discussion_id: int) -> Sequence[DiscussionComment]:
        return (
            await self._session.scalars(
                select(DiscussionComment)
                .where(DiscussionComment.discussion_id == discussion_id)
                .order_by(DiscussionComment.id)
            )
        ).all()
