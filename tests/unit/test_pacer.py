"""The pacer's margin is learnt from refusals (no fixed guess): it starts at the full rate,
steps down per refusal to a floor, and back up after a long calm; calls a busy event loop held
up do not leave in a bunch."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.pacing import Pacer


async def test_the_pace_steps_down_per_refusal_to_a_floor_and_back_up_after_a_calm() -> None:
    pacer = Pacer(1_000_000)  # fast enough that the calls below never wait
    assert pacer.share == 1.0
    pacer.pause(0)
    pacer.pause(0)
    assert pacer.share == pytest.approx(1 - 2 * Pacer.STEP_DOWN)
    for _ in range(100):
        pacer.pause(0)
    assert pacer.share == Pacer.FLOOR and pacer.pauses == 102
    for _ in range(Pacer.CALM - 1):
        async with pacer:
            pass
    assert pacer.share == Pacer.FLOOR  # not yet: a calm is CALM calls without a refusal
    async with pacer:
        pass
    assert pacer.share == pytest.approx(Pacer.FLOOR + Pacer.STEP_UP)
    # A refusal in the middle of a calm starts it again.
    for _ in range(Pacer.CALM - 1):
        async with pacer:
            pass
    pacer.pause(0)
    async with pacer:
        pass
    assert pacer.share == pytest.approx(Pacer.FLOOR)


async def test_a_pause_holds_every_caller() -> None:
    pacer = Pacer(1000)
    loop = asyncio.get_running_loop()
    pacer.pause(0.3)
    began = loop.time()
    async with pacer:
        pass
    assert loop.time() - began >= 0.29


async def test_calls_held_up_by_a_busy_loop_take_fresh_moments() -> None:
    pacer = Pacer(20)
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def call() -> None:
        async with pacer:
            times.append(loop.time())

    tasks = [asyncio.create_task(call()) for _ in range(6)]
    await asyncio.sleep(0.02)  # every call has its moment; the first has gone
    time.sleep(0.5)  # noqa: ASYNC251 (the point: the event loop is held up)
    await asyncio.gather(*tasks)
    late = sorted(times)[1:]
    # Five calls on fresh moments span four intervals (0.2 s); together they would span none.
    assert late[-1] - late[0] >= 3 * pacer.interval
