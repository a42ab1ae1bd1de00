"""One mailing recipient on a channel that sends to one chat per request (Telegram, MAX): the
message's requests in turn, paced by the token's pacer, retried as the platform asks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.delivery import Outcome
from bot.pacing import Pacer
from bot.retry import Verdict, backoff

MAIL_ATTEMPTS = 5


async def mail_in_turn(
    calls: Sequence[Callable[[], Awaitable[object]]],
    pacer: Pacer,
    verdict: Callable[[BaseException], Verdict],
    log: logging.Logger,
    made: Callable[[], None] | None = None,
) -> Outcome:
    """A refusal for the token (429) pauses every sender on it and the request is tried
    again; a person who blocked the bot (or may not be written to) is not tried again; a
    request that went through is not made again when a later one is retried. ``made`` is
    called for each request the platform accepted (a paid broadcast's are charged)."""
    done = 0
    for attempt in range(1, MAIL_ATTEMPTS + 1):
        try:
            while done < len(calls):
                async with pacer:
                    await calls[done]()
                done += 1
                if made is not None:
                    made()
            return Outcome.SENT
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            judged = verdict(exc)
            if not judged.retry:
                if judged.reason in ("blocked", "gone"):
                    return Outcome.BLOCKED
                log.warning("a mailing message was refused: %s", type(exc).__name__)
                return Outcome.FAILED
            if judged.pause:
                # Everyone on the token waits; then again.
                pacer.pause(judged.after if judged.after else backoff(attempt))
                continue
            log.info("a mailing message will be retried: %s", type(exc).__name__)
            await asyncio.sleep(backoff(attempt))
    return Outcome.FAILED
