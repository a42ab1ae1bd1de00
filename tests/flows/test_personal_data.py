"""152-ФЗ: a citizen sees what is kept about them and has it erased, the statistics staying
right; staff access to appeals is logged and shown to admins."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import Appeal, AppealAnswer, User
from storage.repositories.reports import Period, ReportRepository
from storage.uow import UnitOfWork
from tests.helpers.flows import APPEAL_TEXT, NOW, Clock, file_appeal
from tests.helpers.harness import Harness, Person

SEED_GROUPS = True  # /mydata names the groups one has joined
STALE = "Эта кнопка устарела или недоступна. Ничего не изменено."


async def test_mydata_then_forget_keeps_the_statistics(
    harness: Harness,
    citizen: Person,
    operator: Person,
    clock: Clock,
    engine: AsyncEngine,
) -> None:
    await file_appeal(citizen)
    await citizen.say("/propose")
    await citizen.say("Сделайте, пожалуйста, версию сайта для слабовидящих")

    shown = (await citizen.say("/mydata"))[0]
    assert shown.text.startswith("Что бот хранит о вас\nИмя: Иван Петров, с ")
    assert "Обращений: 1, предложений: 1" in shown.text
    data = json.loads(shown.uploads["mydata.json"])
    assert data["appeals"][0]["text"] == APPEAL_TEXT
    # Said in words, as the rest of the bot says them; the same file in English reads English.
    assert data["appeals"][0]["status"] == "Зарегистрировано"
    await citizen.say("/groups")
    await citizen.press("Общественные")
    await citizen.press("Вступить")
    await citizen.say("/lang en")
    data = json.loads((await citizen.say("/mydata"))[0].uploads["mydata.json"])
    assert data["appeals"][0]["status"] == "Registered"
    assert data["groups"][0]["status"] == "member"
    assert data["groups"][0]["group"].startswith("Non-profit")
    await citizen.say("/lang ru")
    assert data["profile"]["id"] == citizen.user_id

    # An appeal still being considered must be answered first.
    refused = (await citizen.say("/forget"))[0].text
    assert refused.startswith("Сначала нужно ответить на ваши обращения: № 2026-00001")
    assert (await citizen.send_payload("me:forget"))[0].text == STALE

    clock.advance(hours=2)
    await operator.say("/reply 1 Контейнеры вывезли, график восстановлен.")
    await citizen.send_payload("r:1:1:5")
    asked = (await citizen.say("/forget"))[0]
    assert asked.text.startswith("Удалить ваши персональные данные?")
    assert (await citizen.say("передумал"))[0].text == "Хорошо, ничего не удалено."
    await citizen.say("/forget")
    done = (await citizen.press("Удалить мои данные"))[0].text
    assert done.startswith("Ваши персональные данные удалены.")

    async with engine.connect() as connection:
        appeal = (await connection.execute(select(Appeal))).one()
        answer = (await connection.execute(select(AppealAnswer.text))).scalar_one()
        users = {u.external_id: u for u in (await connection.execute(select(User))).all()}
    assert appeal.text == "[удалено по просьбе гражданина]" and appeal.chat_id == ""
    assert appeal.address is None and answer == "[удалено по просьбе гражданина]"
    assert citizen.user_id not in users  # the account was let go
    forgotten = users[f"forgotten:{appeal.citizen_id}"]
    assert forgotten.display_name == ""

    # The figures are what they were: one received, answered in 2 hours, rated 5.
    async with UnitOfWork(harness.core.session_factory) as uow:
        summary = await ReportRepository(uow.session).summary(
            Period(
                NOW.replace(hour=0),
                NOW.replace(day=9),
                None,
            )
        )
    assert (summary.received, summary.answered, summary.ratings) == (1, 1, 1)
    assert summary.median_hours == pytest.approx(2) and summary.satisfaction == 5

    # Writing again, the person is someone new.
    again = (await citizen.say("/mydata"))[0]
    assert "Обращений: 0, предложений: 0" in again.text


async def test_staff_access_is_logged_for_admins(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    await file_appeal(citizen)
    await operator.say("/take 1")
    await operator.say("/reply 1 Ответ по существу обращения.")
    history = (await operator.say("/history 1"))[0].text
    access = history[history.index("Доступ сотрудников к обращению") :].splitlines()[1:]
    assert [line.rsplit(", ", 1)[1] for line in access] == ["/history", "/reply", "/take"]
    assert all(f"(tg:{operator.user_id})" in line for line in access)
    # A department head, not an admin, sees the trail but not the access log.
    await operator.say("/operator add tg:4001 housing head")
    head_view = (await harness.person("4001").say("/history 1"))[0].text
    assert "Доступ сотрудников" not in head_view
