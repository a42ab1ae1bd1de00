"""Delivering the core's replies through the channel of each recipient."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from handlers.contracts import Outgoing, Platform

log = logging.getLogger(__name__)


class Channel(Protocol):
    platform: Platform

    async def deliver(self, message: Outgoing) -> str | None:
        """Send (or, for a live card with ``edit_id``, edit) the message; the id of the
        message that holds it now, where the platform has one."""
        ...

    async def run(self) -> None: ...

    async def stop(self) -> None: ...


class Deliverer:
    """The registry of running channels: a message goes out through its chat's platform."""

    def __init__(self, on_card: Callable[[Outgoing, str], Awaitable[None]] | None = None) -> None:
        self._channels: dict[Platform, Channel] = {}
        # Told where a live card went when it was sent anew, so the next change edits it.
        self._on_card = on_card

    def register(self, channel: Channel) -> None:
        self._channels[channel.platform] = channel

    async def deliver(self, messages: Iterable[Outgoing]) -> None:
        for message in messages:
            channel = self._channels.get(message.chat.platform)
            if channel is None:
                log.warning(
                    "no running %s channel: a message was not delivered",
                    message.chat.platform.value,
                )
                continue
            try:
                message_id = await channel.deliver(message)
                moved = message_id is not None and message_id != message.edit_id
                if message.card_of is not None and moved and self._on_card is not None:
                    await self._on_card(message, str(message_id))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # One unreachable recipient (blocked bot, deleted chat) must not stop the
                # others; what was recorded in the database stays there (e.g. the answer).
                log.warning(
                    "delivery to a %s chat failed: %s",
                    message.chat.platform.value,
                    type(exc).__name__,
                )
