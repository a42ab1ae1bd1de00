"""Daily roll-ups of what the period reports group most: appeals received, due (and on
time), and first answered (with each answer time), by department and topic. A period's whole
local days that have ended are added up from ``report_days`` (counted on first use, one day
at a time); what is left of the period (today, or a period not on day bounds) is counted
directly. The figures are the same as counting every appeal directly, because every change
that moves them removes the days it touches (see ``forget_touched_days`` below), and those
are counted again when next asked.

Appeals must therefore be written through the ORM (a bulk UPDATE of these columns would leave
the days it touches standing); the erasure's bulk update does not touch them. One race is left:
a day counted by one instance while another commits a change to it, read before that commit
and written after, stays as counted until a later change touches the day. Past days rarely
change, and only by staff, so the window is small."""

from __future__ import annotations

import collections
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, event, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, attributes

from storage.models import Appeal, ReportDay, ReportDayCounted

Key = tuple[str, str]  # (department, topic)
# What moves a day's figures, and the moments whose days it moves.
_MOVING = ("created_at", "due_at", "department", "topic", "first_answered_at")
_MOMENTS = ("created_at", "due_at", "first_answered_at")


@dataclass
class DayFigures:
    received: collections.Counter[Key] = field(default_factory=collections.Counter)
    due: collections.Counter[Key] = field(default_factory=collections.Counter)
    on_time: collections.Counter[Key] = field(default_factory=collections.Counter)
    # The answer times (seconds) of the appeals first answered, unordered.
    answered: dict[Key, array[float]] = field(default_factory=dict)

    def add(self, other: DayFigures) -> None:
        self.received.update(other.received)
        self.due.update(other.due)
        self.on_time.update(other.on_time)
        for key, seconds in other.answered.items():
            self.answered.setdefault(key, array("d")).extend(seconds)


def _packed(seconds: array[float]) -> bytes:
    if sys.byteorder == "big":
        seconds = array("d", seconds)
        seconds.byteswap()
    return seconds.tobytes()


def _unpacked(data: bytes) -> array[float]:
    seconds = array("d")
    seconds.frombytes(data)
    if sys.byteorder == "big":
        seconds.byteswap()
    return seconds


def local_days(
    start: datetime, end: datetime, zone: tzinfo, before: datetime
) -> tuple[list[tuple[datetime, datetime]], list[tuple[datetime, datetime]]]:
    """[start, end) split into whole local days that ended by ``before`` and the ranges left
    over (at either end, or days not yet over), all in UTC."""
    days: list[tuple[datetime, datetime]] = []
    rest: list[tuple[datetime, datetime]] = []
    local = start.astimezone(zone)
    day = local.date() if local.time() == time() else local.date() + timedelta(days=1)
    first = datetime.combine(day, time(), zone).astimezone(UTC)
    if first >= end:
        return [], [(start, end)]
    if first > start:
        rest.append((start, first))
    cursor = first
    while True:
        day += timedelta(days=1)
        following = datetime.combine(day, time(), zone).astimezone(UTC)
        if following > end or following > before:
            break
        days.append((cursor, following))
        cursor = following
    if cursor < end:
        rest.append((cursor, end))
    return days, rest


def _on_time() -> ColumnElement[bool]:
    return and_(Appeal.first_answered_at.is_not(None), Appeal.first_answered_at <= Appeal.due_at)


class ReportDays:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        # A report asks of the same stretch several times (its summary, topics, departments).
        self._kept: dict[tuple[Any, ...], DayFigures] = {}
        # False: days not rolled up yet are counted but not kept, so nothing is written (the
        # public page reads beside the writer and never waits for, or holds up, a write).
        self.keeping = True

    async def figures(
        self,
        start: datetime,
        end: datetime,
        zone: tzinfo | None,
        department: str | None = None,
        *,
        now: datetime | None = None,
    ) -> DayFigures:
        """Received, due and on time in [start, end) by (department, topic); from the days
        rolled up where ``zone`` is given, else all counted directly."""
        asked = (start, end, zone, department)
        if asked in self._kept:
            return self._kept[asked]
        if zone is None:
            figures = await self._direct([(start, end)], department)
        else:
            days, rest = local_days(start, end, zone, now or datetime.now(UTC))
            figures = await self._rolled_up(days, department)
            figures.add(await self._direct(rest, department))
        if len(self._kept) >= 4:
            self._kept.clear()
        self._kept[asked] = figures
        return figures

    async def _rolled_up(
        self, days: list[tuple[datetime, datetime]], department: str | None
    ) -> DayFigures:
        if not days:
            return DayFigures()
        first, last = days[0][0], days[-1][1]
        missing = await self._missing(days)
        if self.keeping:
            for day in missing:
                await self._count_day(*day)
            missing = []
        query = select(
            ReportDay.department,
            ReportDay.topic,
            ReportDay.received,
            ReportDay.due,
            ReportDay.on_time,
            ReportDay.answered,
        ).where(ReportDay.day_start >= first, ReportDay.day_start < last)
        if department is not None:
            query = query.where(ReportDay.department == department)
        figures = DayFigures()
        for dept, topic, received, due, on_time, answered in await self._session.execute(query):
            key = (dept, topic)
            figures.received[key] += received
            figures.due[key] += due
            figures.on_time[key] += on_time
            if answered:
                figures.answered.setdefault(key, array("d")).extend(_unpacked(answered))
        # Not kept: the days not rolled up yet are counted here, as one range per run of them.
        figures.add(await self._direct(_runs(missing), department))
        return figures

    async def _missing(
        self, days: list[tuple[datetime, datetime]]
    ) -> list[tuple[datetime, datetime]]:
        first, last = days[0][0], days[-1][1]
        counted = set(
            await self._session.scalars(
                select(ReportDayCounted.day_start).where(
                    ReportDayCounted.day_start >= first, ReportDayCounted.day_start < last
                )
            )
        )
        return [day for day in days if day[0] not in counted]

    async def _count_day(self, start: datetime, end: datetime) -> None:
        """One day's figures, counted and kept (with a mark that the day is counted)."""
        figures = await self._direct([(start, end)], None)
        keys = set(figures.received) | set(figures.due) | set(figures.answered)
        self._session.add_all(
            ReportDay(
                day_start=start,
                day_end=end,
                department=key[0],
                topic=key[1],
                received=figures.received[key],
                due=figures.due[key],
                on_time=figures.on_time[key],
                answered=_packed(figures.answered.get(key, array("d"))),
            )
            for key in keys
        )
        self._session.add(ReportDayCounted(day_start=start, day_end=end))
        await self._session.flush()

    async def _direct(
        self, ranges: Iterable[tuple[datetime, datetime]], department: str | None
    ) -> DayFigures:
        figures = DayFigures()
        for start, end in ranges:
            scope = [] if department is None else [Appeal.department == department]
            received = select(Appeal.department, Appeal.topic, func.count()).where(
                Appeal.created_at >= start, Appeal.created_at < end, *scope
            )
            for dept, topic, count in await self._session.execute(
                received.group_by(Appeal.department, Appeal.topic)
            ):
                figures.received[(dept, topic)] += int(count)
            due = select(
                Appeal.department,
                Appeal.topic,
                func.count(),
                func.coalesce(func.sum(case((_on_time(), 1), else_=0)), 0),
            ).where(Appeal.due_at >= start, Appeal.due_at < end, *scope)
            for dept, topic, count, on_time in await self._session.execute(
                due.group_by(Appeal.department, Appeal.topic)
            ):
                figures.due[(dept, topic)] += int(count)
                figures.on_time[(dept, topic)] += int(on_time)
            answered = select(Appeal.department, Appeal.topic, Appeal.answer_seconds).where(
                Appeal.first_answered_at >= start, Appeal.first_answered_at < end, *scope
            )
            for dept, topic, seconds in await self._session.execute(answered):
                # Written with every first answer (storage.models) and by migration 0025.
                assert seconds is not None, "an answered appeal without its answer time"
                figures.answered.setdefault((dept, topic), array("d")).append(seconds)
        return figures


def _runs(days: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Days next to each other joined into one range."""
    runs: list[tuple[datetime, datetime]] = []
    for start, end in days:
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def _touched(appeal: Appeal, *, changed: bool) -> set[datetime]:
    """The moments whose days an appeal's change moves: its registration, its deadline and
    its first answer, before and after the change."""
    moments: set[datetime] = set()
    state = attributes.instance_state(appeal)
    if changed and not any(state.attrs[name].history.has_changes() for name in _MOVING):
        return moments
    for name in _MOMENTS:
        history = state.attrs[name].history
        for value in (*history.added, *history.unchanged, *history.deleted):
            if isinstance(value, datetime):
                moments.add(value)
    return moments


@event.listens_for(Session, "before_flush")
def forget_touched_days(session: Session, flush_context: Any, instances: Any) -> None:
    """Appeals added, changed where the reports look, or removed: their days are no longer
    counted (in this same transaction), and are counted again when next asked."""
    moments: set[datetime] = set()
    for appeal in session.new:
        if isinstance(appeal, Appeal):
            moments |= _touched(appeal, changed=False)
    for appeal in session.dirty:
        if isinstance(appeal, Appeal):
            moments |= _touched(appeal, changed=True)
    for appeal in session.deleted:
        if isinstance(appeal, Appeal):
            moments |= _touched(appeal, changed=False)
    if not moments:
        return
    for model in (ReportDay, ReportDayCounted):
        # A day is at most 25 hours long: its start is within two days before the moment.
        session.execute(
            delete(model).where(
                or_(
                    *(
                        and_(
                            model.day_start > t - timedelta(days=2),
                            model.day_start <= t,
                            model.day_end > t,
                        )
                        for t in sorted(moments)
                    )
                )
            )
        )
