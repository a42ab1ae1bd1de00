"""Who a poll or a public discussion is for, and the settings-card steps both share: the
audience ("all" or "topic:<code>") and the length in days."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.context import Work
from handlers.contracts import ChatRef, Platform
from storage.models import User

ALL = "all"


def name(work: Work, audience: str) -> str:
    """For a template's selector: "all", or the topic's name."""
    if audience.startswith("topic:"):
        return work.topics.name(audience.removeprefix("topic:"), work.locale)
    return ALL


def following(work: Work, audience: str) -> str:
    """The next audience on the settings card: everyone, then each topic in turn."""
    choices = [ALL, *(f"topic:{t.code}" for t in work.topics)]
    at = choices.index(audience) if audience in choices else -1
    return choices[(at + 1) % len(choices)]


def longer(start: datetime, closes_at: datetime, lengths: tuple[int, ...]) -> datetime:
    """The next length in days on the settings card (after the longest, the shortest)."""
    days = round((closes_at - start) / timedelta(days=1))
    return start + timedelta(days=next((d for d in lengths if d > days), lengths[0]))


async def members(work: Work, audience: str, author_id: int) -> list[User]:
    # The author knows about it already.
    return [m for m in await work.uow.polls.audience(audience) if m.id != author_id]


def chat_of(platform: str, chat_id: str) -> ChatRef:
    return ChatRef(Platform(platform), chat_id)
