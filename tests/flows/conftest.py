from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers import groups
from handlers.contracts import Platform
from handlers.core import ConversationCore
from handlers.departments import DepartmentCatalog
from handlers.faq_library import FaqLibrary
from handlers.group_catalog import GroupCatalog
from handlers.opendata import field_names
from handlers.opendata_catalog import OpenDataCatalog
from handlers.poll_templates import PollTemplates
from handlers.replies import load as load_replies
from handlers.settings import CoreSettings
from handlers.topics import TopicCatalog
from handlers.urgency import Urgency
from storage.database import create_session_factory
from storage.uow import UnitOfWork
from tests.conftest import LOCALES, TEMPLATES
from tests.flows.harness import Harness, Person

# 09:00 in Moscow on 2 March 2026; 30 days later is 1 April 2026.
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
OPERATOR_ID = "1000"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


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
        polls=PollTemplates.load(TEMPLATES / "polls", LOCALES, {t.code for t in topics}),
        groups=GroupCatalog.load(TEMPLATES, LOCALES, {t.code for t in topics}),
        opendata=OpenDataCatalog.load(TEMPLATES, field_names()),
        # The harness types far faster than a person; the throttle has its own tests.
        **{"flood_rate": 1000.0, "flood_burst": 1000, **overrides},  # type: ignore[arg-type]
    )
    departments = DepartmentCatalog.load(TEMPLATES / "departments.toml", LOCALES, topics)
    faq = FaqLibrary(TEMPLATES / "faq.toml", TEMPLATES / "info.toml", LOCALES)
    return ConversationCore(
        create_session_factory(engine), settings, topics, departments, faq, clock
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def harness(
    request: pytest.FixtureRequest,
    engine: AsyncEngine,
    topics: TopicCatalog,
    renderer: Renderer,
    clock: Clock,
) -> Harness:
    """The core on a clock the test may move; a module with ``SEED_GROUPS = True`` also gets
    the reference groups of templates/groups.toml, as the bot seeds them on start."""
    core = make_core(engine, topics, clock)
    if getattr(request.module, "SEED_GROUPS", False):
        async with UnitOfWork(core.session_factory) as uow:
            await groups.seed(uow, core.settings.groups)
            await uow.commit()
    return Harness(core, renderer)


@pytest.fixture
def citizen(harness: Harness) -> Person:
    return harness.person("501")


@pytest.fixture
def operator(harness: Harness) -> Person:
    return harness.person(OPERATOR_ID, name="Оператор Мария")


APPEAL_TEXT = "Во дворе дома 12 на улице Мира третий день не вывозят мусор"


async def file_appeal(citizen: Person, text: str = APPEAL_TEXT) -> str:
    """Go through every step; returns the registration message."""
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.say(text)
    await citizen.press("Пропустить")
    await citizen.press("Пропустить")
    shown = await citizen.press("Отправить")
    return shown[0].text
