"""Similar appeals: follow one instead of filing a duplicate; operators merge duplicates."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.appeals.similar import distance_m
from storage.models import Appeal, AppealStatus
from tests.helpers.flows import APPEAL_TEXT, file_appeal
from tests.helpers.harness import Harness, Person


async def until_summary(
    person: Person, topic: str, text: str, place: tuple[float, float] | None = None
) -> str:
    await person.say("/new")
    await person.press(topic)
    await person.say(text)
    await person.press("Пропустить")
    if place:
        shown = await person.location(*place)
    else:
        shown = await person.press("Пропустить")
    return shown[0].text


async def count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(
            (await connection.execute(select(func.count()).select_from(Appeal))).scalar_one()
        )


async def test_follow_a_similar_appeal_and_get_its_answer(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    neighbour = harness.person("502", name="Пётр Соседов")
    summary = await until_summary(
        neighbour, "ЖКХ", "Третий день не вывозят мусор во дворе дома 12 на Мира"
    )
    assert "Похожие открытые обращения:\n№ 2026-00001 от 02.03.2026 · ЖКХ" in summary
    shown = await neighbour.press("Следить за № 2026-00001")
    assert shown[0].text == (
        "Вы будете получать новости по обращению № 2026-00001. Своё обращение не отправлено."
    )
    assert await count(engine) == 1

    await operator.say("/reply 1 Мусор вывезен.")
    assert "Оцените" in citizen.last.text
    assert neighbour.last.text == (
        "Новости по обращению, за которым вы следите:\n"
        "Ответ на ваше обращение № 2026-00001\nМусор вывезен."
    )
    assert neighbour.last.buttons == []  # rating is the author's alone


async def test_what_counts_as_similar(harness: Harness, citizen: Person) -> None:
    await file_appeal(citizen)
    # The author is not shown their own appeal.
    assert "Похожие" not in await until_summary(citizen, "ЖКХ", APPEAL_TEXT)
    await citizen.say("/cancel")
    other = harness.person("503")
    # Another topic, same words: not similar.
    assert "Похожие" not in await until_summary(other, "Дороги", APPEAL_TEXT)
    await other.say("/cancel")
    # Different words: not similar.
    assert "Похожие" not in await until_summary(
        other, "ЖКХ", "Прошу проверить начисления за капитальный ремонт в квитанции"
    )
    await other.say("/cancel")


async def test_near_places_are_similar(harness: Harness) -> None:
    first = harness.person("504")
    await until_summary(
        first, "Дороги", "Глубокая яма на проезжей части у остановки", (54.3142, 48.4031)
    )
    await first.press("Отправить")
    second = harness.person("505")
    summary = await until_summary(
        second, "Дороги", "Разбит асфальт, машины объезжают по встречной", (54.3150, 48.4040)
    )
    assert "Похожие открытые обращения" in summary
    assert 90 < distance_m(54.3142, 48.4031, 54.3150, 48.4040) < 120


async def test_a_forged_follow_is_refused(
    harness: Harness, citizen: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    other = harness.person("506")
    await until_summary(other, "Дороги", "Не горят фонари вдоль всей улицы Садовой")
    nonce = other.last.payload("Отправить").split(":")[1]
    shown = await other.send_payload(f"f:{nonce}:follow:1")
    assert "кнопка устарела" in shown[0].text
    assert await count(engine) == 1


async def test_merge_duplicates(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await file_appeal(citizen)
    other = harness.person("507", name="Ольга")
    await file_appeal(other, "Контейнеры во дворе переполнены, мусор не вывозят с понедельника")
    for bad, answer in (
        ("/merge 1", "Формат: /merge N M"),
        ("/merge 1 1", "Нельзя объединить обращение с самим собой."),
        ("/merge 1 99", "Обращение 99 не найдено."),
    ):
        assert (await operator.say(bad))[0].text.startswith(answer)
    shown = await operator.say("/merge 1 2")
    assert shown[0].text.startswith("Обращение № 2026-00002 объединено с № 2026-00001")
    assert other.last.text.startswith(
        "Ваше обращение № 2026-00002 объединено с обращением № 2026-00001"
    )
    async with engine.connect() as connection:
        statuses = dict((await connection.execute(select(Appeal.id, Appeal.status))).all())
    assert statuses == {1: AppealStatus.NEW, 2: AppealStatus.CLOSED}
    # A closed duplicate cannot be merged again; the answer to the main one reaches both.
    shown = await operator.say("/merge 1 2")
    assert "№ 2026-00002 в статусе «Закрыто»: объединить сейчас нельзя" in shown[0].text
    await operator.say("/reply 1 Вывоз восстановлен.")
    assert "Вывоз восстановлен." in citizen.last.text
    assert "Вывоз восстановлен." in other.last.text
