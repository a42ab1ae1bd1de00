"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
the validated templates, and settings that never read the developer's .env."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers.appeals.topics import TopicCatalog
from storage import migrate
from storage.database import create_engine
from tests.helpers.databases import reset_postgres
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.fake_vk_api import FakeVkApi
from tests.helpers.settings import LOCALES, TEMPLATES

# Every bot a test starts (in this process or as `python -m bot`) serves its public page on a
# free port: never on 8081, where a developer's own bot may be listening.
os.environ.setdefault("PUBLIC_WEB_PORT", "0")


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer.load(TEMPLATES, LOCALES, "ru")


@pytest.fixture(scope="session")
def topics() -> TopicCatalog:
    return TopicCatalog.load(TEMPLATES / "topics.toml", LOCALES)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each dialect; the PostgreSQL run needs TEST_DATABASE_URL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set")
    await reset_postgres(url)
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
