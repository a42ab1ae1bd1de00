"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.models import Base


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_upgrade_is_idempotent_and_downgrade_works(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine)  # a second start migrates nothing and fails nothing

    def tables(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names())

    async with engine.connect() as connection:
        assert {"users", "appeals", "appeal_events", "conversations"} <= await connection.run_sync(
            tables
        )
    await migrate.downgrade(engine, "base")
    async with engine.connect() as connection:
        assert await connection.run_sync(tables) <= {"alembic_version"}
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_usage_counts_survive_their_split_into_shards_and_back(engine: AsyncEngine) -> None:
    await migrate.downgrade(engine, "0020")
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO usage_counts (day, channel, event, count) VALUES "
                "('2026-03-02', 'tg', 'command:new', 5), ('2026-03-02', 'vk', 'button:a', 2)"
            )
        )
    await migrate.upgrade(engine)
    async with engine.begin() as connection:
        # Shard 0 holds what was counted; then updates add to other shards.
        await connection.execute(
            text(
                "INSERT INTO usage_counts (day, channel, event, shard, count) VALUES "
                "('2026-03-02', 'tg', 'command:new', 9, 3)"
            )
        )
    await migrate.downgrade(engine, "0020")
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT channel, event, count FROM usage_counts ORDER BY channel")
        )
        assert [tuple(row) for row in rows] == [("tg", "command:new", 8), ("vk", "button:a", 2)]
    await migrate.upgrade(engine)
