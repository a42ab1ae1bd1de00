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

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    and_,
    case,
    distinct,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from storage.models import AnswerRating, Appeal, AppealAnswer, AppealEvent, User
from storage.repositories.appeals import LOW_SCORE

TOP_TOPICS = 5


class epoch_seconds(FunctionElement[float]):
    """Seconds since the epoch of a stored (naive UTC) moment, on either dialect."""

    type = Float()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


@dataclass(frozen=True)
class Period:
    start: datetime  # inclusive
    end: datetime  # exclusive
    department: str | None = None

    def previous(self) -> Period:
        return Period(self.start - (self.end - self.start), self.start, self.department)


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


def _answer_hours() -> ColumnElement[float]:
    """From registration to the first answer, in hours."""
    return (epoch_seconds(Appeal.first_answered_at) - epoch_seconds(Appeal.created_at)) / 3600.0


def _nearest_rank(rank: Any, n: Any, hours: Any, percent: int) -> ColumnElement[float]:
    """The value at rank ceil(p * n), in integer arithmetic that both dialects share."""
    return func.max(case((rank == (n * percent + 99) // 100, hours)))


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
        median, p90 = await self._answer_hours(period)
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

    async def _answer_hours(self, period: Period) -> tuple[float | None, float | None]:
        """The median and the 90th percentile of the answer time, by nearest rank in SQL."""
        hours = _answer_hours().label("hours")
        ranked = (
            select(
                hours,
                func.row_number().over(order_by=hours).label("rank"),
                func.count().over().label("n"),
            )
            .where(*_scoped(period, _between(Appeal.first_answered_at, period)))
            .subquery()
        )
        c = ranked.c
        row = (
            await self._session.execute(
                select(
                    _nearest_rank(c.rank, c.n, c.hours, 50),
                    _nearest_rank(c.rank, c.n, c.hours, 90),
                )
            )
        ).one()
        return (
            float(row[0]) if row[0] is not None else None,
            float(row[1]) if row[1] is not None else None,
        )

    async def top_topics(self, period: Period, limit: int = TOP_TOPICS) -> list[TopicCount]:
        """The topics with most appeals received, with their count in the period before."""
        before = period.previous()
        current = _count(Appeal.created_at >= period.start)
        stmt = (
            select(Appeal.topic, current.label("current"), _count(Appeal.created_at < period.start))
            .where(
                *_scoped(period, Appeal.created_at >= before.start, Appeal.created_at < period.end)
            )
            .group_by(Appeal.topic)
            .having(current > 0)
            .order_by(current.desc(), Appeal.topic)
            .limit(limit)
        )
        rows = (await self._session.execute(stmt)).all()
        return [TopicCount(topic, int(now), int(then)) for topic, now, then in rows]

    async def departments(self, period: Period) -> list[DepartmentRow]:
        """Every department with appeals in the period: volume, speed, satisfaction, reopening."""
        received = (
            select(Appeal.department.label("department"), func.count().label("received"))
            .where(*_scoped(period, _between(Appeal.created_at, period)))
            .group_by(Appeal.department)
            .cte()
        )
        hours = _answer_hours()
        ranked = (
            select(
                Appeal.department.label("department"),
                hours.label("hours"),
                func.row_number()
                .over(partition_by=Appeal.department, order_by=hours)
                .label("rank"),
                func.count().over(partition_by=Appeal.department).label("n"),
            )
            .where(*_scoped(period, _between(Appeal.first_answered_at, period)))
            .subquery()
        )
        answered = (
            select(
                ranked.c.department,
                func.count().label("answered"),
                _nearest_rank(ranked.c.rank, ranked.c.n, ranked.c.hours, 50).label("median"),
            )
            .group_by(ranked.c.department)
            .cte()
        )
        due = (
            select(
                Appeal.department.label("department"),
                func.count().label("due"),
                _count(~_late()).label("on_time"),
            )
            .where(*_scoped(period, _between(Appeal.due_at, period)))
            .group_by(Appeal.department)
            .cte()
        )
        rated = (
            _rated(
                period,
                Appeal.department.label("department"),
                func.count(AnswerRating.id).label("ratings"),
                func.avg(AnswerRating.score).label("satisfaction"),
                by_department=True,
            )
            .group_by(Appeal.department)
            .cte()
        )
        reopened = (
            _reopened(
                period,
                Appeal.department.label("department"),
                func.count(distinct(AppealEvent.appeal_id)).label("reopened"),
                by_department=True,
            )
            .group_by(Appeal.department)
            .cte()
        )
        parts = (received, answered, due, rated, reopened)
        names = (
            select(received.c.department)
            .union(
                select(answered.c.department),
                select(due.c.department),
                select(rated.c.department),
                select(reopened.c.department),
            )
            .cte()
        )
        stmt: Select[Any] = select(
            names.c.department,
            func.coalesce(received.c.received, 0),
            func.coalesce(answered.c.answered, 0),
            func.coalesce(due.c.due, 0),
            func.coalesce(due.c.on_time, 0),
            answered.c.median,
            func.coalesce(rated.c.ratings, 0),
            rated.c.satisfaction,
            func.coalesce(reopened.c.reopened, 0),
        ).select_from(names)
        for part in parts:
            stmt = stmt.outerjoin(part, part.c.department == names.c.department)
        rows = (await self._session.execute(stmt.order_by(names.c.department))).all()
        return [
            DepartmentRow(
                department=row[0],
                received=int(row[1]),
                answered=int(row[2]),
                due=int(row[3]),
                on_time=int(row[4]),
                median_hours=float(row[5]) if row[5] is not None else None,
                ratings=int(row[6]),
                satisfaction=float(row[7]) if row[7] is not None else None,
                reopened=int(row[8]),
            )
            for row in rows
        ]

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
