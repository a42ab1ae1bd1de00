"""The pacer two instances share through Redis: calls of either keep one schedule, and a busy
event loop does not make them leave in a bunch (the platform would refuse the excess)."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.shared_pacing import SharedPacer

RATE = 20.0
INTERVAL = 1 / (RATE * SharedPacer.MARGIN)


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        pytest.skip("needs TEST_REDIS_URL")
    client = Redis.from_url(url)
    keys = [key async for key in client.scan_iter("civic:*")]
    if keys:
        await client.delete(*keys)
    yield client
    await client.aclose()


async def leave_times(pacers: list[SharedPacer], calls: int, *, stall: float = 0.0) -> list[float]:
    """When each of ``calls`` calls, spread over the pacers, was let through."""
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def call(pacer: SharedPacer) -> None:
        async with pacer:
            times.append(loop.time())

    tasks = [asyncio.create_task(call(pacers[n % len(pacers)])) for n in range(calls)]
    if stall:
        await asyncio.sleep(0.02)  # every call has its moment
        time.sleep(stall)  # noqa: ASYNC251 (the point: the event loop is held up)
    await asyncio.gather(*tasks)
    return sorted(times)


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


async def test_two_instances_keep_one_schedule(redis: Redis) -> None:
    pacers = [SharedPacer(redis, "123:token", RATE), SharedPacer(redis, "123:token", RATE)]
    times = await leave_times(pacers, 8)
    assert min(gaps(times)) >= INTERVAL * 0.8
    # Not slower than the rate either.
    assert times[-1] - times[0] <= 7 * INTERVAL + 0.2


async def test_calls_held_up_by_a_busy_loop_do_not_leave_together(redis: Redis) -> None:
    pacers = [SharedPacer(redis, "123:token", RATE), SharedPacer(redis, "123:token", RATE)]
    # Every call's moment goes by while the loop is held up; they then take fresh ones.
    times = await leave_times(pacers, 6, stall=0.5)
    assert min(gaps(times)) >= INTERVAL / 2
