"""The live card: one message per appeal, edited in place as the case moves."""

from __future__ import annotations

from tests.helpers.flows import file_appeal
from tests.helpers.harness import Harness, Person


async def test_the_card_follows_the_case(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    await file_appeal(citizen)
    card = harness.cards[1]
    assert card.text.splitlines()[0] == "Обращение № 2026-00001 · Зарегистрировано"
    assert "Ответственный: Блок «Жилищно-коммунальное хозяйство»" in card.text
    assert card.text.endswith("Ждёт оператора.")
    assert [label for label, _ in card.buttons] == ["Дополнить обращение", "Подробнее"]

    await operator.say("/take 1")
    assert harness.cards[1].text.startswith("Обращение № 2026-00001 · В работе")
    await operator.say("/ask 1 Какой подъезд?")
    card = harness.cards[1]
    assert card.text.endswith("Нужен ваш ответ на вопрос оператора.")
    assert [label for label, _ in card.buttons] == ["Ответить на вопрос", "Подробнее"]
    await citizen.say("Второй")
    await operator.say("/extend 1 10 Проверка подрядчика")
    assert "Срок ответа: 11.04.2026 (продлён)" in harness.cards[1].text
    await operator.say("/reply 1 Готово.")
    card = harness.cards[1]
    assert card.text.endswith("Дан ответ. Оцените его, пожалуйста.")
    assert [label for label, _ in card.buttons] == ["1", "2", "3", "4", "5", "Подробнее"]
    # Its buttons work like the notification's.
    await citizen.send_payload(card.payload("5"))
    assert harness.cards[1].text.startswith("Обращение № 2026-00001 · Закрыто")
    assert harness.cards[1].buttons == [("Подробнее", "my:1")]
    # One card, edited each time: sent once, then six edits (take, ask, reply to it, extend,
    # answer, rating).
    assert harness.card_edits[1] == 6
