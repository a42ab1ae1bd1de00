"""The webhook server against what a stranger posts: each answered with a short 4xx, nothing
handled, no ERROR traceback in the log; the VK endpoint refuses another community's events
even without VK_GROUP_ID; /metrics behind a token when one is set."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.app import App
from tests.helpers.channels import running
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.fake_vk_api import GROUP_ID, FakeVkApi
from tests.helpers.settings import make_settings
from tests.helpers.telegram import CITIZEN, OPERATOR
from tests.helpers.vk import CONFIRMATION, SECRET, VK_CITIZEN, callback_event

TG_SECRET = "tg-webhook-secret"


async def _port(app: App) -> int:
    assert app.webserver is not None
    await asyncio.wait_for(app.webserver.ready.wait(), 10)
    assert app.webserver.port is not None
    return app.webserver.port


@pytest.fixture
async def both(
    fake_tg: FakeBotApi,
    fake_vk: FakeVkApi,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[App, str]]:
    """Telegram and VK by webhook; no VK_GROUP_ID: the community is found from the token."""
    monkeypatch.chdir(tmp_path)
    settings = make_settings(
        telegram_bot_token=fake_tg.token,
        telegram_api_url=fake_tg.url,
        vk_group_token=fake_vk.token,
        vk_api_url=fake_vk.api_url,
        database_url=sqlite_url,
        admins=f"tg:{OPERATOR}",
        webhook_base_url="https://bot.example.org/",
        webhook_host="127.0.0.1",
        webhook_port=0,
        webhook_secret=SecretStr(TG_SECRET),
        vk_callback_confirmation=CONFIRMATION,
        vk_callback_secret=SecretStr(SECRET),
        metrics_token=SecretStr("scrape-token"),
    )
    async with running(settings, webhook=True) as app:
        yield app, f"http://127.0.0.1:{await _port(app)}"


async def _post(
    http: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str] | None = None
) -> int:
    """The status answered; 0 when the server hung up before the client had sent it all (a body
    refused for its size is not read to the end)."""
    try:
        async with http.post(url, data=body, headers=headers or {}) as response:
            return response.status
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
        return 0


async def test_what_strangers_post_gets_a_4xx_and_no_traceback(
    fake_tg: FakeBotApi,
    fake_vk: FakeVkApi,
    both: tuple[App, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, base = both
    caplog.set_level(logging.INFO)
    json_type = {"Content-Type": "application/json"}
    deep = b"[" * 100_000 + b"]" * 100_000
    good_update = json.dumps(
        {
            "update_id": 1,
            "message": fake_tg._message(CITIZEN, None, text="/start"),
        }
    ).encode()
    right = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET, **json_type}
    async with aiohttp.ClientSession() as http:
        tg = f"{base}/telegram"
        # A secret with non-ASCII characters (raised TypeError: a 500 and a traceback).
        assert (
            await _post(http, tg, good_update, {"X-Telegram-Bot-Api-Secret-Token": "ключ"}) == 401
        )
        # The right secret, and a body that is no update.
        for body in (b"", b"[]", b"[1, 2]", b"{}", b'{"update_id": "x"}', b"\xff\xfe", deep):
            assert await _post(http, tg, body, right) == 400, body[:20]
        assert await _post(http, tg, b"{" + b" " * 300_000 + b"}", right) in (413, 0)
        vk = f"{base}/vk"
        event = callback_event(fake_vk, "/start", "ev1")
        assert (
            await _post(http, vk, json.dumps(event).encode(), {"Content-Type": "text/plain"}) == 415
        )
        assert await _post(http, vk, b"[" * 30_000 + b"]" * 30_000, json_type) == 400  # deep
        assert await _post(http, vk, b"[]", json_type) == 400
        assert await _post(http, vk, b"x" * 70_000, json_type) in (413, 0)
        # A secret with non-ASCII characters in the body (raised TypeError too).
        stranger = callback_event(fake_vk, "/start", "ev2", secret="секрет")
        assert await _post(http, vk, json.dumps(stranger).encode(), json_type) == 403
        # Another community's event with the right secret: refused, though VK_GROUP_ID is
        # not set (the community was found from the token).
        other = {**callback_event(fake_vk, "/start", "ev3"), "group_id": GROUP_ID + 1}
        assert await _post(http, vk, json.dumps(other).encode(), json_type) == 403
        # /metrics wants the token.
        async with http.get(f"{base}/metrics") as scrape:
            assert scrape.status == 401
        async with http.get(
            f"{base}/metrics", headers={"Authorization": "Bearer scrape-token"}
        ) as scrape:
            assert scrape.status == 200
            assert "civic_outbox_pending" in await scrape.text()
        # Malformed HTTP (aiohttp logged each with a traceback at ERROR).
        port = int(base.rsplit(":", 1)[1])
        for garbage in (b"GET / HTTP/1.1\r\nBad Header\r\n\r\n", b"\x16\x03\x01\x00\xa5\x01") * 10:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(garbage)
            await writer.drain()
            writer.close()
        # What is right still works.
        assert await _post(http, tg, good_update, right) == 200
    await fake_tg.wait_for(lambda c: c.chat_id == CITIZEN and "официальный бот" in c.text)
    assert not fake_vk.sent(VK_CITIZEN)  # nothing a stranger posted was handled
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert not any(r.exc_info for r in caplog.records if r.name.startswith(("bot", "aiogram")))


async def test_slow_clients_are_hung_up_on(
    fake_tg: FakeBotApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connections that send their headers (or body) too slowly do not stay open."""
    monkeypatch.chdir(tmp_path)
    settings = make_settings(
        telegram_bot_token=fake_tg.token,
        telegram_api_url=fake_tg.url,
        database_url=sqlite_url,
        webhook_base_url="https://bot.example.org/",
        webhook_host="127.0.0.1",
        webhook_port=0,
        webhook_secret=SecretStr(TG_SECRET),
        webhook_timeout_seconds=1,
    )

    async def slow(port: int, body: bool) -> bool:
        """True when the bot hung up within a few seconds."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = b"POST /telegram HTTP/1.1\r\nHost: x\r\n"
        if body:  # complete headers, then a body that never comes
            head += (
                f"X-Telegram-Bot-Api-Secret-Token: {TG_SECRET}\r\n"
                "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
            ).encode()
        writer.write(head)
        await writer.drain()
        try:
            async with asyncio.timeout(8):
                while await reader.read(1024):
                    pass  # an answer (408) may come before the connection closes
            return True
        except TimeoutError:
            return False
        finally:
            writer.close()

    async with running(settings, webhook=True) as app:
        port = await _port(app)
        closed = await asyncio.gather(*(slow(port, n % 2 == 1) for n in range(20)))
    assert all(closed)
