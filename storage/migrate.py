"""Apply Alembic migrations programmatically (on start and by ``python -m bot migrate``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK = 0x63697669  # "civi": this application's advisory lock for migrating


# Revisions are numbered in order ("0023"), the file named after its number: the newest file
# is the head (a test holds this to what Alembic finds).
_NUMBERED = re.compile(r"^(\d{4})_\w+\.py$")


def head() -> str:
    return max(
        m.group(1)
        for p in (MIGRATIONS / "versions").iterdir()
        if (m := _NUMBERED.match(p.name)) is not None
    )


async def current(engine: AsyncEngine) -> str | None:
    """The database's revision; None for a database never migrated."""
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:  # no such table yet
        return None
    return str(found) if found is not None else None


def alembic_config(url: str = "") -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # '%' is ConfigParser interpolation; a password may contain it.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def _run(engine: AsyncEngine, step: Callable[[Config, str], None], revision: str) -> None:
    def on_connection(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        step(config, revision)

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several instances starting at once: one migrates, the others wait and find
            # nothing left to do (the lock ends with the transaction).
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK})
        await connection.run_sync(on_connection)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    # A restart on an up-to-date database, the usual case, needs no Alembic at all (importing
    # and running it took a good part of a start).
    if revision == "head" and await current(engine) == head():
        return
    from alembic import command

    await _run(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    from alembic import command

    await _run(engine, command.downgrade, revision)
