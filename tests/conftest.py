"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
the validated templates, and settings that never read the developer's .env."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.i18n import Renderer
from handlers.topics import TopicCatalog
from storage import migrate
from storage.database import create_engine
from tests.telegram.fake_bot_api import FakeBotApi
from tests.vk.fake_vk_api import FakeVkApi

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
LOCALES = ("ru", "en")


def make_settings(**values: Any) -> Settings:
    # Tests click far faster than people: flood control is off unless a test sets it.
    return Settings(_env_file=None, **{"flood_rate": 100, "flood_burst": 1000, **values})


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer.load(TEMPLATES, LOCALES, "ru")


@pytest.fixture(scope="session")
def topics() -> TopicCatalog:
    return TopicCatalog.load(TEMPLATES / "topics.toml", LOCALES)


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each dialect; the PostgreSQL run needs TEST_DATABASE_URL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set")
    await _reset_postgres(url)
    return url


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    """For the channel tests, where the platform and not the dialect is under test."""
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
async def fake_tg() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def fake_vk() -> AsyncIterator[FakeVkApi]:
    fake = FakeVkApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    yield engine
    await engine.dispose()
