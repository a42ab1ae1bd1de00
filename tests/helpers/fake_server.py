"""What the fake platform servers share: an aiohttp app on a free 127.0.0.1 port, the calls
it recorded, and a way to wait for the call a test expects."""

from __future__ import annotations

import asyncio
import collections
import socket
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from aiohttp import web

CallT = TypeVar("CallT")


def free_port() -> int:
    """A port nothing on 127.0.0.1 listens on (for a process the test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RecordingServer(Generic[CallT]):
    def __init__(self) -> None:
        self.calls: list[CallT] = []
        self.url = ""
        # Notified whenever a call is recorded or the test adds something to serve.
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    def add_routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        app = web.Application()
        self.add_routes(app)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def record(self, call: CallT) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def wait_for(
        self, predicate: Callable[[CallT], bool], timeout: float = 10.0, start: int = 0
    ) -> CallT:
        """The first recorded call from index ``start`` on that matches."""

        def find() -> CallT | None:
            return next((c for c in self.calls[start:] if predicate(c)), None)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: find() is not None), timeout)
        found = find()
        assert found is not None
        return found


class RateWindow:
    """A platform's limit as the fakes enforce it: at most ``limit`` calls within any second
    (None: no limit); ``refused`` counts the calls turned away."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.refused = 0
        self._recent: collections.deque[float] = collections.deque()

    def too_fast(self) -> bool:
        if self.limit is None:
            return False
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.limit:
            self.refused += 1
            return True
        self._recent.append(now)
        return False
