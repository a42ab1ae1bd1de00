"""How fast the bot may talk to a platform: one pacer per bot token, shared by the replies
and the mailer, so a mailing and the conversations together stay under the limit."""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType

log = logging.getLogger(__name__)


class Pacer:
    """Calls evenly spaced at up to ``rate`` a second, and a pause for everyone when the
    platform says so (Telegram's 429 ``retry_after``, VK's "too many requests").

    How close to the limit it goes is learnt, not guessed: it starts at the full rate, and
    each refusal for speed takes a step down (network jitter makes two requests land closer
    than they left); a long calm takes small steps back up. Each call takes the next free
    moment of a schedule, so a busy event loop that wakes callers late lets the ones whose
    moments went by leave at once; a caller woken too late takes a fresh moment instead,
    else those would leave in a bunch over the limit."""

    FLOOR = 0.85  # the lowest share of the rate it steps down to
    STEP_DOWN = 0.01  # per refusal
    STEP_UP = 0.002  # per CALM calls without one
    CALM = 500
    # A caller woken this much later than its moment still goes (a second's count then holds
    # at most this many seconds' worth more); later, it takes a fresh moment.
    LATE = 0.015

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.share = 1.0
        self.pauses = 0
        self._next = 0.0
        self._resume_at = 0.0
        self._calm = 0

    @property
    def interval(self) -> float:
        return 1 / (self.rate * self.share)

    def pause(self, seconds: float) -> None:
        """The platform refused a call for speed: everyone waits ``seconds``, and the pace
        steps down."""
        loop = asyncio.get_running_loop()
        self.pauses += 1
        self._resume_at = max(self._resume_at, loop.time() + seconds)
        self._calm = 0
        share = max(self.FLOOR, self.share - self.STEP_DOWN)
        if share != self.share:
            self.share = share
            log.info("refused for speed: pacing at %.2f of %g a second", share, self.rate)

    def _passed(self) -> None:
        """A call went: after a long calm, the pace steps back up."""
        self._calm += 1
        if self._calm >= self.CALM:
            self._calm = 0
            self.share = min(1.0, self.share + self.STEP_UP)

    async def __aenter__(self) -> None:
        loop = asyncio.get_running_loop()
        # A pause may be extended while it is waited out: look again after each.
        while (wait := self._resume_at - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
        for attempt in range(2):
            now = loop.time()
            at = max(now, self._next)
            self._next = at + self.interval
            if at <= now:
                break
            await asyncio.sleep(at - now)
            # Once only: a loop that is always late still talks.
            if attempt == 1 or loop.time() - at <= max(self.LATE, self.interval / 2):
                break
        self._passed()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None
