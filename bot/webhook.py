"""Webhook mode's HTTP server (aiohttp): the channels register their endpoints on it before it
starts (Telegram at /telegram); /health answers a load balancer's probe."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

# What Telegram accepts as a secret_token.
SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class WebhookServer:
    def __init__(self, host: str, port: int) -> None:
        self.app = web.Application(client_max_size=1024 * 1024)  # an update is a few KB
        self.app.router.add_get("/health", self._health)
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.port: int | None = None  # the port bound (a test asks for any free one)
        self.ready = asyncio.Event()  # listening
        # What else makes the instance healthy (the outbox drains): (healthy, details).
        self.health: Callable[[], Awaitable[tuple[bool, dict[str, object]]]] | None = None

    async def _health(self, _: web.Request) -> web.Response:
        if self.health is None:
            return web.json_response({"status": "ok"})
        try:
            healthy, details = await self.health()
        except Exception as exc:  # the database does not answer: not healthy either
            return web.json_response(
                {"status": "unhealthy", "error": type(exc).__name__}, status=503
            )
        status = "ok" if healthy else "unhealthy"
        return web.json_response({"status": status, **details}, status=200 if healthy else 503)

    async def start(self) -> None:
        # No access log: webhook URLs and headers are not for the logs.
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or ()
        self.port = sockets[0].getsockname()[1] if sockets else self._port
        self.ready.set()
        log.info("webhook server listening on %s:%s", self._host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
