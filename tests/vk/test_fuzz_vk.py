"""Random input through real vkbottle long polling: garbage text, forged and broken payloads,
unknown events; after every batch a citizen still gets an answer."""

from __future__ import annotations

import json

from hypothesis import given

from bot.app import App
from tests.helpers.fake_vk_api import FakeVkApi
from tests.helpers.fuzz import batches, inputs

FUZZER = 666
SENTINEL = 502


@batches
@given(batch=inputs)
async def test_random_events_never_stop_the_loop(
    fake_vk: FakeVkApi, vk_app: App, batch: list[tuple[str, str]]
) -> None:
    fake = fake_vk
    for kind, value in batch:
        if kind == "text":
            await fake.send(FUZZER, value[:4096])
        else:
            # A button's payload as VK carries it (JSON), and one that is not JSON at all.
            await fake.press(FUZZER, json.dumps({"p": value}))
            await fake.press(FUZZER, value)
    await fake.push("message_typing_state", {"state": "typing", "from_id": FUZZER})
    await fake.push("group_join", {"user_id": FUZZER, "join_type": "join"})
    start = len(fake.calls)
    await fake.send(SENTINEL, "/help")
    answer = await fake.reply_to(SENTINEL, start)
    assert "Что умеет бот" in answer.text
    # Refused or answered, never a crash: no apology for an internal error.
    assert not any("что-то пошло не так" in c.text for c in fake.sent(FUZZER))
