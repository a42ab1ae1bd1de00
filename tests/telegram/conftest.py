from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from tests.channels import running
from tests.conftest import make_settings
from tests.telegram.fake_bot_api import FakeBotApi

OPERATOR = 1000
CITIZEN = 501


@pytest.fixture
async def tg_app(fake_tg: FakeBotApi, sqlite_url: str) -> AsyncIterator[App]:
    settings = make_settings(
        telegram_bot_token=fake_tg.token,
        telegram_api_url=fake_tg.url,
        database_url=sqlite_url,
        admins=f"tg:{OPERATOR}",
    )
    async with running(settings) as app:
        yield app
