"""Many requests' outcomes marked in one transaction (a group commit): while one write is
under way, the outcomes that come in wait for the next, so the database sees a few writes a
second at any rate, and each caller returns once its own outcome is durable. The mailer holds
a request's slot until then, so what a crash can resend stays bounded by the requests in
flight."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Awaitable, Callable, Iterable

from storage.models import DeliveryStatus

# Outcomes (delivery id, status), and the paid messages per mailing, written together.
Write = Callable[[list[tuple[int, DeliveryStatus]], dict[int, int]], Awaitable[None]]


class GroupRecorder:
    def __init__(self, write: Write, *, linger: float = 0.01) -> None:
        self._write = write
        # How long a write waits for more outcomes to come in: a few per write at a free
        # rate, dozens at a paid broadcast's, for a few milliseconds more per request.
        self._linger = linger
        self._outcomes: list[tuple[int, DeliveryStatus]] = []
        self._paid: collections.Counter[int] = collections.Counter()
        self._next: asyncio.Future[None] | None = None
        self._writer: asyncio.Task[None] | None = None

    async def record(
        self, outcomes: Iterable[tuple[int, DeliveryStatus]], *, mailing_id: int, paid: int = 0
    ) -> None:
        """Until these outcomes (and ``paid`` messages of ``mailing_id``) are written; a
        failed write fails every caller it held."""
        self._outcomes.extend(outcomes)
        if paid:
            self._paid[mailing_id] += paid
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        mine = self._next
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._drain())
        # Shielded: a caller cancelled while waiting does not cancel the others' write.
        await asyncio.shield(mine)

    async def _drain(self) -> None:
        while self._next is not None:
            await asyncio.sleep(self._linger)
            outcomes, paid, done = self._outcomes, dict(self._paid), self._next
            self._outcomes, self._paid, self._next = [], collections.Counter(), None
            try:
                await self._write(outcomes, paid)
            except asyncio.CancelledError:
                done.cancel()
                raise
            except Exception as exc:
                done.set_exception(exc)
                done.exception()  # seen: no "never retrieved" warning if nobody waits now
            else:
                done.set_result(None)
