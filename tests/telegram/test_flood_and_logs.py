"""Through real aiogram against the fake Bot API: a citizen flooding the bot is slowed with one
notice while another is served; nothing secret or personal reaches the logs."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.app import App
from tests.helpers.channels import running
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram import CITIZEN, OPERATOR, button, eventually, step, tg_settings

FLOODER = 777
FLOOD = "Сообщение без смысла, просто чтобы завалить бот"
PHONE = "+7 912 345-67-89"
SECRET_TEXT = f"Прорвало трубу у дома 7 на Садовой, звоните {PHONE}, Ольга Викторовна Смирнова"


async def test_a_flood_is_slowed_with_one_notice_and_others_are_served(
    fake_tg: FakeBotApi, sqlite_url: str
) -> None:
    fake = fake_tg
    # The defaults a deployment gets: 3 updates a second, bursts of 20.
    settings = tg_settings(fake, sqlite_url).model_copy(update={"flood_rate": 3, "flood_burst": 20})
    async with running(settings):
        await _flood(fake)


async def _flood(fake: FakeBotApi) -> None:
    for _ in range(60):  # far faster than a person types
        await fake.send_text(FLOODER, "/help")
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/start"),
    )
    assert "Здравствуйте" in text or "Подать обращение" in text  # served at once

    def notices() -> int:
        return sum("слишком часто" in c.text for c in fake.sent(FLOODER))

    def answered() -> int:
        return sum("Что умеет бот" in c.text for c in fake.sent(FLOODER))

    await eventually(lambda: notices() == 1 and answered() >= 20)
    await asyncio.sleep(1.5)  # the replies go out at Telegram's pace: let the last ones come
    # The burst (20) and what the rate (3 a second) refilled meanwhile; never the 60.
    assert 20 <= answered() < 35
    assert notices() == 1


async def test_tokens_phone_numbers_and_appeal_texts_never_reach_the_logs(
    fake_tg: FakeBotApi, tg_app: App, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_tg
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="handlers")
    caplog.set_level(logging.INFO)
    await step(fake, CITIZEN, fake.send_text(CITIZEN, "/new"))
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "ЖКХ"),
        ),
    )
    await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, SECRET_TEXT),
    )
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Пропустить"),
        ),
    )
    await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "ул. Садовая, 7, кв. 15"),
    )
    text = await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Отправить"),
        ),
    )
    number = text.split("<b>")[1].split("</b>")[0]
    await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, f"/reply {number} Перезвоним {PHONE}."),
    )
    fake.fail("sendMessage", 500, "Internal Server Error", chat_id=CITIZEN)  # errors logged too
    await fake.send_text(CITIZEN, f"Мой телефон {PHONE}")
    await eventually(lambda: "failed" in caplog.text)
    # Everything but the fake server's own access log (its URLs carry the token by design).
    logged = "\n".join(
        caplog.handler.format(r) for r in caplog.records if r.name != "aiohttp.access"
    )
    assert "sending to a tg chat failed" in logged  # the checks below are not vacuous
    for secret in (fake.token, PHONE, "Садовой", "Смирнова", "кв. 15", "Перезвоним"):
        assert secret not in logged, secret
