"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
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


async def test_a_start_on_an_up_to_date_database_skips_alembic(engine: AsyncEngine) -> None:
    """The head the start compares with is Alembic's own; after a downgrade it migrates."""
    from alembic.script import ScriptDirectory

    assert (
        migrate.head() == ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    )
    assert await migrate.current(engine) == migrate.head()
    await migrate.downgrade(engine, "0021")
    assert await migrate.current(engine) == "0021"
    await migrate.upgrade(engine)
    assert await migrate.current(engine) == migrate.head()
    async with engine.connect() as connection:
        assert await connection.run_sync(_diff) == []
