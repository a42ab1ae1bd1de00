"""Values computed at most once a minute: one computation for a crowd, a little stale value
served while the next is computed, an old one not served at all, a failed renewal keeping
the last value."""

from __future__ import annotations

import asyncio

from bot.public.fresh import STALE_AT_MOST, Fresh, FreshByKey


class Source:
    def __init__(self) -> None:
        self.now = 0.0
        self.value = 0
        self.fail = False
        self.gate = asyncio.Event()
        self.gate.set()

    def clock(self) -> float:
        return self.now

    async def compute(self) -> int:
        await self.gate.wait()
        if self.fail:
            raise RuntimeError("the database is away")
        self.value += 1
        return self.value


async def test_a_crowd_at_first_waits_for_one_computation() -> None:
    source = Source()
    fresh = Fresh(source.compute, 60, source.clock)
    source.gate.clear()
    crowd = [asyncio.create_task(fresh.get()) for _ in range(20)]
    await asyncio.sleep(0)
    source.gate.set()
    assert await asyncio.gather(*crowd) == [1] * 20
    assert fresh.computations == 1


async def test_a_stale_value_is_served_while_the_next_is_computed() -> None:
    source = Source()
    fresh = Fresh(source.compute, 60, source.clock)
    assert await fresh.get() == 1
    source.now = 59
    assert await fresh.get() == 1 and fresh.computations == 1
    source.now = 61
    source.gate.clear()
    assert await fresh.get() == 1  # not kept waiting
    assert await fresh.get() == 1  # one renewal at a time
    source.gate.set()
    await asyncio.sleep(0.01)
    assert await fresh.get() == 2 and fresh.computations == 2


async def test_a_value_from_long_ago_is_not_served() -> None:
    source = Source()
    fresh = Fresh(source.compute, 60, source.clock)
    await fresh.get()
    source.now = STALE_AT_MOST * 60 + 1  # nobody asked for a while
    assert await fresh.get() == 2


async def test_a_failed_renewal_keeps_the_last_value() -> None:
    source = Source()
    fresh = Fresh(source.compute, 60, source.clock)
    await fresh.get()
    source.now, source.fail = 61, True
    assert await fresh.get() == 1
    await asyncio.sleep(0.01)
    assert await fresh.get() == 1  # tried again on this ask, failed again, still served
    await asyncio.sleep(0.01)
    source.fail = False
    await fresh.get()
    await asyncio.sleep(0.01)
    assert await fresh.get() == 2


async def test_by_key_each_query_its_own_and_the_least_asked_forgotten() -> None:
    source = Source()
    computed: list[str] = []

    async def compute(key: object) -> str:
        computed.append(str(key))
        return f"answer to {key}"

    keyed: FreshByKey[str] = FreshByKey(compute, 60, size=2, clock=source.clock)
    assert await keyed.get("a") == "answer to a"
    assert await keyed.get("b") == "answer to b"
    assert await keyed.get("a") == "answer to a"  # kept
    await keyed.get("c")  # "b" was asked least recently: forgotten
    await keyed.get("b")
    assert computed == ["a", "b", "c", "b"]
    await keyed.close()
