from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError, InvalidRequestError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import create_session_factory
from storage.models import Appeal, AppealStatus, Role, StaffMember, User
from storage.uow import UnitOfWork


def roads_appeal(citizen_id: int, chat_id: str, moment: datetime, text: str = "t") -> Appeal:
    return Appeal(
        citizen_id=citizen_id,
        platform="tg",
        chat_id=chat_id,
        topic="roads",
        department="roads",
        text=text,
        created_at=moment,
        due_at=moment + timedelta(days=30),
    )


async def test_times_come_back_aware_and_equal(engine: AsyncEngine) -> None:
    moment = datetime(2026, 3, 2, 23, 59, 59, 123456, tzinfo=UTC)
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        user = await uow.users.get_or_create("tg", "1", display_name="A", language="ru")
        appeal = roads_appeal(user.id, "1", moment)
        await uow.appeals.add(appeal)
        await uow.commit()
        appeal_id = appeal.id
    async with UnitOfWork(factory) as uow:
        loaded = await uow.appeals.get(appeal_id)
        assert loaded is not None
        assert loaded.created_at == moment
        assert loaded.created_at.tzinfo is not None
        assert loaded.status is AppealStatus.NEW
        assert loaded.number == f"2026-{appeal_id:05d}"


async def test_a_naive_datetime_is_refused(engine: AsyncEngine) -> None:
    async with UnitOfWork(create_session_factory(engine)) as uow:
        uow.session.add(User(platform="tg", external_id="1", created_at=datetime(2026, 1, 1)))
        with pytest.raises(StatementError):
            await uow.commit()


async def test_one_user_per_platform_and_id(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        await uow.users.get_or_create("tg", "7", display_name="A", language="ru")
        await uow.users.get_or_create("vk", "7", display_name="B", language="ru")
        again = await uow.users.get_or_create("tg", "7", display_name="A2", language="ru")
        assert again.display_name == "A2"
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        uow.session.add(User(platform="tg", external_id="7"))
        with pytest.raises(IntegrityError):
            await uow.commit()


async def test_uncommitted_work_is_rolled_back(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        await uow.users.get_or_create("tg", "9", display_name="A", language="ru")
    async with UnitOfWork(factory) as uow:
        assert await uow.users.find("tg", "9") is None


async def test_the_ledger_lets_an_update_through_once_and_undoes_a_second_copy(
    engine: AsyncEngine,
) -> None:
    factory = create_session_factory(engine)
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    async with UnitOfWork(factory) as uow:
        await uow.users.get_or_create("tg", "1", display_name="First", language="ru")
        assert await uow.inbound.first_time("telegram:m:1:7", now)
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        # The same update again: what it would change is rolled back with it.
        await uow.users.get_or_create("tg", "2", display_name="Second", language="ru")
        assert not await uow.inbound.first_time("telegram:m:1:7", now)
    async with UnitOfWork(factory) as uow:
        assert await uow.users.find("tg", "1") is not None
        assert await uow.users.find("tg", "2") is None
        assert await uow.inbound.first_time("telegram:m:1:8", now)  # another update


async def test_the_sender_comes_with_their_conversation_and_every_staff_role(
    engine: AsyncEngine,
) -> None:
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        # Roles given before the person first wrote.
        for department, role in (("roads", Role.HEAD), ("housing", Role.OPERATOR)):
            await uow.staff.put(
                StaffMember(platform="tg", external_id="5", department=department, role=role)
            )
        arrival = await uow.users.arrive("tg", "5", display_name="Anna", language="ru")
        assert arrival.conversation is None
        assert sorted(m.department for m in arrival.staff) == ["housing", "roads"]
        await uow.conversations.save(arrival.user.id, "appeal:text", {"topic": "roads"})
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        again = await uow.users.arrive("tg", "5", display_name="Anna K.", language="ru")
        assert again.conversation is not None and again.conversation.state == "appeal:text"
        assert sorted(m.role for m in again.staff) == [Role.HEAD, Role.OPERATOR]
        assert again.user.display_name == "Anna K."
        stranger = await uow.users.arrive("tg", "6", display_name="Ivan", language="ru")
        assert stranger.staff == [] and stranger.conversation is None


async def test_a_conversation_is_saved_over_and_cleared(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        user = (await uow.users.arrive("tg", "7", display_name="A", language="ru")).user
        await uow.conversations.save(user.id, "appeal:topic", {"steps": 1})
        await uow.commit()
    for state, data in (("appeal:text", {"topic": "roads"}), ("appeal:photos", {"files": []})):
        async with UnitOfWork(factory) as uow:
            await uow.users.arrive("tg", "7", display_name="A", language="ru")
            await uow.conversations.save(user.id, state, data)
            await uow.commit()
    async with UnitOfWork(factory) as uow:
        arrival = await uow.users.arrive("tg", "7", display_name="A", language="ru")
        assert arrival.conversation is not None
        assert (arrival.conversation.state, arrival.conversation.data) == (
            "appeal:photos",
            {"files": []},
        )
        await uow.conversations.clear(user.id)
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        assert (
            await uow.users.arrive("tg", "7", display_name="A", language="ru")
        ).conversation is None


async def test_a_live_card_is_noted_again_where_it_was_sent_last(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        user = await uow.users.get_or_create("tg", "8", display_name="A", language="ru")
        now = datetime.now(UTC)
        appeal = roads_appeal(user.id, "8", now)
        await uow.appeals.add(appeal)
        await uow.commit()
    for message_id in ("100", "101"):
        async with UnitOfWork(factory) as uow:
            await uow.cards.put(appeal.id, "tg", "8", message_id)
            await uow.commit()
    async with UnitOfWork(factory) as uow:
        card = await uow.cards.get(appeal.id)
        assert card is not None and card.message_id == "101"


async def test_news_of_a_department_goes_to_its_heads_and_operators_and_the_admins(
    engine: AsyncEngine,
) -> None:
    factory = create_session_factory(engine)
    async with UnitOfWork(factory) as uow:
        for external_id, department, role in (
            ("1", "roads", Role.HEAD),
            ("2", "roads", Role.OPERATOR),
            ("3", "housing", Role.OPERATOR),  # another department
            ("4", "", Role.ADMIN),
            ("5", "", Role.ANTICORRUPTION),  # hears of corruption reports only
        ):
            await uow.staff.put(
                StaffMember(
                    platform="tg", external_id=external_id, department=department, role=role
                )
            )
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        readers = await uow.staff.news_readers("roads")
        assert sorted(m.external_id for m in readers) == ["1", "2", "4"]


async def test_listed_appeals_come_in_the_order_asked_without_their_collections(
    engine: AsyncEngine,
) -> None:
    factory = create_session_factory(engine)
    now = datetime.now(UTC)
    async with UnitOfWork(factory) as uow:
        user = await uow.users.get_or_create("tg", "9", display_name="A", language="ru")
        ids = []
        for n in range(3):
            appeal = roads_appeal(user.id, "9", now, f"t{n}")
            await uow.appeals.add(appeal)
            ids.append(appeal.id)
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        listed = await uow.appeals.listed([ids[2], 999_999, ids[0]])
        assert [a.text for a in listed] == ["t2", "t0"]
        with pytest.raises(InvalidRequestError):
            _ = listed[0].files  # not loaded: a line of a list does not show them


async def test_a_connection_returned_mid_transaction_is_rolled_back(engine: AsyncEngine) -> None:
    # On SQLite the pool rolls back only a connection with a transaction still open (after
    # a commit there is nothing to roll back); one left open would hold the write lock.
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's pool keeps SQLAlchemy's own rollback on return")
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.execute("INSERT INTO usage_counts VALUES ('2026-03-02', 'tg', 'x', 1)")
        assert driver.in_transaction
    async with UnitOfWork(create_session_factory(engine)) as uow:
        await uow.usage.add({(date(2026, 3, 2), "tg", "y"): 1})  # not locked out
        await uow.commit()
        day = date(2026, 3, 2)
        assert await uow.usage.totals(day, day + timedelta(days=1)) == [("tg", "y", 1)]
