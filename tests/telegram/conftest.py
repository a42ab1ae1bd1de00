from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.config import Settings
from tests.channels import running
from tests.conftest import make_settings
from tests.telegram.fake_bot_api import FakeBotApi

OPERATOR = 1000
CITIZEN = 501


def tg_settings(fake_tg: FakeBotApi, database_url: str, **more: object) -> Settings:
    """The bot on the fake Bot API, with the test's operator as an admin."""
    return make_settings(
        telegram_bot_token=fake_tg.token,
        telegram_api_url=fake_tg.url,
        database_url=database_url,
        admins=f"tg:{OPERATOR}",
        **more,
    )


@pytest.fixture
async def tg_app(fake_tg: FakeBotApi, sqlite_url: str) -> AsyncIterator[App]:
    async with running(tg_settings(fake_tg, sqlite_url)) as app:
        yield app
