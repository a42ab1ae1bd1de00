"""Webhook mode's HTTP server (aiohttp): the channels register their endpoints on it before it
starts (Telegram at /telegram); /health answers a load balancer's probe."""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from bot.memory import TrimAfterBurst
from bot.retry import Quiet

log = logging.getLogger(__name__)

# What Telegram accepts as a secret_token.
SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# What MAX accepts as a webhook's secret.
MAX_SECRET = re.compile(r"^[A-Za-z0-9_-]{5,256}$")


def same_secret(given: str, expected: str) -> bool:
    """Compared as bytes, in constant time: whatever characters a stranger sends, none raise
    (``compare_digest`` on ``str`` refuses non-ASCII with a TypeError)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"), expected.encode("utf-8", "surrogateescape")
    )


# Requests handled at once; past it a platform gets 503 and sends again (Telegram opens at
# most 40 connections, VK a few): strangers cannot pile up work.
CONCURRENT = 100
# Set on a handler that bounds its own requests (the public page's): not counted above.
BOUNDS_ITSELF = "bounds_itself"
TIMEOUT = web.AppKey("timeout", float)


async def read_capped(request: web.Request, limit: int) -> bytes:
    """The body, refused before it is read when it says it is too large, and while it is read
    once it is (413); a body that comes too slowly is a 408."""
    if request.content_length is not None and request.content_length > limit:
        _hang_up_after(request)
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=request.content_length)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(request.app[TIMEOUT]):
            while chunk := await request.content.read(limit + 1 - size):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    _hang_up_after(request)
                    raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=size)
    except TimeoutError:
        _hang_up_after(request)
        raise web.HTTPRequestTimeout() from None
    return b"".join(chunks)


def _hang_up_after(request: web.Request) -> None:
    """The connection is closed after the answer, not kept to read the rest of the body (aiohttp
    would linger ten seconds for it)."""
    protocol = request.protocol
    if protocol is not None:
        protocol.force_close()


class _MalformedQuietly(logging.Filter):
    """aiohttp logs each malformed HTTP request (a scanner, TLS to a plain port) at ERROR with
    a traceback: one short line a minute here instead."""

    def __init__(self) -> None:
        super().__init__()
        self._quiet = Quiet(log)

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            self._quiet.warning("malformed", "malformed HTTP requests refused: %s", error.message)
            return False
        return True


_QUIET_MALFORMED = _MalformedQuietly()


class WebhookServer:
    def __init__(
        self, host: str, port: int, *, timeout: float = 15.0, name: str = "webhook server"
    ) -> None:
        """``timeout``: how long a connection may take to send a whole request (headers and
        body) or stay idle, in seconds."""
        # An update is a few KB; the endpoints read their bodies with smaller caps of their own.
        self.app = web.Application(client_max_size=1024 * 1024, middlewares=[self._bounded])
        self.app[TIMEOUT] = timeout
        self.app.router.add_get("/health", self._health)
        self._slots = asyncio.Semaphore(CONCURRENT)
        # Refused requests are strangers' (or a platform's retries): once they stop, the memory
        # their bodies and connections took is given back rather than kept at the peak.
        self._refusals = TrimAfterBurst()
        self._host = host
        self._port = port
        self._name = name
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

    @web.middleware
    async def _bounded(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if getattr(handler, BOUNDS_ITSELF, False):
            # The public page's readers wait in a line of their own: they never take the
            # slots the platforms' posts need.
            return await handler(request)
        if self._slots.locked():
            self._refusals.poke()
            return web.Response(status=503, text="busy")
        async with self._slots:
            try:
                response = await handler(request)
            except web.HTTPException as refused:
                if refused.status >= 400:
                    self._refusals.poke()
                raise
        if response.status >= 400:
            self._refusals.poke()
        return response

    async def start(self) -> None:
        logging.getLogger("aiohttp.server").addFilter(_QUIET_MALFORMED)
        # No access log: webhook URLs and headers are not for the logs. A connection that has
        # not sent a whole request within the timeout (headers a byte at a time) is closed.
        self._runner = web.AppRunner(self.app, access_log=None, keepalive_timeout=self.app[TIMEOUT])
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or ()
        self.port = sockets[0].getsockname()[1] if sockets else self._port
        self.ready.set()
        log.info("%s listening on %s:%s", self._name, self._host, self.port)

    @property
    def address(self) -> str:
        """Where a browser on this machine finds it."""
        host = "127.0.0.1" if self._host in ("0.0.0.0", "") else self._host  # noqa: S104
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port or self._port}/"

    async def stop(self) -> None:
        self._refusals.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
