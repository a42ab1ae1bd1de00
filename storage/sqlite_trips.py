"""aiosqlite with one trip to its thread per statement, not three or four.

aiosqlite runs each call on the connection's own thread, and SQLAlchemy's adapter makes a
statement four calls: open a cursor, execute, fetch the rows, close the cursor. Each call waits
for its turn on the event loop on the way back, so under load a transaction of six statements
waited in the loop's queue twenty times over while it held SQLite's one write lock (the appeal's
submit was the slowest step of bench/inbound.py). Here the cursor does all four in one call and
keeps the rows, the description, the row count and the last row id for SQLAlchemy to read.

It relies on two things aiosqlite has kept since its first releases: ``Connection._execute``
(run a function on the connection's thread) and ``Connection._conn`` (the sqlite3
connection). tests/storage/test_sqlite_trips.py fails if either goes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, cast

import aiosqlite
from sqlalchemy.engine import URL

# A row as sqlite3 gives it (no row factory is set).
Row = tuple[Any, ...]
Description = tuple[tuple[Any, ...], ...] | None


class _Done:
    """What a statement left for SQLAlchemy to read."""

    __slots__ = ("description", "lastrowid", "rowcount", "rows")

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.description: Description = cursor.description
        self.rows: list[Row] = cursor.fetchall() if cursor.description else []
        self.rowcount: int = cursor.rowcount
        self.lastrowid: int | None = cursor.lastrowid


def _run(connection: sqlite3.Connection, call: Callable[[sqlite3.Cursor], object]) -> _Done:
    """On aiosqlite's thread: a cursor, the statement, its rows, and the cursor closed."""
    cursor = connection.cursor()
    try:
        call(cursor)
        return _Done(cursor)
    finally:
        cursor.close()


class OneTripCursor:
    """The part of aiosqlite's cursor that SQLAlchemy's adapter uses; every call but
    ``execute`` and ``executemany`` answers from what the statement left, without a trip."""

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self._rows: list[Row] = []
        self.description: Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> OneTripCursor:
        self._take(await self._connection.run(lambda c: c.execute(sql, parameters or ())))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> OneTripCursor:
        self._take(await self._connection.run(lambda c: c.executemany(sql, parameters)))
        return self

    def _take(self, done: _Done) -> None:
        self.description = done.description
        self._rows = done.rows
        self.rowcount = done.rowcount
        self.lastrowid = done.lastrowid

    async def fetchall(self) -> list[Row]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchone(self) -> Row | None:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        count = self.arraysize if size is None else size
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def close(self) -> None:
        self._rows = []


class OneTripConnection(aiosqlite.Connection):
    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    async def run(self, call: Callable[[sqlite3.Cursor], object]) -> _Done:
        # aiosqlite's own queue to its thread (untyped).
        on_thread = cast(Callable[..., Awaitable[_Done]], self._execute)
        return await on_thread(_run, self._conn, call)


def async_creator(url: URL, **connect_args: Any) -> Callable[[], Any]:
    """For ``create_async_engine(async_creator=...)``: opens what aiosqlite would for ``url``."""
    from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite

    (database,), params = SQLiteDialect_aiosqlite().create_connect_args(url)
    options: dict[str, Any] = {**params, **connect_args}

    async def connect() -> OneTripConnection:
        connection = OneTripConnection(lambda: sqlite3.connect(database, **options), 64)
        # As SQLAlchemy does for aiosqlite's own: a forgotten connection does not keep the
        # process alive on its way out.
        connection._thread.daemon = True
        await connection
        return connection

    return connect
