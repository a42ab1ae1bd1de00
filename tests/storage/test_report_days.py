"""The daily roll-ups give exactly the figures of counting every appeal directly, on random
histories where appeals change after their day: late first answers, extensions of the
deadline, a new department or topic, reopenings and closings, erasure of the author, new
appeals dated in the past, and deleted ones. Reports are asked between the changes, so the
days are rolled up before they change (and must be counted again)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import create_session_factory
from storage.models import Appeal, AppealStatus, ReportDayCounted
from storage.repositories.report_days import local_days
from storage.repositories.reports import Period, ReportRepository
from storage.uow import UnitOfWork

ZONE = ZoneInfo("Europe/Moscow")
START = datetime(2026, 1, 1, tzinfo=ZONE).astimezone(UTC)
TOPICS = ("roads", "housing", "waste")
DEPARTMENTS = ("roads", "housing", "ecology")


def random_moment(rng: random.Random, days: int = 60) -> datetime:
    return START + timedelta(seconds=rng.randrange(days * 86400))


def periods(rng: random.Random) -> list[Period]:
    """Periods on day bounds, off them, for one department, and short ones."""
    found = []
    for _ in range(4):
        start = START + timedelta(days=rng.randrange(50))
        length = timedelta(days=rng.choice((1, 7, 30)))
        if rng.random() < 0.3:
            start += timedelta(hours=rng.randrange(24), minutes=rng.randrange(60))
        department = rng.choice((None, None, *DEPARTMENTS))
        found.append(Period(start, start + length, department, ZONE))
    return found


async def figures(uow: UnitOfWork, period: Period, *, rolled_up: bool) -> tuple[object, ...]:
    """What a report reads, from the roll-ups or counted directly (zone None)."""
    asked = period if rolled_up else Period(period.start, period.end, period.department)
    repo = ReportRepository(uow.session)
    return (
        await repo.summary(asked),
        await repo.top_topics(asked),
        await repo.departments(asked),
    )


KINDS = ("answer", "extend", "department", "topic", "reopen", "new", "delete")


async def change(uow: UnitOfWork, rng: random.Random, citizen: int, kind: str = "") -> None:
    """One random change of the kinds that move a past day's figures."""
    appeals = list(await uow.session.scalars(select(Appeal)))
    kind = kind or rng.choices(KINDS, weights=(4, 2, 2, 2, 2, 2, 1))[0]
    if kind == "new" or not appeals:
        created = random_moment(rng)
        uow.session.add(
            Appeal(
                citizen_id=citizen,
                platform="tg",
                chat_id="1",
                topic=rng.choice(TOPICS),
                department=rng.choice(DEPARTMENTS),
                text="текст",
                created_at=created,
                due_at=created + timedelta(days=rng.choice((3, 7, 30))),
            )
        )
        return
    appeal = rng.choice(appeals)
    if kind == "answer" and appeal.first_answered_at is None:
        # Late or in time, on a day already rolled up.
        appeal.first_answered_at = appeal.created_at + timedelta(hours=rng.randrange(1, 24 * 40))
        appeal.answered_at = appeal.first_answered_at
    elif kind == "extend":
        appeal.due_at = appeal.due_at + timedelta(days=rng.randrange(1, 30))
        appeal.extended_days = 30
    elif kind == "department":
        appeal.department = rng.choice(DEPARTMENTS)
    elif kind == "topic":
        appeal.topic = rng.choice(TOPICS)
    elif kind == "reopen":
        appeal.status = AppealStatus.IN_PROGRESS if appeal.closed_at else AppealStatus.CLOSED
        appeal.closed_at = None if appeal.closed_at else random_moment(rng)
    elif kind == "delete":
        await uow.session.delete(appeal)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_rolled_up_figures_equal_the_direct_count_on_random_histories(
    engine: AsyncEngine, seed: int
) -> None:
    rng = random.Random(seed)
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        citizen = (
            await uow.users.get_or_create("tg", "1", display_name="Гражданин", language="ru")
        ).id
        for _ in range(150):
            await change(uow, rng, citizen, "new")
        for _ in range(100):
            await change(uow, rng, citizen, "answer")
        await uow.commit()
    compared = 0
    for _round in range(12):
        asked = periods(rng)
        # Read without writing (the public page): days not rolled up are counted, not kept.
        async with UnitOfWork(factory) as uow:
            before = await _counted(uow)
            for period in asked:
                reading = ReportRepository(uow.session)
                reading.without_writing()
                read_only = (
                    await reading.summary(period),
                    await reading.top_topics(period),
                    await reading.departments(period),
                )
                assert read_only == await figures(uow, period, rolled_up=False), (seed, period)
            await uow.session.flush()
            assert await _counted(uow) == before and not uow.session.new
        async with UnitOfWork(factory) as uow:
            for period in asked:
                rolled = await figures(uow, period, rolled_up=True)
                direct = await figures(uow, period, rolled_up=False)
                assert rolled == direct, (seed, period)
                compared += 1
            await uow.commit()  # the days counted stay, as after a report
        async with UnitOfWork(factory) as uow:
            for _ in range(rng.randrange(3, 10)):
                await change(uow, rng, citizen)
            await uow.commit()
    async with UnitOfWork(factory) as uow:
        counted = await _counted(uow)
    # The comparisons did read rolled-up days (else they would prove nothing).
    assert compared == 48 and counted > 10


async def _counted(uow: UnitOfWork) -> int:
    return len(list(await uow.session.scalars(select(ReportDayCounted))))


def test_a_period_splits_into_whole_local_days_and_the_rest() -> None:
    start = datetime(2026, 3, 1, 21, 0, tzinfo=UTC)  # 2 March 00:00 in Moscow
    days, rest = local_days(
        start, start + timedelta(days=3), ZONE, datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert [d[0] for d in days] == [start + timedelta(days=n) for n in range(3)] and rest == []
    off = start + timedelta(hours=5)
    days, rest = local_days(off, off + timedelta(days=2), ZONE, datetime(2027, 1, 1, tzinfo=UTC))
    assert days == [(start + timedelta(days=1), start + timedelta(days=2))]
    assert rest == [
        (off, start + timedelta(days=1)),
        (start + timedelta(days=2), off + timedelta(days=2)),
    ]
    # Days not yet over are counted directly.
    days, rest = local_days(
        start, start + timedelta(days=3), ZONE, start + timedelta(days=1, hours=2)
    )
    assert days == [(start, start + timedelta(days=1))]
    assert rest == [(start + timedelta(days=1), start + timedelta(days=3))]
