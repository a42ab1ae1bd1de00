"""Rate-limited, resumable delivery of mailings to many recipients.

The mailer decides when and how fast: it claims recipients in chunks (the next one while this
one goes), sends them through each platform's channel in batches (paced by the token's shared
pacer, a few requests at once), renews its claims while it sends, and keeps the author's
progress message current. What a claim, an outcome or the end of a mailing means in the
database is the ledger's (handlers/engagement/mailing_ledger.py). A crash resends at most the
requests that were in flight, once its lease has run out; nothing is skipped. Who unsubscribed
meanwhile is checked per batch, so leaving takes effect for the mailing in progress too."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import Deliverer, MailChannel, Outcome
from bot.group_record import GroupRecorder
from handlers.contracts import ChatRef, Outgoing, Platform
from handlers.engagement.mailing_ledger import MailingLedger
from handlers.outgoing import outbox
from storage.models import Delivery, DeliveryStatus

log = logging.getLogger(__name__)

# A paid broadcast's recipients asked about in one query (paused? left the group meanwhile?)
# right before they are sent.
PAID_WAVE = 50

_STATUS = {
    Outcome.SENT: DeliveryStatus.SENT,
    Outcome.BLOCKED: DeliveryStatus.BLOCKED,
    Outcome.FAILED: DeliveryStatus.FAILED,
}


@dataclass
class _Run:
    """One mailing being sent by this process: its speed, for the progress message."""

    mailing_id: int
    # Requests in flight for this mailing, across chunks (a paid broadcast has more).
    slots: asyncio.Semaphore
    paid_slots: asyncio.Semaphore
    started: float = field(default_factory=time.monotonic)
    sent_here: int = 0
    last_progress: float = 0.0


class Mailer:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        deliverer: Deliverer,
        *,
        holder: outbox.Holder | None = None,
        chunk: int = 2000,
        concurrency: int = 8,
        paid_concurrency: int = 100,
        idle: float = 1.0,
        progress_every: float = 3.0,
        lease: float = 30.0,
        instance: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._deliverer = deliverer
        self._concurrency = concurrency
        self._paid_concurrency = paid_concurrency
        self._idle = idle
        self._progress_every = progress_every
        self._lease = timedelta(seconds=lease)
        # Unique per process: a restarted instance waits out its former self's lease
        # rather than mistake another live instance's claims for its own.
        self.instance = instance or uuid.uuid4().hex
        self._ledger = MailingLedger(
            session_factory,
            holder=holder,
            instance=self.instance,
            lease=self._lease,
            chunk=chunk,
            clock=clock,
        )
        self._recorder = GroupRecorder(self._ledger.record)
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """A mailing was started: look now rather than at the next idle check."""
        self._wake.set()

    async def delivered(self) -> None:
        """Until the authors' progress messages and summaries so far are out (tests)."""
        await self._deliverer.idle()

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        """Until stopped: send whatever mailing is in progress (after a restart, the ones
        the crash interrupted), oldest first."""
        while not self._stopping.is_set():
            try:
                for mailing_id in await self._ledger.sending():
                    if self._stopping.is_set():
                        break
                    await self.send(mailing_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the mailer failed; it tries again shortly")
            if not self._stopping.is_set():
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._idle)

    async def send(self, mailing_id: int) -> None:
        """Send one mailing until it is done, paused, cancelled, the mailer stops, or what
        is left is claimed by other instances."""
        run = _Run(
            mailing_id,
            asyncio.Semaphore(self._concurrency),
            asyncio.Semaphore(self._paid_concurrency),
        )
        renewing = asyncio.ensure_future(self._renew(mailing_id))
        # The next chunk is claimed while this one is sent: VK sends a chunk in a few
        # requests, and waiting for the database between chunks would idle the pacer.
        ahead = asyncio.ensure_future(self._ledger.claim(mailing_id))
        progress: asyncio.Future[None] | None = None
        # Two chunks overlap: the next one's first requests go while this one's last are
        # answered, so the pacer never waits for a chunk to drain.
        sending: asyncio.Future[None] | None = None
        try:
            while not self._stopping.is_set():
                read = await ahead
                if read is None:
                    break
                chunk, compose, audience = read
                if not chunk:
                    await self._wrap_up(mailing_id, sending, progress)
                    return
                ahead = asyncio.ensure_future(self._ledger.claim(mailing_id))
                if time.monotonic() - run.last_progress >= self._progress_every:
                    # Beside the sending, not between chunks: counting takes a moment.
                    run.last_progress = time.monotonic()
                    progress = asyncio.ensure_future(self._progress(run))
                current = asyncio.ensure_future(self._send_chunk(run, chunk, compose, audience))
                if sending is not None:
                    await sending
                sending = current
            if sending is not None:
                await sending  # stopping or paused: what is in hand finishes
            if self._stopping.is_set():
                read = await ahead
                if read is not None and not read[0]:
                    # Stopped right after the last chunk: done now, not at the next start.
                    await self._wrap_up(mailing_id, progress)
        finally:
            left: list[asyncio.Future[Any]] = [
                ahead,
                *(t for t in (progress, sending) if t),
                renewing,
            ]
            for task in left:
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
            await self._release(mailing_id)

    async def _wrap_up(self, mailing_id: int, *going: asyncio.Future[None] | None) -> None:
        """Nothing left to send: what is still going finishes (the final edit last), then
        the mailing is marked sent and summed up."""
        for task in going:
            if task is not None:
                await task
        written = await self._ledger.finish(mailing_id)
        if written is None:
            return  # another instance is sending the rest (or will, once its lease is out)
        await self._progress(
            _Run(mailing_id, asyncio.Semaphore(1), asyncio.Semaphore(1)), final=True
        )
        self._deliverer.post(written)

    async def _renew(self, mailing_id: int) -> None:
        """While this instance sends, its claims stay its own."""
        while True:
            await asyncio.sleep(self._lease.total_seconds() / 3)
            try:
                await self._ledger.renew(mailing_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("renewing a mailing's claims failed: %s", type(exc).__name__)

    async def _release(self, mailing_id: int) -> None:
        """Claimed but not sent (paused, stopping): free for whoever sends next."""
        try:
            await self._ledger.release(mailing_id)
        except Exception as exc:  # the lease runs out on its own
            log.warning("releasing a mailing's claims failed: %s", type(exc).__name__)

    async def _send_chunk(
        self,
        run: _Run,
        chunk: list[Delivery],
        compose: Callable[[ChatRef, str, bool], Outgoing],
        audience: str,
    ) -> None:
        # Recipients who read the same message (platform, language, accessible mode) go
        # together: VK takes up to 100 of them in one request.
        together: dict[tuple[str, str, bool], list[Delivery]] = {}
        for delivery in chunk:
            together.setdefault((delivery.platform, delivery.locale, delivery.plain), []).append(
                delivery
            )
        await asyncio.gather(
            *(
                self._send_alike(run, platform, deliveries, compose, locale, plain, audience)
                for (platform, locale, plain), deliveries in together.items()
            )
        )

    async def _send_alike(
        self,
        run: _Run,
        platform: str,
        deliveries: list[Delivery],
        compose: Callable[[ChatRef, str, bool], Outgoing],
        locale: str,
        plain: bool,
        audience: str,
    ) -> None:
        """Recipients of one message, wave by wave: who is still wanted is asked when a
        wave's first request may go (one query for a wave, not one per request), and each
        request waits for a free slot, so the next wave is asked only as this one goes out."""
        channel = self._mail_channel(platform)
        if channel is None:
            log.warning("no running %s channel: %d recipients failed", platform, len(deliveries))
            await self._record(run, {d.id: Outcome.FAILED for d in deliveries})
            return
        message = compose(ChatRef(Platform(platform), deliveries[0].chat_id), locale, plain)
        slots = run.paid_slots if message.paid_broadcast else run.slots
        # A paid broadcast asks once per 50 requests (50 ms of sending at its rate), else the
        # database would be asked 1,000 times a second; at the free rate, before each request.
        wave = max(channel.mail_batch, PAID_WAVE if message.paid_broadcast else 1)
        going: list[asyncio.Future[None]] = []
        try:
            for start in range(0, len(deliveries), wave):
                # Asked once the wave's first request may go: no later than that.
                await slots.acquire()
                try:
                    wanted = await self._ledger.still_wanted(
                        run.mailing_id, deliveries[start : start + wave], audience
                    )
                except BaseException:
                    slots.release()
                    raise
                if not wanted:
                    slots.release()
                for i in range(0, len(wanted), channel.mail_batch):
                    if i:
                        await slots.acquire()
                    batch = wanted[i : i + channel.mail_batch]
                    going.append(
                        asyncio.ensure_future(self._send_batch(run, channel, batch, message, slots))
                    )
        finally:
            await asyncio.gather(*going)

    def _mail_channel(self, platform: str) -> MailChannel | None:
        try:
            channel = self._deliverer.channel(Platform(platform))
        except ValueError:
            return None
        return channel if hasattr(channel, "mail") else None  # type: ignore[return-value]

    async def _send_batch(
        self,
        run: _Run,
        channel: MailChannel,
        batch: list[Delivery],
        message: Outgoing,
        slots: asyncio.Semaphore,
    ) -> None:
        """One request; its slot is freed once its outcome is written."""
        try:
            try:
                outcomes = await channel.mail([d.chat_id for d in batch], message, run.mailing_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("a mailing request failed: %s", type(exc).__name__)
                outcomes = {}
            # Telegram's paid broadcasts: the messages it accepted (and charged).
            counted = getattr(channel, "paid_calls", None)
            paid = counted(run.mailing_id) if counted is not None else 0
            # A chat the channel said nothing of failed (it is not sent twice by a retry).
            await self._record(
                run, {d.id: outcomes.get(d.chat_id, Outcome.FAILED) for d in batch}, paid
            )
        finally:
            slots.release()

    async def _record(self, run: _Run, outcomes: dict[int, Outcome], paid: int = 0) -> None:
        """Mark what one request did before its slot is free: a crash after this resends
        none of it (written together with the other requests' that finished meanwhile)."""
        await self._recorder.record(
            ((d, _STATUS[outcome]) for d, outcome in outcomes.items()),
            mailing_id=run.mailing_id,
            paid=paid,
        )
        run.sent_here += len(outcomes)

    async def _progress(self, run: _Run, *, final: bool = False) -> None:
        """The author's progress message, edited in place."""
        run.last_progress = time.monotonic()
        elapsed = max(time.monotonic() - run.started, 1e-6)
        written = await self._ledger.progress(
            run.mailing_id, rate=run.sent_here / elapsed, final=final
        )
        self._deliverer.post(written)
