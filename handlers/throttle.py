"""Flood control: one person's updates pass at a sustained rate with room for a burst (an
album of ten photos, a long text split into parts); past it they are not handled, and the
person gets one polite notice a minute. Everyone else is untouched: the buckets are per person
and cost nothing but a dict entry."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

NOTICE_EVERY = 60.0  # seconds between two notices to the same person
PRUNE_AT = 10_000  # buckets kept before the idle ones are dropped


class Verdict(Enum):
    ADMIT = "admit"
    NOTICE = "notice"  # refused, and the person is told
    DROP = "drop"  # refused quietly: they were told a moment ago


@dataclass
class _Bucket:
    tokens: float
    at: float
    noticed: float = float("-inf")


class Throttle:
    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def admit(self, key: str) -> Verdict:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= PRUNE_AT:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.at) * self._rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.ADMIT
        if now - bucket.noticed >= NOTICE_EVERY:
            bucket.noticed = now
            return Verdict.NOTICE
        return Verdict.DROP

    def _prune(self, now: float) -> None:
        """Forget the buckets that have refilled: they hold nothing a new one would not."""
        full = self._burst / self._rate
        for key in [k for k, b in self._buckets.items() if now - b.at >= full]:
            del self._buckets[key]
