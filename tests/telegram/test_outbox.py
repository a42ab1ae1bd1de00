"""Nothing said to a person is lost: real aiogram against a fake Bot API that refuses (429),
fails (502 as JSON and as an HTML page), hangs, and refuses for good (403). Every reply,
announcement and card edit arrives once, in order, after the platform lets it; other chats
are served meanwhile; the operator hears "sent" only once it was. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from storage.models import OutboxMessage, OutboxStatus
from tests.helpers.channels import card_remembered, exit_of_bot, running
from tests.helpers.fake_bot_api import Call, FakeBotApi
from tests.helpers.telegram import CITIZEN, OPERATOR, button, eventually, step, tg_settings

OTHER = 777  # another citizen, who must not wait for CITIZEN's troubles
APPEAL = "Во дворе дома 12 на улице Мира третий день не вывозят мусор"


@pytest.fixture
async def app(fake_tg: FakeBotApi, database_url: str) -> AsyncIterator[App]:
    # A hung request is abandoned soon, so the test need not wait twenty seconds.
    settings = tg_settings(fake_tg, database_url, outbox_request_timeout_seconds=1.5)
    async with running(settings) as running_app:
        yield running_app


def texts_to(fake: FakeBotApi, chat: int, fragment: str) -> list[Call]:
    return [c for c in fake.delivered(chat) if fragment in c.text]


def refused(fake: FakeBotApi, chat: int, fragment: str) -> list[Call]:
    return [c for c in fake.sent(chat) if fragment in c.text and c.result is None]


async def file_appeal(fake: FakeBotApi) -> str:
    await step(fake, CITIZEN, fake.send_text(CITIZEN, "/new"))
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "ЖКХ"),
        ),
    )
    await step(fake, CITIZEN, fake.send_text(CITIZEN, APPEAL))
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
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Пропустить"),
        ),
    )
    text = await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Отправить"),
        ),
    )
    # Its announcement and the citizen's live card are out too: what the test makes fail next
    # is not taken by them.
    await fake.wait_for(lambda c: c.chat_id == OPERATOR and "Новое обращение" in c.text)
    await fake.wait_for(lambda c: c.chat_id == CITIZEN and "Ждёт оператора." in c.text)
    return text.split("<b>")[1].split("</b>")[0]


async def outbox_rows(app: App, status: OutboxStatus) -> int:
    async with app.engine.connect() as connection:
        query = select(func.count()).select_from(OutboxMessage)
        return int(
            (await connection.execute(query.where(OutboxMessage.status == status))).scalar() or 0
        )


async def test_a_reply_refused_with_429_arrives_after_the_wait_once(
    fake_tg: FakeBotApi, app: App
) -> None:
    fake = fake_tg
    fake.fail(
        "sendMessage",
        429,
        "Too Many Requests: retry after 2",
        parameters={"retry_after": 2},
        chat_id=CITIZEN,
    )
    await fake.send_text(CITIZEN, "/start")
    await eventually(lambda: bool(texts_to(fake, CITIZEN, "официальный бот")), 15)
    [first_try] = refused(fake, CITIZEN, "официальный бот")
    [delivered] = texts_to(fake, CITIZEN, "официальный бот")
    assert delivered.at - first_try.at >= 1.9  # Telegram's retry_after was waited out
    await asyncio.sleep(0.5)
    assert len(texts_to(fake, CITIZEN, "официальный бот")) == 1


async def test_a_staff_announcement_refused_with_429_arrives_after_the_wait_once(
    fake_tg: FakeBotApi, app: App
) -> None:
    fake = fake_tg
    fake.fail(
        "sendMessage",
        429,
        "Too Many Requests: retry after 2",
        parameters={"retry_after": 2},
        chat_id=OPERATOR,
    )
    number = await file_appeal(fake)
    await eventually(
        lambda: bool(texts_to(fake, OPERATOR, f"Новое обращение № {number}")),
        15,
    )
    [first_try] = refused(fake, OPERATOR, f"Новое обращение № {number}")
    [announced] = texts_to(fake, OPERATOR, f"Новое обращение № {number}")
    assert announced.at - first_try.at >= 1.9
    await asyncio.sleep(0.5)
    assert len(texts_to(fake, OPERATOR, f"Новое обращение № {number}")) == 1


async def test_a_card_edit_refused_with_429_is_made_after_the_wait_once(
    fake_tg: FakeBotApi, app: App
) -> None:
    fake = fake_tg
    number = await file_appeal(fake)
    await card_remembered(app)
    fake.fail(
        "editMessageText",
        429,
        "Too Many Requests: retry after 1",
        parameters={"retry_after": 1},
        chat_id=CITIZEN,
    )
    start = len(fake.calls)
    await fake.send_text(OPERATOR, f"/take {number}")
    await eventually(
        lambda: any(c.method == "editMessageText" and c.result for c in fake.calls[start:]), 15
    )
    edits = [c for c in fake.calls[start:] if c.method == "editMessageText"]
    assert [bool(c.result) for c in edits] == [False, True]
    assert edits[1].at - edits[0].at >= 0.9
    assert "В работе" in edits[1].text
    await asyncio.sleep(0.5)
    # Edited in place, not sent anew instead; and once.
    assert len([c for c in fake.calls[start:] if c.method == "editMessageText"]) == 2
    assert not texts_to(fake, CITIZEN, "· В работе")[1:]


async def test_a_failing_chat_gets_everything_in_order_once_while_others_are_served(
    fake_tg: FakeBotApi, app: App
) -> None:
    fake = fake_tg
    # Telegram's side answers an nginx error page for this chat, several times.
    fake.fail(
        "sendMessage",
        502,
        "Bad Gateway",
        html=True,
        times=3,
        chat_id=CITIZEN,
    )
    await fake.send_text(CITIZEN, "/start")
    await fake.send_text(CITIZEN, "/help")
    await fake.send_text(CITIZEN, "/info")
    # Meanwhile another citizen is answered at once.
    text = await step(fake, OTHER, fake.send_text(OTHER, "/start"))
    assert "официальный бот" in text
    assert not texts_to(fake, CITIZEN, "")
    await eventually(lambda: len(fake.delivered(CITIZEN)) >= 3, 20)
    await asyncio.sleep(0.5)
    delivered = [c.text for c in fake.delivered(CITIZEN)]
    assert len(delivered) == 3  # once each
    assert "официальный бот" in delivered[0]  # in the order they were said
    assert "Что умеет бот" in delivered[1]
    assert "Информация." in delivered[2]
    assert await outbox_rows(app, OutboxStatus.PENDING) == 0


async def test_a_hung_request_is_abandoned_and_tried_again_without_holding_others(
    fake_tg: FakeBotApi, app: App
) -> None:
    fake = fake_tg
    fake.fail("sendMessage", 502, "Bad Gateway", stall=5, chat_id=CITIZEN)  # hangs for 5 s
    await fake.send_text(CITIZEN, "/start")
    await fake.wait_for(lambda c: c.chat_id == CITIZEN and c.method == "sendMessage")
    text = await step(fake, OTHER, fake.send_text(OTHER, "/start"))
    assert "официальный бот" in text  # not held by the hung chat
    await eventually(lambda: bool(texts_to(fake, CITIZEN, "официальный бот")), 15)


async def test_an_answer_during_an_outage_arrives_and_the_operator_hears_only_then(
    fake_tg: FakeBotApi, app: App
) -> None:
    fake = fake_tg
    number = await file_appeal(fake)
    fake.fail("sendMessage", 502, "Bad Gateway", times=2, chat_id=CITIZEN)
    start = len(fake.calls)
    await fake.send_text(OPERATOR, f"/reply {number} Мусор вывезен.")
    # First the operator hears it is not delivered yet, and why; never "sent" before it was.
    delayed = await fake.wait_for(
        lambda c: c.chat_id == OPERATOR and "пока не доставлен" in c.text,
        10,
        start,
    )
    assert "временно недоступен" in delayed.text
    confirmed = await fake.wait_for(
        lambda c: c.chat_id == OPERATOR and "отправлен гражданину" in c.text,
        20,
        start,
    )
    [answer] = texts_to(fake, CITIZEN, "Мусор вывезен.")
    assert delayed.at < answer.at <= confirmed.at
    assert not any("отправлен гражданину" in c.text for c in fake.calls[start:] if c.at < answer.at)
    await asyncio.sleep(0.5)
    assert len(texts_to(fake, CITIZEN, "Мусор вывезен.")) == 1


async def test_get_updates_answering_an_html_page_does_not_stop_the_bot(
    fake_tg: FakeBotApi, app: App
) -> None:
    fake = fake_tg
    fake.fail("getUpdates", 502, "Bad Gateway", html=True, times=3)
    await eventually(lambda: "getUpdates" not in fake._failures, 20)
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/start"),
    )
    assert "официальный бот" in text


async def test_a_refused_token_stops_the_process_with_a_non_zero_code(
    fake_tg: FakeBotApi, tmp_path: Path
) -> None:
    code, output = await exit_of_bot(
        tmp_path, TELEGRAM_BOT_TOKEN="1:not-the-token", TELEGRAM_API_URL=fake_tg.url
    )
    assert code == 1
    assert b"refuses the token" in output
    assert b"not-the-token" not in output


async def test_a_staff_chat_that_cannot_be_reached_falls_back_to_the_admins(
    fake_tg: FakeBotApi, database_url: str
) -> None:
    fake, staff_chat = fake_tg, -100500
    fake.fail("sendMessage", 400, "Bad Request: chat not found", times=50, chat_id=staff_chat)
    settings = tg_settings(fake, database_url, staff_chat=f"tg:{staff_chat}")
    async with running(settings) as app:
        await file_appeal(fake)
        # Refused for good in the staff chat (tried once), announced to the admin instead.
        announced = await fake.wait_for(
            lambda c: c.chat_id == OPERATOR and "Новое обращение" in c.text and bool(c.result)
        )
        assert len(refused(fake, staff_chat, "Новое обращение")) == 1
        assert [label for label, _ in announced.buttons][:2] == ["Взять в работу", "Ответить"]
        await app.deliverer.settled()
        assert await outbox_rows(app, OutboxStatus.UNDELIVERABLE) == 1


async def test_a_message_failing_past_the_limit_is_reported_undeliverable(
    fake_tg: FakeBotApi, database_url: str
) -> None:
    fake = fake_tg
    settings = tg_settings(fake, database_url, outbox_give_up_hours=2 / 3600)  # two seconds
    async with running(settings):
        number = await file_appeal(fake)
        fake.fail("sendMessage", 502, "Bad Gateway", times=1000, chat_id=CITIZEN)
        start = len(fake.calls)
        await fake.send_text(OPERATOR, f"/reply {number} Мусор вывезен.")
        failed = await fake.wait_for(
            lambda c: c.chat_id == OPERATOR and "не доставлен гражданину" in c.text,
            20,
            start,
        )
        assert "мессенджер не принимал сообщение" in failed.text
        tries = len(refused(fake, CITIZEN, "Мусор вывезен."))
        await asyncio.sleep(2.0)
        assert len(refused(fake, CITIZEN, "Мусор вывезен.")) == tries  # no longer tried
        text = await step(
            fake,
            OPERATOR,
            fake.send_text(OPERATOR, f"/history {number}"),
        )
        assert "сообщение не доставлено: мессенджер не принимал сообщение" in text
