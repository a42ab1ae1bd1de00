"""The FAQ, information sections, usefulness ratings, deflection, proposals, language,
accessible mode and deep links, through the conversation core."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers.appeals.topics import TopicCatalog
from handlers.contracts import ChatRef, Platform
from handlers.faq.faq_library import FaqLibrary
from storage.models import UnansweredQuestion
from tests.helpers.flows import OPERATOR_ID, make_core
from tests.helpers.harness import Harness, Person
from tests.helpers.settings import LOCALES, TEMPLATES

OPERATOR_CHAT = ChatRef(Platform.TELEGRAM, OPERATOR_ID)
TOPIC_BY_BUTTON = "Выберите тему кнопкой ниже."


async def test_browse_rate_and_count(citizen: Person, operator: Person) -> None:
    shown = await citizen.say("/faq")
    assert shown[0].text.startswith("Частые вопросы.")
    labels = [label for label, _ in shown[0].buttons]
    assert labels[:2] == ["Подача обращения", "Сроки и порядок рассмотрения"]
    shown = await citizen.press("Сроки и порядок")
    assert shown[0].text.splitlines()[:2] == [
        "Сроки и порядок рассмотрения",
        "1. В какой срок дают ответ на обращение?",
    ]
    shown = await citizen.press("1")
    assert shown[0].text.startswith("В какой срок дают ответ на обращение?\nПо 59-ФЗ")
    assert "Насколько полезен ответ?" in shown[0].text
    assert [label for label, _ in shown[0].buttons][:5] == ["1", "2", "3", "4", "5"]
    assert (await citizen.press("4"))[0].text == "Спасибо! Ваша оценка: 4."
    await citizen.send_payload("faq:e:deadline")
    assert (await citizen.press("2"))[0].text == "Оценка изменена: 2."
    await harness_ask(citizen, "какая завтра погода")
    await harness_ask(citizen, "Какая погода завтра?")

    stats = (await operator.say("/faqstats"))[0].text
    assert "просмотров 2, оценённых ответов 1" in stats
    assert "В какой срок дают ответ на обращение? — просмотров: 2, оценка: 2.0 (1)" in stats
    # Kept as its words, not as typed.
    assert "2 × завтра погода" in stats
    assert (await citizen.say("/faqstats"))[0].text == "Эта команда доступна только операторам."


async def test_a_question_without_an_answer_keeps_no_names_or_numbers(
    citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    asked = "Иванов Пётр Сергеевич, телефон 89991234567: когда заработает лифт в доме 12 кв 45?"
    await harness_ask(citizen, asked)
    stats = (await operator.say("/faqstats"))[0].text
    assert "1 × телефон заработать лифт дом кв" in stats
    async with engine.connect() as connection:
        kept = " ".join(
            f"{terms} {text}"
            for terms, text in await connection.execute(
                select(UnansweredQuestion.terms, UnansweredQuestion.text)
            )
        )
    for personal in ("иванов", "Иванов", "пётр", "петр", "сергеевич", "8999", "12", "45"):
        assert personal not in kept, personal
    # /mydata says so.
    assert "без цифр и имён" in (await citizen.say("/mydata"))[0].text


async def harness_ask(person: Person, text: str) -> None:
    shown = await person.say(text)
    assert shown[0].text.startswith("Готового ответа не нашлось")


async def test_forged_faq_buttons_change_nothing(citizen: Person, operator: Person) -> None:
    for payload in ("faq:e:nope", "faq:u:deadline:9", "faq:u:nope:3", "faq:c:appeals:99", "i:x"):
        assert (await citizen.send_payload(payload))[0].text == (
            "Эта кнопка устарела или недоступна. Ничего не изменено."
        )
    assert "оценённых ответов 0" in (await operator.say("/faqstats"))[0].text


async def test_a_question_in_own_words_finds_answers(citizen: Person) -> None:
    shown = await citizen.say("скока ждать атвета на обращение?")
    assert shown[0].text.startswith("Возможно, ответ уже есть:\n1. В какой срок дают ответ")
    assert ("1", "faq:e:deadline") in shown[0].buttons


async def test_deflection_before_an_appeal(citizen: Person) -> None:
    await citizen.say("/new")
    await citizen.press("Другое")
    shown = await citizen.say(
        "Как подтвердить учётную запись на Госуслугах, не получается уже неделю"
    )
    assert shown[0].text.startswith("Это ответ на ваш вопрос?\n1. Как подтвердить учётную запись")
    shown = await citizen.press("1")
    assert shown[0].text.startswith("Как подтвердить учётную запись на Госуслугах?")
    # The draft waits; "no" goes on to the next step with the text kept.
    for shown_message in reversed(citizen.h.inbox[citizen.chat]):
        if any("продолжить" in label for label, _ in shown_message.buttons):
            await citizen.send_payload(shown_message.payload("продолжить"))
            break
    assert "Шаг 3 из 4" in citizen.last.text
    await citizen.press("Пропустить")
    shown = await citizen.press("Пропустить")
    assert "Текст: Как подтвердить учётную запись на Госуслугах" in shown[0].text


async def test_after_an_answer_offered_the_way_back_keeps_the_draft(citizen: Person) -> None:
    await citizen.say("/new")
    await citizen.press("Другое")
    text = "Как подтвердить учётную запись на Госуслугах, не получается уже неделю"
    await citizen.say(text)
    shown = await citizen.press("1")
    assert shown[0].text.startswith("Как подтвердить учётную запись на Госуслугах?")
    # The answer's ways on are the draft's: go on with it, back to the answers offered.
    labels = [label for label, _ in shown[0].buttons]
    assert labels[5:] == ["Нет, продолжить обращение", "← К предложенным ответам", "✖ Отменить"]
    shown = await citizen.press("К предложенным ответам")
    assert shown[0].text.startswith("Это ответ на ваш вопрос?\n1. Как подтвердить")
    await citizen.press("1")
    # "Подать обращение" from the main menu, or /new, goes on with the same draft and text.
    shown = await citizen.say("/new")
    assert "Шаг 3 из 4" in shown[0].text
    await citizen.press("Пропустить")
    shown = await citizen.press("Пропустить")
    assert f"Текст: {text}" in shown[0].text


async def test_deep_links_open_answers_sections_and_topics(
    citizen: Person, operator: Person
) -> None:
    assert (await citizen.say("/start faq-deadline"))[0].text.startswith("В какой срок дают ответ")
    assert (await citizen.say("/start info-reception"))[0].text.startswith("Приём граждан")
    assert "Шаг 2 из 4" in (await citizen.say("/start topic-roads"))[0].text
    await citizen.say("/cancel")
    # A link to nothing says so, then greets: not "this button is stale".
    for target in ("bogus", "faq-nope", "topic-nope", "info-nope"):
        greeting = (await citizen.say(f"/start {target}"))[0]
        assert greeting.text.startswith("Ссылка, по которой вы пришли, никуда не ведёт")
        assert "официальный бот администрации" in greeting.text and greeting.buttons

    shown = await operator.say("/qr faq-deadline")
    assert shown[0].deep_link == "faq-deadline"
    assert (await operator.say("/qr faq-nope"))[0].text.startswith("Формат: /qr цель")
    assert (await citizen.say("/qr faq"))[0].text == "Эта команда доступна только операторам."


async def test_information_sections(citizen: Person) -> None:
    shown = await citizen.say("/info")
    assert shown[0].buttons[0][0] == "Ответственные за работу с обращениями"
    shown = await citizen.press("Справочный телефон")
    assert "Госуслуги: 8 800 100-70-10" in shown[0].text


async def test_language_is_chosen_and_kept(citizen: Person) -> None:
    await citizen.say("/lang")
    assert (await citizen.press("English"))[0].text == "Language: English."
    assert "What the bot can do" in (await citizen.say("/help"))[0].text
    shown = await citizen.say("/faq")
    assert shown[0].buttons[0][0] == "Filing an appeal"


async def test_accessible_mode_numbers_every_button(citizen: Person) -> None:
    shown = await citizen.say("/access")
    assert shown[0].text.startswith("Режим доступности включён")
    # No emoji; the buttons are listed with numbers, and a number presses one.
    assert "📝" not in shown[0].text
    assert "1. Подать обращение" in shown[0].text
    assert "Варианты (отправьте номер):" in shown[0].text
    assert all("📝" not in label for label, _ in shown[0].buttons)
    shown = await citizen.say("1")
    assert "Шаг 1 из 4" in shown[0].text
    assert "1. ЖКХ" in shown[0].text
    shown = await citizen.say("99")  # no such option: taken as the text it is
    assert shown[0].text == TOPIC_BY_BUTTON
    assert "Шаг 2 из 4" in (await citizen.say("2"))[0].text  # the topic list's second
    await citizen.say("/access")
    assert "Подать обращение" in (await citizen.say("/start"))[0].buttons[0][0]


async def test_voice_gets_a_polite_request_for_text(citizen: Person) -> None:
    shown = await citizen.voice()
    assert shown[0].text == (
        "Голосовые сообщения бот, к сожалению, не распознаёт. Пожалуйста, напишите текстом."
    )


async def test_proposals_are_answered(harness: Harness, citizen: Person, operator: Person) -> None:
    await citizen.say("/propose")
    assert "Нужно от 10 до" in (await citizen.say("мало"))[0].text
    shown = await citizen.say("Добавьте, пожалуйста, расписание приёма в меню бота")
    assert shown[0].text.startswith("Спасибо! Предложение № 1 передано сотрудникам")
    told = harness.inbox[OPERATOR_CHAT][-1]
    assert told.text.startswith("Предложение № 1\nДобавьте, пожалуйста")
    assert "(ждёт ответа)" in (await operator.say("/proposals"))[0].text
    await operator.say("/proposal_reply 1 Спасибо, добавили раздел /info.")
    assert citizen.last.text == "Ответ на ваше предложение № 1\nСпасибо, добавили раздел /info."
    assert "уже ответили" in (await operator.say("/proposal_reply 1 ещё"))[0].text
    assert (await citizen.say("/proposals"))[0].text == "Эта команда доступна только операторам."


async def test_staff_edit_the_faq_and_reload_it(
    harness: Harness, operator: Person, citizen: Person, tmp_path: Path
) -> None:
    shown = await operator.say(
        "/faq_set snow_removal topics ru Когда уберут снег во дворе? | Дворы убирают в течение "
        "суток после снегопада; сообщите адрес через обращение на тему «Дороги»."
    )
    assert shown[0].text.startswith("Ответ «snow_removal» (ru) добавлен")
    found = await citizen.say("когда во дворе уберут снег")
    assert ("1", "faq:e:snow_removal") in found[0].buttons
    assert (
        "(ru) изменён"
        in (await operator.say("/faq_set deadline deadlines ru Сроки? | Тридцать дней."))[0].text
    )
    assert (await operator.say("/faq_delete deadline"))[0].text.startswith(
        "Изменения ответа «deadline» из бота удалены"
    )
    assert (await operator.say("/faq_set x nope ru В? | О."))[0].text.startswith(
        "Нет такого раздела. Разделы:\n• Подача обращения — appeals\n"
        "• Сроки и порядок рассмотрения — deadlines"
    )
    # Only what was made in the bot can be deleted from it: those are listed by question.
    await operator.say("/faq_set lift_rules deadlines ru Кто чинит лифт? | Управляющая компания.")
    refused = (await operator.say("/faq_delete deadline"))[0].text
    assert "не добавлялся и не менялся в боте" in refused
    assert "• Кто чинит лифт? — lift_rules" in refused

    # A broken file is refused and the old content stays.
    for name in ("faq.toml", "info.toml"):
        shutil.copy(TEMPLATES / name, tmp_path / name)
    harness.core.faq = FaqLibrary(tmp_path / "faq.toml", tmp_path / "info.toml", LOCALES)
    (tmp_path / "faq.toml").write_text("[[entry]]\ncode = 'broken", encoding="utf-8")
    shown = await operator.say("/faq_reload")
    assert shown[0].text.startswith("Файлы не перечитаны: в них ошибка.")
    assert (await citizen.say("/start faq-deadline"))[0].text.startswith("В какой срок")
    shutil.copy(TEMPLATES / "faq.toml", tmp_path / "faq.toml")
    assert (await operator.say("/faq_reload"))[0].text.startswith("Файлы перечитаны: ответов ")


async def test_a_category_is_paged_to_the_channel_with_the_fewest_buttons(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> None:
    # The "appeals" category has 9 entries: pages of 8 where every channel shows 10 buttons,
    # pages of 3 where one shows only 5 (three entries, "more", "all categories").
    wide = Harness(make_core(engine, topics), renderer).person("601")
    narrow = Harness(make_core(engine, topics, buttons_max=5), renderer).person("602")
    for person, entries in ((wide, 8), (narrow, 3)):
        shown = await person.send_payload("faq:c:appeals")
        numbered = [label for label, _ in shown[-1].buttons if label.isdigit()]
        assert len(numbered) == entries
        assert len(shown[-1].buttons) <= (10 if person is wide else 5)
        assert any("Ещё вопросы" in label for label, _ in shown[-1].buttons)
