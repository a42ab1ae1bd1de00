"""Random input through real maxapi long polling: garbage text, forged payloads, updates of
kinds the bot never asked for and of shapes MAX never sends; after every batch a citizen
still gets an answer."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.app import App
from tests.helpers.fake_max_api import FakeMaxApi
from tests.helpers.fuzz import batches, inputs

FUZZER = 4666
SENTINEL = 4502

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
# Updates MAX might send, bent: a known kind with its parts replaced by anything.
bent = st.builds(
    lambda kind, message, callback, user: {
        "update_type": kind,
        "timestamp": 1,
        "message": message,
        "callback": callback,
        "user": user,
    },
    st.sampled_from(
        ["message_created", "message_callback", "bot_started", "message_edited", "user_added", "x"]
    ),
    json_values,
    json_values,
    json_values,
)


@batches
@given(batch=inputs, odd=st.lists(bent, max_size=3))
async def test_random_updates_never_stop_the_loop(
    fake_max: FakeMaxApi, max_app: App, batch: list[tuple[str, str]], odd: list[dict[str, Any]]
) -> None:
    fake = fake_max
    for kind, value in batch:
        if kind == "text":
            await fake.send_text(FUZZER, value[:4000])
        else:
            await fake.press(FUZZER, value)
    for update in odd:
        await fake.push(update)
    # A sender whose id is not a number, attachments that are not a list, a location
    # without coordinates.
    await fake.push(
        {
            "update_type": "message_created",
            "message": {"sender": {"user_id": "x"}, "body": {"text": "/start"}},
        }
    )
    await fake.send_text(FUZZER, "", attachments=[{"type": "location"}, {"type": 5}, "x"])  # type: ignore[list-item]
    start = len(fake.calls)
    await fake.send_text(SENTINEL, "/help")
    answer = await fake.reply_to(SENTINEL, start)
    assert "Что умеет бот" in answer.text
    # Refused or answered, never a crash: no apology for an internal error.
    assert not any("что-то пошло не так" in c.text for c in fake.sent(FUZZER))
