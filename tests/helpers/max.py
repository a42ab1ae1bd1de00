"""MAX through the real adapter (maxapi) and the fake MAX API: the test people, the settings
and the steps of a conversation."""

from __future__ import annotations

import re

from bot.app import App
from bot.config import Settings
from tests.helpers.channels import card_remembered
from tests.helpers.fake_max_api import FakeMaxApi
from tests.helpers.settings import make_settings

APPEAL_TEXT = "На остановке «Школа №5» <сломан> навес & скамейка, людям негде укрыться"
MAX_CITIZEN = 4501
MAX_OPERATOR = 4000


def max_settings(fake: FakeMaxApi, database_url: str, **more: object) -> Settings:
    """The bot on the fake MAX API, with the test's MAX operator as an admin."""
    values: dict[str, object] = {
        "max_bot_token": fake.token,
        "max_api_url": fake.url,
        "database_url": database_url,
        "admins": f"max:{MAX_OPERATOR}",
        **more,
    }
    return make_settings(**values)


async def step(fake: FakeMaxApi, to: int, action: object) -> str:
    """Do one thing; the text of the next message the bot sends to ``to``."""
    start = len(fake.calls)
    await action  # type: ignore[misc]
    return (await fake.reply_to(to, start)).text


def payload(fake: FakeMaxApi, to: int, label_part: str) -> str:
    for call in reversed(fake.sent(to)):
        for label, data in call.buttons:
            if label_part in label:
                return data
    raise AssertionError(f"no button {label_part!r} was sent to {to}")


async def press(fake: FakeMaxApi, to: int, label_part: str, who: int | None = None) -> str:
    """Press the button last sent to ``to`` whose label has ``label_part``; the reply."""
    return await step(fake, who or to, fake.press(who or to, payload(fake, to, label_part)))


async def file_appeal(fake: FakeMaxApi, app: App, citizen: int = MAX_CITIZEN) -> str:
    """An appeal filed on MAX, up to its live card noted; its number."""
    await step(fake, citizen, fake.send_text(citizen, "/new"))
    await press(fake, citizen, "ЖКХ")
    await step(fake, citizen, fake.send_text(citizen, APPEAL_TEXT))
    await press(fake, citizen, "Пропустить")
    await press(fake, citizen, "Пропустить")
    start = len(fake.calls)
    registered = await press(fake, citizen, "Отправить")
    await fake.wait_for(lambda c: c.to == citizen and "Ждёт оператора." in c.text, start=start)
    await card_remembered(app)
    found = re.search(r"Номер: (?:<b>)?(\d{4}-\d+)", registered)
    assert found is not None, registered
    return found.group(1)
