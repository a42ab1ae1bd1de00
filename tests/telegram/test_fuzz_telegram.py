"""Random input through real aiogram long polling: the bot answers what it can, refuses the
rest, and keeps serving; after every batch a citizen still gets the menu."""

from __future__ import annotations

from hypothesis import given

from bot.app import App
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.fuzz import batches, inputs
from tests.helpers.telegram import step

FUZZER = 666
SENTINEL = 502


@batches
@given(batch=inputs)
async def test_random_updates_never_stop_the_loop(
    fake_tg: FakeBotApi, tg_app: App, batch: list[tuple[str, str]]
) -> None:
    fake = fake_tg
    for kind, value in batch:
        if kind == "text":
            await fake.send_text(FUZZER, value or " ")
        else:
            await fake.press(FUZZER, value.encode("utf-8")[:64].decode("utf-8", "ignore"))
    # Unexpected content too: a sticker, a contact, a dice, an edited message.
    await fake.push({"message": fake._message(FUZZER, None, sticker=_sticker())})
    await fake.push({"message": fake._message(FUZZER, None, dice={"emoji": "🎲", "value": 3})})
    await fake.push({"edited_message": fake._message(FUZZER, None, text="правка")})
    text = await step(fake, SENTINEL, fake.send_text(SENTINEL, "/help"))
    assert "Что умеет бот" in text
    # Refused or answered, never a crash: no apology for an internal error.
    assert not any("что-то пошло не так" in c.text for c in fake.sent(FUZZER))


def _sticker() -> dict[str, object]:
    return {
        "file_id": "stk",
        "file_unique_id": "stk-u",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
