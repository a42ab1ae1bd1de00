from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from tests.helpers.channels import running
from tests.helpers.fake_max_api import FakeMaxApi
from tests.helpers.max import max_settings


@pytest.fixture
async def fake_max() -> AsyncIterator[FakeMaxApi]:
    fake = FakeMaxApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def max_app(
    fake_max: FakeMaxApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[App]:
    monkeypatch.chdir(tmp_path)  # where the long-poll marker is kept, beside data/
    async with running(max_settings(fake_max, sqlite_url)) as app:
        yield app
