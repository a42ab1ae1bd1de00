"""Nothing said on MAX is lost: real maxapi against a fake MAX API that refuses for the rate
(429), fails (502 as an HTML page), refuses for good (403: the person blocked the bot), and
a bot that restarts. Updates by long polling and by webhook, with the secret checked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from bot.app import App, WebhookConfigError, build
from tests.helpers.channels import exit_of_bot, running
from tests.helpers.fake_max_api import FakeMaxApi
from tests.helpers.fake_server import free_port
from tests.helpers.max import MAX_CITIZEN, MAX_OPERATOR, file_appeal, max_settings, step
from tests.helpers.telegram import eventually


def texts_to(fake: FakeMaxApi, to: int, fragment: str) -> list[str]:
    return [c.text for c in fake.sent(to) if fragment in c.text]


async def test_a_reply_refused_with_429_arrives_after_the_wait_once(
    fake_max: FakeMaxApi, max_app: App
) -> None:
    fake = fake_max
    fake.fail("POST /messages", 429, "too.many.requests", times=2)
    await fake.send_text(MAX_CITIZEN, "/start")
    await eventually(lambda: bool(texts_to(fake, MAX_CITIZEN, "официальный бот")), 20)
    refused = [c for c in fake.calls if c.method == "POST /messages" and c.result is None]
    assert len(refused) == 2
    await asyncio.sleep(0.5)
    assert len(texts_to(fake, MAX_CITIZEN, "официальный бот")) == 1


async def test_an_answer_to_a_citizen_who_blocked_the_bot_is_reported_undeliverable(
    fake_max: FakeMaxApi, max_app: App
) -> None:
    fake = fake_max
    number = await file_appeal(fake, max_app)
    fake.blocked.add(MAX_CITIZEN)
    start = len(fake.calls)
    await fake.send_text(MAX_OPERATOR, f"/reply {number} Мусор вывезен.")
    failed = await fake.wait_for(
        lambda c: c.to == MAX_OPERATOR and "не доставлен гражданину" in c.text and bool(c.result),
        20,
        start,
    )
    assert "собеседник заблокировал бота или не разрешил ему писать" in failed.text
    # Refused for good: tried once, not again.
    await asyncio.sleep(1.0)
    tries = [c for c in fake.calls[start:] if c.to == MAX_CITIZEN and "Мусор вывезен." in c.text]
    assert len(tries) == 1


async def test_a_long_poll_answering_an_html_page_goes_on(
    fake_max: FakeMaxApi, max_app: App
) -> None:
    fake_max.broken_polls = 2
    await eventually(lambda: fake_max.broken_polls == 0, 20)
    text = await step(fake_max, MAX_CITIZEN, fake_max.send_text(MAX_CITIZEN, "/start"))
    assert "официальный бот" in text


async def test_a_refused_token_stops_the_process_with_a_non_zero_code(
    fake_max: FakeMaxApi, tmp_path: Path
) -> None:
    code, output = await exit_of_bot(
        tmp_path, MAX_BOT_TOKEN="max-not-the-token", MAX_API_URL=fake_max.url
    )
    assert code == 1
    assert b"MAX refuses the token" in output
    assert b"not-the-token" not in output


async def test_a_restart_loses_nothing_and_repeats_nothing(
    fake_max: FakeMaxApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What came while the bot was down is read after the restart; what it had handled is
    not handled again (the marker is kept under the data directory)."""
    monkeypatch.chdir(tmp_path)
    settings = max_settings(fake_max, sqlite_url)
    async with running(settings):
        text = await step(fake_max, MAX_CITIZEN, fake_max.send_text(MAX_CITIZEN, "/help"))
        assert "Что умеет бот" in text
    await fake_max.send_text(MAX_CITIZEN, "/start")  # while the bot is down
    start = len(fake_max.calls)
    async with running(settings):
        await eventually(lambda: bool(texts_to(fake_max, MAX_CITIZEN, "официальный бот")), 20)
        await asyncio.sleep(1.0)
    again = fake_max.calls[start:]
    assert not any("Что умеет бот" in c.text for c in again)  # /help was not handled twice
    assert len(texts_to(fake_max, MAX_CITIZEN, "официальный бот")) == 1


async def test_webhook_mode_checks_the_secret_on_every_post(
    fake_max: FakeMaxApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    port = free_port()
    secret = "max-webhook-secret-42"
    settings = max_settings(
        fake_max,
        sqlite_url,
        webhook_base_url="https://bot.example.org",
        webhook_port=port,
        webhook_host="127.0.0.1",
        max_webhook_secret=secret,
    )
    async with running(settings, webhook=True):
        subscribed = await fake_max.wait_for(lambda c: c.method == "POST /subscriptions", 20)
        assert subscribed.body["url"] == "https://bot.example.org/max"
        assert subscribed.body["secret"] == secret
        assert set(subscribed.body["update_types"]) >= {"message_created", "message_callback"}
        # The same update as MAX posts it, taken from what polling would have read.
        await fake_max.send_text(MAX_CITIZEN, "/start")
        [update] = fake_max._updates
        url = f"http://127.0.0.1:{port}/max"
        async with aiohttp.ClientSession() as http:
            for headers in (
                {},
                {"X-Max-Bot-Api-Secret": "wrong"},
                {"X-Max-Bot-Api-Secret": "тайна"},
            ):
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
            good = {"X-Max-Bot-Api-Secret": secret}
            async with http.post(url, data=b"[1, 2", headers=good) as response:
                assert response.status in (400, 415)
            async with http.post(
                url, data=b"[]", headers={**good, "Content-Type": "application/json"}
            ) as response:
                assert response.status == 400
            start = len(fake_max.calls)
            async with http.post(url, json=update, headers=good) as response:
                assert response.status == 200
            answer = await fake_max.reply_to(MAX_CITIZEN, start)
            assert "официальный бот" in answer.text
            # MAX posts it again (our answer came late): handled once.
            async with http.post(url, json=update, headers=good) as response:
                assert response.status == 200
            await asyncio.sleep(0.5)
            assert len(texts_to(fake_max, MAX_CITIZEN, "официальный бот")) == 1
        # Polling is off in webhook mode.
        assert not any(c.method == "GET /updates" for c in fake_max.calls)


@pytest.mark.parametrize(
    "more",
    [
        {},  # no secret
        {
            "max_webhook_secret": "max-webhook-secret-42",
            "webhook_base_url": "http://bot.example.org",
        },
    ],
)
async def test_webhook_mode_needs_its_secret_and_https(
    fake_max: FakeMaxApi, sqlite_url: str, more: dict[str, str]
) -> None:
    settings = max_settings(fake_max, sqlite_url, **{"webhook_base_url": "https://b.org", **more})
    with pytest.raises(WebhookConfigError):
        async with build(settings, console=False, webhook=True):
            pass
