"""Usage counts of this process not yet written to the database.

Every update adds to them after its commit; the scheduler writes them every few seconds (and
the bot on its way out) in one statement. Written in each update's own transaction instead,
every update took a lock on a counter row that every other update also wanted, and waited for
each other's commits on PostgreSQL. What a hard kill can lose is the last few seconds of
counts: analytics, not anything a citizen sent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from storage.repositories.usage import UsageKey


class UsageTally:
    def __init__(self) -> None:
        self._pending: Counter[UsageKey] = Counter()

    def add(self, counts: Mapping[UsageKey, int]) -> None:
        """An update's counts, or counts the database refused (kept for the next try)."""
        self._pending.update(counts)

    def take(self) -> dict[UsageKey, int]:
        """All pending counts, now the writer's to write (or to add back)."""
        taken, self._pending = self._pending, Counter()
        return dict(taken)

    def pending(self) -> Mapping[UsageKey, int]:
        return self._pending
