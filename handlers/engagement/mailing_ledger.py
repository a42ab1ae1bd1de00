"""The mailings' ledger: what the mailer in bot/ reads and records, each in its own short
transaction. The mailer decides when and how fast; this decides what a claim, an outcome, a
progress message and the end of a mailing mean in the database.

Every recipient is a row in ``deliveries`` (pending, sent, blocked, failed, skipped), written
when the mailing starts. Pending rows are claimed in chunks, in order, for a lease the sender
renews (so several instances share a mailing and never send one row twice); each request's
outcome is recorded as soon as it returns, so a crash resends at most what was in flight."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.contracts import ChatRef, Outgoing
from handlers.engagement import mailing_composer
from handlers.engagement.paid_broadcast import TENTHS_PER_MESSAGE
from handlers.outgoing import outbox
from storage.models import Delivery, DeliveryStatus, MailingStatus
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

Compose = Callable[[ChatRef, str, bool], Outgoing]
# A claimed chunk: the recipients, how to compose their message, and the mailing's audience.
Chunk = tuple[list[Delivery], Compose, str]


class MailingLedger:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        holder: outbox.Holder | None,
        instance: str,
        lease: timedelta,
        chunk: int,
        clock: Callable[[], datetime],
    ) -> None:
        self._session_factory = session_factory
        # The author's progress and summary go through the outbox like every other message,
        # held by this instance, which sends them at once.
        self._holder = holder
        self._instance = instance
        self._lease = lease
        self._chunk = chunk
        self._clock = clock

    async def sending(self) -> list[int]:
        """The mailings being sent, oldest first (after a restart, those a crash interrupted)."""
        async with UnitOfWork(self._session_factory) as uow:
            return list(await uow.mailings.sending())

    async def claim(self, mailing_id: int) -> Chunk | None:
        """The next recipients, claimed for this instance, and how to compose their message;
        None when the mailing is no longer being sent (paused, cancelled)."""
        async with UnitOfWork(self._session_factory) as uow:
            mailing = await uow.mailings.get(mailing_id)
            if mailing is None or mailing.status is not MailingStatus.SENDING:
                return None
            now = self._clock()
            chunk = await uow.mailings.claim(
                mailing_id, self._instance, now, now + self._lease, self._chunk
            )
            compose = await mailing_composer.composer(uow, mailing)
            audience = mailing.audience
            # Ends the claim without expiring the rows (a rollback would).
            await uow.commit()
        return chunk, compose, audience

    async def renew(self, mailing_id: int) -> None:
        async with UnitOfWork(self._session_factory) as uow:
            await uow.mailings.renew(mailing_id, self._instance, self._clock() + self._lease)
            await uow.commit()

    async def release(self, mailing_id: int) -> None:
        """Claimed but not sent (paused, stopping): free for whoever sends next."""
        async with UnitOfWork(self._session_factory) as uow:
            await uow.mailings.release(mailing_id, self._instance)
            await uow.commit()

    async def still_wanted(
        self, mailing_id: int, batch: list[Delivery], audience: str
    ) -> list[Delivery]:
        """Right before sending: nobody, if the mailing was paused or cancelled meanwhile
        (the rest stay pending); else all but who left the group or stopped all mailings
        since it began (marked skipped), so leaving takes effect for the mailing in progress."""
        async with UnitOfWork(self._session_factory) as uow:
            if await uow.mailings.status_of(mailing_id) is not MailingStatus.SENDING:
                return []
            wanted = await uow.mailings.still_wanted(audience, (d.user_id for d in batch))
            gone = [d.id for d in batch if d.user_id not in wanted]
            if gone:
                await uow.mailings.mark(gone, DeliveryStatus.SKIPPED)
                await uow.commit()
        return [d for d in batch if d.user_id in wanted]

    async def record(
        self, outcomes: Iterable[tuple[int, DeliveryStatus]], paid: dict[int, int] | None = None
    ) -> None:
        """What requests did, marked at once: a crash after this resends none of it; with
        ``paid``, the paid broadcast messages each mailing sent (tenths of a Star each)."""
        by_status: dict[DeliveryStatus, list[int]] = {}
        for delivery_id, status in outcomes:
            by_status.setdefault(status, []).append(delivery_id)
        now = self._clock()
        async with UnitOfWork(self._session_factory) as uow:
            for status, ids in by_status.items():
                await uow.mailings.mark(ids, status, now if status is DeliveryStatus.SENT else None)
            for mailing_id, messages in (paid or {}).items():
                await uow.mailings.add_paid_spent(mailing_id, messages * TENTHS_PER_MESSAGE)
            await uow.commit()

    async def progress(self, mailing_id: int, *, rate: float, final: bool) -> list[Outgoing]:
        """The author's progress message, written to the outbox (edited in place: where it
        went is noted when it is sent; of the versions waiting, only the latest goes)."""
        async with UnitOfWork(self._session_factory) as uow:
            mailing = await uow.mailings.get(mailing_id)
            if mailing is None:
                return []
            tally = await uow.mailings.tally(mailing_id)
            rsvp = await uow.mailings.rsvp_counts(mailing_id)
            message = mailing_composer.progress(mailing, tally, rate=rate, final=final, rsvp=rsvp)
            if message is None:
                return []
            written = await outbox.write(
                uow, [replace(message, progress_of=mailing_id)], self._clock(), self._holder
            )
            await uow.commit()
        return written

    async def finish(self, mailing_id: int) -> list[Outgoing] | None:
        """Nothing of it left pending: marked done, and the author's summary written with it
        (a crash right after still sends it). None when it is not done here (another instance
        is sending the rest, or it was paused or cancelled)."""
        async with UnitOfWork(self._session_factory) as uow:
            mailing = await uow.mailings.get(mailing_id, for_update=True)
            if mailing is None or mailing.status is not MailingStatus.SENDING:
                return None
            if await uow.mailings.any_pending(mailing_id):
                return None
            mailing.status = MailingStatus.DONE
            mailing.finished_at = self._clock()
            tally = await uow.mailings.tally(mailing_id)
            rsvp = await uow.mailings.rsvp_counts(mailing_id)
            summary = mailing_composer.summary(mailing, tally, rsvp)
            written = await outbox.write(
                uow, [summary] if summary is not None else [], self._clock(), self._holder
            )
            await uow.commit()
        log.info("mailing %s done", mailing_id)
        return written
