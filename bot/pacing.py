"""How fast the bot may talk to a platform: one pacer per bot token, shared by the replies
and the mailer, so a mailing and the conversations together stay under the limit."""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType

from aiolimiter import AsyncLimiter

log = logging.getLogger(__name__)


class Pacer:
    """At most ``rate`` calls a second, evenly spaced (no burst beyond the limit), and a
    pause for everyone when the platform says so (Telegram's 429 ``retry_after``, VK's
    "too many requests")."""

    # Requests leave evenly, but reach the platform with network jitter: two may land closer
    # than they left. A little under the limit keeps every second's count under it.
    MARGIN = 0.97

    def __init__(self, rate: float) -> None:
        self.rate = rate
        # A bucket of one, refilled every 1/rate s: no burst of a whole second's worth.
        self._limiter = AsyncLimiter(1, 1 / (rate * self.MARGIN))
        self._resume_at = 0.0
        self.pauses = 0

    def pause(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self.pauses += 1
        self._resume_at = max(self._resume_at, loop.time() + seconds)

    async def __aenter__(self) -> None:
        loop = asyncio.get_running_loop()
        # A pause may be extended while it is waited out: look again after each.
        while (wait := self._resume_at - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
        await self._limiter.acquire()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None
