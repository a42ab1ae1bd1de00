"""What the conversation core needs to know of the configuration (built by bot.config)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from zoneinfo import ZoneInfo

from handlers.contracts import ChatRef, Platform


@dataclass(frozen=True, slots=True)
class CoreSettings:
    # (platform, user id) of every operator.
    operators: frozenset[tuple[Platform, str]] = frozenset()
    # Where new appeals are announced; empty means each operator's private chat.
    staff_chats: tuple[ChatRef, ...] = ()
    due_days: int = 30
    text_min: int = 20
    text_max: int = 4000
    address_max: int = 500
    max_photos: int = 5
    timezone: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Moscow"))
    default_locale: str = "ru"
    locales: tuple[str, ...] = ("ru", "en")
    my_limit: int = 8
    queue_limit: int = 20

    def is_operator(self, platform: Platform, user_id: str) -> bool:
        return (platform, user_id) in self.operators

    def announcement_chats(self) -> tuple[ChatRef, ...]:
        if self.staff_chats:
            return self.staff_chats
        # Default: each operator's private chat (on Telegram and VK the private chat id
        # is the user id).
        return tuple(ChatRef(platform, user_id) for platform, user_id in sorted(self.operators))
