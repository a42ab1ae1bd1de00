from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, raiseload

from storage.models import AnswerRating, Appeal, AppealAnswer, AppealEvent, AppealStatus

OPEN_STATUSES = (AppealStatus.NEW, AppealStatus.IN_PROGRESS, AppealStatus.NEEDS_INFO)
LOW_SCORE = 2


class Candidate(NamedTuple):
    """An open appeal as similar.find compares it."""

    id: int
    citizen_id: int
    text: str
    latitude: float | None
    longitude: float | None


@functools.cache
def _open_in_topic(limit: int) -> Select[int, int, str, float | None, float | None]:
    return (
        select(Appeal.id, Appeal.citizen_id, Appeal.text, Appeal.latitude, Appeal.longitude)
        .where(Appeal.status.in_(OPEN_STATUSES), Appeal.topic == bindparam("topic"))
        .order_by(Appeal.id.desc())
        .limit(limit)
    )


@functools.cache
def _listed() -> Select[Appeal]:
    return (
        select(Appeal)
        .options(
            raiseload(Appeal.files),
            raiseload(Appeal.followers),
            raiseload(Appeal.notes),
            raiseload(Appeal.answers),
        )
        .where(Appeal.id.in_(bindparam("ids", expanding=True)))
    )


class AppealRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, appeal: Appeal) -> Appeal:
        self._session.add(appeal)
        await self._session.flush()
        return appeal

    async def get(self, appeal_id: int, *, for_update: bool = False) -> Appeal | None:
        stmt = select(Appeal).options(joinedload(Appeal.citizen)).where(Appeal.id == appeal_id)
        if for_update:
            # A row lock on PostgreSQL so two operators cannot move one appeal at once;
            # SQLite has one writer anyway and ignores it.
            stmt = stmt.with_for_update(of=Appeal)
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def list_by_citizen(self, citizen_id: int, limit: int) -> Sequence[Appeal]:
        stmt = (
            select(Appeal)
            .where(Appeal.citizen_id == citizen_id)
            .order_by(Appeal.created_at.desc(), Appeal.id.desc())
            .limit(limit)
        )
        return (await self._session.execute(stmt)).scalars().all()

    async def count_by_citizen(self, citizen_id: int) -> int:
        stmt = select(func.count()).select_from(Appeal).where(Appeal.citizen_id == citizen_id)
        return int((await self._session.execute(stmt)).scalar_one())

    @staticmethod
    def _open(departments: Collection[str] | None) -> list[ColumnElement[bool]]:
        """Open appeals, of the given departments only (None: of all)."""
        conditions: list[ColumnElement[bool]] = [Appeal.status.in_(OPEN_STATUSES)]
        if departments is not None:
            conditions.append(Appeal.department.in_(sorted(departments)))
        return conditions

    async def list_open(
        self, limit: int, departments: Collection[str] | None = None
    ) -> Sequence[Appeal]:
        stmt = (
            select(Appeal)
            .where(*self._open(departments))
            # Fast track first, then the nearest deadline.
            .order_by(Appeal.urgent.desc(), Appeal.due_at, Appeal.id)
            .limit(limit)
        )
        return (await self._session.execute(stmt)).scalars().all()

    async def count_open(self, departments: Collection[str] | None = None) -> int:
        stmt = select(func.count()).select_from(Appeal).where(*self._open(departments))
        return int((await self._session.execute(stmt)).scalar_one())

    async def open_in_topic(self, topic: str, limit: int) -> Sequence[Candidate]:
        """The most recent open appeals of a topic, only what comparing them needs: loaded
        whole, each would bring its files, notes, answers and followers along."""
        rows = await self._session.execute(_open_in_topic(limit), {"topic": topic})
        return [Candidate(*row) for row in rows]

    async def listed(self, ids: Sequence[int]) -> list[Appeal]:
        """These appeals, in this order (those that exist), as a line of a list shows them:
        without their files, followers, notes and answers, which raise if touched (four
        more queries each time, for nothing a line shows)."""
        if not ids:
            return []
        result = await self._session.execute(_listed(), {"ids": list(ids)})
        found = {appeal.id: appeal for appeal in result.scalars()}
        return [found[i] for i in ids if i in found]

    async def due_before(self, moment: datetime) -> Sequence[Appeal]:
        """Open appeals due before ``moment`` (overdue ones included), nearest deadline first."""
        stmt = (
            select(Appeal)
            .where(Appeal.status.in_(OPEN_STATUSES), Appeal.due_at < moment)
            .order_by(Appeal.department, Appeal.urgent.desc(), Appeal.due_at, Appeal.id)
        )
        return (await self._session.execute(stmt)).scalars().all()

    async def newly_overdue(self, now: datetime, limit: int) -> Sequence[Appeal]:
        """Open appeals past their deadline whose department head has not been told yet, the
        longest overdue first, at most ``limit``."""
        stmt = (
            select(Appeal)
            .options(joinedload(Appeal.citizen))
            .where(
                Appeal.status.in_(OPEN_STATUSES),
                Appeal.due_at < now,
                Appeal.overdue_notified_at.is_(None),
            )
            .order_by(Appeal.due_at, Appeal.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=Appeal)
        )
        return (await self._session.execute(stmt)).scalars().all()

    async def awaiting_info(self, citizen_id: int) -> Sequence[Appeal]:
        """The citizen's appeals with a question waiting for their reply."""
        stmt = (
            select(Appeal)
            .options(joinedload(Appeal.citizen))
            .where(Appeal.citizen_id == citizen_id, Appeal.status == AppealStatus.NEEDS_INFO)
            .order_by(Appeal.id)
            .with_for_update(of=Appeal)
        )
        return (await self._session.execute(stmt)).scalars().all()

    async def satisfaction_by_department(self) -> list[tuple[str, float, int, int]]:
        """(department, average score, ratings, ratings of 1-2), computed in SQL."""
        stmt = (
            select(
                Appeal.department,
                func.avg(AnswerRating.score),
                func.count(AnswerRating.id),
                func.sum(case((AnswerRating.score <= LOW_SCORE, 1), else_=0)),
            )
            .join(AppealAnswer, AppealAnswer.appeal_id == Appeal.id)
            .join(AnswerRating, AnswerRating.answer_id == AppealAnswer.id)
            .group_by(Appeal.department)
            .order_by(Appeal.department)
        )
        rows = (await self._session.execute(stmt)).all()
        return [(d, float(avg), int(n), int(low)) for d, avg, n, low in rows]

    async def add_event(self, event: AppealEvent) -> None:
        self._session.add(event)

    async def events(self, appeal_id: int) -> Sequence[AppealEvent]:
        stmt = (
            select(AppealEvent)
            .where(AppealEvent.appeal_id == appeal_id)
            .order_by(AppealEvent.at, AppealEvent.id)
        )
        return (await self._session.execute(stmt)).scalars().all()
