"""Report figures on a small data set whose every number was computed by hand: an extension that
saves the deadline, a late answer, an appeal never answered, and one reopened by a low rating."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import create_session_factory
from storage.models import AnswerRating, Appeal, AppealAnswer, AppealEvent, AppealStatus
from storage.repositories.reports import Period
from storage.uow import UnitOfWork

WEEK = Period(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC))


def at(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def _fill(engine: AsyncEngine) -> dict[str, int]:
    ids: dict[str, int] = {}
    async with UnitOfWork(create_session_factory(engine)) as uow:
        citizen = await uow.users.get_or_create("tg", "1", display_name="Гражданин", language="ru")
        ivan = await uow.users.get_or_create("tg", "2", display_name="Иван", language="ru")

        async def appeal(
            name: str, topic: str, department: str, created: datetime, **kw: object
        ) -> Appeal:
            item = Appeal(
                citizen_id=citizen.id,
                platform="tg",
                chat_id="1",
                topic=topic,
                department=department,
                text="текст",
                created_at=created,
                due_at=kw.pop("due_at", created + timedelta(days=30)),
                **kw,
            )
            await uow.appeals.add(item)
            ids[name] = item.id
            return item

        async def rated(item: Appeal, number: int, moment: datetime, score: int) -> None:
            answer = AppealAnswer(appeal_id=item.id, number=number, text="ответ", created_at=moment)
            uow.session.add(answer)
            await uow.session.flush()
            uow.session.add(AnswerRating(answer_id=answer.id, score=score, created_at=moment))

        # Answered in 4 hours, rated 5, closed in the week.
        a1 = await appeal(
            "a1",
            "roads",
            "roads",
            at(3, 2, 10),
            first_answered_at=at(3, 2, 14),
            answered_at=at(3, 2, 14),
            closed_at=at(3, 3),
            status=AppealStatus.CLOSED,
        )
        await rated(a1, 1, at(3, 3), 5)
        # Answered in 24 hours, rated 1: reopened, answered again; the first answer counts.
        a2 = await appeal(
            "a2",
            "roads",
            "roads",
            at(3, 3, 10),
            first_answered_at=at(3, 4, 10),
            answered_at=at(3, 5, 10),
            status=AppealStatus.ANSWERED,
        )
        await rated(a2, 1, at(3, 4, 12), 1)
        uow.session.add(AppealEvent(appeal_id=a2.id, at=at(3, 4, 12), action="reopen"))
        # Received in the week, not answered yet.
        await appeal("a3", "housing", "housing", at(3, 4, 9))
        # Due in the week, answered two days late (768 hours after registration).
        await appeal(
            "a4",
            "housing",
            "housing",
            at(2, 1),
            due_at=at(3, 3),
            first_answered_at=at(3, 5),
            answered_at=at(3, 5),
            status=AppealStatus.ANSWERED,
        )
        # Extended by 30 days to 6 March and answered on the 5th: on time (1428 hours).
        await appeal(
            "a5",
            "roads",
            "roads",
            at(1, 5),
            due_at=at(3, 6),
            extended_days=30,
            first_answered_at=at(3, 5, 12),
            answered_at=at(3, 5, 12),
            status=AppealStatus.ANSWERED,
        )
        # Due in the week and never answered: overdue, with its executor and place.
        await appeal(
            "a6",
            "roads",
            "roads",
            at(2, 5),
            due_at=at(3, 7),
            assignee_id=ivan.id,
            address="ул. Ленина, 1",
            status=AppealStatus.IN_PROGRESS,
        )
        # The week before: one on roads, one on ecology (handled by housing).
        await appeal("a7", "ecology", "housing", at(2, 25))
        await appeal("a8", "roads", "roads", at(2, 24))
        # Outside both weeks: counts nowhere.
        await appeal("a9", "roads", "roads", at(3, 20))
        await uow.commit()
    return ids


async def test_the_week_in_figures(engine: AsyncEngine) -> None:
    await _fill(engine)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        summary = await uow.reports.summary(WEEK)
    assert (summary.received, summary.answered, summary.closed) == (3, 4, 1)
    # Due: a4 (late), a5 (extended, on time), a6 (never answered).
    assert (summary.due, summary.overdue) == (3, 2)
    assert summary.on_time_share == pytest.approx(1 / 3)
    # First-answer times 4, 24, 768, 1428 hours: nearest-rank median 24, 90th percentile 1428.
    assert summary.median_hours == pytest.approx(24)
    assert summary.p90_hours == pytest.approx(1428)
    assert (summary.ratings, summary.satisfaction, summary.low_share) == (2, 3.0, 0.5)
    assert summary.reopened == 1


async def test_one_department(engine: AsyncEngine) -> None:
    await _fill(engine)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        housing = await uow.reports.summary(Period(WEEK.start, WEEK.end, "housing"))
    assert (housing.received, housing.answered, housing.due, housing.overdue) == (1, 1, 1, 1)
    assert housing.on_time_share == 0.0
    assert housing.median_hours == pytest.approx(768)
    assert (housing.ratings, housing.satisfaction, housing.reopened) == (0, None, 0)


async def test_top_topics_with_their_trend(engine: AsyncEngine) -> None:
    await _fill(engine)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        top = await uow.reports.top_topics(WEEK)
    # Ecology had appeals only the week before: it is not a problem of this week.
    assert [(t.topic, t.count, t.previous) for t in top] == [("roads", 2, 1), ("housing", 1, 0)]


async def test_departments_rated(engine: AsyncEngine) -> None:
    await _fill(engine)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        rows = {row.department: row for row in await uow.reports.departments(WEEK)}
    assert set(rows) == {"roads", "housing"}
    roads, housing = rows["roads"], rows["housing"]
    assert (roads.received, roads.answered, roads.due, roads.on_time) == (2, 3, 2, 1)
    assert roads.median_hours == pytest.approx(24)
    assert (roads.ratings, roads.satisfaction, roads.reopened) == (2, 3.0, 1)
    assert roads.completeness == pytest.approx(2 / 3)
    assert (housing.received, housing.answered, housing.due, housing.on_time) == (1, 1, 1, 0)
    assert housing.median_hours == pytest.approx(768)
    assert (housing.ratings, housing.satisfaction, housing.completeness) == (0, None, 1.0)


async def test_overdue_with_executor_and_place(engine: AsyncEngine) -> None:
    ids = await _fill(engine)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        rows = await uow.reports.overdue(WEEK)
    assert [row.appeal_id for row in rows] == [ids["a4"], ids["a6"]]
    late, never = rows
    assert (late.department, late.executor, late.answered_at) == ("housing", None, at(3, 5))
    assert (never.executor, never.place, never.topic) == ("Иван", "ул. Ленина, 1", "roads")
    assert never.due_at == at(3, 7)
