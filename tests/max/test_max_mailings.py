"""MAX's terms restrict mass mailings: on MAX, mailings and poll invitations go only to people
who joined a reference group, none at all with MAX_MAILINGS=false, and the mailing's draft
card says how many people on MAX it reaches and leaves out, and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Delivery, User
from tests.helpers.channels import running
from tests.helpers.fake_max_api import FakeMaxApi
from tests.helpers.max import MAX_CITIZEN, MAX_OPERATOR, max_settings, press, step

MEMBER = 4601  # joined the residents' group


async def people_and_a_group(fake: FakeMaxApi) -> None:
    await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, "/start"))
    await step(fake, MEMBER, fake.send_text(MEMBER, "/start"))
    text = await step(
        fake, MAX_OPERATOR, fake.send_text(MAX_OPERATOR, f"/group_add residents max:{MEMBER}")
    )
    assert "добавлено 1" in text


async def test_poll_invitations_on_max_reach_only_group_members(
    fake_max: FakeMaxApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fake = fake_max
    async with running(max_settings(fake, sqlite_url)) as app:
        await people_and_a_group(fake)
        await step(fake, MAX_OPERATOR, fake.send_text(MAX_OPERATOR, "/poll_new"))
        await step(fake, MAX_OPERATOR, fake.send_text(MAX_OPERATOR, "Удобен ли график приёма?"))
        await step(fake, MAX_OPERATOR, fake.send_text(MAX_OPERATOR, "Оцените график приёма"))
        await press(fake, MAX_OPERATOR, "Шкала 1–5")
        card = await press(fake, MAX_OPERATOR, "Готово, к настройкам")
        assert "Аудитория: все подписчики бота" in card
        start = len(fake.calls)
        await press(fake, MAX_OPERATOR, "Опубликовать")
        await fake.wait_for(lambda c: c.to == MEMBER and "Новый опрос" in c.text, 20, start)
        # The invitation's recipients, as the mailer was given them: the member only (the
        # author is left out as always; the citizen who only wrote /start, for MAX's terms).
        async with app.engine.connect() as connection:
            chosen = (
                (
                    await connection.execute(
                        select(User.external_id).join(Delivery, Delivery.user_id == User.id)
                    )
                )
                .scalars()
                .all()
            )
        assert chosen == [str(MEMBER)]
        assert not [c for c in fake.calls[start:] if c.to == MAX_CITIZEN]


async def test_the_draft_card_counts_max_and_the_setting_turns_max_mailings_off(
    fake_max: FakeMaxApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fake = fake_max
    async with running(max_settings(fake, sqlite_url)):
        await people_and_a_group(fake)
        await step(fake, MAX_OPERATOR, fake.send_text(MAX_OPERATOR, "/mailing_new"))
        card = await step(fake, MAX_OPERATOR, fake.send_text(MAX_OPERATOR, "Отключение воды 25.11"))
        assert "В MAX получат: 1." in card
    async with running(max_settings(fake, sqlite_url, max_mailings=False)):
        await step(fake, MAX_OPERATOR, fake.send_text(MAX_OPERATOR, "/mailing_new"))
        card = await step(fake, MAX_OPERATOR, fake.send_text(MAX_OPERATOR, "Отключение газа 26.11"))
        assert "В MAX получат: 0, не получат: 1 — рассылки в MAX отключены настройкой" in card
        start = len(fake.calls)
        await press(fake, MAX_OPERATOR, "Отправить")
        started = await fake.wait_for(
            lambda c: c.to == MAX_OPERATOR and "получателей 0" in c.text, 20, start
        )
        assert "Отправлять некому" in started.text
        assert not [c for c in fake.calls[start:] if c.to == MEMBER]
