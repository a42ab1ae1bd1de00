"""The public site served on a free port from a seeded history, for the flow and browser
tests: the real aiohttp server and PublicSite over the real core."""

from __future__ import annotations

import contextlib
import json
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from bot.public.site import PublicSite
from bot.webhook import WebhookServer
from handlers.appeals.topics import TopicCatalog
from handlers.engagement import groups
from storage.uow import UnitOfWork
from tests.helpers.flows import Clock, make_core
from tests.helpers.harness import Harness, Person
from tests.helpers.public_history import History, seed


class Ticks:
    """The site's monotonic clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Site:
    url: str
    http: aiohttp.ClientSession
    site: PublicSite
    ticks: Ticks
    history: History
    harness: Harness
    operator: Person

    async def get(self, path: str) -> tuple[int, str, CIMultiDictProxy[str]]:
        async with self.http.get(self.url + path) as response:
            return response.status, await response.text(), response.headers

    async def json(self, path: str) -> tuple[int, Any]:
        status, body, _ = await self.get(path)
        return status, json.loads(body)

    async def xml(self, path: str) -> tuple[int, ET.Element]:
        status, body, headers = await self.get(path)
        assert headers["Content-Type"].startswith("text/xml")
        return status, ET.fromstring(body.encode("utf-8"))  # noqa: S314 - our own server


@contextlib.asynccontextmanager
async def serving(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> AsyncIterator[Site]:
    """The history of public_history.py, the page's threshold at two so that its figures
    show, and the site on a free port of 127.0.0.1."""
    clock = Clock()
    core = make_core(engine, topics, clock, public_texts=True, public_min_count=2)
    async with UnitOfWork(core.session_factory) as uow:
        await groups.seed(uow, core.settings.groups)  # as the bot does on start
        await uow.commit()
    harness = Harness(core, renderer)
    operator = harness.person("1000", name="Оператор Мария")
    history = await seed(harness, operator, clock)
    ticks = Ticks()
    public = PublicSite(core, renderer, publisher="Администрация города N", clock=ticks)
    server = WebhookServer("127.0.0.1", 0, name="public")
    public.attach(server.app)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            yield Site(
                f"http://127.0.0.1:{server.port}", http, public, ticks, history, harness, operator
            )
    finally:
        await public.close()
        await server.stop()
