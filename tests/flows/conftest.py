from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers.appeals.topics import TopicCatalog
from handlers.engagement import groups
from storage.uow import UnitOfWork
from tests.helpers.flows import OPERATOR_ID, Clock, make_core
from tests.helpers.harness import Harness, Person


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
