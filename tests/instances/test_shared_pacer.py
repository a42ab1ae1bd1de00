"""The pacer two instances share through Redis: calls of either keep one schedule, and a busy
event loop does not make them leave in a bunch (the platform would refuse the excess)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.shared_pacing import SharedPacer

RATE = 20.0
INTERVAL = 1 / RATE  # a new pacer starts at the full rate


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


def most_in_a_window(times: list[float], width: float) -> int:
    """The most calls that left within any ``width`` seconds."""
    return max(sum(1 for t in times[i:] if t - start < width) for i, start in enumerate(times))


async def test_two_instances_keep_one_schedule(redis: Redis) -> None:
    pacers = [SharedPacer(redis, "123:token", RATE), SharedPacer(redis, "123:token", RATE)]
    times = await leave_times(pacers, 8)
    # One schedule: eight calls span seven intervals. Two schedules would let the calls leave
    # in pairs, over three. (Spans, not single gaps: a busy machine delays single wake-ups.)
    assert times[-1] - times[0] >= 5 * INTERVAL
    assert most_in_a_window(times, INTERVAL * 0.9) <= 2
    # Not slower than the rate either.
    assert times[-1] - times[0] <= 7 * INTERVAL + 0.2


async def test_calls_held_up_by_a_busy_loop_do_not_leave_together(redis: Redis) -> None:
    pacers = [SharedPacer(redis, "123:token", RATE), SharedPacer(redis, "123:token", RATE)]
    # Every call's moment goes by while the loop is held up; they then take fresh ones.
    times = await leave_times(pacers, 6, stall=0.5)
    late = times[1:]  # the first call left before the stall
    # Five calls on fresh moments span four intervals; leaving together they would span none.
    assert late[-1] - late[0] >= 3 * INTERVAL
    assert most_in_a_window(late, INTERVAL * 0.9) <= 2
