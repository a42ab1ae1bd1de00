"""Configuration from the environment and `.env` (pydantic-settings). Tokens are secrets."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.webhook import MAX_SECRET, SECRET
from handlers.appeals.urgency import Urgency
from handlers.contracts import ChatRef, KeysAsWords, Platform, Words
from handlers.engagement.group_catalog import GroupCatalog
from handlers.engagement.paid_broadcast import PaidBroadcast
from handlers.engagement.poll_templates import PollTemplates
from handlers.reports.opendata_catalog import OpenDataCatalog, Publisher
from handlers.settings import CoreSettings
from handlers.staff.replies import ReplyBook

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/bot.db"
CONSOLE_OPERATOR = "operator"
# The console demo's other staff, each with one role (the operator above is an admin):
# the head and the clerk of the first department, and the anti-corruption officer.
CONSOLE_HEAD = "head"
CONSOLE_CLERK = "clerk"
CONSOLE_OFFICER = "officer"


def _split(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    # An empty value (as in a copied .env.example) means "not set": the default applies.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    vk_group_token: SecretStr | None = None
    vk_group_id: int | None = None
    vk_api_url: str = "https://api.vk.com/method/"
    # MAX (the MAX Bot API): the bot's token, the API's address (a test's fake server or a
    # local gateway), and in webhook mode the secret MAX sends in X-Max-Bot-Api-Secret.
    max_bot_token: SecretStr | None = None
    max_api_url: str = "https://platform-api2.max.ru"
    max_webhook_secret: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    # Webhook mode (`python -m bot webhook`): the public HTTPS address Telegram posts to
    # (…/telegram is appended), where this process listens, and the shared secret.
    webhook_base_url: str = ""
    webhook_host: str = "0.0.0.0"  # noqa: S104 - behind a proxy or in a container
    webhook_port: int = Field(default=8080, ge=0, le=65535)
    webhook_secret: SecretStr | None = None
    # /health and /metrics on a port of their own (with polling, the only way to have them;
    # in webhook mode they leave WEBHOOK_PORT, /health staying there too), and a token a
    # scraper must send (Authorization: Bearer …).
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    metrics_token: SecretStr | None = None
    # How long a webhook connection may take to send a whole request, or stay idle.
    webhook_timeout_seconds: float = Field(default=15, gt=0, le=300)
    # VK Callback API in webhook mode: the code VK asks the server to return, and the secret
    # key it sends with every event (community settings, "Callback API").
    vk_callback_confirmation: str = ""
    vk_callback_secret: SecretStr | None = None
    admins: Annotated[list[ChatRef], NoDecode] = Field(default_factory=list)
    staff_chat: Annotated[list[ChatRef], NoDecode] = Field(default_factory=list)

    appeal_due_days: int = Field(default=30, ge=1, le=30)
    appeal_text_min: int = Field(default=20, ge=1)
    appeal_text_max: int = Field(default=4000, ge=1, le=4000)
    appeal_max_photos: int = Field(default=5, ge=0, le=10)
    appeal_file_max_mb: int = Field(default=20, ge=1, le=200)
    appeal_due_soon_days: int = Field(default=3, ge=1, le=30)
    digest_time: time = time(9, 0)
    report_weekly_day: int = Field(default=1, ge=1, le=7)  # ISO: 1 is Monday
    report_weekly_time: time = time(9, 30)
    report_monthly_day: int = Field(default=1, ge=1, le=28)
    report_monthly_time: time = time(9, 30)
    similar_text_score: int = Field(default=60, ge=1, le=100)
    similar_distance_meters: int = Field(default=300, ge=0, le=100_000)
    overdue_check_minutes: int = Field(default=10, ge=1, le=1440)
    poll_check_seconds: int = Field(default=60, ge=5, le=3600)
    poll_reminder_hours: int = Field(default=24, ge=0, le=720)
    mailing_rate_telegram: float = Field(default=30, gt=0, le=1000)
    mailing_rate_vk: float = Field(default=20, gt=0, le=1000)
    # Telegram's paid broadcasts: a mailing marked paid goes at up to this many messages a
    # second (allow_paid_broadcast), for 0.1 Star each from the bot's balance. Off: no mailing
    # can be marked paid. Caps in Stars: what one mailing may cost, and all of a month's.
    telegram_paid_broadcast: bool = False
    telegram_paid_rate: float = Field(default=1000, gt=0, le=1000)
    paid_broadcast_stars_per_mailing: int = Field(default=1000, ge=0)
    paid_broadcast_stars_per_month: int = Field(default=5000, ge=0)
    # MAX answers about 30 requests a second per bot.
    mailing_rate_max: float = Field(default=25, gt=0, le=1000)
    # MAX's terms restrict mass mailings: off sends no mailing or poll invitation on MAX at all;
    # on sends them only to people who joined the reference group (or the poll's audience).
    max_mailings: bool = True
    mailing_check_seconds: int = Field(default=30, ge=1, le=3600)
    mailing_missed_hours: float = Field(default=12, ge=0, le=24 * 30)
    # How long recipients an instance claimed stay its own without renewal (renewed every
    # third of it while it sends): after a crash, the wait before another takes them up.
    mailing_lease_seconds: float = Field(default=30, ge=1, le=3600)
    # Recipients an instance claims at a time: several instances share a mailing by chunks.
    mailing_chunk: int = Field(default=1000, ge=1, le=10_000)
    # The outbox: a request that takes longer is abandoned and tried again; a message still
    # failing this long after it was written is undeliverable (and reported); how long what
    # an instance holds stays its own without renewal (after a crash on PostgreSQL, the wait
    # before another instance sends it); /health is unhealthy while the oldest message
    # waiting is older than this.
    outbox_request_timeout_seconds: float = Field(default=20, ge=1, le=120)
    outbox_give_up_hours: float = Field(default=24, gt=0, le=24 * 30)
    outbox_lease_seconds: float = Field(default=30, ge=2, le=3600)
    health_outbox_max_age_seconds: float = Field(default=300, ge=1)
    # Several instances: the rate limits per token are shared through this Redis.
    redis_url: SecretStr | None = None
    flood_rate: float = Field(default=3.0, gt=0, le=100)
    flood_burst: int = Field(default=20, ge=1, le=1000)
    opendata_inn: str = Field(default="0000000000", pattern=r"^\d{10}(\d{2})?$")
    opendata_publisher: str = "Администрация"
    opendata_contact: str = ""
    opendata_phone: str = ""
    opendata_email: str = ""
    opendata_base_url: str = ""
    opendata_dir: Path = Path("data/opendata")
    # The public results page and Open311 (bot/public): on the webhook server in webhook
    # mode, else on an address of their own (the console demo's: http://127.0.0.1:8081/).
    public_web: bool = True
    public_web_host: str = "127.0.0.1"
    public_web_port: int = Field(default=8081, ge=0, le=65535)
    # The page's public address (https://…), for Open311 discovery's absolute links.
    public_base_url: str = ""
    # Readers served a second at most per instance: the rest of the event loop is the
    # citizens' (a cache in front that keeps the page its minute serves any number).
    public_rate: float = Field(default=1000, gt=0, le=100_000)
    # No figure of the page counted over fewer appeals (or people) than this.
    public_min_count: int = Field(default=5, ge=1, le=1000)
    # Open311 shows where an appeal is only as the centre of a square this many metres wide.
    public_grid_meters: int = Field(default=1000, ge=100, le=100_000)
    # The administration's form on the Госуслуги feedback platform, offered to whoever needs
    # an identified, formally registered appeal: https://pos.gosuslugi.ru/form/?op=<id>.
    pos_form_url: str = ""
    timezone: str = "Europe/Moscow"
    default_locale: str = "ru"
    templates_dir: Path = ROOT / "templates"
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"

    @field_validator("admins", "staff_chat", mode="before")
    @classmethod
    def _parse_refs(cls, value: object) -> object:
        items = _split(value)
        if isinstance(items, list):
            return [ChatRef.parse(item) if isinstance(item, str) else item for item in items]
        return items

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not SECRET.match(value.get_secret_value()):
            raise ValueError("1-256 characters: latin letters, digits, _ and -")
        return value

    @field_validator("vk_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("max_webhook_secret")
    @classmethod
    def _max_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # What POST /subscriptions accepts: 5-256 characters.
        if value is not None and not MAX_SECRET.match(value.get_secret_value()):
            raise ValueError("5-256 characters: latin letters, digits, _ and -")
        return value

    @field_validator("pos_form_url")
    @classmethod
    def _gosuslugi_form(cls, value: str) -> str:
        value = value.strip()
        url = urlsplit(value)
        if value and not (
            url.scheme == "https"
            and url.hostname is not None
            and (url.hostname == "gosuslugi.ru" or url.hostname.endswith(".gosuslugi.ru"))
        ):
            raise ValueError(
                "an https:// address on gosuslugi.ru, e.g. https://pos.gosuslugi.ru/form/?op=123"
            )
        return value

    @property
    def locales(self) -> tuple[str, ...]:
        return ("ru", "en")

    def secrets(self) -> list[str]:
        """Values that must never reach a log line."""
        return [
            token.get_secret_value()
            for token in (
                self.telegram_bot_token,
                self.vk_group_token,
                self.webhook_secret,
                self.vk_callback_secret,
                self.max_bot_token,
                self.max_webhook_secret,
                self.metrics_token,
            )
            if token is not None and token.get_secret_value()
        ]

    def core(
        self,
        *,
        console: bool = False,
        urgency: Urgency | None = None,
        replies: ReplyBook | None = None,
        polls: PollTemplates | None = None,
        groups: GroupCatalog | None = None,
        opendata: OpenDataCatalog | None = None,
        words: Words | None = None,
    ) -> CoreSettings:
        admins = {(ref.platform, ref.chat_id) for ref in self.admins}
        if console:
            # In the console demo one person plays both roles (`/as operator`).
            admins.add((Platform.CONSOLE, CONSOLE_OPERATOR))
        staff = tuple(self.staff_chat)
        if console:
            # Only the console runs: announcements go to its operator.
            staff = (ChatRef(Platform.CONSOLE, CONSOLE_OPERATOR),)
        return CoreSettings(
            admins=frozenset(admins),
            staff_chats=staff,
            due_days=self.appeal_due_days,
            text_min=self.appeal_text_min,
            text_max=self.appeal_text_max,
            max_photos=self.appeal_max_photos,
            file_max_bytes=self.appeal_file_max_mb * 1024 * 1024,
            timezone=ZoneInfo(self.timezone),
            default_locale=self.default_locale,
            locales=self.locales,
            urgency=urgency or Urgency(),
            replies=replies or ReplyBook({}, {}),
            due_soon_days=self.appeal_due_soon_days,
            similar_text_score=self.similar_text_score,
            similar_distance_m=self.similar_distance_meters,
            polls=polls or PollTemplates(),
            poll_reminder_hours=self.poll_reminder_hours,
            groups=groups or GroupCatalog(),
            mailing_missed_max=timedelta(hours=self.mailing_missed_hours),
            max_mailings=self.max_mailings,
            paid_broadcast=PaidBroadcast(
                self.paid_broadcast_stars_per_mailing, self.paid_broadcast_stars_per_month
            )
            if self.telegram_paid_broadcast and self.telegram_bot_token is not None
            else None,
            flood_rate=self.flood_rate,
            flood_burst=self.flood_burst,
            opendata=opendata or OpenDataCatalog(),
            publisher=Publisher(
                inn=self.opendata_inn,
                name=self.opendata_publisher,
                contact=self.opendata_contact,
                phone=self.opendata_phone,
                email=self.opendata_email,
                base_url=self.opendata_base_url,
            ),
            words=words or KeysAsWords(),
            pos_url=self.pos_form_url,
            public_texts=self.public_web,
            public_min_count=self.public_min_count,
            public_grid_m=self.public_grid_meters,
        )
