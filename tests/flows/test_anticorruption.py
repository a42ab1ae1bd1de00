"""Reports of corruption: anonymous by default, read only by the anti-corruption officer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.contracts import ChatRef, Platform
from storage.models import CorruptionReport
from tests.helpers.harness import Harness, Person

OFFICER = "6001"
REPORT = "Инспектор требовал деньги за подпись акта приёмки в кабинете 12 вчера утром"


async def report(citizen: Person, choice: str) -> str:
    await citizen.say("/start")
    shown = await citizen.press("Сообщить о коррупции")
    assert "По умолчанию сообщение анонимно" in shown[0].text
    assert "Нужно от 20" in (await citizen.say("Взятка"))[0].text
    await citizen.say(REPORT)
    shown = await citizen.press(choice)
    return shown[0].text


async def test_an_anonymous_report_reveals_nobody(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await operator.say(f"/operator add tg:{OFFICER} anticorruption")
    text = await report(citizen, "Отправить анонимно")
    assert text.startswith("Сообщение зарегистрировано под номером АК-2026-00001. Оно анонимно")
    card = harness.inbox[ChatRef(Platform.TELEGRAM, OFFICER)][-1].text
    assert card.startswith(
        "Сообщение о коррупции АК-2026-00001 от 02.03.2026 09:00\nАвтор: анонимно"
    )
    assert REPORT in card
    assert citizen.user_id not in card
    assert citizen.name not in card
    async with engine.connect() as connection:
        row = (await connection.execute(select(CorruptionReport))).one()
    assert (row.reporter_id, row.platform, row.chat_id) == (None, None, None)
    officer = harness.person(OFFICER)
    shown = await officer.say("/ac_reply 1 Спасибо")
    assert shown[0].text == "Сообщение АК-2026-00001 анонимное: ответить автору нельзя."


async def test_a_report_with_contact_can_be_answered(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    await operator.say(f"/operator add tg:{OFFICER} anticorruption")
    text = await report(citizen, "Можно связаться со мной")
    assert "свяжется с вами здесь" in text
    card = harness.inbox[ChatRef(Platform.TELEGRAM, OFFICER)][-1].text
    assert "Автор разрешил связаться: Иван Петров (tg:501)" in card
    officer = harness.person(OFFICER)
    await officer.say("/ac_reply 1 Проверка назначена, с вами свяжутся.")
    assert officer.last.text == "Ответ на сообщение АК-2026-00001 отправлен."
    assert citizen.last.text == (
        "Ответ на ваше сообщение о коррупции АК-2026-00001\nПроверка назначена, с вами свяжутся."
    )
    listing = await officer.say("/ac_list")
    assert "Ответ: Проверка назначена" in listing[0].text


async def test_only_the_officer_reads_reports(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    await report(citizen, "Отправить анонимно")
    # Admins and operators, not to speak of citizens, cannot read them.
    for person in (operator, citizen):
        for command in ("/ac_list", "/ac_reply 1 Ответ"):
            shown = await person.say(command)
            assert shown[0].text == (
                "Эта команда доступна только ответственному за противодействие коррупции."
            )
    assert not any(REPORT in s.text for s in harness.inbox[operator.chat])


async def test_stale_buttons_and_cancel(citizen: Person) -> None:
    await citizen.say("/corruption")
    old = citizen.last.payload("Отменить")
    await citizen.say("/cancel")
    assert "кнопка устарела" in (await citizen.send_payload(old))[0].text
    await citizen.say("/corruption")
    await citizen.say(REPORT)
    shown = await citizen.say("ещё текст")
    assert shown[0].text == "Выберите вариант кнопкой."
    shown = await citizen.press("Отменить")
    assert shown[0].text == "Сообщение не отправлено."
