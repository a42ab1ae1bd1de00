"""A history for the public page and Open311: appeals filed through the real flow by people
with names, phones and home addresses in what they wrote, some with an exact place, one whose
author agreed to publish its text; answers, ratings and a late one. Nothing personal in it
may ever reach the page, the API or a screenshot."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.helpers.flows import Clock
from tests.helpers.harness import Harness, Person

# Each of these is in the history and must appear nowhere public.
PERSONAL = (
    "Иванов",
    "Пётр Сергеевич",
    "Кузнецова",
    "Смирнов",
    "Алексей Смирнов",
    "Ольга Кузнецова",
    "345-67-89",
    "+7 912",
    "8-912",
    "olga.k@mail.ru",
    "Лесная",
    "Качели, пишет",
    "кв. 3",
    "кв. 12",
    "55.75123",
    "37.61789",
    "55.7512",
    "37.6178",
)
POLL = "Где поставить новую детскую площадку?"
PUBLISHED = "Во дворе дома […] по улице Садовой прорвало трубу, вода заливает подвал, звоните […]"
EXACT = (55.75123, 37.61789)


@dataclass
class History:
    citizens: list[Person] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # registration numbers, in filing order
    published: str = ""  # the number of the appeal whose text is public


async def file(
    citizen: Person,
    topic: str,
    text: str,
    *,
    place: tuple[float, float] | str | None = None,
    publish: bool = False,
) -> str:
    """Through every step of the flow; the registration number."""
    await citizen.say("/new")
    await citizen.press(topic)
    await citizen.say(text)
    await citizen.press("Пропустить")  # no photos
    if place is None:
        await citizen.press("Пропустить")
    elif isinstance(place, str):
        await citizen.say(place)
    else:
        await citizen.location(*place)
    if publish:
        await citizen.press("Опубликовать текст")
    shown = await citizen.press("Отправить")
    number = re.search(r"Номер: (\d{4}-\d+)", shown[0].text)
    assert number is not None, shown[0].text
    return number.group(1)


async def seed(harness: Harness, operator: Person, clock: Clock) -> History:
    """Eight appeals on 2 March 2026 (five on housing, two on roads, one other), three
    answered on time and rated, one answered late in April; two people in a reference group;
    a public poll answered by three and closed; the clock then stands on 15 April."""
    history = History()
    olga = harness.person("601", name="Ольга Кузнецова")
    alexei = harness.person("602", name="Алексей Смирнов")
    ivan = harness.person("603", name="Иван Иванов")
    history.citizens = [olga, alexei, ivan]
    Place = tuple[float, float] | str | None
    texts: list[tuple[Person, str, str, Place, bool]] = [
        (
            olga,
            "ЖКХ",
            "Я, Кузнецова Ольга, кв. 12, не могу дозвониться в управляющую компанию, "
            "мой телефон +7 912 345-67-89, почта olga.k@mail.ru",
            EXACT,
            False,
        ),
        (
            alexei,
            "ЖКХ",
            "Во дворе дома 7 по улице Садовой прорвало трубу, вода заливает подвал, "
            "звоните Смирнову 8-912-345-67-89",
            (55.7601, 37.6202),
            True,
        ),
        (
            ivan,
            "ЖКХ",
            "Иванов Пётр Сергеевич с улицы Лесной, дом 15, кв. 3 просит починить "
            "крышу над подъездом, течёт с потолка",
            "улица Лесная, дом 15, кв. 3",
            False,
        ),
        (
            olga,
            "ЖКХ",
            "В подъезде дома на Лесной третий день не горит свет на всех этажах",
            None,
            False,
        ),
        (
            alexei,
            "ЖКХ",
            "Во дворе не вывозят мусор уже неделю, контейнеры переполнены",
            None,
            False,
        ),
        (
            ivan,
            "Дороги",
            "Огромная яма на дороге у школы, машины объезжают по тротуару",
            (55.7402, 37.6003),
            False,
        ),
        (
            olga,
            "Дороги",
            "Не работает светофор на перекрёстке у рынка уже третий день",
            None,
            False,
        ),
        (alexei, "Другое", "Прошу установить скамейки в сквере возле библиотеки", None, False),
    ]
    for citizen, topic, text, place, publish in texts:
        number = await file(citizen, topic, text, place=place, publish=publish)
        history.numbers.append(number)
        if publish:
            history.published = number
        clock.advance(minutes=30)
    clock.advance(hours=3)
    for appeal_id in (1, 2, 3):
        await operator.say(f"/reply {appeal_id} Работы выполнены, спасибо за обращение.")
    for citizen, score in ((olga, "5"), (alexei, "4"), (ivan, "5")):
        await citizen.press(score)  # on the answer they were sent
    # Two join a reference group; a public poll, answered by all three (one of them writing
    # their name in the free answer, which is never published), closed a week later.
    for citizen in (olga, alexei):
        await citizen.say("/groups")
        await citizen.press("Общественные")
        await citizen.press("Вступить")
    await operator.say("/poll_new")
    await operator.say(POLL)
    await operator.say("Выберите место")
    await operator.press("Один вариант")
    await operator.say("Сквер на Мира\nДвор школы\nПарк у реки")
    await operator.press("Ещё вопрос")
    await operator.say("Что ещё там нужно?")
    await operator.press("Свободный ответ")
    await operator.press("Готово, к настройкам")
    await operator.press("Опубликовать")
    await harness.send_mailings()
    for citizen, place in ((olga, "Двор школы"), (alexei, "Двор школы"), (ivan, "Парк у реки")):
        await citizen.press("Пройти опрос")
        await citizen.press(place)
        await citizen.say(f"Качели, пишет {citizen.name} из дома 12")
    clock.advance(days=8)
    await harness.deliver_all(await harness.core.run_job("polls"))
    clock.advance(days=30)
    await operator.say("/reply 6 Яму заделали.")  # 9 April: late
    assert clock.now.month == 4 and clock.now.day < 15
    clock.now = clock.now.replace(month=4, day=15)
    return history
