"""`python -m bot webhook`: Telegram posts updates to our server; only with the secret token
are they handled, and each is answered once handled (committed), so none is lost."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from pydantic import SecretStr

from bot.app import App, WebhookConfigError, build
from bot.config import Settings
from tests.helpers.channels import running
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram import CITIZEN, tg_settings

SECRET = "webhook-secret_42"


def webhook_settings(fake: FakeBotApi, sqlite_url: str) -> Settings:
    return tg_settings(fake, sqlite_url).model_copy(
        update={
            "webhook_base_url": "https://bot.example.org/",
            "webhook_host": "127.0.0.1",
            "webhook_port": 0,  # any free port
            "webhook_secret": SecretStr(SECRET),
        }
    )


async def test_updates_by_webhook_with_the_secret_only(
    fake_tg: FakeBotApi, sqlite_url: str
) -> None:
    fake = fake_tg
    async with running(webhook_settings(fake, sqlite_url), webhook=True) as app:
        registered = await fake.wait_for(lambda c: c.method == "setWebhook")
        assert registered.params["url"] == "https://bot.example.org/telegram"
        assert registered.params["secret_token"] == SECRET
        base = f"http://127.0.0.1:{await _port(app)}"
        update = {
            "update_id": 1,
            "message": fake._message(CITIZEN, None, text="/start"),
        }
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/health") as health:
                assert health.status == 200
                assert (await health.json())["status"] == "ok"
            # Without the secret, or with a wrong one: refused, nothing handled.
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
                async with http.post(f"{base}/telegram", json=update, headers=headers) as bad:
                    assert bad.status == 401
            assert fake.sent(CITIZEN) == []
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with http.post(f"{base}/telegram", json=update, headers=headers) as ok:
                assert ok.status == 200
            # Answered once handled and committed, the reply in the outbox with it; the reply
            # goes out on its own, not holding Telegram's request.
            await fake.wait_for(
                lambda c: c.chat_id == CITIZEN and "Подать обращение" in str(c.params)
            )
            await app.deliverer.settled()
            async with http.get(f"{base}/metrics") as scrape:
                metrics = await scrape.text()
            assert 'civic_updates_total{outcome="handled",platform="tg"} 1.0' in metrics
            assert 'civic_update_seconds_count{platform="tg"} 1.0' in metrics
            assert 'civic_messages_total{outcome="sent",platform="tg"}' in metrics
            assert "civic_deliveries_pending 0.0" in metrics
            assert 'civic_outbox_pending{platform="tg"} 0.0' in metrics
            assert 'civic_outbox_oldest_pending_seconds{platform="tg"} 0.0' in metrics
            assert "civic_appeals_open 0.0" in metrics
    assert fake.polls == 0  # no polling beside it


async def test_webhook_mode_needs_its_settings(fake_tg: FakeBotApi, sqlite_url: str) -> None:
    with pytest.raises(WebhookConfigError):
        async with build(tg_settings(fake_tg, sqlite_url), console=False, webhook=True):
            pass


async def _port(app: App) -> int:
    assert app.webserver is not None
    await asyncio.wait_for(app.webserver.ready.wait(), 10)
    assert app.webserver.port is not None
    return app.webserver.port
