"""What the conversation core needs to know of the configuration (built by bot.config)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from zoneinfo import ZoneInfo

from handlers.appeals.urgency import Urgency
from handlers.contracts import ChatRef, KeysAsWords, Platform, Words
from handlers.engagement.group_catalog import GroupCatalog
from handlers.engagement.paid_broadcast import PaidBroadcast
from handlers.engagement.poll_templates import PollTemplates
from handlers.reports.opendata_catalog import OpenDataCatalog, Publisher
from handlers.staff.replies import ReplyBook


@dataclass(frozen=True, slots=True)
class CoreSettings:
    # (platform, user id) of the admins named in the configuration (ADMINS).
    admins: frozenset[tuple[Platform, str]] = frozenset()
    # Where new appeals are announced; empty: the private chats of the admins and of the
    # appeal's department.
    staff_chats: tuple[ChatRef, ...] = ()
    due_days: int = 30
    text_min: int = 20
    text_max: int = 4000
    address_max: int = 500
    max_photos: int = 5  # photos and documents an appeal may carry
    # The fewest buttons one message carries on the channels running (the composition root
    # sets it from their capabilities): lists of buttons are paged to fit it.
    buttons_max: int = 10
    file_max_bytes: int = 20 * 1024 * 1024  # what a Telegram bot can download
    timezone: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Moscow"))
    default_locale: str = "ru"
    locales: tuple[str, ...] = ("ru", "en")
    my_limit: int = 8
    queue_limit: int = 20
    urgency: Urgency = field(default_factory=Urgency)
    replies: ReplyBook = field(default_factory=lambda: ReplyBook({}, {}))
    # The daily digest: appeals due within this many days, and overdue ones.
    due_soon_days: int = 3
    # Open appeals shown as similar before confirming: text alike (0-100), or this near.
    similar_text_score: int = 60
    similar_distance_m: int = 300
    # Ready polls from templates/polls; the reminder before a poll closes.
    polls: PollTemplates = field(default_factory=PollTemplates)
    poll_reminder_hours: int = 24
    # Reference groups and ready mailings; a scheduled mailing missed while the bot was down
    # is still sent on start if it is at most this late.
    groups: GroupCatalog = field(default_factory=GroupCatalog)
    mailing_missed_max: timedelta = timedelta(hours=12)
    # MAX's terms restrict mass mailings: on MAX, mailings and announcements reach only those
    # who joined a reference group (their consent), and none at all when this is off.
    max_mailings: bool = True
    # Telegram's paid broadcasts, when the deployment allows them: the caps in Stars.
    paid_broadcast: PaidBroadcast | None = None
    # Flood control per person: updates a second, sustained, and the burst allowed.
    flood_rate: float = 3.0
    flood_burst: int = 20
    # The passports of the open datasets, and who publishes them.
    opendata: OpenDataCatalog = field(default_factory=OpenDataCatalog)
    publisher: Publisher = field(default_factory=Publisher)
    # The public page and Open311 are served: an appeal's author is offered, at the summary,
    # to publish its text without personal data.
    public_texts: bool = False
    # The public page shows no figure counted over fewer appeals (or people) than this.
    public_min_count: int = 5
    # Open311 places an appeal at the centre of a square of this side, not where it is.
    public_grid_m: int = 1000
    # The administration's form on the Госуслуги feedback platform (ПОС); empty: not offered.
    pos_url: str = ""
    # The templates, for texts the core lays out itself (files, charts) in the reader's
    # language.
    words: Words = field(default_factory=KeysAsWords)

    def is_admin(self, platform: Platform, user_id: str) -> bool:
        return (platform, user_id) in self.admins
