"""Operators take, answer and close appeals; the citizen hears of every step."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.appeals import mine
from handlers.contracts import Text
from storage.models import Appeal, AppealEvent, AppealStatus
from tests.helpers.flows import APPEAL_TEXT, file_appeal
from tests.helpers.harness import Harness, Person


async def appeal_state(engine: AsyncEngine) -> tuple[AppealStatus, list[str]]:
    async with engine.connect() as connection:
        status = (await connection.execute(select(Appeal.status))).scalar_one()
        actions = (
            await connection.execute(select(AppealEvent.action).order_by(AppealEvent.id))
        ).scalars()
        return status, list(actions)


async def test_take_answer_close_with_notifications_and_audit(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    shown = await operator.press("Взять в работу")
    assert "Вы взяли в работу обращение № 2026-00001" in shown[0].text
    assert "Статус: В работе" in shown[0].text
    assert [label for label, _ in shown[0].buttons] == ["Ответить"]
    assert citizen.last.text == "Ваше обращение № 2026-00001 взято в работу."

    shown = await operator.say("/queue")
    assert "Открытые обращения: 1 из 1" in shown[0].text
    assert "№ 2026-00001 от 02.03.2026 · ЖКХ · В работе · срок 01.04.2026" in shown[0].text

    shown = await operator.say("/reply 2026-00001 Мусор вывезен 3 марта.\nСпасибо за сигнал.")
    # "Sent" once the citizen has it, not before: the last thing the operator reads.
    assert shown[-1].chat == operator.chat
    assert shown[-1].text == "Ответ на обращение № 2026-00001 отправлен гражданину."
    assert citizen.last.text == (
        "Ответ на ваше обращение № 2026-00001\nМусор вывезен 3 марта.\nСпасибо за сигнал.\n"
        "Оцените, пожалуйста, ответ: 1 — совсем не помог, 5 — вопрос решён."
    )
    assert [label for label, _ in citizen.last.buttons] == ["1", "2", "3", "4", "5"]

    shown = await citizen.say("/my")
    assert "№ 2026-00001 от 02.03.2026 · ЖКХ · Дан ответ" in shown[0].text
    shown = await citizen.press("2026-00001")
    card = shown[0].text
    assert "Статус: Дан ответ" in card
    assert "Ответ 1 от 02.03.2026: Мусор вывезен 3 марта." in card
    assert "02.03.2026 09:00 — зарегистрировано" in card
    assert "— взято в работу" in card
    assert "— дан ответ" in card

    shown = await operator.say("/close 1")
    assert shown[0].text == "Обращение № 2026-00001 закрыто."
    assert "закрыто. Спасибо" in citizen.last.text
    assert await appeal_state(engine) == (
        AppealStatus.CLOSED,
        ["create", "take", "answer", "close"],
    )


async def test_answer_button_then_text(
    citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    shown = await operator.press("Ответить")
    assert "Напишите ответ на обращение № 2026-00001" in shown[0].text
    shown = await operator.sticker()
    assert "Нужен текст ответа" in shown[0].text
    await operator.say("Контейнерная площадка убрана.")
    assert "Контейнерная площадка убрана." in citizen.last.text
    # Answering a new appeal takes it first, so the trail says who answered.
    assert await appeal_state(engine) == (AppealStatus.ANSWERED, ["create", "take", "answer"])


async def test_invalid_transitions_are_refused_and_change_nothing(
    citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    shown = await operator.say("/close 1")
    assert shown[0].text == (
        "Обращение № 2026-00001 в статусе «Зарегистрировано»: закрыть сейчас нельзя. "
        "Ничего не изменено."
    )
    await operator.say("/take 1")
    shown = await operator.say("/take 1")
    assert "№ 2026-00001 в статусе «В работе»: взять в работу сейчас нельзя" in shown[0].text
    await operator.say("/reply 1 Готово.")
    await operator.say("/close 1")
    shown = await operator.say("/reply 1 Ещё ответ")
    assert "№ 2026-00001 в статусе «Закрыто»: ответить сейчас нельзя" in shown[0].text
    assert await appeal_state(engine) == (
        AppealStatus.CLOSED,
        ["create", "take", "answer", "close"],
    )


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/take", "Укажите номер: /take N"),
        ("/take abc", "Укажите номер: /take N"),
        ("/take 999", "Обращение 999 не найдено."),
        ("/take 2025-00001", "Обращение 1 не найдено."),
        ("/reply", "Укажите номер и текст ответа: /reply N текст"),
        ("/close", "Укажите номер: /close N"),
    ],
)
async def test_operator_command_arguments(
    citizen: Person, operator: Person, command: str, answer: str
) -> None:
    await file_appeal(citizen)
    shown = await operator.say(command)
    assert shown[0].text == answer


async def test_citizens_cannot_use_operator_commands_or_buttons(
    harness: Harness, citizen: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    for command in ("/queue", "/take 1", "/reply 1 Сам себе отвечу", "/close 1"):
        shown = await citizen.say(command)
        assert shown[0].text == "Эта команда доступна только операторам."
    # A forged staff button.
    shown = await citizen.send_payload("op:take:1")
    assert shown[0].text == "Эта команда доступна только операторам."
    assert (await appeal_state(engine))[0] is AppealStatus.NEW


async def test_someone_elses_appeal_and_garbled_buttons(
    harness: Harness, citizen: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    stranger = harness.person("502")
    for payload in ("my:1", "my:x", "my:1:2", "zzz", "", "m:nope", "f:bad", "a" * 80):
        shown = await stranger.send_payload(payload)
        assert shown[0].text == "Эта кнопка устарела или недоступна. Ничего не изменено."
    shown = await stranger.say("/my")
    assert "У вас пока нет обращений" in shown[0].text


async def test_free_text_and_unknown_commands_get_help(citizen: Person) -> None:
    # Free text is a question first: here the FAQ has an answer that fits.
    shown = await citizen.say("Здравствуйте, когда починят дорогу?")
    assert shown[0].text.startswith("Возможно, ответ уже есть:\n1. Как сообщить о яме")
    assert shown[0].buttons
    shown = await citizen.say("/frobnicate")
    assert "Такой команды нет" in shown[0].text
    shown = await citizen.sticker()
    assert "Я не понял сообщение" in shown[0].text


async def test_operators_get_their_commands_in_help(citizen: Person, operator: Person) -> None:
    assert "Команды оператора" not in (await citizen.say("/help"))[0].text
    assert "Команды оператора" in (await operator.say("/help"))[0].text


async def test_user_text_is_escaped_in_markup(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    text = 'Сосед пишет <b>жирным</b> & ставит <a href="x">ссылки</a> в подъезде'
    await file_appeal(citizen, text)
    shown = await operator.say("/take 1")
    assert text in shown[0].text  # the plain rendering shows exactly what was typed
    html = harness.renderer.render("ru", (Text("line-text", {"text": text}),))
    assert "<b>жирным</b>" not in html
    assert "&lt;b&gt;жирным&lt;/b&gt; &amp; ставит &lt;a href=&quot;x&quot;&gt;" in html


async def test_a_failing_update_gets_an_apology_and_the_next_one_works(
    citizen: Person, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(mine, "list_mine", broken)
    with caplog.at_level(logging.ERROR):
        shown = await citizen.say("/my")
    assert "Извините, что-то пошло не так" in shown[0].text
    code = shown[0].text.rsplit(" ", 1)[-1].rstrip(".")
    assert code in caplog.text
    monkeypatch.undo()
    shown = await citizen.say("/new")
    assert "Шаг 1 из 4" in shown[0].text
    assert APPEAL_TEXT not in caplog.text
