"""Values computed at most once a minute per instance: a crowd asking at once is answered
from one computation, and a value a little stale is served while the next one is computed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
# A value at most this many times its age limit is served while the next one is computed;
# an older one (after a quiet spell) is not served at all.
STALE_AT_MOST = 5


class Fresh(Generic[T]):
    def __init__(
        self,
        compute: Callable[[], Awaitable[T]],
        max_age: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._compute = compute
        self._max_age = max_age
        self._clock = clock
        self._value: T | None = None
        self._at = 0.0
        self._first = asyncio.Lock()
        self._refresh: asyncio.Task[None] | None = None
        self.computations = 0  # how many times it was computed (tests, the benchmark)

    async def get(self) -> T:
        age = self._clock() - self._at
        if self._value is None or age >= STALE_AT_MOST * self._max_age:
            # Nothing yet, or so old (nobody asked for a while) that the asker waits for the
            # new value rather than read the old one; the first asker computes, the others
            # wait for it.
            async with self._first:
                if self._value is None or self._clock() - self._at >= self._max_age:
                    await self._renew()
            assert self._value is not None
            return self._value
        if age >= self._max_age and self._refresh is None:
            self._refresh = asyncio.create_task(self._renew_quietly())
        return self._value

    async def _renew(self) -> None:
        value = await self._compute()
        self.computations += 1
        self._value, self._at = value, self._clock()

    async def _renew_quietly(self) -> None:
        try:
            await self._renew()
        except Exception:
            # The last value stays; the next request tries again.
            log.warning("public figures not renewed; the last ones are served", exc_info=True)
        finally:
            self._refresh = None

    async def close(self) -> None:
        if self._refresh is not None:
            self._refresh.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresh


class FreshByKey(Generic[T]):
    """A :class:`Fresh` per key (an API query), the least recently asked forgotten first."""

    def __init__(
        self,
        compute: Callable[[Hashable], Awaitable[T]],
        max_age: float = 60.0,
        size: int = 256,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._compute = compute
        self._max_age = max_age
        self._size = size
        self._clock = clock
        self._entries: OrderedDict[Hashable, Fresh[T]] = OrderedDict()

    async def get(self, key: Hashable) -> T:
        entry = self._entries.get(key)
        if entry is None:
            entry = Fresh(lambda: self._compute(key), self._max_age, self._clock)
            self._entries[key] = entry
            while len(self._entries) > self._size:
                _, oldest = self._entries.popitem(last=False)
                await oldest.close()
        else:
            self._entries.move_to_end(key)
        return await entry.get()

    @property
    def computations(self) -> int:
        return sum(entry.computations for entry in self._entries.values())

    async def close(self) -> None:
        for entry in self._entries.values():
            await entry.close()
