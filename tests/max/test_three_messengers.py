"""Telegram, VK and MAX in one process, by long polling and by webhook: one case history, each
citizen answered where they wrote, by an operator on another messenger."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.helpers import max as on_max
from tests.helpers import telegram as on_tg
from tests.helpers import vk as on_vk
from tests.helpers.channels import card_remembered, running
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.fake_max_api import FakeMaxApi
from tests.helpers.fake_server import free_port
from tests.helpers.fake_vk_api import FakeVkApi
from tests.helpers.settings import make_settings

TG_SECRET = "tg-webhook-secret"
VK_SECRET = "vk-callback-secret"
MAX_SECRET = "max-webhook-secret"
TEXT = "Во дворе дома 12 не убирают снег уже неделю, не пройти к подъезду"


@contextlib.asynccontextmanager
async def posting_to(
    port: int, tg: FakeBotApi, vk: FakeVkApi, max_: FakeMaxApi
) -> AsyncIterator[None]:
    """What each fake platform has queued is posted to the bot's webhook, in order, as the
    platforms do (each with its own secret); a post not answered 200 fails the test."""
    base = f"http://127.0.0.1:{port}"
    queues: list[tuple[list[dict[str, Any]], str, dict[str, str], dict[str, str]]] = [
        (tg._updates, f"{base}/telegram", {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}, {}),
        (vk._events, f"{base}/vk", {}, {"secret": VK_SECRET}),
        (max_._updates, f"{base}/max", {"X-Max-Bot-Api-Secret": MAX_SECRET}, {}),
    ]
    refused: list[str] = []

    async def relay(http: aiohttp.ClientSession) -> None:
        posted = [0] * len(queues)
        while True:
            for n, (queue, url, headers, extra) in enumerate(queues):
                while posted[n] < len(queue):
                    body = {**queue[posted[n]], **extra}
                    posted[n] += 1
                    async with http.post(url, json=body, headers=headers) as response:
                        if response.status != 200:
                            refused.append(f"{url}: {response.status}")
            await asyncio.sleep(0.01)

    async with aiohttp.ClientSession() as http:
        task = asyncio.create_task(relay(http))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    assert refused == []


def number_in(registered: str) -> str:
    return registered.split("Номер: ")[1].split()[0].removeprefix("<b>").split("<")[0]


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_three_messengers_in_one_process_one_case_history(
    fake_tg: FakeBotApi,
    fake_vk: FakeVkApi,
    fake_max: FakeMaxApi,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    webhook: bool,
) -> None:
    monkeypatch.chdir(tmp_path)
    port = free_port()
    values: dict[str, object] = {
        "telegram_bot_token": fake_tg.token,
        "telegram_api_url": fake_tg.url,
        "vk_group_token": fake_vk.token,
        "vk_api_url": fake_vk.api_url,
        "max_bot_token": fake_max.token,
        "max_api_url": fake_max.url,
        "database_url": sqlite_url,
        "admins": f"tg:{on_tg.OPERATOR},vk:{on_vk.VK_OPERATOR},max:{on_max.MAX_OPERATOR}",
    }
    if webhook:  # VK's community is not set: it is found from the token at start
        values |= {
            "webhook_base_url": "https://bot.example.org",
            "webhook_host": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": TG_SECRET,
            "vk_callback_confirmation": on_vk.CONFIRMATION,
            "vk_callback_secret": VK_SECRET,
            "max_webhook_secret": MAX_SECRET,
        }
    relay = posting_to(port, fake_tg, fake_vk, fake_max) if webhook else contextlib.nullcontext()
    async with running(make_settings(**values), webhook=webhook) as app, relay:
        if webhook:
            await fake_tg.wait_for(lambda c: c.method == "setWebhook", 20)
            await fake_max.wait_for(lambda c: c.method == "POST /subscriptions", 20)
        # Each citizen is greeted in their own messenger.
        greeting = "официальный бот администрации"
        tg, vk, mx = on_tg.CITIZEN, on_vk.VK_CITIZEN, on_max.MAX_CITIZEN
        assert greeting in await on_tg.step(fake_tg, tg, fake_tg.send_text(tg, "/start"))
        assert greeting in await on_vk.step(fake_vk, vk, fake_vk.send(vk, "/start"))
        assert greeting in await on_max.step(fake_max, mx, fake_max.open_bot(mx))

        # An appeal filed on VK, answered by the operator on MAX.
        await on_vk.step(fake_vk, vk, fake_vk.send(vk, "/new"))
        await on_vk.press(fake_vk, vk, "ЖКХ")
        await on_vk.step(fake_vk, vk, fake_vk.send(vk, TEXT))
        await on_vk.press(fake_vk, vk, "Пропустить")
        await on_vk.press(fake_vk, vk, "Пропустить")
        vk_number = number_in(await on_vk.press(fake_vk, vk, "Отправить"))
        await card_remembered(app)
        start = len(fake_vk.calls)
        await fake_max.send_text(on_max.MAX_OPERATOR, f"/reply {vk_number} Снег уберут сегодня.")
        answer = await fake_vk.wait_for(
            lambda c: vk in c.peers and "Снег уберут сегодня." in c.text, start=start
        )
        assert f"№ {vk_number}" in answer.text

        # An appeal filed on MAX, answered by the operator on Telegram.
        mx_number = await on_max.file_appeal(fake_max, app)
        start = len(fake_max.calls)
        await fake_tg.send_text(on_tg.OPERATOR, f"/reply {mx_number} Вывезут в четверг.")
        answer_max = await fake_max.wait_for(
            lambda c: c.to == mx and "Вывезут в четверг." in c.text, start=start
        )
        assert f"№ {mx_number}" in answer_max.text

        # An appeal filed on Telegram, answered by the operator on VK.
        await on_tg.step(fake_tg, tg, fake_tg.send_text(tg, "/new"))
        await on_tg.step(fake_tg, tg, fake_tg.press(tg, on_tg.button(fake_tg, tg, "ЖКХ")))
        await on_tg.step(fake_tg, tg, fake_tg.send_text(tg, TEXT))
        for label in ("Пропустить", "Пропустить", "Отправить"):
            registered = await on_tg.step(
                fake_tg, tg, fake_tg.press(tg, on_tg.button(fake_tg, tg, label))
            )
        tg_number = number_in(registered)
        start = len(fake_tg.calls)
        await fake_vk.send(on_vk.VK_OPERATOR, f"/reply {tg_number} Проверим завтра.")
        answer_tg = await fake_tg.wait_for(
            lambda c: c.chat_id == tg and "Проверим завтра." in c.text, start=start
        )
        assert f"№ {tg_number}" in answer_tg.text
        assert len({vk_number, mx_number, tg_number}) == 3

        # Every citizen sees their own appeal, answered, in /my.
        for text in (
            await on_tg.step(fake_tg, tg, fake_tg.send_text(tg, "/my")),
            await on_vk.step(fake_vk, vk, fake_vk.send(vk, "/my")),
            await on_max.step(fake_max, mx, fake_max.send_text(mx, "/my")),
        ):
            assert "Дан ответ" in text

    polled = {
        "tg": fake_tg.polls > 0,
        "vk": any(c.method == "groups.getLongPollServer" for c in fake_vk.calls),
        "max": any(c.method == "GET /updates" for c in fake_max.calls),
    }
    assert polled == dict.fromkeys(polled, not webhook)
