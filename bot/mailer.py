"""Rate-limited, resumable delivery of mailings to many recipients.

Every recipient is a row in ``deliveries`` (pending, sent, blocked, failed, skipped), written
when the mailing starts. The mailer claims pending rows in chunks, in order, for a lease it
renews while it sends (so several instances share a mailing and never send one row twice),
sends them through each platform's channel (paced by the token's shared pacer) and marks each
request's outcome as soon as it returns. A crash therefore resends at most the requests that
were in flight, once its lease has run out; nothing is skipped. Who unsubscribed meanwhile is
checked per batch, so leaving takes effect for the mailing in progress too."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import Deliverer, MailChannel, Outcome
from handlers import mailings, outbox
from handlers.contracts import ChatRef, Outgoing, Platform
from storage.models import Delivery, DeliveryStatus, MailingStatus
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

_STATUS = {
    Outcome.SENT: DeliveryStatus.SENT,
    Outcome.BLOCKED: DeliveryStatus.BLOCKED,
    Outcome.FAILED: DeliveryStatus.FAILED,
}


_Chunk = tuple[list[Delivery], Callable[[ChatRef, str, bool], Outgoing], str]


@dataclass
class _Run:
    """One mailing being sent by this process: its speed, for the progress message."""

    mailing_id: int
    # Requests in flight for this mailing, across chunks.
    slots: asyncio.Semaphore
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
        idle: float = 1.0,
        progress_every: float = 3.0,
        lease: float = 30.0,
        instance: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._session_factory = session_factory
        self._deliverer = deliverer
        # The author's progress and summary go through the outbox like every other message,
        # sent at once by this instance.
        self._holder = holder
        self._chunk = chunk
        self._concurrency = concurrency
        self._idle = idle
        self._progress_every = progress_every
        self._lease = timedelta(seconds=lease)
        # Unique per process: a restarted instance waits out its former self's lease
        # rather than mistake another live instance's claims for its own.
        self.instance = instance or uuid.uuid4().hex
        self._clock = clock
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
                async with UnitOfWork(self._session_factory) as uow:
                    ids = await uow.mailings.sending()
                for mailing_id in ids:
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
        run = _Run(mailing_id, asyncio.Semaphore(self._concurrency))
        renewing = asyncio.ensure_future(self._renew(mailing_id))
        # The next chunk is claimed while this one is sent: VK sends a chunk in a few
        # requests, and waiting for the database between chunks would idle the pacer.
        ahead = asyncio.ensure_future(self._claim(mailing_id))
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
                ahead = asyncio.ensure_future(self._claim(mailing_id))
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
        async with UnitOfWork(self._session_factory) as uow:
            await self._finish(uow, mailing_id)

    async def _claim(self, mailing_id: int) -> _Chunk | None:
        """The next recipients, claimed for this instance, and how to compose their message;
        None when the mailing is no longer being sent (paused, cancelled)."""
        async with UnitOfWork(self._session_factory) as uow:
            mailing = await uow.mailings.get(mailing_id)
            if mailing is None or mailing.status is not MailingStatus.SENDING:
                return None
            now = self._clock()
            chunk = await uow.mailings.claim(
                mailing_id, self.instance, now, now + self._lease, self._chunk
            )
            compose = await mailings.composer(uow, mailing)
            audience = mailing.audience
            # Ends the claim without expiring the rows (a rollback would).
            await uow.commit()
        return chunk, compose, audience

    async def _renew(self, mailing_id: int) -> None:
        """While this instance sends, its claims stay its own."""
        while True:
            await asyncio.sleep(self._lease.total_seconds() / 3)
            try:
                async with UnitOfWork(self._session_factory) as uow:
                    await uow.mailings.renew(mailing_id, self.instance, self._clock() + self._lease)
                    await uow.commit()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("renewing a mailing's claims failed: %s", type(exc).__name__)

    async def _release(self, mailing_id: int) -> None:
        """Claimed but not sent (paused, stopping): free for whoever sends next."""
        try:
            async with UnitOfWork(self._session_factory) as uow:
                await uow.mailings.release(mailing_id, self.instance)
                await uow.commit()
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
        tasks = []
        for (platform, locale, plain), deliveries in together.items():
            channel = self._mail_channel(platform)
            if channel is None:
                log.warning(
                    "no running %s channel: %d recipients failed", platform, len(deliveries)
                )
                await self._record(run, {d.id: Outcome.FAILED for d in deliveries})
                continue
            for i in range(0, len(deliveries), channel.mail_batch):
                batch = deliveries[i : i + channel.mail_batch]
                message = compose(ChatRef(Platform(platform), batch[0].chat_id), locale, plain)
                tasks.append(self._send_batch(run, channel, batch, message, run.slots, audience))
        await asyncio.gather(*tasks)

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
        audience: str,
    ) -> None:
        async with slots:
            batch = await self._still_wanted(run, batch, audience)
            if not batch:
                return
            try:
                outcomes = await channel.mail([d.chat_id for d in batch], message, run.mailing_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("a mailing request failed: %s", type(exc).__name__)
                outcomes = {}
            # A chat the channel said nothing of failed (it is not sent twice by a retry).
            await self._record(run, {d.id: outcomes.get(d.chat_id, Outcome.FAILED) for d in batch})

    async def _still_wanted(
        self, run: _Run, batch: list[Delivery], audience: str
    ) -> list[Delivery]:
        """Right before sending: nobody, if the mailing was paused or cancelled meanwhile
        (the rest stay pending); else all but who left the group or stopped all mailings
        since it began, so leaving takes effect for the mailing in progress."""
        async with UnitOfWork(self._session_factory) as uow:
            mailing = await uow.mailings.get(run.mailing_id)
            if mailing is None or mailing.status is not MailingStatus.SENDING:
                return []
            wanted = await uow.mailings.still_wanted(audience, (d.user_id for d in batch))
            gone = [d.id for d in batch if d.user_id not in wanted]
            if gone:
                await uow.mailings.mark(gone, DeliveryStatus.SKIPPED)
                await uow.commit()
        return [d for d in batch if d.user_id in wanted]

    async def _record(self, run: _Run, outcomes: dict[int, Outcome]) -> None:
        """Mark what one request did, at once: a crash after this resends none of it."""
        by_status: dict[DeliveryStatus, list[int]] = {}
        for delivery_id, outcome in outcomes.items():
            by_status.setdefault(_STATUS[outcome], []).append(delivery_id)
        now = self._clock()
        async with UnitOfWork(self._session_factory) as uow:
            for status, ids in by_status.items():
                await uow.mailings.mark(ids, status, now if status is DeliveryStatus.SENT else None)
            await uow.commit()
        run.sent_here += len(outcomes)

    async def _progress(self, run: _Run, *, final: bool = False) -> None:
        """The author's progress message, edited in place."""
        run.last_progress = time.monotonic()
        async with UnitOfWork(self._session_factory) as uow:
            mailing = await uow.mailings.get(run.mailing_id)
            if mailing is None:
                return
            tally = await uow.mailings.tally(run.mailing_id)
            rsvp = await uow.mailings.rsvp_counts(run.mailing_id)
            elapsed = max(time.monotonic() - run.started, 1e-6)
            message = mailings.progress(
                mailing, tally, rate=run.sent_here / elapsed, final=final, rsvp=rsvp
            )
            if message is None:
                return
            # Edited in place: where it went is noted when it is sent; of versions waiting
            # to be sent, only the latest goes.
            written = await outbox.write(
                uow, [replace(message, progress_of=run.mailing_id)], self._clock(), self._holder
            )
            await uow.commit()
        self._deliverer.post(written)

    async def _finish(self, uow: UnitOfWork, mailing_id: int) -> None:
        mailing = await uow.mailings.get(mailing_id, for_update=True)
        if mailing is None or mailing.status is not MailingStatus.SENDING:
            return
        if await uow.mailings.any_pending(mailing_id):
            return  # another instance is sending the rest (or will, once its lease is out)
        mailing.status = MailingStatus.DONE
        mailing.finished_at = self._clock()
        tally = await uow.mailings.tally(mailing_id)
        rsvp = await uow.mailings.rsvp_counts(mailing_id)
        summary = mailings.summary(mailing, tally, rsvp)
        # Written with the mailing's end: a crash right after still sends it.
        written = await outbox.write(
            uow, [summary] if summary is not None else [], self._clock(), self._holder
        )
        await uow.commit()
        log.info("mailing %s done", mailing_id)
        await self._progress(_Run(mailing_id, asyncio.Semaphore(1)), final=True)
        self._deliverer.post(written)
