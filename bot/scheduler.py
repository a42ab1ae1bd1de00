"""APScheduler in-process: the daily digest, the overdue check, and the polls' and public
discussions' clock (opening, reminding, closing).

What a job has done is kept in our database (job_runs, and a flag on each appeal), not in
APScheduler's memory: on start the digest of the latest slot runs if it has not yet (a digest
missed while the bot was down is caught up), and a slot already done is never repeated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta, tzinfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import Deliverer
from handlers.core import ConversationCore

log = logging.getLogger(__name__)


def latest_slot(now: datetime, at: time, zone: tzinfo) -> datetime:
    """The most recent moment, not after ``now``, that the clock in ``zone`` showed ``at``."""
    local = now.astimezone(zone)
    slot = datetime.combine(local.date(), at, tzinfo=zone)
    if slot > local:
        slot = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=zone)
    return slot.astimezone(UTC)


class Scheduler:
    def __init__(
        self,
        core: ConversationCore,
        deliverer: Deliverer,
        *,
        zone: tzinfo,
        digest_at: time,
        overdue_every: timedelta,
        polls_every: timedelta = timedelta(minutes=1),
        mailings_every: timedelta = timedelta(seconds=30),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._core = core
        self._deliverer = deliverer
        self._zone = zone
        self._digest_at = digest_at
        self._overdue_every = overdue_every
        self._polls_every = polls_every
        self._mailings_every = mailings_every
        self._clock = clock
        self._aps: AsyncIOScheduler | None = None
        self._running: set[asyncio.Future[None]] = set()

    async def digest(self) -> None:
        slot = latest_slot(self._clock(), self._digest_at, self._zone)
        await self._deliverer.deliver(await self._core.run_job("digest", slot))

    async def overdue(self) -> None:
        await self._deliverer.deliver(await self._core.run_job("overdue"))

    async def polls(self) -> None:
        # What is due is marked on each poll and discussion as it is done: a restart neither
        # repeats nor skips a step, and one missed while the bot was down runs now.
        await self._deliverer.deliver(await self._core.run_job("polls"))

    async def mailings(self) -> None:
        # Scheduled mailings whose time has come start (their recipients written down for
        # the mailer); the status on each mailing keeps a restart from starting one twice.
        await self._deliverer.deliver(await self._core.run_job("mailings"))

    async def _fire(self, job: Callable[[], Awaitable[None]]) -> None:
        """What APScheduler runs. Its shutdown cancels running jobs; ours finish instead
        (stop() waits for them), so a job is never cut off halfway."""
        task = asyncio.ensure_future(job())
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(task)

    async def start(self) -> None:
        # Jobs carry no objects of ours beyond bound methods, and nothing is lost with the
        # in-memory job store: what ran is in the database.
        self._aps = AsyncIOScheduler(
            timezone=self._zone,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self._aps.add_job(
            self._fire,
            CronTrigger(
                hour=self._digest_at.hour, minute=self._digest_at.minute, timezone=self._zone
            ),
            id="digest",
            args=[self.digest],
        )
        self._aps.add_job(
            self._fire,
            IntervalTrigger(seconds=self._overdue_every.total_seconds(), timezone=self._zone),
            id="overdue",
            args=[self.overdue],
            next_run_time=datetime.now(self._zone),
        )
        self._aps.add_job(
            self._fire,
            IntervalTrigger(seconds=self._polls_every.total_seconds(), timezone=self._zone),
            id="polls",
            args=[self.polls],
            next_run_time=datetime.now(self._zone),
        )
        self._aps.add_job(
            self._fire,
            IntervalTrigger(seconds=self._mailings_every.total_seconds(), timezone=self._zone),
            id="mailings",
            args=[self.mailings],
            next_run_time=datetime.now(self._zone),
        )
        self._aps.start()
        await self._fire(self.digest)  # the slot missed while the bot was down, if any
        log.info(
            "scheduler started: digest at %s, overdue check every %s",
            self._digest_at,
            self._overdue_every,
        )

    async def stop(self) -> None:
        if self._aps is not None and self._aps.running:
            self._aps.shutdown(wait=False)
        await asyncio.gather(*self._running, return_exceptions=True)
