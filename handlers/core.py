"""The conversation core: one entry point for every channel.

``ConversationCore.handle`` takes an :class:`Incoming`, runs it through the router in one unit
of work and returns what to deliver. The order of routing is explicit (see :func:`route`):
button payloads, then commands, then the current flow step, then the fallback.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers import aside, menu
from handlers.access import Access
from handlers.appeals import cards, clarify
from handlers.appeals.departments import DepartmentCatalog
from handlers.appeals.topics import TopicCatalog
from handlers.context import Context, Work
from handlers.contracts import AttachmentKind, Incoming, Outgoing, Platform, Text
from handlers.engagement import discussions, poll_builder
from handlers.faq import faq_answers
from handlers.faq.faq_library import FaqLibrary
from handlers.features import REGISTRY
from handlers.outgoing import outbox
from handlers.parsing import parse_command, payload_parts, visible
from handlers.person import accessibility
from handlers.registry import call
from handlers.reports import opendata, usage
from handlers.reports.tally import UsageTally
from handlers.settings import CoreSettings
from handlers.staff import operators, staff_threads
from handlers.throttle import Throttle, Verdict
from storage.database import writer_turns
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
T = TypeVar("T")


class KeyedLock:
    """One asyncio lock per key, forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class ConversationCore:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        settings: CoreSettings,
        topics: TopicCatalog,
        departments: DepartmentCatalog,
        faq: FaqLibrary,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._session_factory = session_factory
        self.settings = settings
        self.topics = topics
        self.departments = departments
        self.faq = faq
        self._clock = clock
        # Told how each update went and how long it took (the metrics).
        self.on_handled: Callable[[Platform, float, str], None] | None = None
        # Told after a commit that started a mailing (the mailer's wake-up).
        self.on_mailing: Callable[[], None] | None = None
        # Updates of one person are handled one at a time (an album arrives as several
        # updates at once, and each adds to the same draft).
        self._per_user = KeyedLock()
        # Held by every writing transaction: updates, jobs' outcomes and the outbox's own
        # writes (bot/outbox_store.py) take turns on SQLite.
        self.writing = writer_turns(session_factory)
        self._memo: dict[str, Any] = {}
        # The instance that sends what the core writes to the outbox (None: nobody yet; the
        # rows are free for whoever drains the outbox).
        self.holder: outbox.Holder | None = None
        self.tally = UsageTally()
        self._throttle = Throttle(settings.flood_rate, settings.flood_burst)

    @property
    def session_factory(self) -> async_sessionmaker[AsyncSession]:
        return self._session_factory

    def _language(self, incoming: Incoming) -> str:
        code = (incoming.language_code or "").split("-")[0].lower()
        return code if code in self.settings.locales else self.settings.default_locale

    async def handle(self, incoming: Incoming) -> list[Outgoing]:
        started = time.perf_counter()
        if incoming.text:
            # Invisible characters carry nothing and must not count towards any length (an
            # appeal of 30 zero-width spaces is empty).
            incoming = dataclasses.replace(incoming, text=visible(incoming.text))
        outgoing, outcome = await self._handle_counted(incoming)
        if self.on_handled is not None:
            self.on_handled(incoming.platform, time.perf_counter() - started, outcome)
        return outgoing

    async def _handle_counted(self, incoming: Incoming) -> tuple[list[Outgoing], str]:
        """The replies, and how it went: handled, throttled or failed (for the metrics)."""
        key = f"{incoming.platform}:{incoming.user_id}"
        verdict = self._throttle.admit(key)
        if verdict is not Verdict.ADMIT:
            # Refused before any database work: a flood costs the others nothing (nor the
            # log: one line when the person is told, not one per update dropped).
            if verdict is Verdict.DROP or incoming.is_group:
                return [], "throttled"
            log.info("updates from a %s user throttled", incoming.platform.value)
            notice = Text("flood-notice")
            return [
                Outgoing(incoming.chat, (notice,), locale=self._language(incoming))
            ], "throttled"
        async with self._per_user.hold(key):
            try:
                return await self._handle(incoming), "handled"
            except Exception:
                error_id = secrets.token_hex(4)
                # No text or personal data in the log line: the error id ties it to the user.
                log.exception(
                    "update %s from %s failed; error id %s",
                    incoming.update_id or "-",
                    incoming.platform.value,
                    error_id,
                )
                apology = Text("error-internal", {"code": error_id})
                return [
                    Outgoing(incoming.chat, (apology,), locale=self._language(incoming))
                ], "failed"

    async def _handle(self, incoming: Incoming) -> list[Outgoing]:
        async with self.writing, UnitOfWork(self._session_factory) as uow:
            user, conversation, staff = await uow.users.arrive(
                incoming.platform.value,
                incoming.user_id,
                display_name=incoming.display_name,
                language=self._language(incoming),
            )
            access = Access.of(
                configured_admin=self.settings.is_admin(incoming.platform, incoming.user_id),
                rows=staff,
            )
            ctx = Context(
                incoming=incoming,
                user=user,
                uow=uow,
                settings=self.settings,
                topics=self.topics,
                departments=self.departments,
                faq=self.faq,
                access=access,
                now=self._clock(),
                memo=self._memo,
                tally=self.tally,
                state=conversation.state if conversation else None,
                data=dict(conversation.data) if conversation else {},
            )
            began, began_data = ctx.state, dict(ctx.data)
            await route(ctx)
            aside.settle(ctx, began, began_data, REGISTRY.states)
            await _refresh_cards(ctx)
            await staff_threads.place(ctx)
            await accessibility.adapt(ctx, user)
            await ctx.save_state()
            await outbox.record(ctx, self.holder)
            if incoming.delivery_key and not await uow.inbound.first_time(
                f"{incoming.platform.value}:{incoming.delivery_key}", self._clock()
            ):
                # Handled before (the platform sent it again after a crash or a slow "ok";
                # another instance may have had it at the same moment): its effects are
                # committed, and doing it twice would file two appeals. Last, so the
                # database's write lock is held no longer than the writes need it.
                log.info("an update from %s delivered again: skipped", incoming.platform.value)
                return []
            await uow.commit()
            self.tally.add(usage.counts(ctx))
            self._mailing_started(ctx)
            return ctx.outgoing

    async def flush_usage(self) -> None:
        """Write this process's pending usage counts (the scheduler's, every few seconds, and
        the bot's on its way out); kept for the next try when the database fails."""
        async with self.writing:
            # Taken in turn (on SQLite), so that /usage never reads while they are neither
            # pending nor written.
            counts = self.tally.take()
            if not counts:
                return
            try:
                async with UnitOfWork(self._session_factory) as uow:
                    await uow.usage.add(counts)
                    await uow.commit()
            except Exception:
                self.tally.add(counts)  # kept for the next try
                log.warning("usage counts not written; kept for the next try", exc_info=True)

    async def run_job(
        self, name: str, slot: datetime | None = None, *, first_slot_too: bool = True
    ) -> list[Outgoing]:
        """Run a scheduled job; with a slot (e.g. today's 09:00), at most once for it, so a
        restart neither repeats it nor, caught up on start, skips it. ``first_slot_too``
        false: on the very first start the latest slot is only noted, not run (a new bot
        does not open with a report of the week before it existed)."""
        job = JOBS[name]
        try:
            async with UnitOfWork(self._session_factory) as uow:
                await uow.jobs.ensure(name)
                await uow.commit()
            async with UnitOfWork(self._session_factory) as uow:
                # Held until the commit: with several instances, one runs the job and the
                # others pass (the slot, or what the job marks as done, keeps it from
                # running again after).
                run = await uow.jobs.take(name)
                if run is None:
                    return []
                last = run.slot
                if slot is not None:
                    if last is not None and last >= slot:
                        return []
                    if last is None and not first_slot_too:
                        await uow.jobs.record(name, slot, self._clock())
                        await uow.commit()
                        return []
                work = self._work(uow)
                await job(work)
                await _refresh_cards(work)
                await staff_threads.place(work)
                await accessibility.adapt(work)
                await outbox.record(work, self.holder)
                await uow.jobs.record(name, slot, work.now)
                await uow.commit()
                self._mailing_started(work)
                return work.outgoing
        except Exception:
            log.exception("scheduled job %s failed", name)
            return []

    async def export_open_data(
        self, earlier: Mapping[str, Iterable[str]] | None = None
    ) -> dict[str, bytes]:
        """The open datasets' files by path (``python -m bot export-open-data``)."""
        async with UnitOfWork(self._session_factory) as uow:
            _, paths = await opendata.export(self._work(uow), earlier)
            await uow.commit()  # the report days it counted are kept for next time
            return paths

    def now(self) -> datetime:
        return self._clock()

    async def read(self, compute: Callable[[Work], Awaitable[T]]) -> T:
        """What the public page and API compute: in a transaction that writes nothing (days
        not rolled up yet are counted, not kept), so on SQLite it reads beside the writer and
        the citizens' updates neither wait for it nor are refused for it."""
        async with UnitOfWork(self._session_factory) as uow:
            uow.reports.without_writing()
            return await compute(self._work(uow))

    def _work(self, uow: UnitOfWork) -> Work:
        """What a job sees: the same catalogues and settings as an update, and the clock."""
        return Work(
            uow=uow,
            settings=self.settings,
            topics=self.topics,
            departments=self.departments,
            faq=self.faq,
            now=self._clock(),
            memo=self._memo,
        )

    def _mailing_started(self, work: Work) -> None:
        if work.mailing_started and self.on_mailing is not None:
            self.on_mailing()

    async def settle(self, outcomes: Sequence[outbox.Outcome]) -> list[Outgoing]:
        """Record what became of messages the sender tried, in one transaction (taking its
        turn on SQLite); what follows from it (receipts, the admins told instead of a staff
        chat), written to the outbox in the same transaction, to be sent next."""
        async with self.writing, UnitOfWork(self._session_factory) as uow:
            await uow.relaxed_commit()
            work = self._work(uow)
            await outbox.settle(work, outcomes)
            await accessibility.adapt(work)
            await outbox.record(work, self.holder)
            await uow.commit()
            return work.outgoing


async def _refresh_cards(work: Work) -> None:
    # The appeals just merged away and the citizens' own are refreshed alike.
    for appeal in work.touched.values():
        work.outgoing.append(await cards.card(work, appeal))


async def _polls_and_discussions(work: Work) -> None:
    await poll_builder.tick(work)
    await discussions.tick(work)


async def _housekeeping(work: Work) -> None:
    """The ledger of handled updates keeps two days: platforms redeliver within one. The
    outbox keeps what was sent a day and what could not be delivered 30 days (its texts are
    personal data; the appeal's history keeps that it was not delivered, and why)."""
    await work.uow.inbound.forget_before(work.now - timedelta(days=2))
    await work.uow.outbox.forget_before(work.now - timedelta(days=1), work.now - timedelta(days=30))


# The features' own jobs, and the core's: one job ticks polls and discussions together.
JOBS = {**REGISTRY.jobs, "polls": _polls_and_discussions, "housekeeping": _housekeeping}


async def route(ctx: Context) -> None:
    """Button payloads first, then commands, then the current flow step, then the fallback."""
    incoming = ctx.incoming
    payload = incoming.payload if incoming.payload is not None else accessibility.pressed(ctx)
    if payload is not None:
        await on_payload(ctx, payload)
        usage.note_button(ctx, payload)
        return
    command = parse_command(incoming.text) if not incoming.attachments else None
    if command is not None:
        await on_command(ctx, command.name, command.args)
        usage.note_command(ctx, command.name)
        return
    if any(a.kind is AttachmentKind.VOICE for a in incoming.attachments):
        if not incoming.is_group:
            ctx.reply("voice-please-text")
        return
    if await operators.relay(ctx):
        return
    steps = REGISTRY.states.get(ctx.state) if ctx.state is not None else None
    if steps is not None:
        await call(steps.on_input(ctx))
        return
    if ctx.state is not None and ctx.state != aside.PARKED:
        # A state from an older version of the bot: forget it rather than trap the user.
        ctx.clear_state()
    if not incoming.is_group and not await clarify.try_unprompted(ctx):
        # A question in the citizen's own words: an answer may already exist.
        await faq_answers.answer_free_text(ctx)


async def on_command(ctx: Context, name: str, args: str) -> None:
    command = REGISTRY.commands.get(name)
    if command is None:
        menu.unknown_command(ctx)
        return
    await call(command.run(ctx, args))


async def on_payload(ctx: Context, payload: str) -> None:
    """A forged, garbled or unknown payload kind is refused here; each feature checks the rest
    of its own payloads against the presser, the step and the draft."""
    parts = payload_parts(payload)
    if not parts:
        menu.stale_button(ctx)
        return
    kind, rest = parts[0], parts[1:]
    if kind == menu.MAIN.kind:
        # The main menu's buttons do what their commands do.
        parsed = menu.MAIN.parse(rest)
        command = REGISTRY.shortcuts.get(str(parsed[0])) if parsed else None
        if command is None:
            menu.stale_button(ctx)
        else:
            await call(command.run(ctx, ""))
        return
    buttons = REGISTRY.buttons.get(kind)
    if buttons is None:
        menu.stale_button(ctx)
        return
    for press in buttons.presses:
        values = press.payload.parse(rest)
        if values is not None:
            await call(press.run(ctx, *values))
            return
    menu.stale_button(ctx)
