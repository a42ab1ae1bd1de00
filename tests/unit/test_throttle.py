"""The per-person bucket: a burst passes, the rate refills it, one notice a minute, and one
person's flood leaves another untouched."""

from __future__ import annotations

from handlers.throttle import PRUNE_AT, Throttle, Verdict


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_rate_notice_and_others() -> None:
    clock = Ticks()
    throttle = Throttle(rate=2.0, burst=5, clock=clock)
    assert [throttle.admit("tg:1") for _ in range(5)] == [Verdict.ADMIT] * 5
    assert throttle.admit("tg:1") is Verdict.NOTICE
    assert throttle.admit("tg:1") is Verdict.DROP
    assert throttle.admit("tg:2") is Verdict.ADMIT  # someone else is not slowed
    clock.now = 1.0  # two more for tg:1
    assert [throttle.admit("tg:1") for _ in range(3)] == [
        Verdict.ADMIT,
        Verdict.ADMIT,
        Verdict.DROP,
    ]
    clock.now = 30.0  # refilled to the burst, not beyond
    assert [throttle.admit("tg:1") for _ in range(6)][-1] is Verdict.DROP  # noticed < 60 s ago
    clock.now = 91.0
    [throttle.admit("tg:1") for _ in range(5)]
    assert throttle.admit("tg:1") is Verdict.NOTICE  # a minute on: told again


def test_idle_buckets_are_forgotten() -> None:
    clock = Ticks()
    throttle = Throttle(rate=1.0, burst=3, clock=clock)
    for n in range(PRUNE_AT):
        throttle.admit(f"vk:{n}")
    clock.now = 10.0
    throttle.admit("vk:new")
    assert len(throttle._buckets) == 1
