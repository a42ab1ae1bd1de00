"""The accessible mode: for screen readers and for VK clients that show no buttons.

Messages to a person in that mode are marked plain (the adapters drop emoji and
pseudo-graphics), and every set of buttons is repeated as a numbered list; the person may
answer with the number, which then counts as pressing that button.
"""

from __future__ import annotations

import dataclasses

from handlers.context import Context, Work
from handlers.contracts import Keyboard, Outgoing, Text
from storage.models import User


def pressed(ctx: Context) -> str | None:
    """The payload a typed number stands for, in the accessible mode."""
    text = ctx.incoming.text.strip().rstrip(".")
    numbered = ctx.user.numbered or []
    if not ctx.user.accessible or ctx.incoming.payload is not None or not text.isdigit():
        return None
    index = int(text) - 1 if len(text) <= 3 else -1
    return numbered[index] if 0 <= index < len(numbered) else None


def _numbered(message: Outgoing, keyboard: Keyboard, start: int) -> Outgoing:
    choices = tuple(
        Text("access-choice", {"n": start + i, "label": button.label})
        for i, button in enumerate(keyboard.buttons)
    )
    return dataclasses.replace(
        message, texts=(*message.texts, Text("access-choices"), *choices), plain=True
    )


async def adapt(work: Work, user: User | None = None) -> None:
    """Rewrite what goes to people in the accessible mode (``user``: the one who wrote, whose
    row is at hand; the others are looked up)."""
    readers: dict[tuple[str, str], User | None] = {}
    if user is not None:
        readers[(user.platform, user.external_id)] = user
    for message in work.outgoing:
        key = (message.chat.platform.value, message.chat.chat_id)
        if key not in readers:
            readers[key] = await work.uow.users.find(*key)
    batches: dict[int, list[str]] = {}
    for index, message in enumerate(work.outgoing):
        reader = readers[(message.chat.platform.value, message.chat.chat_id)]
        if reader is None or not reader.accessible:
            continue
        if message.card_of is not None or message.rename_thread is not None:
            work.outgoing[index] = dataclasses.replace(message, plain=True)
            continue
        # Numbers run on across the messages of one turn; the last turn's numbers count.
        payloads = batches.setdefault(reader.id, [])
        keyboard = message.keyboard
        if keyboard is None or not keyboard.buttons:
            work.outgoing[index] = dataclasses.replace(message, plain=True)
            continue
        work.outgoing[index] = _numbered(message, keyboard, len(payloads) + 1)
        payloads.extend(button.payload for button in keyboard.buttons)
    for reader in readers.values():
        if reader is not None and reader.id in batches:
            reader.numbered = batches[reader.id]
