"""The flow harness's companions: a core on a test clock, a filed appeal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers.appeals.departments import DepartmentCatalog
from handlers.appeals.topics import TopicCatalog
from handlers.appeals.urgency import Urgency
from handlers.contracts import Outgoing, Platform
from handlers.core import ConversationCore
from handlers.engagement.group_catalog import GroupCatalog
from handlers.engagement.poll_templates import PollTemplates
from handlers.faq.faq_library import FaqLibrary
from handlers.reports.opendata import field_names
from handlers.reports.opendata_catalog import OpenDataCatalog
from handlers.settings import CoreSettings
from handlers.staff.replies import load as load_replies
from storage.database import create_session_factory
from tests.helpers.harness import Person
from tests.helpers.settings import LOCALES, TEMPLATES


class Recorder:
    def __init__(self) -> None:
        self.messages: list[Outgoing] = []

    def post(self, messages: list[Outgoing]) -> None:
        # The citizen's live card is refreshed too; what is checked here is what staff get.
        self.messages.extend(m for m in messages if m.card_of is None)


OPERATOR_ID = "1000"


# 09:00 in Moscow on 2 March 2026; 30 days later is 1 April 2026.
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


APPEAL_TEXT = "Во дворе дома 12 на улице Мира третий день не вывозят мусор"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def file_appeal(citizen: Person, text: str = APPEAL_TEXT) -> str:
    """Go through every step; returns the registration message."""
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.say(text)
    await citizen.press("Пропустить")
    await citizen.press("Пропустить")
    shown = await citizen.press("Отправить")
    return shown[0].text


@cache
def templates_renderer() -> Renderer:
    """The real templates, loaded once: what the core writes into files reads as shipped."""
    return Renderer.load(TEMPLATES, LOCALES, "ru")


def make_core(
    engine: AsyncEngine,
    topics: TopicCatalog,
    clock: Callable[[], datetime] = lambda: NOW,
    **overrides: object,
) -> ConversationCore:
    settings = CoreSettings(
        admins=frozenset({(Platform.TELEGRAM, OPERATOR_ID)}),
        urgency=Urgency.load(TEMPLATES / "urgent.toml", topics),
        replies=load_replies(TEMPLATES / "replies.toml", topics),
        polls=PollTemplates.load(
            TEMPLATES / "polls",
            LOCALES,
            {t.code for t in topics},
        ),
        groups=GroupCatalog.load(
            TEMPLATES,
            LOCALES,
            {t.code for t in topics},
        ),
        opendata=OpenDataCatalog.load(TEMPLATES, field_names()),
        words=templates_renderer(),
        # The harness types far faster than a person; the throttle has its own tests.
        **{"flood_rate": 1000.0, "flood_burst": 1000, **overrides},  # type: ignore[arg-type]
    )
    departments = DepartmentCatalog.load(
        TEMPLATES / "departments.toml",
        LOCALES,
        topics,
    )
    faq = FaqLibrary(
        TEMPLATES / "faq.toml",
        TEMPLATES / "info.toml",
        LOCALES,
    )
    return ConversationCore(
        create_session_factory(engine), settings, topics, departments, faq, clock
    )
