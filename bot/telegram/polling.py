"""Long polling that confirms an update only once it is handled, without holding up the rest.

Telegram forgets an update when getUpdates is asked for a later offset. aiogram's
start_polling asks for the next one as soon as an update's task starts, so an update in hand
when the process dies is lost. Here the offset stays at the oldest update still being handled:
after a crash it is delivered again, and the ledger of handled updates (inbound_updates) keeps
what was already committed from happening twice.

An update may be confirmed as soon as what it changed is committed (the channel calls
``committed()`` between the core's commit and the sending of the replies): from then on, the
ledger of handled updates would skip it if it came again, so holding it back saves nothing,
while every update in hand keeps the poll from waiting for news (see ``RECHECK_SECONDS``).
Updates that never reach a commit are confirmable when their handling ends.

Updates are handled as they come, each person's in order (a lane per person, held until the
replies are sent), others beside them. Until confirmed, the updates in hand come back with
every answer; they are recognised by their ``update_id`` before pydantic parses them (parsing
them again each time doubled what an update cost, bench/inbound.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.methods.base import Response, TelegramMethod
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig
from pydantic import ValidationError

from bot.retry import Fatal, Quiet

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
# With updates in hand, getUpdates answers at once (they are still pending), so it is asked
# again when one of them is done, or after this long: news is not kept waiting behind a slow one.
RECHECK_SECONDS = 0.1


# Set while an update is handled: makes it confirmable (see committed()).
_settle: ContextVar[Callable[[], None] | None] = ContextVar("settle", default=None)


def committed() -> None:
    """What the update being handled changed is committed: Telegram may forget it now.
    (Outside the poller, e.g. with webhooks, nothing to do.)"""
    settle = _settle.get()
    if settle is not None:
        settle()


class RawGetUpdates(TelegramMethod[list[Any]]):
    """getUpdates with the updates left as JSON objects, to be parsed only when new (and not
    checked as objects on the way: pydantic copied each one)."""

    __returning__ = list[Any]
    __api_method__ = "getUpdates"

    offset: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


# aiogram reads answers through Response[...], which pydantic caches only weakly (see
# channel._response_types): held here so it is built once.
_RESPONSE_TYPE = Response[list[Any]]


class ConfirmingPoller:
    def __init__(self, bot: Bot, dispatcher: Dispatcher, *, timeout: int) -> None:
        self._bot = bot
        self._dispatcher = dispatcher
        self._timeout = timeout
        # Not yet confirmable (the offset stays at the oldest), and every task still running.
        self._in_hand: set[int] = set()
        self._running: set[asyncio.Task[None]] = set()
        self._lanes: dict[int | None, asyncio.Task[None]] = {}
        self._taken = -1  # the highest update_id taken in hand (offset 0: Telegram's default)
        self._settled = asyncio.Event()
        # Waiting for updates with none in hand: stopping may simply cancel the wait.
        self.idle = False

    async def run(self, stopped: asyncio.Event) -> None:
        """Until ``stopped``; then the updates in hand are finished, not cut off."""
        backoff = Backoff(BackoffConfig(min_delay=1.0, max_delay=5.0, factor=1.3, jitter=0.1))
        quiet = Quiet(log)
        try:
            while not stopped.is_set():
                try:
                    raw = await self._fetch()
                except TelegramUnauthorizedError as exc:
                    raise Fatal(
                        "Telegram refuses the token (401): check TELEGRAM_BOT_TOKEN"
                    ) from exc
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    # Whatever the answer (an HTML error page, an empty body, a 5xx, DNS or
                    # TLS failing), the poll goes on: a line a minute, not one a try.
                    quiet.warning(
                        "getUpdates", "getUpdates failed: %s; trying again", type(exc).__name__
                    )
                    await backoff.asleep()
                    continue
                if not isinstance(raw, list):
                    quiet.warning("getUpdates", "getUpdates answered no list; trying again")
                    await backoff.asleep()
                    continue
                backoff.reset()
                self._take(raw)
                if self._in_hand:
                    self._settled.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._settled.wait(), RECHECK_SECONDS)
        finally:
            if self._running:
                await asyncio.gather(*self._running, return_exceptions=True)

    async def _fetch(self) -> list[Any]:
        # Everything before the oldest update in hand is handled: confirmed by this offset.
        offset = min(self._in_hand) if self._in_hand else self._taken + 1
        waiting = not self._in_hand
        self.idle = waiting
        try:
            return await self._bot(
                RawGetUpdates(
                    offset=offset,
                    timeout=self._timeout if waiting else 0,
                    allowed_updates=ALLOWED_UPDATES,
                ),
                request_timeout=self._timeout + 30,
            )
        finally:
            self.idle = False

    def _take(self, raw: list[Any]) -> None:
        for item in raw:
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if not isinstance(update_id, int) or update_id <= self._taken:
                continue  # in hand already, or handled and not yet confirmed
            self._taken = update_id
            try:
                update = Update.model_validate(item, context={"bot": self._bot})
            except ValidationError:
                # Confirmed with the next offset: an update nothing can read is not retried.
                log.warning("Telegram update %s could not be read; skipped", update_id)
                continue
            self._start(update)

    def _start(self, update: Update) -> None:
        sender = update.message or update.callback_query
        user = sender.from_user if sender is not None else None
        person = user.id if user is not None else None
        update_id = update.update_id

        def settle() -> None:
            if update_id in self._in_hand:
                self._in_hand.discard(update_id)
                self._settled.set()

        task = asyncio.create_task(self._handle(update, self._lanes.get(person), settle))
        self._in_hand.add(update_id)
        self._running.add(task)
        self._lanes[person] = task

        def done(_: asyncio.Task[None]) -> None:
            self._running.discard(task)
            if self._lanes.get(person) is task:
                del self._lanes[person]
            settle()

        task.add_done_callback(done)

    async def _handle(
        self, update: Update, after: asyncio.Task[None] | None, settle: Callable[[], None]
    ) -> None:
        if after is not None:
            await asyncio.wait({after})  # the person's previous update first
        _settle.set(settle)  # this task's own context: committed() settles this update
        try:
            await self._dispatcher.feed_update(self._bot, update)
        except Exception:
            # One update that cannot be handled must not stop the others.
            log.exception("Telegram update %s could not be handled", update.update_id)
