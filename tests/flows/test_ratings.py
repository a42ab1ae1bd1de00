"""The citizen's rating decides whether the case is over."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.contracts import ChatRef, Platform
from storage.database import create_session_factory
from storage.models import AnswerRating, Appeal, AppealStatus
from storage.uow import UnitOfWork
from tests.helpers.flows import file_appeal
from tests.helpers.harness import Harness, Person

HEAD = "4001"


async def answered(citizen: Person, operator: Person, text: str = "Площадку убрали.") -> None:
    await file_appeal(citizen)
    await operator.say(f"/reply 1 {text}")


async def appeal_status(engine: AsyncEngine) -> AppealStatus:
    async with engine.connect() as connection:
        return (await connection.execute(select(Appeal.status))).scalar_one()


async def test_a_good_rating_closes_the_case_once(
    citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await answered(citizen, operator)
    shown = await citizen.press("5")
    assert shown[0].text == "Спасибо за оценку 5! Обращение № 2026-00001 закрыто."
    assert await appeal_status(engine) is AppealStatus.CLOSED
    shown = await citizen.send_payload("r:1:1:4")
    assert "поставить уже нельзя" in shown[0].text
    assert "· Закрыто ·" in (await citizen.say("/my"))[0].text
    # A good rating is asked no reason, so none is said to be missing.
    details = (await citizen.press("2026-00001"))[0].text
    assert "Оценка гражданина: 5 из 5" in details and "причина не указана" not in details


async def test_an_answer_is_rated_from_the_appeals_details_until_it_is_rated(
    citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    """The answer's own message has scrolled away: /my and the appeal's details offer it."""
    await answered(citizen, operator)
    await citizen.say("/my")
    shown = await citizen.press("2026-00001")
    assert "Оцените, пожалуйста, ответ" in shown[0].text
    assert [label for label, _ in shown[0].buttons] == ["1", "2", "3", "4", "5"]
    shown = await citizen.press("4")
    assert shown[0].text == "Спасибо за оценку 4! Обращение № 2026-00001 закрыто."
    assert await appeal_status(engine) is AppealStatus.CLOSED
    await citizen.say("/my")
    shown = await citizen.press("2026-00001")
    assert "Оцените" not in shown[0].text and shown[0].buttons == []


async def test_a_low_rating_reopens_escalates_and_keeps_the_history(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await operator.say(f"/operator add tg:{HEAD} housing head")
    await answered(citizen, operator)
    shown = await citizen.press("2")
    assert shown[0].text.startswith("Жаль, что ответ не помог. Обращение № 2026-00001 возобновлено")
    assert "Проблема не решена" in [label for label, _ in shown[0].buttons]
    head_inbox = harness.inbox[ChatRef(Platform.TELEGRAM, HEAD)]
    assert head_inbox[-1].text.startswith(
        "⚠ Низкая оценка (2 из 5) ответа по обращению № 2026-00001"
    )
    assert [label for label, _ in head_inbox[-1].buttons] == ["Ответить"]
    assert await appeal_status(engine) is AppealStatus.IN_PROGRESS

    shown = await citizen.press("Проблема не решена")
    assert "причина передана руководителю" in shown[0].text
    assert head_inbox[-1].text == (
        "Причина низкой оценки (2 из 5) по обращению № 2026-00001: Проблема не решена"
    )
    # A second reason is not taken.
    assert "поставить уже нельзя" in (await citizen.send_payload("rr:1:1:late"))[0].text

    # The reopened appeal shows the earlier answer and its rating.
    taken = await operator.say("/take 1")
    assert "взять в работу сейчас нельзя" in taken[0].text  # it is in progress again, not new
    await operator.say("/reply 1 Повторно вывезли мусор, поставили второй контейнер.")
    await citizen.say("/my")
    await citizen.press("2026-00001")
    card_text = citizen.last.text
    assert "Ответ 1 от 02.03.2026: Площадку убрали." in card_text
    assert "Оценка гражданина: 2 из 5 — Проблема не решена" in card_text
    assert "Ответ 2 от 02.03.2026: Повторно вывезли мусор" in card_text
    assert "— возобновлено после низкой оценки" in card_text
    # The first answer's buttons are stale now; the second answer can be rated.
    assert "поставить уже нельзя" in (await citizen.send_payload("r:1:1:5"))[0].text
    assert "Спасибо за оценку 4" in (await citizen.send_payload("r:1:2:4"))[0].text


async def test_the_reason_in_free_text(harness: Harness, citizen: Person, operator: Person) -> None:
    await answered(citizen, operator)
    await citizen.press("1")
    shown = await citizen.say("Никто не приехал, мусор лежит")
    assert "причина передана руководителю" in shown[0].text
    # No head in the department: the admins hear of it.
    admin = harness.inbox[ChatRef(Platform.TELEGRAM, "1000")]
    assert admin[-1].text.endswith("по обращению № 2026-00001: Никто не приехал, мусор лежит")
    await citizen.say("/my")
    await citizen.press("2026-00001")
    assert "Оценка гражданина: 1 из 5 — причина не указана" in citizen.last.text
    assert "Комментарий: Никто не приехал, мусор лежит" in citizen.last.text


@pytest.mark.parametrize(
    "payload", ["r:1:1:9", "r:1:1:0", "r:1:7:5", "r:2:1:5", "r:1:1", "rr:1:1:whatever"]
)
async def test_forged_rating_buttons(citizen: Person, operator: Person, payload: str) -> None:
    await answered(citizen, operator)
    shown = await citizen.send_payload(payload)
    assert "кнопка устарела" in shown[0].text or "поставить уже нельзя" in shown[0].text


async def test_only_the_citizen_rates(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await answered(citizen, operator)
    stranger = harness.person("5555")
    assert "кнопка устарела" in (await stranger.send_payload("r:1:1:1"))[0].text
    assert "кнопка устарела" in (await operator.send_payload("r:1:1:5"))[0].text
    assert await appeal_status(engine) is AppealStatus.ANSWERED


async def test_satisfaction_per_department(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    await answered(citizen, operator)
    await citizen.press("2")
    await citizen.press("Формальная отписка")
    await operator.say("/reply 1 Второй ответ")
    await citizen.send_payload("r:1:2:5")
    shown = await operator.say("/satisfaction")
    assert shown[0].text == (
        "Удовлетворённость ответами по отделам\n"
        "Блок «Жилищно-коммунальное хозяйство»: средняя оценка 3.50, оценок — 2, низких (1–2) — 1"
    )
    assert (await citizen.say("/satisfaction"))[
        0
    ].text == "Эта команда доступна только администраторам."


async def test_the_database_keeps_one_rating_per_answer(
    citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await answered(citizen, operator)
    await citizen.press("5")
    async with UnitOfWork(create_session_factory(engine)) as uow:
        appeal = await uow.appeals.get(1)
        assert appeal is not None
        uow.session.add(AnswerRating(answer_id=appeal.answers[0].id, score=1))
        with pytest.raises(IntegrityError):
            await uow.commit()
