"""A :class:`~bot.pacing.Pacer` whose schedule is in Redis, for several instances with one
token. Its own module: Redis is imported only by a deployment that sets REDIS_URL."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.pacing import Pacer

log = logging.getLogger(__name__)


# Reserves the next free moment of a token's shared schedule and says how long to wait for
# it (µs): each call's moment is 1/rate after the previous one, whichever instance made it,
# and none before the end of a pause the platform asked for.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local resume = tonumber(redis.call('GET', KEYS[2]) or '0')
local at = math.max(now, free, resume)
redis.call('SET', KEYS[1], string.format('%d', at + tonumber(ARGV[1])), 'PX', 60000)
return at - now
"""

# Everyone pauses until now + ARGV[1] µs, unless a longer pause is already set.
_PAUSE = """
local t = redis.call('TIME')
local until_ = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1])
local resume = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > resume then
  redis.call('SET', KEYS[1], string.format('%d', until_), 'PX', math.ceil(ARGV[1] / 1000) + 1000)
end
return 0
"""


class SharedPacer(Pacer):
    """A :class:`Pacer` whose schedule is kept in Redis, so any number of instances with the
    same token keep its limit together. Redis's clock is the one clock they share. If Redis
    cannot be reached, this instance paces alone (and says so) rather than stop talking."""

    def __init__(self, redis: Redis, token: str, rate: float) -> None:
        super().__init__(rate)
        # The token itself never leaves the process: its hash names the schedule.
        name = hashlib.sha256(token.encode()).hexdigest()[:16]
        self._keys = (f"civic:pace:{name}", f"civic:pause:{name}")
        self._reserve = redis.register_script(_RESERVE)
        self._pause = redis.register_script(_PAUSE)
        self._tasks: set[asyncio.Future[Any]] = set()
        self._warned_at = float("-inf")

    def pause(self, seconds: float) -> None:
        super().pause(seconds)
        task = asyncio.ensure_future(
            self._pause(keys=[self._keys[1]], args=[int(seconds * 1_000_000)])
        )
        self._tasks.add(task)
        task.add_done_callback(self._pause_done)

    def _pause_done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self._unreachable(task.exception())

    def _unreachable(self, exc: BaseException | None) -> None:
        now = time.monotonic()
        if now - self._warned_at >= 60:
            self._warned_at = now
            log.warning("Redis unreachable (%s): this instance paces alone", type(exc).__name__)

    async def __aenter__(self) -> None:
        loop = asyncio.get_running_loop()
        for attempt in range(2):
            try:
                interval_us = int(self.interval * 1_000_000)
                wait_us = int(await self._reserve(keys=list(self._keys), args=[interval_us]))
            except RedisError as exc:
                self._unreachable(exc)
                await super().__aenter__()
                return
            # A pause this instance was told of before Redis could record it.
            wait = max(wait_us / 1_000_000, self._resume_at - loop.time())
            if wait <= 0:
                break
            due = loop.time() + wait
            await asyncio.sleep(wait)
            # Woken late (the event loop was busy): the moment went by, and the calls whose
            # moments also went by would leave together, over the limit. A fresh moment, at
            # the end of the schedule; once only, so a loop that is always late still talks.
            if attempt == 1 or loop.time() - due <= max(self.LATE, self.interval / 2):
                break
        self._passed()
