"""Delivering what the core says, through the channel of each recipient, from the outbox.

The core writes every message into the outbox in the transaction of the change that caused
it (handlers/outbox.py) and hands the written messages to :meth:`Deliverer.post`. Each chat
has a lane: its messages go in order, one at a time, while other chats' lanes go on beside
it, so one slow or refusing chat holds up nobody else. A failure the platform means for now
(429, 5xx, timeouts, broken answers; VK 6, 9, 10) is tried again after a capped, jittered
backoff, or after the platform's own ``retry_after``, which pauses the whole token; a refusal
for good (blocked, chat gone), or a failure that lasts past the limit, makes the message
undeliverable. What became of each message is recorded in batches (one transaction for all
that finished meanwhile) and only then reported: the operator hears "sent" once it was.

What was written but never sent (a crash, another instance's crash, a retry due later) is
claimed from the outbox with a lease, in order per chat, and sent the same way.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import enum
import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from bot.capabilities import Capabilities
from bot.pacing import Pacer
from bot.retry import Quiet, Verdict, backoff, transient, unexpected
from handlers.contracts import ChatRef, Outgoing, Platform, Sent
from handlers.outgoing import outbox

log = logging.getLogger(__name__)
T = TypeVar("T")

# Where a message edited in place (a live card, a mailing's progress) went, as this process
# last sent it: the next version edits that one even before the database has noted it.
EDITED_REMEMBERED = 10_000


class Steps:
    """The platform calls of one message, in order, each paced and bounded in time. When
    the message is tried again, the calls that already went through are not made again
    (their results are kept): photos that went before a refused text are not sent twice."""

    def __init__(self, key: int | None, pacer: Pacer | None, timeout: float) -> None:
        self.key = key
        self._pacer = pacer
        self._timeout = timeout
        self._done: list[Any] = []
        self._at = 0
        # When the first request of this message left (loop time): the delay metric.
        self.first_at: float | None = None

    def begin(self) -> None:
        self._at = 0

    @property
    def made(self) -> int:
        return len(self._done)

    def unique(self) -> int:
        """An id for the next call that is the same on every try of this message (VK's
        random_id, by which VK drops a repeated send), random for a message outside the
        outbox."""
        if self.key is None:
            return secrets.randbits(31)
        digest = hashlib.blake2b(f"outbox:{self.key}:{self._at}".encode(), digest_size=4)
        return int.from_bytes(digest.digest(), "big") & 0x7FFFFFFF

    async def call(self, make: Callable[[], Awaitable[T]]) -> T:
        index = self._at
        self._at += 1
        if index < len(self._done):
            done: T = self._done[index]
            return done
        async with self._pacer or contextlib.nullcontext():
            if self.first_at is None:
                self.first_at = asyncio.get_running_loop().time()
            async with asyncio.timeout(self._timeout):
                result = await make()
        self._done.append(result)
        return result


class Channel(Protocol):
    platform: Platform
    capabilities: Capabilities  # what it can show and do (bot/capabilities.py)

    async def deliver(self, message: Outgoing, steps: Steps) -> Sent | None:
        """Send (or, for a message with ``edit_id``, edit) the message, each platform call
        through ``steps``; where it is now (message and forum topic), where the platform
        tells it. Raises what the platform answered when it could not."""
        ...

    def verdict(self, exc: BaseException) -> Verdict:
        """What the platform meant by refusing: try again (when), or never."""
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


class OutboxStore(Protocol):
    """The outbox as the sender uses it (bot/outbox_store.py)."""

    async def claim(self, limit: int) -> list[tuple[Outgoing, datetime, int]]:
        """Messages free to send (nobody alive holds them), now this instance's: each with
        when it was written and how often it was tried."""
        ...

    async def renew(self) -> None: ...

    async def release(self) -> None: ...

    async def settle(self, outcomes: Sequence[outbox.Outcome]) -> list[Outgoing]: ...


@dataclass(frozen=True, slots=True)
class Policy:
    # A request that takes longer is abandoned and tried again (a hung chat holds nobody).
    request_timeout: float = 20.0
    # Failing for longer than this: undeliverable, and reported.
    give_up: timedelta = timedelta(hours=24)
    # How often the outbox is looked at for what nobody is sending.
    drain_every: float = 1.0
    claim_limit: int = 200
    # How often this instance's leases on what it holds are renewed.
    renew_every: float = 10.0
    # Outcomes are recorded together, at most this often: one transaction for many messages
    # (on SQLite every transaction waits its turn with the updates'). A crash between a send
    # and its record resends it, so this is part of the window that may repeat.
    settle_every: float = 0.05


@dataclass(eq=False)
class _Item:
    message: Outgoing
    steps: Steps
    born: datetime
    attempts: int = 0
    not_before: float = 0.0  # loop time
    # When it was posted right after its commit (loop time); None for one read back from
    # the outbox, whose commit was earlier.
    posted: float | None = None
    # Set once the message was tried (sent, given up, or waiting for its retry).
    tried: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(eq=False)
class _Lane:
    items: collections.deque[_Item] = field(default_factory=collections.deque)
    task: asyncio.Task[None] | None = None


class Deliverer:
    """The registry of running channels, and the sender of the outbox through them."""

    def __init__(
        self,
        store: OutboxStore | None = None,
        *,
        rates: dict[Platform, float] | None = None,
        pacers: dict[Platform, Pacer] | None = None,
        policy: Policy | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._channels: dict[Platform, Channel] = {}
        self._store = store
        self.policy = policy or Policy()
        self._clock = clock
        # What the platforms accept from a bot overall (Telegram about 30 messages a second,
        # VK 20 requests a second), shared with the mailer.
        # ``pacers``: given when shared with other instances (Redis).
        rates = rates or {Platform.TELEGRAM: 30, Platform.VK: 20, Platform.MAX: 25}
        self.pacers = pacers or {platform: Pacer(rate) for platform, rate in rates.items()}
        # Telegram's paid broadcasts, where the deployment allows them: their own, faster pace.
        self.paid_pacer: Pacer | None = None
        self._lanes: dict[ChatRef, _Lane] = {}
        # Outbox rows in a lane here (not to be claimed again).
        self._held: set[int] = set()
        self._edited: collections.OrderedDict[tuple[str, ChatRef], str] = collections.OrderedDict()
        self._outcomes: list[outbox.Outcome] = []
        self._settle_wake = asyncio.Event()
        self._settled_all = asyncio.Event()
        self._settled_all.set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stopping = False
        self._drain_wake = asyncio.Event()
        self._quiet = Quiet(log)
        # Told of each message's outcome (the metrics): platform, "sent", "retry",
        # "undeliverable".
        self.on_outcome: Callable[[Platform, str], None] | None = None
        # Told, for each message posted after its commit, how long until its first request
        # left (the metrics).
        self.on_delay: Callable[[Platform, float], None] | None = None

    # --- channels ------------------------------------------------------------------------

    def register(self, channel: Channel) -> None:
        self._channels[channel.platform] = channel

    def channel(self, platform: Platform) -> Channel | None:
        return self._channels.get(platform)

    # --- sending -------------------------------------------------------------------------

    def post(self, messages: Iterable[Outgoing]) -> list[_Item]:
        """Into their chats' lanes, to be sent as soon as their turn comes."""
        now = self._clock()
        items = [item for m in messages if (item := self._enqueue(m, now, 0)) is not None]
        posted = asyncio.get_running_loop().time()
        for item in items:
            item.posted = posted
        return items

    async def deliver(self, messages: Iterable[Outgoing]) -> None:
        """Post, and return once each was tried (sent, given up on, or waiting for its
        retry): for a caller that shows what comes next (the console)."""
        for item in self.post(messages):
            await item.tried.wait()

    def _enqueue(self, message: Outgoing, born: datetime, attempts: int) -> _Item | None:
        if message.outbox_id is not None:
            if message.outbox_id in self._held:
                return None
            self._held.add(message.outbox_id)
        pacer = self.pacers.get(message.chat.platform)
        item = _Item(
            message,
            Steps(message.outbox_id, pacer, self.policy.request_timeout),
            born,
            attempts,
        )
        lane = self._lanes.get(message.chat)
        if lane is None:
            lane = self._lanes[message.chat] = _Lane()
        lane.items.append(item)
        if lane.task is None or lane.task.done():
            lane.task = asyncio.create_task(self._run_lane(message.chat, lane))
        return item

    async def _run_lane(self, chat: ChatRef, lane: _Lane) -> None:
        loop = asyncio.get_running_loop()
        try:
            while lane.items and not self._stopping:
                item = lane.items[0]
                replaces = item.message.replaces
                if replaces is not None and any(
                    later.message.replaces == replaces for later in list(lane.items)[1:]
                ):
                    # A later version of this card waits behind it: only that one goes.
                    lane.items.popleft()
                    self._finish(item, outbox.Superseded(item.message))
                    continue
                wait = item.not_before - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue  # a newer version may have come meanwhile
                outcome = await self._try(item)
                if isinstance(outcome, outbox.Retrying):
                    item.attempts = outcome.attempts
                    item.not_before = (
                        loop.time() + (outcome.next_at - self._clock()).total_seconds()
                    )
                    self._report(outcome)
                    item.tried.set()
                    continue
                lane.items.popleft()
                self._finish(item, outcome)
        finally:
            if self._lanes.get(chat) is lane and (not lane.items or self._stopping):
                del self._lanes[chat]
                for item in lane.items:  # stopping: the outbox keeps them for the next start
                    item.tried.set()

    def _finish(self, item: _Item, outcome: outbox.Outcome) -> None:
        if item.message.outbox_id is not None:
            self._held.discard(item.message.outbox_id)
        self._report(outcome)
        item.tried.set()

    async def _try(self, item: _Item) -> outbox.Outcome:
        message = self._current(item.message)
        channel = self._channels.get(message.chat.platform)
        if channel is None:
            return outbox.Undeliverable(
                message, item.attempts + 1, f"other|no {message.chat.platform.value} channel"
            )
        item.steps.begin()
        try:
            sent = await channel.deliver(message, item.steps)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return self._failed(channel, item, message, exc)
        finally:
            self._measure(item)
        if sent is not None and sent.message_id and message.replaces is not None:
            self._note_edited(message, sent.message_id)
        return outbox.Delivered(message, sent)

    def _failed(
        self, channel: Channel, item: _Item, message: Outgoing, exc: Exception
    ) -> outbox.Outcome:
        try:
            verdict = channel.verdict(exc)
        except Exception:
            verdict = transient(exc) or unexpected(exc)
        platform = message.chat.platform
        if verdict.pause and verdict.after:
            pacer = self.pacers.get(platform)
            if pacer is not None:
                pacer.pause(verdict.after)
        attempts = item.attempts + 1
        now = self._clock()
        if not verdict.retry:
            return outbox.Undeliverable(message, attempts, verdict.reason)
        if now - item.born >= self.policy.give_up:
            hours = round(self.policy.give_up.total_seconds() / 3600)
            return outbox.Undeliverable(message, attempts, f"timeout|{hours}")
        self._quiet.warning(
            f"{platform.value}:{verdict.reason}",
            "sending to a %s chat failed (%s): it will be tried again",
            platform.value,
            verdict.reason.replace("|", ": "),
        )
        delay = backoff(attempts, verdict.after)
        return outbox.Retrying(message, attempts, now + timedelta(seconds=delay), verdict.reason)

    def _measure(self, item: _Item) -> None:
        """From the commit to the first request of the message leaving (its first try)."""
        if item.posted is not None and item.steps.first_at is not None:
            if self.on_delay is not None:
                self.on_delay(item.message.chat.platform, item.steps.first_at - item.posted)
            item.posted = None

    def _current(self, message: Outgoing) -> Outgoing:
        """A message edited in place edits where its last version went from this process
        (the database may not have noted it yet)."""
        replaces = message.replaces
        if replaces is None:
            return message
        where = self._edited.get((replaces, message.chat))
        if where is None or where == message.edit_id:
            return message
        return replace(message, edit_id=where)

    def _note_edited(self, message: Outgoing, message_id: str) -> None:
        assert message.replaces is not None
        key = (message.replaces, message.chat)
        self._edited[key] = message_id
        self._edited.move_to_end(key)
        while len(self._edited) > EDITED_REMEMBERED:
            self._edited.popitem(last=False)

    # --- what became of them -------------------------------------------------------------

    def _report(self, outcome: outbox.Outcome) -> None:
        platform = outcome.message.chat.platform
        kind = {
            outbox.Delivered: "sent",
            outbox.Retrying: "retry",
            outbox.Undeliverable: "undeliverable",
            outbox.Superseded: "superseded",
        }[type(outcome)]
        if isinstance(outcome, outbox.Undeliverable):
            log.warning(
                "a message to a %s chat is undeliverable: %s",
                platform.value,
                outcome.reason.replace("|", ": "),
            )
        if self.on_outcome is not None:
            self.on_outcome(platform, kind)
        if self._store is None or not self._worth_settling(outcome):
            return
        self._outcomes.append(outcome)
        self._settled_all.clear()
        self._settle_wake.set()
        self._start(self._settler)

    @staticmethod
    def _worth_settling(outcome: outbox.Outcome) -> bool:
        # A message from memory only (the flood notice, an apology) has no row to record.
        return outcome.message.outbox_id is not None

    async def _settler(self) -> None:
        """Record outcomes in batches: while one transaction runs, the next batch gathers."""
        assert self._store is not None
        while True:
            await self._settle_wake.wait()
            if not self._stopping:
                await asyncio.sleep(self.policy.settle_every)  # let more gather
            self._settle_wake.clear()
            batch, self._outcomes = self._outcomes, []
            if not batch:
                self._settled_all.set()
                if self._stopping:
                    return
                continue
            try:
                follow = await self._store.settle(batch)
            except asyncio.CancelledError:
                self._outcomes[:0] = batch
                raise
            except Exception as exc:
                self._quiet.warning(
                    "settle", "recording what was sent failed (%s); trying again", type(exc)
                )
                self._outcomes[:0] = batch
                await asyncio.sleep(1.0)
                self._settle_wake.set()
                continue
            if not self._stopping:
                self.post(follow)
            if not self._outcomes:
                self._settled_all.set()

    async def settled(self) -> None:
        """Until every outcome so far is recorded (tests, and stopping)."""
        await self._settled_all.wait()

    async def idle(self) -> None:
        """Until nothing is being sent or recorded, what follows from it included (what waits
        for a retry aside): the console shows a turn whole before the next prompt."""
        while True:
            await self._settled_all.wait()
            busy = [
                item
                for lane in list(self._lanes.values())
                for item in lane.items
                if not item.tried.is_set()
            ]
            if not busy and self._settled_all.is_set():
                return
            for item in busy:
                await item.tried.wait()

    # --- the outbox: what nobody is sending --------------------------------------------

    def _start(self, run: Callable[[], Awaitable[None]]) -> None:
        name = run.__name__
        if any(task.get_name() == name and not task.done() for task in self._tasks):
            return
        task = asyncio.ensure_future(run())
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self) -> None:
        """Until stopped: take up what is in the outbox and nobody sends (after a restart,
        what the crash left; retries due), and keep this instance's leases."""
        if self._store is None:
            return
        renewing = asyncio.create_task(self._renew())
        try:
            while not self._stopping:
                try:
                    for message, born, attempts in await self._store.claim(self.policy.claim_limit):
                        self._enqueue(message, born, attempts)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    self._quiet.warning(
                        "claim", "reading the outbox failed (%s); trying again", type(exc).__name__
                    )
                self._drain_wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._drain_wake.wait(), self.policy.drain_every)
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _renew(self) -> None:
        assert self._store is not None
        while True:
            await asyncio.sleep(self.policy.renew_every)
            if self._held:
                try:
                    await self._store.renew()
                except Exception as exc:
                    self._quiet.warning("renew", "renewing leases failed: %s", type(exc).__name__)

    async def stop(self, grace: float = 5.0) -> None:
        """Let what is being sent finish (up to ``grace`` seconds), record every outcome, and hand
        back what is left: the outbox keeps it for the next start or another instance."""
        self._stopping = True
        self._drain_wake.set()
        lanes = [lane.task for lane in self._lanes.values() if lane.task is not None]
        if lanes:
            _, late = await asyncio.wait(lanes, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._store is not None:
            self._settle_wake.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._settled_all.wait(), grace)
            try:
                await self._store.release()
            except Exception as exc:
                log.warning("releasing the outbox failed: %s", type(exc).__name__)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def pending(self) -> int:
        """Messages in this process's lanes."""
        return sum(len(lane.items) for lane in self._lanes.values())
