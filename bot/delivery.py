"""Delivering the core's replies through the channel of each recipient."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from bot.pacing import Pacer
from handlers.contracts import Outgoing, Platform, Sent

log = logging.getLogger(__name__)


class Channel(Protocol):
    platform: Platform

    async def deliver(self, message: Outgoing) -> Sent | None:
        """Send (or, for a live card with ``edit_id``, edit) the message; where it is now
        (message and forum topic), where the platform tells it."""
        ...

    async def run(self) -> None: ...

    async def stop(self) -> None: ...


class Outcome(enum.StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # blocked the bot, deactivated, may not be written to
    FAILED = "failed"


class MailChannel(Channel, Protocol):
    """A channel that can send one message to many chats (a mailing)."""

    # How many chats one request reaches (VK: 100 peer_ids; Telegram: 1).
    mail_batch: int

    async def mail(self, chats: list[str], message: Outgoing, key: int) -> dict[str, Outcome]:
        """Send ``message`` to each chat, paced, retrying what the platform asks to retry;
        ``key`` makes a resend of the same mailing recognisable (VK's random_id)."""
        ...


class Deliverer:
    """The registry of running channels: a message goes out through its chat's platform."""

    def __init__(
        self,
        on_sent: Callable[[Outgoing, Sent], Awaitable[None]] | None = None,
        *,
        rates: dict[Platform, float] | None = None,
        pacers: dict[Platform, Pacer] | None = None,
    ) -> None:
        self._channels: dict[Platform, Channel] = {}
        # Told where a live card or a staff post went, so the next change edits the card and
        # replies to the post reach its appeal.
        self._on_sent = on_sent
        # What the platforms accept from a bot overall (Telegram about 30 messages a second,
        # VK 20 requests a second), shared with the mailer.
        # ``pacers``: given when shared with other instances (Redis).
        rates = rates or {Platform.TELEGRAM: 30, Platform.VK: 20}
        self.pacers = pacers or {platform: Pacer(rate) for platform, rate in rates.items()}
        # Told of each message's outcome (the metrics).
        self.on_outcome: Callable[[Platform, bool], None] | None = None

    def register(self, channel: Channel) -> None:
        self._channels[channel.platform] = channel

    def channel(self, platform: Platform) -> Channel | None:
        return self._channels.get(platform)

    async def deliver_one(self, message: Outgoing) -> Sent | None:
        """Send one message and say where it went (None when it could not be sent)."""
        channel = self._channels.get(message.chat.platform)
        if channel is None:
            return None
        try:
            async with self.pacers.get(message.chat.platform) or contextlib.nullcontext():
                return await channel.deliver(message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning(
                "delivery to a %s chat failed: %s", message.chat.platform.value, type(exc).__name__
            )
            return None

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
                async with self.pacers.get(message.chat.platform) or contextlib.nullcontext():
                    sent = await channel.deliver(message)
                if self.on_outcome is not None:
                    self.on_outcome(message.chat.platform, True)
                noted = message.card_of is not None or message.post_of is not None
                if sent is not None and noted and self._on_sent is not None:
                    await self._on_sent(message, sent)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.on_outcome is not None:
                    self.on_outcome(message.chat.platform, False)
                # One unreachable recipient (blocked bot, deleted chat) must not stop the
                # others; what was recorded in the database stays there (e.g. the answer).
                log.warning(
                    "delivery to a %s chat failed: %s",
                    message.chat.platform.value,
                    type(exc).__name__,
                )
