"""A mailing on Telegram end to end: composed by an operator in the bot, sent by the mailer
through real aiogram to a fake Bot API that refuses more than 30 messages a second, with a
recipient who blocked the bot and a 429 in the middle; RSVP and leaving with the buttons."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from bot.app import App
from tests.helpers.channels import running
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.settings import make_settings
from tests.helpers.telegram import OPERATOR, button, step

MEMBERS = list(range(2001, 2041))
BLOCKED = 2007


@pytest.fixture
async def strict_tg() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi(rate_limit=30)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def app(strict_tg: FakeBotApi, sqlite_url: str) -> AsyncIterator[App]:
    settings = make_settings(
        telegram_bot_token=strict_tg.token,
        telegram_api_url=strict_tg.url,
        database_url=sqlite_url,
        admins=f"tg:{OPERATOR}",
    )
    async with running(settings) as app:
        yield app


async def test_a_mailing_to_forty_at_the_platforms_rate_with_429_and_403(
    strict_tg: FakeBotApi, app: App
) -> None:
    fake = strict_tg
    ids = " ".join(f"tg:{member}" for member in MEMBERS)
    text = await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, f"/group_add residents {ids}"),
    )
    assert "добавлено 40" in text
    fake.blocked.add(BLOCKED)

    await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, "/mailing_new"),
    )
    text = await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, "Отключение воды 25.11 с 10:00 до 14:00 <ул. Мира>"),
    )
    assert "Черновик рассылки" in text
    await step(
        fake,
        OPERATOR,
        fake.press(
            OPERATOR,
            button(fake, OPERATOR, "Аудитория"),
        ),
    )
    await step(
        fake,
        OPERATOR,
        fake.press(
            OPERATOR,
            button(fake, OPERATOR, "Жители"),
        ),
    )
    await step(
        fake,
        OPERATOR,
        fake.press(
            OPERATOR,
            button(fake, OPERATOR, "К черновику"),
        ),
    )
    text = await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, "График работ | https://example.org/water"),
    )
    assert "Кому: Жители" in text and "Ссылок: 1" in text
    await step(
        fake,
        OPERATOR,
        fake.press(
            OPERATOR,
            button(fake, OPERATOR, "Приду"),
        ),
    )

    # One 429 from Telegram in the middle of it, beyond the fake's own limit.
    fake.fail(
        "sendMessage",
        429,
        "Too Many Requests: retry after 1",
        parameters={"retry_after": 1},
        chat_id=2020,
    )
    start = len(fake.calls)
    began = time.monotonic()
    await fake.press(
        OPERATOR,
        button(fake, OPERATOR, "Отправить"),
    )
    summary = await fake.wait_for(
        lambda c: c.method == "sendMessage" and "Итоги рассылки" in c.text, 30, start
    )
    elapsed = time.monotonic() - began
    assert "Доставлено: 39" in summary.text and "заблокировали бота): 1" in summary.text

    for member in MEMBERS:
        got = [c for c in fake.delivered(member) if "Отключение воды" in c.text]
        assert len(got) == (0 if member == BLOCKED else 1), member
    first = fake.delivered(MEMBERS[0])[-1]
    # User text escaped; the link, RSVP and the ways to leave under it.
    assert "&lt;ул. Мира&gt;" in first.text
    markup = first.params["reply_markup"]["inline_keyboard"]
    assert markup[0][0]["url"] == "https://example.org/water"
    assert [b["text"] for b in markup[1]] == ["✔ Приду", "✖ Не смогу"]
    assert [b["text"] for b in markup[2]] == ["Выйти из группы", "Не получать рассылки"]
    # Paced under the limit: the fake refused nothing for speed; the injected 429 paused
    # every sender for a second; 39 messages at 30 a second take more than one.
    assert fake.rate.refused == 0
    assert elapsed > 1.2

    # The progress message was edited in place into the final one.
    edits = [c for c in fake.calls[start:] if c.method == "editMessageText"]
    assert any("завершена" in c.text for c in edits)

    # RSVP and leaving, pressed by recipients.
    member = MEMBERS[0]
    text = await step(fake, member, fake.press(member, button(fake, member, "Приду")))
    assert "вы придёте" in text
    text = await step(
        fake,
        member,
        fake.press(member, button(fake, member, "Выйти из группы")),
    )
    assert "Вы вышли из групп: Жители" in text
    text = await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, "/mailings"),
    )
    assert "Доставлено 39 из 40, недоступны 1" in text and "придут 1, не смогут 0" in text
