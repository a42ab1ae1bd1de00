"""SQLite through aiosqlite with one trip to its thread per statement (storage/sqlite_trips.py):
what SQLAlchemy reads back (rows, row counts, new ids, errors) is what plain aiosqlite gives,
and a statement costs one trip, not four."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.database import create_engine, create_session_factory
from storage.models import UsageCount, User
from storage.sqlite_trips import OneTripConnection
from storage.uow import UnitOfWork


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    await migrate.upgrade(engine)
    yield engine
    await engine.dispose()


class Trips:
    """Counts the calls queued for aiosqlite's thread on one connection."""

    def __init__(self, connection: OneTripConnection) -> None:
        self.count = 0
        self._queue = connection._tx  # the thread reads this one; calls still reach it
        connection._tx = self  # type: ignore[assignment]

    def put_nowait(self, item: Any) -> None:
        self.count += 1
        self._queue.put_nowait(item)


async def _driver(session: Any) -> OneTripConnection:
    raw = await (await session.connection()).get_raw_connection()
    driver = raw.driver_connection
    assert isinstance(driver, OneTripConnection)
    return driver


async def test_each_statement_is_one_trip_and_reads_back_what_sqlite_gave(
    sqlite_engine: AsyncEngine,
) -> None:
    async with UnitOfWork(create_session_factory(sqlite_engine)) as uow:
        session = uow.session
        trips = Trips(await _driver(session))
        # An ORM insert (its new id read back), a select with rows, an update's row count.
        ann = User(platform="telegram", external_id="1", display_name="Анна")
        session.add(ann)
        await session.flush()
        assert ann.id is not None
        names = (await session.execute(select(User.display_name))).scalars().all()
        assert names == ["Анна"]
        changed = await session.execute(
            update(User).where(User.platform == "telegram").values(language="en")
        )
        assert changed.rowcount == 1  # type: ignore[attr-defined]
        await uow.commit()
        # Three statements and the commit: four trips (aiosqlite's cursors made it 11).
        assert trips.count == 4


async def test_many_rows_at_once_and_an_empty_answer(sqlite_engine: AsyncEngine) -> None:
    async with sqlite_engine.begin() as connection:
        rows = [
            {"day": date(2026, 3, 2), "channel": "telegram", "event": f"e{n}", "count": n}
            for n in range(5)
        ]
        await connection.execute(insert(UsageCount), rows)  # executemany
        total = await connection.scalar(select(func.sum(UsageCount.count)))
        assert total == 10
        none = (await connection.execute(select(User.id))).all()
        assert none == []


async def test_an_error_is_sqlalchemys_and_the_connection_goes_on(
    sqlite_engine: AsyncEngine,
) -> None:
    factory = create_session_factory(sqlite_engine)
    async with UnitOfWork(factory) as uow:
        uow.session.add(User(platform="vk", external_id="7"))
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        uow.session.add(User(platform="vk", external_id="7"))  # the same person again
        with pytest.raises(IntegrityError):
            await uow.commit()
    async with UnitOfWork(factory) as uow:
        count = await uow.session.scalar(select(func.count()).select_from(User))
        assert count == 1
