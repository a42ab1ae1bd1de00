"""Answering from template replies."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.appeals.topics import CatalogError, TopicCatalog
from handlers.staff.replies import load
from tests.helpers.flows import file_appeal
from tests.helpers.harness import Harness, Person


async def test_list_and_answer_with_a_template_and_more_text(
    citizen: Person, operator: Person
) -> None:
    await file_appeal(citizen)  # a housing appeal
    listing = (await operator.say("/templates housing"))[0].text
    # By name with the key a command takes, the topics by name; the topic's own first.
    assert (
        "Мусор вывезен — #waste_removed (Твёрдые коммунальные отходы, ЖКХ): Здравствуйте, {name}!"
        in listing
    )
    assert listing.index("#housing_inspection") < listing.index("#received_forwarded")
    assert "Направлено в отдел — #received_forwarded (любая тема)" in listing
    assert "#road_repair_plan" not in listing
    unknown = (await operator.say("/templates moon"))[0].text
    assert "Неизвестная тема" in unknown and "• ЖКХ — housing" in unknown

    # A template for another topic, or none of that key: the ones that fit, by name.
    shown = (await operator.say("/reply 1 #road_repair_plan"))[0].text
    assert shown.startswith("Шаблон #road_repair_plan не подходит к теме «ЖКХ». Подходят:\n")
    assert "• Предписание УК, проверка ГЖИ — #housing_inspection" in shown
    assert "road_repair_plan —" not in shown
    shown = (await operator.say("/reply 1 #nope"))[0].text
    assert shown.startswith("Шаблона #nope нет. Для темы «ЖКХ» подходят:\n")
    assert "• Мусор вывезен — #waste_removed" in shown

    await operator.say("/reply 1 #waste_removed Дополнительно: площадку осмотрим 5 марта.")
    assert citizen.last.text.startswith(
        "Ответ на ваше обращение № 2026-00001\n"
        "Здравствуйте, Иван Петров! По обращению № 2026-00001: региональный оператор"
    )
    assert "взят на контроль.\n\nДополнительно: площадку осмотрим 5 марта.\nОцените" in (
        citizen.last.text
    )


async def test_the_announcement_button_previews_then_sends(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    await file_appeal(citizen)
    shown = await operator.press("Шаблон: Направлено в отдел")
    assert shown[0].text.startswith(
        "Ответ на обращение № 2026-00001 по шаблону «Направлено в отдел» (#received_forwarded):\n"
        "Здравствуйте, Иван Петров! Ваше обращение № 2026-00001 от 02.03.2026 рассмотрено. "
        "Для решения вопроса оно направлено в Блок «Жилищно-коммунальное хозяйство»"
    )
    assert "Срок ответа — не позднее 01.04.2026." in shown[0].text
    await operator.press("Отправить как есть")
    assert "Ваше обращение № 2026-00001 от 02.03.2026 рассмотрено" in citizen.last.text


async def test_the_preview_takes_more_text(citizen: Person, operator: Person) -> None:
    await file_appeal(citizen)
    await operator.press("Шаблон: Предписание УК, проверка ГЖИ")
    await operator.say("Проверка назначена на 5 марта.")
    assert citizen.last.text.count("Проверка назначена на 5 марта.") == 1
    assert "управляющей организации выдано предписание" in citizen.last.text


async def test_english_citizens_get_the_english_text(harness: Harness, operator: Person) -> None:
    visitor = harness.person("888", name="Anna Smith", language="en")
    await visitor.say("/new")
    await visitor.press("Housing")
    await visitor.say("The heating in our building has been off for a week")
    await visitor.press("Skip")
    await visitor.press("Skip")
    await visitor.press("Send")
    await operator.say("/reply 1 #housing_inspection")
    assert "Hello, Anna Smith! On appeal No. 2026-00001 the managing company" in visitor.last.text


async def test_operators_add_change_and_delete_templates(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    for bad, answer in (
        ("/template", "/template set #ключ темы [Название |] текст"),
        ("/template set key housing Текст", "/template set #ключ темы [Название |] текст"),
        ("/template set #Плохой housing Текст", "Ключ шаблона: латинские буквы"),
        ("/template set #lift moon Текст", "Неизвестная тема"),
        ("/template set #lift housing Лифт {number} {phone}", "unknown placeholders {phone}"),
        ("/template set #lift housing Лифт {number", "unbalanced braces"),
    ):
        assert answer in (await operator.say(bad))[0].text, bad
    text = (
        "/template set #lift housing,energy Лифт запущен | "
        "Здравствуйте, {name}! Лифт по обращению № {number} запущен."
    )
    assert (await operator.say(text))[0].text == "Шаблон #lift сохранён."
    assert (
        "Лифт запущен — #lift (ЖКХ, Энергетика): Здравствуйте, {name}! Лифт"
        in (await operator.say("/templates"))[0].text
    )
    await file_appeal(citizen)
    # Under the new appeal: the housing templates (its topic's own) by their names.
    announcement = harness.inbox[operator.chat][-1]
    assert [label for label, _ in announcement.buttons][2:] == [
        "Шаблон: Мусор вывезен",
        "Шаблон: Предписание УК, проверка ГЖИ",
        "Шаблон: Лифт запущен",
    ]
    await operator.say("/reply 1 #lift")
    assert "Здравствуйте, Иван Петров! Лифт по обращению № 2026-00001 запущен." in citizen.last.text
    assert (await operator.say("/template delete #lift"))[0].text.startswith(
        "Шаблон #lift, созданный в боте, удалён"
    )
    assert (
        "Шаблона #lift, созданного в боте, нет"
        in (await operator.say("/template delete #lift"))[0].text
    )
    # Citizens have no access to any of it.
    assert (await citizen.say("/templates"))[0].text == "Эта команда доступна только операторам."


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            '[[reply]]\nkey = "a"\ntopics = ["*"]\nru = "x {bogus}"\n[default_name]\nru = "z"\n',
            "unknown placeholders",
        ),
        (
            '[[reply]]\nkey = "a"\ntopics = ["moon"]\nru = "x"\n[default_name]\nru = "z"\n',
            "unknown topics",
        ),
        ('[[reply]]\nkey = "a"\ntopics = ["*"]\n[default_name]\nru = "z"\n', "no 'ru' text"),
        ('[[reply]]\nkey = "a"\ntopics = ["*"]\nru = "x"\n[default_name]\nru = "z"\n', "title_ru"),
        (
            '[[reply]]\nkey = "a"\ntitle_ru = "A"\ntopics = ["*"]\nru = "x"\n',
            "default_name",
        ),
    ],
)
def test_broken_reply_files_are_reported(
    tmp_path: Path, topics: TopicCatalog, source: str, message: str
) -> None:
    path = tmp_path / "replies.toml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load(path, topics)
