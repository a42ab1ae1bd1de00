"""Test databases: an empty PostgreSQL schema for each test that uses one."""

from __future__ import annotations

from sqlalchemy import text

from storage.database import create_engine


async def reset_postgres(url: str) -> None:
    """Drops and recreates the public schema: the test starts from nothing."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
