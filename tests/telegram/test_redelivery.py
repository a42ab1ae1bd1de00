"""Telegram delivers an update again when it was not confirmed (a webhook answered late, a
poll re-read after a crash): the copy changes nothing and gets no second reply."""

from __future__ import annotations

import asyncio

from bot.app import App
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram import CITIZEN, button, step


async def test_a_message_delivered_twice_is_handled_once(fake_tg: FakeBotApi, tg_app: App) -> None:
    fake = fake_tg
    await step(fake, CITIZEN, fake.send_text(CITIZEN, "/new"))
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "ЖКХ"),
        ),
    )
    text = fake._message(CITIZEN, None, text="Во дворе третий день не вывозят мусор")
    before = len(fake.sent(CITIZEN))
    await step(fake, CITIZEN, fake.push({"message": text}))
    await fake.push({"message": text})  # the same message again, as a new update
    await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/help"),
    )
    await asyncio.sleep(0.3)
    replies = [c.text for c in fake.sent(CITIZEN)[before:]]
    # One answer to the text (the photos step), then the help: the copy was skipped, not
    # taken as the answer to the photos step.
    assert len(replies) == 2, replies
    assert "Что умеет бот" in replies[1]


async def test_a_button_press_delivered_twice_is_handled_once(
    fake_tg: FakeBotApi, tg_app: App
) -> None:
    fake = fake_tg
    await step(fake, CITIZEN, fake.send_text(CITIZEN, "/new"))
    data = button(fake, CITIZEN, "ЖКХ")
    before = len(fake.sent(CITIZEN))
    press = fake._message(CITIZEN, None, text="…")
    query = {
        "id": "cb-once",
        "from": fake.user(CITIZEN),
        "chat_instance": "ci",
        "message": press,
        "data": data,
    }
    await step(fake, CITIZEN, fake.push({"callback_query": query}))
    await fake.push({"callback_query": query})
    await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/help"),
    )
    await asyncio.sleep(0.3)
    assert len(fake.sent(CITIZEN)[before:]) == 2
