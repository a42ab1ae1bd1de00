"""Filing an appeal step by step, as a citizen does it, against the conversation core."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers.appeals.topics import TopicCatalog
from handlers.contracts import ChatRef, Platform
from storage.models import Appeal, AppealFile, Conversation
from tests.helpers.flows import APPEAL_TEXT, OPERATOR_ID, make_core
from tests.helpers.harness import Harness, Person, Shown


async def count(engine: AsyncEngine, model: type) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


async def test_full_appeal_with_photo_and_location(harness: Harness, citizen: Person) -> None:
    shown = await citizen.say("/start")
    assert "официальный бот администрации" in shown[0].text
    assert [label for label, _ in shown[0].buttons] == [
        "📝 Подать обращение",
        "📂 Мои обращения",
        "❓ Частые вопросы",
        "ℹ️ Информация",
        "❓ Помощь",
        "💡 Предложить улучшение",
        "🛡 Сообщить о коррупции",
    ]

    shown = await citizen.press("Подать обращение")
    labels = [label for label, _ in shown[0].buttons]
    assert labels[:8] == [
        "ЖКХ",
        "Твёрдые коммунальные отходы",
        "Энергетика",
        "Образование",
        "Здравоохранение",
        "Дороги",
        "Транспорт",
        "Социальная защита",
    ]
    assert "Другое" in labels

    shown = await citizen.press("Дороги")
    assert "Тема: Дороги" in shown[0].text
    shown = await citizen.say(APPEAL_TEXT)
    assert "Шаг 3 из 4" in shown[0].text
    shown = await citizen.photo("photo-1")
    assert "Файл добавлен (1 из 5)" in shown[0].text
    await citizen.photo("photo-2")
    shown = await citizen.press("Готово")
    assert "Шаг 4 из 4" in shown[0].text
    shown = await citizen.location(54.314, 48.403)
    summary = shown[0].text
    assert "Тема: Дороги" in summary
    assert f"Текст: {APPEAL_TEXT}" in summary
    assert "Файлы: 2" in summary
    assert "Геопозиция: 54.314000, 48.403000" in summary

    shown = await citizen.press("Отправить")
    registered = shown[0].text
    assert "Обращение зарегистрировано" in registered
    assert "Номер: 2026-00001 от 02.03.2026" in registered
    assert "не позднее 01.04.2026 (в течение 30 дней по 59-ФЗ)" in registered

    # The operator's private chat is the default staff chat: the announcement has the
    # photos (same platform), the text and the buttons.
    announcement = harness.inbox[ChatRef(Platform.TELEGRAM, OPERATOR_ID)][-1]
    assert "Новое обращение № 2026-00001" in announcement.text
    assert "От: Иван Петров (Telegram)" in announcement.text
    assert APPEAL_TEXT in announcement.text
    assert announcement.photos == ("photo-1", "photo-2")
    assert [label for label, _ in announcement.buttons] == [
        "Взять в работу",
        "Ответить",
        # The template replies that fit the topic, one tap from an answer: by their names,
        # the topic's own first, then those for any topic.
        "Шаблон: Дорога в плане ремонта",
        "Шаблон: Направлено в отдел",
        "Шаблон: Не в компетенции: переслано",
    ]


async def test_registration_survives_a_restart_mid_flow(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> None:
    first = Harness(make_core(engine, topics), renderer).person("501")
    await first.say("/new")
    await first.press("Транспорт")
    await first.say(APPEAL_TEXT)

    # A new process: new core, same database. The draft and its buttons still work.
    again = Harness(make_core(engine, topics), renderer).person("501")
    shown = await again.send_payload(first.last.payload("Пропустить"))
    assert "Шаг 4 из 4" in shown[0].text
    shown = await again.say("г. Ульяновск, ул. Гончарова, 1")
    assert "Адрес: г. Ульяновск, ул. Гончарова, 1" in shown[0].text
    shown = await again.press("Отправить")
    assert "2026-00001" in shown[0].text
    assert f"Текст: {APPEAL_TEXT}" in harness_text(again)
    assert await count(engine, Appeal) == 1
    assert await count(engine, AppealFile) == 0


def harness_text(person: Person) -> str:
    return "\n".join(shown.text for shown in person.h.inbox[person.chat])


async def test_text_is_validated_and_nothing_else_is_accepted_as_text(
    citizen: Person,
) -> None:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    shown = await citizen.say("Мусор")
    assert "Слишком коротко: 5 из минимум 20 знаков" in shown[0].text
    shown = await citizen.say("я" * 4001)
    assert "Слишком длинно: 4\xa0001 знаков при пределе 4\xa0000" in shown[0].text
    shown = await citizen.sticker()
    assert "Нужен текст обращения" in shown[0].text
    # Still at the text step: a valid text goes on.
    shown = await citizen.say(APPEAL_TEXT)
    assert "Шаг 3 из 4" in shown[0].text


async def test_photo_with_caption_gives_text_and_photo(citizen: Person) -> None:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.photo("photo-with-caption", caption=APPEAL_TEXT)
    await citizen.press("Пропустить")
    shown = await citizen.press("Пропустить")
    assert f"Текст: {APPEAL_TEXT}" in shown[0].text
    assert "Файлы: 1" in shown[0].text


async def test_an_album_arriving_at_once_keeps_every_photo(
    harness: Harness, citizen: Person, engine: AsyncEngine
) -> None:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.say(APPEAL_TEXT)
    # Telegram delivers an album as separate updates at the same moment.
    await asyncio.gather(*(citizen.photo(f"album-{i}") for i in range(4)))
    await citizen.press("Готово")
    shown = await citizen.press("Пропустить")
    assert "Файлы: 4" in shown[0].text


async def test_photo_limit(citizen: Person) -> None:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.say(APPEAL_TEXT)
    for i in range(4):
        await citizen.photo(f"p{i}")
    shown = await citizen.photo("p4")
    assert "Приложено максимальное число файлов: 5" in shown[0].text
    assert "Шаг 4 из 4" in shown[1].text


async def test_cancel_works_at_every_step(citizen: Person, engine: AsyncEngine) -> None:
    steps = [
        [],
        ["ЖКХ"],
        ["ЖКХ", APPEAL_TEXT],
        ["ЖКХ", APPEAL_TEXT, "Пропустить"],
    ]
    for step in steps:
        await citizen.say("/new")
        for action in step:
            if action == APPEAL_TEXT:
                await citizen.say(action)
            else:
                await citizen.press(action)
        shown = await citizen.say("/cancel")
        assert "черновик удалён" in shown[0].text
    # And with the button on the summary.
    await file_appeal_until_summary(citizen)
    shown = await citizen.press("Отменить")
    assert "черновик удалён" in shown[0].text
    assert await count(engine, Appeal) == 0
    shown = await citizen.say("/cancel")
    assert "Отменять нечего" in shown[0].text


async def file_appeal_until_summary(citizen: Person) -> None:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.say(APPEAL_TEXT)
    await citizen.press("Пропустить")
    await citizen.press("Пропустить")


async def test_edit_from_the_summary(citizen: Person) -> None:
    await file_appeal_until_summary(citizen)
    await citizen.press("Изменить")
    await citizen.press("Тему")
    shown = await citizen.press("Энергетика")
    assert "Тема: Энергетика" in shown[0].text
    assert "Проверьте обращение" in shown[0].text
    await citizen.press("Изменить")
    await citizen.press("Текст")
    shown = await citizen.say("Новый текст обращения: в доме нет горячей воды")
    assert "Текст: Новый текст обращения" in shown[0].text
    await citizen.press("Изменить")
    await citizen.press("Место")
    shown = await citizen.say("ул. Мира, 12")
    assert "Адрес: ул. Мира, 12" in shown[0].text
    shown = await citizen.press("Отправить")
    assert "Обращение зарегистрировано" in shown[0].text


async def test_a_button_from_an_earlier_draft_is_refused(
    citizen: Person, engine: AsyncEngine
) -> None:
    await file_appeal_until_summary(citizen)
    old_send = citizen.last.payload("Отправить")
    await citizen.say("/cancel")
    await file_appeal_until_summary(citizen)
    await citizen.say("/cancel")
    shown = await citizen.send_payload(old_send)
    assert "кнопка устарела" in shown[0].text
    assert await count(engine, Appeal) == 0


async def test_submitting_twice_registers_once(citizen: Person, engine: AsyncEngine) -> None:
    await file_appeal_until_summary(citizen)
    send = citizen.last.payload("Отправить")
    await citizen.send_payload(send)
    shown = await citizen.send_payload(send)
    assert "кнопка устарела" in shown[0].text
    assert await count(engine, Appeal) == 1


async def test_english_speakers_get_english(harness: Harness) -> None:
    visitor = harness.person("777", language="en")
    shown = await visitor.say("/new")
    assert "Step 1 of 4" in shown[0].text
    assert "Housing and utilities" in [label for label, _ in shown[0].buttons]


async def test_photos_can_be_switched_off(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> None:
    citizen = Harness(make_core(engine, topics, max_photos=0), renderer).person("501")
    shown = await citizen.say("/new")
    assert "Шаг 1 из 3" in shown[0].text  # three steps, counted as the citizen meets them
    shown = await citizen.press("ЖКХ")
    assert "Шаг 2 из 3" in shown[0].text
    shown = await citizen.say(APPEAL_TEXT)
    assert "Шаг 3 из 3" in shown[0].text
    shown = await citizen.photo("p1")
    assert "Отправьте геопозицию или напишите адрес" in shown[0].text
    shown = await citizen.press("Пропустить")
    assert "Проверьте обращение" in shown[0].text and "Файлы" not in shown[0].text
    shown = await citizen.press("Изменить")
    assert "Фото" not in [label for label, _ in shown[0].buttons]


async def test_an_appeal_of_invisible_characters_is_refused(citizen: Person) -> None:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    for invisible in ("\u200b", "\u2060", "\u200c", "\u200d", "\ufeff"):
        shown = await citizen.say(invisible * 30)
        assert "Шаг 3" not in shown[0].text  # not taken as the appeal's text
    # Visible characters count: twenty of them with zero-width spaces between are enough,
    # and what is kept has no invisible characters.
    shown = await citizen.say("\u200b".join("Не вывозят мусор 3 дня!"))
    assert "Шаг 3" in shown[0].text


async def _saved_draft(
    harness: Harness, citizen: Person, state: str, data: dict[str, object]
) -> None:
    """The conversation row as a bot of an earlier version left it."""
    from storage.uow import UnitOfWork

    await citizen.say("/start")  # the person exists
    async with UnitOfWork(harness.core.session_factory) as uow:
        user, _, _ = await uow.users.arrive(
            citizen.platform.value, citizen.user_id, display_name=citizen.name, language="ru"
        )
        await uow.conversations.save(user.id, state, data)
        await uow.commit()


async def test_a_draft_saved_before_an_upgrade_goes_on(harness: Harness, citizen: Person) -> None:
    # A draft from before drafts were typed: no version, a part this version no longer knows.
    legacy = {
        "nonce": "a1b2c3",
        "files": [],
        "topic": next(iter(harness.core.topics)).code,
        "text": APPEAL_TEXT,
        "_steps": ["appeal.topic", "appeal.text", "appeal.location"],
        "retired_part": 1,
    }
    await _saved_draft(harness, citizen, "appeal.location", legacy)
    shown = await citizen.say("ул. Мира, 12")
    assert "Проверьте обращение" in shown[0].text and APPEAL_TEXT in shown[0].text
    # Its buttons carry the nonce it had.
    assert shown[0].payload("Отправить") == "f:a1b2c3:ok"
    shown = await citizen.press("Отправить")
    assert "зарегистрировано" in shown[0].text


async def test_an_unreadable_draft_starts_afresh(harness: Harness, citizen: Person) -> None:
    await _saved_draft(harness, citizen, "appeal.text", {"nonce": 7, "files": "broken"})
    shown = await citizen.say(APPEAL_TEXT)
    # No apology for an internal error: the text is taken into a fresh draft.
    assert not any("Код ошибки" in s.text for s in shown)
    assert "Шаг 3 из 4" in shown[0].text


async def test_each_step_counts_once_a_run_for_the_usage_funnel(
    harness: Harness, citizen: Person
) -> None:
    """A typed draft set twice in one update (a deep link's topic, then on to the text) keeps
    the step already counted: going back to that step later does not count it again."""
    harness.core.tally.take()
    await citizen.say("/start topic-housing")  # the topic step, counted, and on to the text
    await citizen.say(APPEAL_TEXT)
    await citizen.press("Пропустить")  # no photos
    await citizen.press("Пропустить")  # no place
    await citizen.press("Изменить")
    await citizen.press("Тему")  # back to the topic: a step of this run already counted
    await citizen.press("ЖКХ")
    counts: dict[str, int] = {}
    for (_, _, event), n in harness.core.tally.take().items():
        counts[event] = counts.get(event, 0) + n
    steps = ("appeal.topic", "appeal.text", "appeal.photos", "appeal.location", "appeal.confirm")
    for step in steps:
        assert counts.get(f"step:{step}") == 1, (step, counts)


KEPT = "📝 Обращение, которое вы начали, не отправлено и сохранено: вернуться к нему — /new."
STALE = "Эта кнопка устарела или недоступна. Ничего не изменено."


async def to_summary(citizen: Person, topic: str = "Дороги") -> list[Shown]:
    await citizen.say("/new")
    await citizen.press(topic)
    await citizen.say(APPEAL_TEXT)
    await citizen.press("Пропустить")
    return await citizen.press("Пропустить")


async def test_a_new_appeal_is_not_started_over_an_unsent_draft_unasked(
    harness: Harness, citizen: Person, engine: AsyncEngine
) -> None:
    summary = await to_summary(citizen)
    summary_send = summary[0].payload("Отправить")
    # /my does not list it, but says it is there.
    shown = await citizen.say("/my")
    assert shown[0].text.startswith("У вас пока нет обращений.")
    assert KEPT in shown[0].text
    # The main menu's "Подать обращение" asks before dropping it; going on shows the summary.
    shown = await citizen.press("Подать обращение")
    assert shown[0].text.startswith("У вас есть неотправленное обращение.\nТема: Дороги\n")
    assert APPEAL_TEXT[:40] in shown[0].text
    resume, restart = shown[0].payload("Продолжить"), shown[0].payload("Начать новое")
    shown = await citizen.send_payload(resume)
    assert shown[0].text.startswith("Проверьте обращение")
    # Starting anew drops the draft: its buttons are stale, nothing is filed.
    await citizen.say("/new")
    shown = await citizen.press("Начать новое")
    assert "Шаг 1 из 4: выберите тему." in shown[0].text
    for stale in (summary_send, resume, restart):
        assert (await citizen.send_payload(stale))[0].text == STALE
    assert await count(engine, Appeal) == 0
    # With no text yet there is nothing to lose: /new simply starts again.
    shown = await citizen.say("/new")
    assert "Шаг 1 из 4: выберите тему." in shown[0].text
    # A deep link to a topic over a draft: asked too, and starting anew keeps the link's topic.
    await citizen.press("ЖКХ")
    await citizen.say(APPEAL_TEXT)
    shown = await citizen.say("/start topic-roads")
    assert shown[0].text.startswith("У вас есть неотправленное обращение.\nТема: ЖКХ\n")
    shown = await citizen.press("Начать новое")
    assert "Тема: Дороги" in shown[0].text and "Шаг 2 из 4" in shown[0].text


async def test_an_unsent_appeal_is_kept_aside_while_the_citizen_goes_elsewhere(
    harness: Harness, citizen: Person, engine: AsyncEngine
) -> None:
    summary = await to_summary(citizen)
    summary_send = summary[0].payload("Отправить")
    # /start: told first that the appeal is kept, then the greeting.
    shown = await citizen.say("/start")
    assert shown[0].text == KEPT
    assert "официальный бот администрации" in shown[1].text
    # Meanwhile free text is a question again, not an input to the summary; its buttons wait.
    shown = await citizen.say("Как записаться на личный приём к главе?")
    assert "Проверьте обращение" not in shown[0].text
    assert (await citizen.send_payload(summary_send))[0].text == STALE
    # Another flow on top of it (a proposal): the appeal waits under it, and after it.
    shown = await citizen.say("/propose")
    assert shown[0].text.startswith("Напишите ваше предложение")  # told once already
    await citizen.say("Добавьте, пожалуйста, запись на личный приём через бот")
    shown = await citizen.say("/start")
    assert shown[0].text.endswith(KEPT)  # reminded with the greeting while it waits
    # Back to it where it was left, and sent.
    shown = await citizen.say("/new")
    assert shown[0].text.startswith("У вас есть неотправленное обращение.\nТема: Дороги\n")
    shown = await citizen.press("Продолжить")
    assert shown[0].text.startswith("Проверьте обращение") and APPEAL_TEXT in shown[0].text
    shown = await citizen.press("Отправить")
    assert "Обращение зарегистрировано" in shown[0].text
    assert await count(engine, Appeal) == 1
    # Sent, it waits no more: /start is only the greeting.
    shown = await citizen.say("/start")
    assert KEPT not in "\n".join(s.text for s in shown)
    assert await count(engine, Conversation) == 0


async def test_cancel_and_forget_end_an_appeal_kept_aside(
    harness: Harness, citizen: Person, engine: AsyncEngine
) -> None:
    await to_summary(citizen)
    await citizen.say("/start")
    # /cancel with no flow under way is about the appeal kept aside.
    shown = await citizen.say("/cancel")
    assert shown[0].text == "Обращение не отправлено, черновик удалён."
    assert "Шаг 1 из 4" in (await citizen.say("/new"))[0].text
    assert await count(engine, Conversation) == 1  # the new one's first step
    # Set aside once more, then /forget: nothing of it is kept.
    await citizen.press("ЖКХ")
    await citizen.say(APPEAL_TEXT)
    await citizen.say("/start")
    # It is the person's data: /mydata shows it, /forget takes it.
    export = json.loads((await citizen.say("/mydata"))[0].uploads["mydata.json"])
    assert export["unsent_appeal"]["text"] == APPEAL_TEXT
    assert export["unsent_appeal"]["topic"] == "ЖКХ"
    await citizen.say("/forget")
    shown = await citizen.press("Удалить мои данные")
    assert "удалены" in shown[-1].text.lower(), shown
    assert await count(engine, Conversation) == 0
    assert "Шаг 1 из 4" in (await citizen.say("/new"))[0].text


async def test_a_flow_begun_mid_appeal_returns_the_appeal_at_its_step_afterwards(
    harness: Harness, citizen: Person
) -> None:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.say(APPEAL_TEXT)
    await citizen.press("Пропустить")  # at the place step
    shown = await citizen.say("/propose")
    assert shown[0].text == KEPT
    assert shown[1].text.startswith("Напишите ваше предложение")
    shown = await citizen.say("Добавьте, пожалуйста, запись на личный приём через бот")
    assert "Предложение № 1 передано" in shown[0].text
    # Back at the step where it was left.
    await citizen.say("/new")
    shown = await citizen.press("Продолжить")
    assert "Шаг 4 из 4" in shown[0].text
    shown = await citizen.say("ул. Гагарина, 7")
    assert shown[0].text.startswith("Проверьте обращение") and "ул. Гагарина, 7" in shown[0].text
