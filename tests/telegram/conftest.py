from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from tests.helpers.channels import running
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram import tg_settings


@pytest.fixture
async def tg_app(fake_tg: FakeBotApi, sqlite_url: str) -> AsyncIterator[App]:
    async with running(tg_settings(fake_tg, sqlite_url)) as app:
        yield app
