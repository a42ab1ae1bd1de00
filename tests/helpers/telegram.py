"""Telegram through the real adapter and the fake Bot API: the test people, the settings,
and the steps of a conversation."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.config import Settings
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.settings import make_settings

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


async def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def step(fake: FakeBotApi, chat: int, action: object) -> str:
    """Do one thing and return the text of the next message the bot sends to ``chat``."""
    start = len(fake.calls)
    await action  # type: ignore[misc]
    return (await fake.reply_to(chat, start)).text


def button(fake: FakeBotApi, chat: int, label_part: str) -> str:
    for call in reversed(fake.sent(chat)):
        for label, data in call.buttons:
            if label_part in label:
                return data
    raise AssertionError(f"no button {label_part!r} was sent to {chat}")
