"""An operator asks; the citizen's reply is attached to the appeal and the operator is told."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.contracts import ChatRef, Platform
from storage.models import Appeal, AppealStatus
from tests.helpers.flows import OPERATOR_ID, file_appeal
from tests.helpers.harness import Harness, Person


async def status(engine: AsyncEngine) -> AppealStatus:
    async with engine.connect() as connection:
        return (await connection.execute(select(Appeal.status))).scalar_one()


async def test_question_button_reply_with_photo(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    await operator.say("/ask 1 Уточните, пожалуйста, номер подъезда.")
    # Said once the question reached the citizen: after it.
    assert operator.last.text.startswith("Вопрос по обращению № 2026-00001 отправлен гражданину")
    assert citizen.last.text.startswith(
        "По вашему обращению № 2026-00001 у нас вопрос:\nУточните, пожалуйста, номер подъезда."
    )
    assert await status(engine) is AppealStatus.NEEDS_INFO
    shown = await citizen.press("Ответить на вопрос")
    assert "Напишите ответ на вопрос" in shown[0].text
    shown = await citizen.photo("entrance-photo", caption="Третий подъезд, вот фото двери")
    assert shown[0].text == "Спасибо! Ответ приложен к обращению № 2026-00001, оператор уведомлён."
    told = harness.inbox[ChatRef(Platform.TELEGRAM, OPERATOR_ID)][-1]
    assert told.text == (
        "Гражданин ответил на вопрос по обращению № 2026-00001 (фото: 1):\n"
        "Третий подъезд, вот фото двери"
    )
    assert told.photos == ("entrance-photo",)
    assert await status(engine) is AppealStatus.IN_PROGRESS
    await citizen.say("/my")
    await citizen.press("2026-00001")
    assert "Вопрос (02.03.2026): Уточните, пожалуйста, номер подъезда." in citizen.last.text
    assert "Ответ гражданина (02.03.2026, фото: 1): Третий подъезд" in citizen.last.text
    # The question is answered: the button is stale now.
    assert "нет вопроса" in (await citizen.send_payload("q:1"))[0].text


async def test_plain_text_answers_the_only_open_question(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    await operator.say("/ask 1 Во сколько это случилось?")
    shown = await citizen.say("Около восьми утра")
    assert shown[0].text.startswith("Спасибо! Ответ приложен к обращению № 2026-00001")
    assert await status(engine) is AppealStatus.IN_PROGRESS
    # With no question waiting, free text is looked up in the FAQ again.
    assert "Готового ответа не нашлось" in (await citizen.say("И ещё кое-что"))[0].text


async def test_an_answer_may_come_while_waiting_and_refusals(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    assert (await operator.say("/ask 1"))[0].text.startswith("Формат: /ask N")
    await operator.say("/ask 1 Уточните адрес")
    stranger = harness.person("777")
    assert "кнопка устарела" in (await stranger.send_payload("q:1"))[0].text
    # A citizen in the middle of a new draft finishes it first.
    await citizen.say("/new")
    assert "Сначала завершите или отмените черновик" in (await citizen.send_payload("q:1"))[0].text
    await citizen.say("/cancel")
    await operator.say("/reply 1 Разобрались без уточнения.")
    assert await status(engine) is AppealStatus.ANSWERED
    shown = await operator.say("/ask 1 Ещё?")
    assert "в статусе «Дан ответ»: задать вопрос сейчас нельзя" in shown[0].text
