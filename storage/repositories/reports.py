"""The figures of a period report, each computed in SQL (Core) on SQLite and PostgreSQL alike:
nothing here loads appeals into Python, so a million rows cost an index scan, not memory.

Definitions (the same in the bot, the files and open data):
- received: appeals registered in the period;
- answered: appeals whose first answer fell in the period;
- closed: appeals closed in the period;
- due: appeals whose deadline (an extension included, as 59-ФЗ allows) fell in the period;
  overdue are those of them not answered by it, and the on-time share is the rest;
- answer time: from registration to the first answer, for the appeals answered in the period;
  percentiles by nearest rank;
- satisfaction: the ratings given in the period; low is 1-2, the scores that reopen a case;
- reopened: appeals reopened in the period.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    distinct,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AnswerRating, Appeal, AppealAnswer, AppealEvent, User
from storage.repositories.appeals import LOW_SCORE
from storage.repositories.report_days import ReportDays

TOP_TOPICS = 5


@dataclass(frozen=True)
class Period:
    start: datetime  # inclusive
    end: datetime  # exclusive
    department: str | None = None
    # Where the administration is: its calendar days are rolled up (report_days.py); None
    # counts everything directly.
    zone: tzinfo | None = None

    def previous(self) -> Period:
        return Period(self.start - (self.end - self.start), self.start, self.department, self.zone)


@dataclass(frozen=True)
class Summary:
    received: int
    answered: int
    closed: int
    due: int
    overdue: int
    on_time_share: float | None  # None when nothing fell due
    median_hours: float | None
    p90_hours: float | None
    ratings: int
    satisfaction: float | None
    low_share: float | None
    reopened: int


@dataclass(frozen=True)
class TopicCount:
    topic: str
    count: int
    previous: int


@dataclass(frozen=True)
class DepartmentRow:
    department: str
    received: int
    answered: int
    due: int
    on_time: int
    median_hours: float | None
    ratings: int
    satisfaction: float | None
    reopened: int

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def completeness(self) -> float | None:
        """The share of answered appeals that were not reopened: the answer was enough."""
        if not self.answered:
            return None
        return max(0.0, 1 - self.reopened / self.answered)


@dataclass(frozen=True)
class OverdueRow:
    appeal_id: int
    created_at: datetime
    due_at: datetime
    department: str
    topic: str
    executor: str | None
    place: str | None
    answered_at: datetime | None


def _between(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


def _scoped(period: Period, *conditions: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    if period.department is None:
        return list(conditions)
    return [*conditions, Appeal.department == period.department]


def _late() -> ColumnElement[bool]:
    return or_(Appeal.first_answered_at.is_(None), Appeal.first_answered_at > Appeal.due_at)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def nearest_rank(seconds: list[float], percent: int) -> float | None:
    """The answer time at rank ceil(p * n) of ascending ``seconds``, in hours (None when
    there is none)."""
    if not seconds:
        return None
    return seconds[(len(seconds) * percent + 99) // 100 - 1] / 3600.0


def _rated(period: Period, *columns: Any, by_department: bool = False) -> Select[Any]:
    """Over the ratings given in the period; joined to their appeals only when the department
    matters (a whole-administration count reads the ratings' index alone)."""
    stmt = select(*columns).select_from(AnswerRating)
    if by_department or period.department is not None:
        stmt = stmt.join(AppealAnswer, AppealAnswer.id == AnswerRating.answer_id).join(
            Appeal, Appeal.id == AppealAnswer.appeal_id
        )
    return stmt.where(*_scoped(period, _between(AnswerRating.created_at, period)))


def _reopened(period: Period, *columns: Any, by_department: bool = False) -> Select[Any]:
    """Over the reopenings in the period, joined to the appeals when the department matters."""
    stmt = select(*columns).select_from(AppealEvent)
    if by_department or period.department is not None:
        stmt = stmt.join(Appeal, Appeal.id == AppealEvent.appeal_id)
    return stmt.where(
        *_scoped(period, AppealEvent.action == "reopen", _between(AppealEvent.at, period))
    )


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._days = ReportDays(session)
        self._times: dict[tuple[datetime, datetime, str | None], dict[str | None, list[float]]] = {}

    def without_writing(self) -> None:
        """Days not rolled up yet are counted for this unit of work only, not kept: its
        reports write nothing (the public page)."""
        self._days.keeping = False

    async def summary(self, period: Period) -> Summary:
        def counted(*conditions: ColumnElement[bool]) -> Any:
            return (
                select(func.count())
                .select_from(Appeal)
                .where(*_scoped(period, *conditions))
                .scalar_subquery()
            )

        reopened_in = _reopened(period, func.count(distinct(AppealEvent.appeal_id)))
        # One round trip for the counts: each is its own indexed range.
        counts = (
            await self._session.execute(
                select(
                    counted(_between(Appeal.created_at, period)),
                    counted(_between(Appeal.first_answered_at, period)),
                    counted(_between(Appeal.closed_at, period)),
                    counted(_between(Appeal.due_at, period)),
                    counted(_between(Appeal.due_at, period), _late()),
                    reopened_in.scalar_subquery(),
                )
            )
        ).one()
        received, answered, closed, due, overdue, reopened = (int(v or 0) for v in counts)
        seconds = (await self._answer_times(period))[None]
        median, p90 = nearest_rank(seconds, 50), nearest_rank(seconds, 90)
        rating_row = (
            await self._session.execute(
                _rated(
                    period,
                    func.count(AnswerRating.id),
                    func.avg(AnswerRating.score),
                    _count(AnswerRating.score <= LOW_SCORE),
                )
            )
        ).one()
        ratings = int(rating_row[0])
        return Summary(
            received=received,
            answered=answered,
            closed=closed,
            due=due,
            overdue=overdue,
            on_time_share=(due - overdue) / due if due else None,
            median_hours=median,
            p90_hours=p90,
            ratings=ratings,
            satisfaction=float(rating_row[1]) if ratings else None,
            low_share=int(rating_row[2]) / ratings if ratings else None,
            reopened=reopened,
        )

    async def _answer_times(self, period: Period) -> dict[str | None, list[float]]:
        """The answer times (seconds) of the appeals first answered in the period, ascending,
        by department and (key None) all together: from the days rolled up and the rest
        counted directly, kept for the summary and the departments of one report."""
        key = (period.start, period.end, period.department)
        found = self._times.get(key)
        if found is None:
            days = await self._days.figures(
                period.start, period.end, period.zone, period.department
            )
            seconds: dict[str | None, list[float]] = {None: []}
            for (department, _), values in days.answered.items():
                seconds[None].extend(values)
                seconds.setdefault(department, []).extend(values)
            found = {department: sorted(values) for department, values in seconds.items()}
            self._times = {key: found}  # a report asks of one period at a time
        return found

    async def top_topics(self, period: Period, limit: int = TOP_TOPICS) -> list[TopicCount]:
        """The topics with most appeals received, with their count in the period before."""
        before = period.previous()
        now = await self._days.figures(period.start, period.end, period.zone, period.department)
        then = await self._days.figures(before.start, before.end, before.zone, before.department)
        current: collections.Counter[str] = collections.Counter()
        previous: collections.Counter[str] = collections.Counter()
        for (_, topic), count in now.received.items():
            current[topic] += count
        for (_, topic), count in then.received.items():
            previous[topic] += count
        ranked = sorted((t for t, n in current.items() if n > 0), key=lambda t: (-current[t], t))
        return [TopicCount(t, current[t], previous[t]) for t in ranked[:limit]]

    async def departments(self, period: Period) -> list[DepartmentRow]:
        """Every department with appeals in the period: volume, speed, satisfaction, reopening."""
        rated = _rated(
            period,
            Appeal.department,
            func.count(AnswerRating.id),
            func.avg(AnswerRating.score),
            by_department=True,
        ).group_by(Appeal.department)
        ratings = {row[0]: row for row in await self._session.execute(rated)}
        reopened_in = _reopened(
            period,
            Appeal.department,
            func.count(distinct(AppealEvent.appeal_id)),
            by_department=True,
        ).group_by(Appeal.department)
        reopened = {row[0]: int(row[1]) for row in await self._session.execute(reopened_in)}
        days = await self._days.figures(period.start, period.end, period.zone, period.department)
        received: collections.Counter[str] = collections.Counter()
        due: collections.Counter[str] = collections.Counter()
        on_time: collections.Counter[str] = collections.Counter()
        for counter, by_key in (
            (received, days.received),
            (due, days.due),
            (on_time, days.on_time),
        ):
            for (department, _), count in by_key.items():
                counter[department] += count
        times = await self._answer_times(period)
        names = {
            *(d for d, n in received.items() if n),
            *(d for d, n in due.items() if n),
            *(d for d in times if d is not None),
            *ratings,
            *reopened,
        }
        rows = []
        for department in sorted(names):
            answered = times.get(department, [])
            rating = ratings.get(department)
            rows.append(
                DepartmentRow(
                    department=department,
                    received=received[department],
                    answered=len(answered),
                    due=due[department],
                    on_time=on_time[department],
                    median_hours=nearest_rank(answered, 50),
                    ratings=int(rating[1]) if rating else 0,
                    satisfaction=float(rating[2]) if rating and rating[2] is not None else None,
                    reopened=reopened.get(department, 0),
                )
            )
        return rows

    async def overdue(self, period: Period, limit: int | None = None) -> list[OverdueRow]:
        """The appeals that fell due in the period unanswered, oldest deadline first."""
        stmt = (
            select(
                Appeal.id,
                Appeal.created_at,
                Appeal.due_at,
                Appeal.department,
                Appeal.topic,
                User.display_name,
                Appeal.address,
                Appeal.first_answered_at,
            )
            .outerjoin(User, User.id == Appeal.assignee_id)
            .where(*_scoped(period, _between(Appeal.due_at, period), _late()))
            .order_by(Appeal.due_at, Appeal.id)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        rows = (await self._session.execute(stmt)).all()
        return [OverdueRow(*row) for row in rows]
