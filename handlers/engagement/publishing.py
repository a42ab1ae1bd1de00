"""One publish lifecycle for what the administration opens to citizens for a while (polls and
public discussions): a draft is published now or scheduled for its opening time; opening marks
it open and invites its audience; the clock opens what is due and closes what is over."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol, TypeVar

from handlers.context import Context, Work
from storage.models import PollStatus


class Publishable(Protocol):
    id: int
    status: PollStatus
    opens_at: datetime | None
    closes_at: datetime
    announced_at: datetime | None


P = TypeVar("P", bound=Publishable)


async def publish(
    ctx: Context,
    item: P,
    announce: Callable[[Work, P], Awaitable[int]],
    *,
    settings_state: str,
    scheduled: str,
    published: str,
) -> None:
    """Publish a draft from its settings card: refused when it would close before it opens;
    scheduled when it opens later (the clock opens it); else opened and announced now.
    ``scheduled`` and ``published`` are the texts that tell the author so."""
    opens = item.opens_at
    if item.closes_at <= max(opens or ctx.now, ctx.now):
        ctx.reply("poll-closes-too-early")
        return
    if ctx.state == settings_state:
        ctx.clear_state()
    if opens is not None and opens > ctx.now:
        item.status = PollStatus.SCHEDULED
        ctx.reply(scheduled, number=item.id, opens=ctx.format_datetime(opens))
        return
    told = await announce(ctx, item)
    ctx.reply(published, number=item.id, told=told)


def mark_open(work: Work, item: Publishable) -> None:
    """Open now: the opening time is now unless it was set earlier and has come."""
    item.status = PollStatus.OPEN
    opens = item.opens_at
    item.opens_at = opens if opens is not None and opens <= work.now else work.now
    item.announced_at = work.now
