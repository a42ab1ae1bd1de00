"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import PoolResetState

from storage.sqlite_trips import async_creator

SQLITE_BUSY_TIMEOUT_MS = 5000


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url,
        # One trip to aiosqlite's thread per statement (storage/sqlite_trips.py).
        async_creator=async_creator(parsed, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000),
        # Rolled back on its return only if a transaction is open (below).
        pool_reset_on_return=None,
    )

    @event.listens_for(engine.sync_engine, "reset")
    def _end_open_transaction(dbapi_connection: Any, record: Any, state: PoolResetState) -> None:
        # A connection nearly always comes back after its commit, with nothing to roll back;
        # the pool's own rollback would still cost a trip to aiosqlite's thread, and every
        # update waits for the one before it to give SQLite's write lock back.
        if state.asyncio_safe and record.driver_connection.in_transaction:
            dbapi_connection.rollback()

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers run beside the one writer; the busy timeout makes a second
        # writer wait instead of failing; SQLite enforces foreign keys only when asked.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def writer_turns(
    session_factory: async_sessionmaker[AsyncSession],
) -> contextlib.AbstractAsyncContextManager[Any]:
    """What a writing transaction holds for its whole length. SQLite has one writer at a time,
    and a transaction that finds the file locked sleeps in growing steps: writers take turns
    on a lock here instead. PostgreSQL locks rows: nothing to hold."""
    bind = session_factory.kw.get("bind")
    if bind is not None and bind.dialect.name == "sqlite":
        return asyncio.Lock()
    return contextlib.nullcontext()
