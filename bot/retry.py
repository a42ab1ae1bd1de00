"""One retry policy for everything the bot sends (replies from the outbox and mailings): what
a platform's refusal means, and how long to wait before the next try."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from dataclasses import dataclass

import aiohttp

log = logging.getLogger(__name__)

# Capped exponential backoff with jitter: 1, 2, 4 … seconds, never more than five minutes.
BASE_SECONDS = 1.0
CAP_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do after a request failed.

    ``reason`` is a code people read through ``undelivered-reason``: ``busy`` (too many
    requests), ``unavailable`` (5xx, timeouts, broken answers), ``blocked``, ``gone``, or
    ``other|<the platform's words>``."""

    retry: bool
    reason: str
    # The platform's own wait (Telegram's retry_after), in seconds.
    after: float | None = None
    # The whole token waits (a 429 is about the bot, not one chat).
    pause: bool = False


def backoff(attempt: int, after: float | None = None) -> float:
    """Seconds before try number ``attempt + 1`` (``attempt`` tries have failed)."""
    if after is not None:
        return after + random.uniform(0, 0.25)
    ceiling = min(CAP_SECONDS, BASE_SECONDS * 2 ** max(attempt - 1, 0))
    return random.uniform(ceiling / 2, ceiling)


def transient(exc: BaseException) -> Verdict | None:
    """Failures of the way there, the same on every platform: retried."""
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return Verdict(True, "unavailable|timeout")
    if isinstance(exc, aiohttp.ClientError | ConnectionError | OSError):
        return Verdict(True, f"unavailable|{type(exc).__name__}")
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
        return Verdict(True, "unavailable|not JSON")
    return None


def unexpected(exc: BaseException) -> Verdict:
    """An error nobody classified: a fault of ours, not retried for ever."""
    log.error("a message could not be sent: %s", type(exc).__name__, exc_info=exc)
    return Verdict(False, f"other|{type(exc).__name__}")


class Quiet:
    """A log line at most once a minute per subject (an outage must not write a line per
    try): how many were kept quiet since the last one is said with the next."""

    def __init__(self, logger: logging.Logger, every: float = 60.0) -> None:
        self._log = logger
        self._every = every
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warning(self, subject: str, message: str, *args: object) -> None:
        now = time.monotonic()
        if now - self._last.get(subject, float("-inf")) < self._every:
            self._held[subject] = self._held.get(subject, 0) + 1
            return
        self._last[subject] = now
        held = self._held.pop(subject, 0)
        suffix = f" ({held} more like it in the last minute)" if held else ""
        self._log.warning(message + suffix, *args)


class Fatal(Exception):
    """A channel cannot work at all (the platform refuses the token): the process stops with
    a non-zero exit code, for its supervisor to see, instead of polling in vain."""
