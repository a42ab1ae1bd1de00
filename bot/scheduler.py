"""APScheduler in-process: the daily digest, the weekly and monthly reports, the overdue check,
and the polls' and public discussions' clock (opening, reminding, closing).

What a job has done is kept in our database (job_runs, and a flag on each appeal), not in
APScheduler's memory: on start the digest and the reports of their latest slots run if they have not
yet (one missed while the bot was down is caught up), and a slot already done is never repeated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


def latest_weekly_slot(now: datetime, weekday: int, at: time, zone: tzinfo) -> datetime:
    """The most recent ISO ``weekday`` (1 is Monday) at ``at`` in ``zone``, not after ``now``."""
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.isoweekday() - weekday) % 7)
    slot = datetime.combine(day, at, tzinfo=zone)
    if slot > local:
        slot = datetime.combine(day - timedelta(days=7), at, tzinfo=zone)
    return slot.astimezone(UTC)


def latest_monthly_slot(now: datetime, day: int, at: time, zone: tzinfo) -> datetime:
    """The most recent ``day`` of a month (1–28, so every month has it) at ``at`` in ``zone``."""
    local = now.astimezone(zone)
    slot = datetime.combine(local.date().replace(day=day), at, tzinfo=zone)
    if slot > local:
        previous = local.date().replace(day=1) - timedelta(days=1)
        slot = datetime.combine(previous.replace(day=day), at, tzinfo=zone)
    return slot.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ReportTimes:
    """When the weekly report (for the last week) and the monthly one (last month) go out."""

    weekday: int = 1
    weekly_at: time = time(9, 30)
    monthday: int = 1
    monthly_at: time = time(9, 30)


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
        usage_every: timedelta = timedelta(seconds=5),
        reports: ReportTimes = ReportTimes(),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._core = core
        self._deliverer = deliverer
        self._zone = zone
        self._digest_at = digest_at
        self._overdue_every = overdue_every
        self._polls_every = polls_every
        self._mailings_every = mailings_every
        self._usage_every = usage_every
        self._reports = reports
        self._clock = clock
        self._aps: AsyncIOScheduler | None = None
        self._running: set[asyncio.Future[None]] = set()

    async def digest(self) -> None:
        slot = latest_slot(self._clock(), self._digest_at, self._zone)
        self._deliverer.post(await self._core.run_job("digest", slot))

    async def weekly_report(self) -> None:
        times = self._reports
        slot = latest_weekly_slot(self._clock(), times.weekday, times.weekly_at, self._zone)
        self._deliverer.post(await self._core.run_job("report-week", slot, first_slot_too=False))

    async def monthly_report(self) -> None:
        times = self._reports
        slot = latest_monthly_slot(self._clock(), times.monthday, times.monthly_at, self._zone)
        self._deliverer.post(await self._core.run_job("report-month", slot, first_slot_too=False))

    async def overdue(self) -> None:
        self._deliverer.post(await self._core.run_job("overdue"))
        # On the same clock: the ledger of handled updates forgets what is two days old.
        await self._core.run_job("housekeeping")

    async def polls(self) -> None:
        # What is due is marked on each poll and discussion as it is done: a restart neither
        # repeats nor skips a step, and one missed while the bot was down runs now.
        self._deliverer.post(await self._core.run_job("polls"))

    async def mailings(self) -> None:
        # Scheduled mailings whose time has come start (their recipients written down for
        # the mailer); the status on each mailing keeps a restart from starting one twice.
        self._deliverer.post(await self._core.run_job("mailings"))

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
        times = self._reports
        self._aps.add_job(
            self._fire,
            CronTrigger(
                day_of_week=times.weekday - 1,  # APScheduler counts from Monday = 0
                hour=times.weekly_at.hour,
                minute=times.weekly_at.minute,
                timezone=self._zone,
            ),
            id="report-week",
            args=[self.weekly_report],
        )
        self._aps.add_job(
            self._fire,
            CronTrigger(
                day=times.monthday,
                hour=times.monthly_at.hour,
                minute=times.monthly_at.minute,
                timezone=self._zone,
            ),
            id="report-month",
            args=[self.monthly_report],
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
        # Not a job of the whole bot: each instance writes the usage it counted.
        self._aps.add_job(
            self._fire,
            IntervalTrigger(seconds=self._usage_every.total_seconds(), timezone=self._zone),
            id="usage",
            args=[self._core.flush_usage],
        )
        self._aps.start()
        # The slots missed while the bot was down, if any.
        for missed in (self.digest, self.weekly_report, self.monthly_report):
            await self._fire(missed)
        log.info(
            "scheduler started: digest at %s, overdue check every %s",
            self._digest_at,
            self._overdue_every,
        )

    async def stop(self) -> None:
        if self._aps is not None and self._aps.running:
            self._aps.shutdown(wait=False)
        await asyncio.gather(*self._running, return_exceptions=True)
