"""VK through the real adapter and the fake VK API: the test people, callback events and the
steps of a conversation."""

from __future__ import annotations

from typing import Any

from tests.helpers.fake_vk_api import GROUP_ID, FakeVkApi

SECRET = "vk-callback-secret"


def payload(fake: FakeVkApi, peer: int, label_part: str) -> str:
    for call in reversed(fake.sent(peer)):
        for label, data in call.buttons:
            if label_part in label:
                return data
    raise AssertionError(f"no button {label_part!r} was sent to {peer}")


CONFIRMATION = "a1b2c3d4"


def callback_event(
    fake: FakeVkApi, text: str, event_id: str, secret: str = SECRET
) -> dict[str, Any]:
    message = {
        "id": 1,
        "conversation_message_id": 1,
        "date": 1,
        "from_id": VK_CITIZEN,
        "peer_id": VK_CITIZEN,
        "out": 0,
        "text": text,
        "attachments": [],
        "fwd_messages": [],
        "important": False,
        "is_hidden": False,
        "version": 1,
    }
    return {
        "type": "message_new",
        "object": {"message": message, "client_info": {"keyboard": True, "inline_keyboard": True}},
        "group_id": GROUP_ID,
        "event_id": event_id,
        "v": "5.199",
        "secret": secret,
    }


VK_OPERATOR = 1000


VK_CITIZEN = 501


async def step(fake: FakeVkApi, peer: int, action: object) -> str:
    start = len(fake.calls)
    await action  # type: ignore[misc]
    return (await fake.reply_to(peer, start)).text


async def press(fake: FakeVkApi, peer: int, label_part: str, who: int | None = None) -> str:
    return await step(fake, who or peer, fake.press(who or peer, payload(fake, peer, label_part)))
