"""Who a poll or a public discussion is for, and the settings-card steps both share: the
audience ("all", "groups:<code>" or "topic:<code>") and the length in days."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Protocol

from handlers.context import Work
from handlers.contracts import ChatRef, Platform
from storage.models import User
from storage.repositories.mailings import audience_codes

ALL = "all"
SUBSCRIBERS = "subscribers"  # a mailing's everyone: the members of any reference group
# "с 25.11.2026 10:00" / "до 01.12.2026" (and "from" / "until"): opening and closing time.
_WHEN = re.compile(
    r"^(с|from|до|until)\s+(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$", re.IGNORECASE
)


class Scheduled(Protocol):
    """A poll or a discussion: when it opens (None: on publishing) and closes."""

    opens_at: datetime | None
    closes_at: datetime


def set_when(work: Work, item: Scheduled, text: str) -> bool:
    """A typed "с …" sets the opening (the length kept, a day at least), "до …" the end;
    False when the text is neither."""
    match = _WHEN.fullmatch(text.strip())
    if match is None:
        return False
    word, day, month, year, hour, minute = match.groups()
    try:
        when = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            tzinfo=work.settings.timezone,
        )
    except ValueError:
        return False
    if word.lower() in ("с", "from"):
        length = item.closes_at - (item.opens_at or work.now)
        item.opens_at = when
        item.closes_at = when + max(length, timedelta(days=1))
    else:
        item.closes_at = when
    return True


async def described(work: Work, audience: str) -> dict[str, str]:
    """For a template: ``audience_kind`` ("all", "groups", "topic") and ``audience``, the
    groups' or the topic's name."""
    codes = audience_codes(audience)
    if codes:
        # One query for all the groups, in the order they were ticked.
        groups = {g.code: g for g in await work.uow.mailings.groups(archived=True)}
        names = [
            groups[code].name.get(work.locale) or code if code in groups else code for code in codes
        ]
        return {"audience_kind": "groups", "audience": ", ".join(names)}
    if audience.startswith("topic:"):
        return {"audience_kind": "topic", "audience": name(work, audience)}
    if audience == SUBSCRIBERS:
        return {"audience_kind": SUBSCRIBERS, "audience": SUBSCRIBERS}
    return {"audience_kind": ALL, "audience": ALL}


def name(work: Work, audience: str) -> str:
    """For a template's selector: "all", or the topic's name."""
    if audience.startswith("topic:"):
        return work.topics.name(audience.removeprefix("topic:"), work.locale)
    return ALL


def longer(start: datetime, closes_at: datetime, lengths: tuple[int, ...]) -> datetime:
    """The next length in days on the settings card (after the longest, the shortest)."""
    days = round((closes_at - start) / timedelta(days=1))
    return start + timedelta(days=next((d for d in lengths if d > days), lengths[0]))


async def members(work: Work, audience: str, author_id: int) -> list[User]:
    # The author knows about it already.
    return [m for m in await work.uow.polls.audience(audience) if m.id != author_id]


def chat_of(platform: str, chat_id: str) -> ChatRef:
    return ChatRef(Platform(platform), chat_id)
