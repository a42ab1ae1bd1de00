"""Telegram's paid broadcasts end to end, through real aiogram against the fake Bot API (which
refuses more than 30 free messages a second, and keeps paid ones to their own limit): the
card shows the cost against the caps, a paid mailing goes with allow_paid_broadcast past the
free rate, the summary says what was spent, and a mailing the month's budget no longer covers
is not started until it is sent at the free rate instead."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from tests.helpers.channels import running
from tests.helpers.fake_bot_api import SENDS, FakeBotApi, paid_broadcast
from tests.helpers.settings import make_settings
from tests.helpers.telegram import OPERATOR, button, step

MEMBERS = list(range(3001, 3061))  # 60: 6 Stars a mailing


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi(rate_limit=30, paid_limit=1000)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def app(fake: FakeBotApi, sqlite_url: str) -> AsyncIterator[App]:
    settings = make_settings(
        telegram_bot_token=fake.token,
        telegram_api_url=fake.url,
        database_url=sqlite_url,
        admins=f"tg:{OPERATOR}",
        # Free messages go at 10 a second here: the paid ones must not wait for that pace.
        mailing_rate_telegram=10,
        telegram_paid_broadcast=True,
        paid_broadcast_stars_per_mailing=8,
        paid_broadcast_stars_per_month=10,
    )
    async with running(settings) as app:
        yield app


async def draft(fake: FakeBotApi, text: str) -> str:
    """A mailing to the residents' group, up to its card; the card's text."""
    await step(fake, OPERATOR, fake.send_text(OPERATOR, "/mailing_new"))
    await step(fake, OPERATOR, fake.send_text(OPERATOR, text))
    await step(fake, OPERATOR, fake.press(OPERATOR, button(fake, OPERATOR, "Аудитория")))
    await step(fake, OPERATOR, fake.press(OPERATOR, button(fake, OPERATOR, "Жители")))
    return await step(fake, OPERATOR, fake.press(OPERATOR, button(fake, OPERATOR, "К черновику")))


def mailed(fake: FakeBotApi, words: str, start: int = 0) -> list[bool]:
    """For each message with ``words`` that reached a member: sent paid or not."""
    return [
        paid_broadcast(call)
        for call in fake.calls[start:]
        if call.method in SENDS and call.result and call.chat_id in MEMBERS and words in call.text
    ]


async def test_a_paid_broadcast_costs_what_the_card_said_and_the_budget_holds(
    fake: FakeBotApi, app: App
) -> None:
    ids = " ".join(f"tg:{member}" for member in MEMBERS)
    assert "добавлено 60" in await step(
        fake, OPERATOR, fake.send_text(OPERATOR, f"/group_add residents {ids}")
    )

    card = await draft(fake, "Отключение воды 25.11 с 10:00 до 14:00")
    assert "Платная рассылка Telegram" in card and ": нет." in card
    assert "Получателей в Telegram: 60, стоимость: 6 ⭐" in card
    assert "Лимит на рассылку: 8 ⭐, осталось на этот месяц: 10 ⭐" in card
    card = await step(fake, OPERATOR, fake.press(OPERATOR, button(fake, OPERATOR, "Платно")))
    assert "0,1 ⭐ за сообщение): да." in card
    assert "✔ ⚡ Платно, быстро" in [label for label, _ in fake.sent(OPERATOR)[-1].buttons]

    start = len(fake.calls)
    await fake.press(OPERATOR, button(fake, OPERATOR, "Отправить"))
    summary = await fake.wait_for(
        lambda c: c.method == "sendMessage" and "Итоги рассылки" in c.text, 20, start
    )
    assert "Доставлено: 60" in summary.text
    assert "Платная рассылка: потрачено 6 ⭐." in summary.text
    assert mailed(fake, "Отключение воды", start) == [True] * 60
    assert fake.rate.refused == 0 and fake.paid_rate.refused == 0

    # A second one would cost 6 more: the month has 4 left. Not started; the draft stays.
    card = await draft(fake, "Приглашаем на публичные слушания 30.11")
    assert "осталось на этот месяц: 4 ⭐" in card
    await step(fake, OPERATOR, fake.press(OPERATOR, button(fake, OPERATOR, "Платно")))
    start = len(fake.calls)
    refused = await step(fake, OPERATOR, fake.press(OPERATOR, button(fake, OPERATOR, "Отправить")))
    assert "не отправлена: платной она стоила бы 6 ⭐" in refused
    assert "в месячном лимите осталось 4 ⭐" in refused
    card_again = await fake.wait_for(
        lambda c: c.chat_id == OPERATOR and "Черновик рассылки" in c.text, 5, start
    )
    assert "✔ ⚡ Платно, быстро" in [label for label, _ in card_again.buttons]
    assert mailed(fake, "публичные слушания", start) == []

    # Paid off: it goes at the free rate, without the flag, and costs nothing.
    await step(fake, OPERATOR, fake.press(OPERATOR, button(fake, OPERATOR, "Платно")))
    start = len(fake.calls)
    await fake.press(OPERATOR, button(fake, OPERATOR, "Отправить"))
    summary = await fake.wait_for(
        lambda c: c.method == "sendMessage" and "Итоги рассылки" in c.text, 30, start
    )
    assert "Доставлено: 60" in summary.text and "потрачено" not in summary.text
    assert mailed(fake, "публичные слушания", start) == [False] * 60
    assert fake.rate.refused == 0
