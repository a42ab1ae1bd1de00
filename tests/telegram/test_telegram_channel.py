"""The whole loop on Telegram: real aiogram long polling against a fake Bot API server."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.app import App
from handlers.appeals import mine
from tests.helpers.channels import card_remembered, posts_noted, running
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.flows import Clock
from tests.helpers.settings import make_settings
from tests.helpers.telegram import CITIZEN, OPERATOR, button, eventually, step, tg_settings

APPEAL_TEXT = "Во дворе дома 12 на улице Мира <третий> день не вывозят мусор & никто не отвечает"


async def test_citizen_files_operator_answers_citizen_sees_it(
    fake_tg: FakeBotApi, tg_app: App
) -> None:
    fake = fake_tg
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/start"),
    )
    assert "официальный бот администрации" in text

    text = await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Подать"),
        ),
    )
    assert "Шаг 1 из 4" in text
    text = await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "ЖКХ"),
        ),
    )
    assert "Шаг 2 из 4" in text
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, APPEAL_TEXT),
    )
    assert "Шаг 3 из 4" in text
    text = await step(
        fake,
        CITIZEN,
        fake.send_photo(CITIZEN, "AgACphoto1"),
    )
    assert "Файл добавлен (1 из 5)" in text
    text = await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Готово"),
        ),
    )
    assert "Шаг 4 из 4" in text
    text = await step(
        fake,
        CITIZEN,
        fake.send_location(CITIZEN, 54.31, 48.4),
    )
    assert "Геопозиция: 54.310000, 48.400000" in text
    # User text is escaped in the HTML the bot sends.
    assert "&lt;третий&gt; день не вывозят мусор &amp; никто" in text
    assert "<b>Проверьте обращение</b>" in text

    start = len(fake.calls)
    await fake.press(
        CITIZEN,
        button(fake, CITIZEN, "Отправить"),
    )
    registered = (await fake.reply_to(CITIZEN, start)).text
    assert "Обращение зарегистрировано" in registered
    number = registered.split("<b>")[1].split("</b>")[0]

    # The operator's private chat gets the photo, then the announcement with buttons.
    photo = await fake.wait_for(lambda c: c.method == "sendPhoto", start=start)
    assert photo.chat_id == OPERATOR and photo.params["photo"] == "AgACphoto1"
    announcement = await fake.reply_to(OPERATOR, start)
    assert f"Новое обращение № {number}" in announcement.text
    assert [label for label, _ in announcement.buttons][:2] == ["Взять в работу", "Ответить"]

    # Every button press was answered, so no spinner hangs.
    presses = [c for c in fake.calls if c.method == "answerCallbackQuery"]
    assert len(presses) == 4

    # The live card follows the registration; the case moving on edits it in place.
    card = await fake.wait_for(
        lambda c: c.chat_id == CITIZEN and "Ждёт оператора." in c.text,
        start=start,
    )
    assert card.text.startswith(f"<b>Обращение № {number}</b> · Зарегистрировано")
    await card_remembered(tg_app)
    start = len(fake.calls)
    await fake.press(OPERATOR, announcement.buttons[0][1])
    notice = await fake.wait_for(
        lambda c: c.chat_id == CITIZEN and "взято в работу" in c.text,
        start=start,
    )
    assert notice.method == "sendMessage"
    assert notice.text == f"Ваше обращение № {number} взято в работу."
    edit = await fake.wait_for(lambda c: c.method == "editMessageText", start=start)
    assert int(edit.params["message_id"]) == card.result["message_id"]
    assert edit.text.startswith(f"<b>Обращение № {number}</b> · В работе")

    start = len(fake.calls)
    await fake.send_text(OPERATOR, f"/reply {number} Мусор вывезен, график восстановлен.")
    answer = await fake.reply_to(CITIZEN, start)
    assert f"Ответ на ваше обращение № {number}" in answer.text
    assert "Мусор вывезен, график восстановлен." in answer.text
    confirmation = await fake.reply_to(OPERATOR, start)
    assert "отправлен гражданину" in confirmation.text

    text = await step(fake, CITIZEN, fake.send_text(CITIZEN, "/my"))
    assert f"№ {number}" in text and "Дан ответ" in text


async def test_commands_menu_is_registered_in_both_languages(
    fake_tg: FakeBotApi, tg_app: App
) -> None:
    call = await fake_tg.wait_for(lambda c: c.method == "setMyCommands")
    assert [c["command"] for c in call.params["commands"]] == [
        "start",
        "new",
        "my",
        "faq",
        "info",
        "propose",
        "polls",
        "discussions",
        "groups",
        "corruption",
        "opendata",
        "mydata",
        "forget",
        "lang",
        "access",
        "help",
        "cancel",
    ]
    await fake_tg.wait_for(
        lambda c: c.method == "setMyCommands" and c.params.get("language_code") == "en"
    )
    # The operator's own chat also lists the operators' commands.
    operator = await fake_tg.wait_for(
        lambda c: c.method == "setMyCommands" and c.params["scope"].get("chat_id") == OPERATOR
    )
    assert [c["command"] for c in operator.params["commands"]][-23:] == [
        "queue",
        "take",
        "reply",
        "templates",
        "ask",
        "close",
        "assign",
        "merge",
        "history",
        "extend",
        "faqstats",
        "proposals",
        "qr",
        "poll_new",
        "poll_list",
        "poll_results",
        "discussion_new",
        "decide",
        "mailing_new",
        "mailings",
        "group_requests",
        "report",
        "usage",
    ]


async def test_an_update_that_fails_gets_an_apology_and_polling_goes_on(
    fake_tg: FakeBotApi, tg_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(mine, "list_mine", broken)
    text = await step(
        fake_tg,
        CITIZEN,
        fake_tg.send_text(CITIZEN, "/my"),
    )
    assert "Извините, что-то пошло не так" in text
    assert "Код ошибки" in text
    monkeypatch.undo()
    text = await step(
        fake_tg,
        CITIZEN,
        fake_tg.send_text(CITIZEN, "/my"),
    )
    assert "У вас пока нет обращений" in text


async def test_bad_input_is_answered_and_polling_goes_on(fake_tg: FakeBotApi, tg_app: App) -> None:
    fake = fake_tg
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/take 1"),
    )
    assert text == "Эта команда доступна только операторам."
    text = await step(
        fake,
        CITIZEN,
        fake.press(CITIZEN, "op:take:1"),
    )
    assert text == "Эта команда доступна только операторам."
    text = await step(
        fake,
        CITIZEN,
        fake.press(CITIZEN, "garbage\u0000data"),
    )
    assert "кнопка устарела" in text
    text = await step(fake, CITIZEN, fake.send_sticker(CITIZEN))
    assert "Я не понял сообщение" in text
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/nosuchcommand"),
    )
    assert "Такой команды нет" in text
    # A command addressed to the bot by name in a group works as well.
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/help@civic_test_bot"),
    )
    assert "Что умеет бот" in text


async def file_appeal(fake: FakeBotApi, app: App) -> str:
    return await file_appeal_to(fake, app, OPERATOR)


async def test_a_citizen_who_blocked_the_bot_does_not_stop_the_operator(
    fake_tg: FakeBotApi, tg_app: App, caplog: pytest.LogCaptureFixture
) -> None:
    fake = fake_tg
    number = await file_appeal(fake, tg_app)
    fake.fail(
        "sendMessage",
        403,
        "Forbidden: bot was blocked by the user",
        chat_id=CITIZEN,
    )
    caplog.set_level(logging.WARNING)
    before = len(fake.sent(CITIZEN))
    # Never "sent" when it was not: the operator is told it could not be delivered, and why.
    text = await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, f"/reply {number} Ответ."),
    )
    assert "не доставлен гражданину" in text and "заблокировал бота" in text
    assert "отправлен гражданину" not in text
    await eventually(lambda: "is undeliverable: blocked" in caplog.text)
    assert fake.token not in caplog.text
    # Refused for good: not tried again.
    await asyncio.sleep(1.5)
    assert len([c for c in fake.sent(CITIZEN)[before:] if "Ответ." in c.text]) == 1
    # The appeal's history says so, with the reason.
    text = await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, f"/history {number}"),
    )
    assert "сообщение не доставлено: собеседник заблокировал бота" in text
    # The answer is kept: once unblocked, the citizen finds it in /my.
    text = await step(fake, CITIZEN, fake.send_text(CITIZEN, "/my"))
    assert "Дан ответ" in text


async def test_the_command_menu_failing_does_not_stop_the_bot(
    fake_tg: FakeBotApi, sqlite_url: str
) -> None:
    fake_tg.fail("setMyCommands", 500, "Internal Server Error", times=2)
    settings = make_settings(
        telegram_bot_token=fake_tg.token, telegram_api_url=fake_tg.url, database_url=sqlite_url
    )
    async with running(settings):
        text = await step(
            fake_tg,
            CITIZEN,
            fake_tg.send_text(CITIZEN, "/start"),
        )
        assert "официальный бот администрации" in text


async def test_long_text_is_split_with_buttons_under_the_last_piece(
    fake_tg: FakeBotApi, tg_app: App
) -> None:
    fake = fake_tg
    await step(fake, CITIZEN, fake.send_text(CITIZEN, "/new"))
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Дороги"),
        ),
    )
    long_text = ("Яма на дороге <глубокая> & опасная. " * 120)[:3990]
    await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, long_text),
    )
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Пропустить"),
        ),
    )
    start = len(fake.calls)
    await fake.press(
        CITIZEN,
        button(fake, CITIZEN, "Пропустить"),
    )
    await fake.wait_for(
        lambda c: c.method == "sendMessage" and bool(c.buttons) and c.chat_id == CITIZEN,
        start=start,
    )
    pieces = [c for c in fake.calls[start:] if c.method == "sendMessage"]
    assert len(pieces) == 2
    assert all(len(p.text) <= 4096 for p in pieces)
    assert not pieces[0].buttons and pieces[1].buttons
    # No entity is cut: every '&' starts a whole entity.
    for piece in pieces:
        for part in piece.text.split("&")[1:]:
            assert part.startswith(("lt;", "gt;", "amp;", "quot;", "#x27;"))


STAFF_GROUP = -1001234567890


@pytest.fixture
async def tg_group_app(fake_tg: FakeBotApi, sqlite_url: str) -> AsyncIterator[App]:
    settings = make_settings(
        telegram_bot_token=fake_tg.token,
        telegram_api_url=fake_tg.url,
        database_url=sqlite_url,
        admins=f"tg:{OPERATOR}",
        staff_chat=f"tg:{STAFF_GROUP}",
    )
    async with running(settings) as app:
        yield app


async def test_staff_group_chat(fake_tg: FakeBotApi, tg_group_app: App) -> None:
    fake = fake_tg
    start = len(fake.calls)
    number = await file_appeal_to(fake, tg_group_app, STAFF_GROUP)
    announcement = await fake.reply_to(STAFF_GROUP, start)
    assert f"Новое обращение № {number}" in announcement.text

    # Chatter among the staff gets no answer; a command for another bot is not ours.
    start = len(fake.calls)
    await fake.send_text(OPERATOR, "Коллеги, кто возьмёт?", chat_id=STAFF_GROUP)
    await fake.send_text(OPERATOR, "/help@other_bot", chat_id=STAFF_GROUP)
    await fake.send_text(CITIZEN, "/new", chat_id=STAFF_GROUP)
    reply = await fake.reply_to(STAFF_GROUP, start)
    assert "только в личных сообщениях" in reply.text

    # A citizen who is a member of the group cannot use the staff buttons.
    take = announcement.buttons[0][1]
    text = await step(fake, STAFF_GROUP, fake.press(CITIZEN, take, chat_id=STAFF_GROUP))
    assert text == "Эта команда доступна только операторам."

    text = await step(fake, STAFF_GROUP, fake.press(OPERATOR, take, chat_id=STAFF_GROUP))
    assert f"Вы взяли в работу обращение № {number}" in text

    answer_button = fake.sent(STAFF_GROUP)[-1].buttons[0][1]
    start = len(fake.calls)
    await fake.press(OPERATOR, answer_button, chat_id=STAFF_GROUP)
    prompt = await fake.reply_to(STAFF_GROUP, start)
    assert "Напишите ответ" in prompt.text
    # A forced reply: in privacy mode a bot sees only replies to it in a group.
    assert prompt.params["reply_markup"] == {"force_reply": True, "selective": True}

    start = len(fake.calls)
    await fake.send_text(OPERATOR, "Бригада выехала, к вечеру устраним.", chat_id=STAFF_GROUP)
    answer = await fake.reply_to(CITIZEN, start)
    assert "Бригада выехала, к вечеру устраним." in answer.text


async def test_topics_the_bot_may_not_open_fall_back_to_replies(
    fake_tg: FakeBotApi, tg_group_app: App
) -> None:
    """A forum where the bot lacks the right to manage topics: the announcement goes to the
    general chat, and a reply to it answers the citizen."""
    fake = fake_tg
    fake.forums.add(STAFF_GROUP)
    fake.fail("createForumTopic", 400, "Bad Request: not enough rights to create a topic")
    start = len(fake.calls)
    number = await file_appeal_to(fake, tg_group_app, STAFF_GROUP)
    announcement = await fake.reply_to(STAFF_GROUP, start)
    assert "message_thread_id" not in announcement.params
    assert fake.topics == {}
    await posts_noted(tg_group_app)

    start = len(fake.calls)
    await fake.send_text(
        OPERATOR,
        "Опору освещения заменят в четверг.",
        chat_id=STAFF_GROUP,
        reply_to=announcement.result["message_id"],
    )
    answer = await fake.reply_to(CITIZEN, start)
    assert f"Ответ на ваше обращение № {number}" in answer.text
    assert "Опору освещения заменят в четверг." in answer.text


async def file_appeal_to(fake: FakeBotApi, app: App, staff_chat: int) -> str:
    await step(fake, CITIZEN, fake.send_text(CITIZEN, "/new"))
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Энергетика"),
        ),
    )
    await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, APPEAL_TEXT),
    )
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Пропустить"),
        ),
    )
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Пропустить"),
        ),
    )
    start = len(fake.calls)
    text = await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Отправить"),
        ),
    )
    number = text.split("<b>")[1].split("</b>")[0]
    await fake.wait_for(lambda c: c.chat_id == staff_chat and f"обращение № {number}" in c.text)
    # ...and the citizen's live card, which follows the registration, once the bot has noted
    # where it is (the next change edits it there).
    await fake.wait_for(
        lambda c: c.chat_id == CITIZEN and "Ждёт оператора." in c.text,
        start=start,
    )
    await card_remembered(app)
    return number


async def test_the_scheduler_pings_the_head_when_an_appeal_becomes_overdue(
    fake_tg: FakeBotApi, sqlite_url: str
) -> None:
    clock = Clock(datetime.now(UTC))
    settings = tg_settings(fake_tg, sqlite_url)
    async with running(settings, clock) as app:
        head = 7007
        await step(
            fake_tg,
            OPERATOR,
            fake_tg.send_text(OPERATOR, f"/operator add tg:{head} energy head"),
        )
        number = await file_appeal_to(fake_tg, app, OPERATOR)
        start = len(fake_tg.calls)
        clock.advance(days=30, minutes=1)
        await app.scheduler.overdue()
        ping = await fake_tg.wait_for(
            lambda c: c.chat_id == head and "Просрочено" in c.text, start=start
        )
        assert ping.text.startswith(f"⏰ Просрочено обращение № {number} (Энергетика")


async def test_a_low_rating_reopens_the_appeal(fake_tg: FakeBotApi, tg_app: App) -> None:
    fake = fake_tg
    number = await file_appeal(fake, tg_app)
    start = len(fake.calls)
    await fake.send_text(OPERATOR, f"/reply {number} Контейнеры вывезены.")
    answer = await fake.reply_to(CITIZEN, start)
    assert [label for label, _ in answer.buttons] == ["1", "2", "3", "4", "5"]
    start = len(fake.calls)
    await fake.press(CITIZEN, answer.buttons[1][1])
    reopened = await fake.reply_to(CITIZEN, start)
    assert f"Обращение № {number} возобновлено" in reopened.text
    # No head in the department: the admin is told, with a button to answer again.
    escalation = await fake.wait_for(
        lambda c: c.chat_id == OPERATOR and "Низкая оценка" in c.text,
        start=start,
    )
    assert escalation.buttons[0][0] == "Ответить"
    text = await step(
        fake,
        CITIZEN,
        fake.press(CITIZEN, answer.buttons[4][1]),
    )
    assert "поставить уже нельзя" in text


async def test_documents_both_ways(fake_tg: FakeBotApi, tg_app: App) -> None:
    fake = fake_tg
    await step(fake, CITIZEN, fake.send_text(CITIZEN, "/new"))
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "ЖКХ"),
        ),
    )
    await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, APPEAL_TEXT),
    )
    text = await step(
        fake,
        CITIZEN,
        fake.send_document(CITIZEN, "BQACdoc1", "акт.pdf", 120_000),
    )
    assert "Файл добавлен (1 из 5)" in text
    text = await step(
        fake,
        CITIZEN,
        fake.send_document(CITIZEN, "BQACexe", "setup.exe", 1000),
    )
    assert "Такой файл не принимается" in text
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Готово"),
        ),
    )
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Пропустить"),
        ),
    )
    start = len(fake.calls)
    await fake.press(
        CITIZEN,
        button(fake, CITIZEN, "Отправить"),
    )
    sent = await fake.wait_for(lambda c: c.method == "sendDocument", start=start)
    assert (sent.chat_id, sent.params["document"]) == (OPERATOR, "BQACdoc1")

    announcement = await fake.wait_for(
        lambda c: c.chat_id == OPERATOR and "Новое обращение" in c.text,
        start=start,
    )
    await card_remembered(tg_app)
    await step(
        fake,
        OPERATOR,
        fake.press(OPERATOR, announcement.buttons[1][1]),
    )
    start = len(fake.calls)
    await fake.send_document(
        OPERATOR,
        "BQACanswer",
        "ответ.pdf",
        80_000,
        caption="Ответ во вложении.",
    )
    sent = await fake.wait_for(
        lambda c: c.method == "sendDocument" and c.chat_id == CITIZEN,
        start=start,
    )
    assert sent.params["document"] == "BQACanswer"
    answer = await fake.reply_to(CITIZEN, start)
    assert "Ответ во вложении." in answer.text


async def test_deep_link_faq_and_a_qr_code_for_operators(fake_tg: FakeBotApi, tg_app: App) -> None:
    fake = fake_tg
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/start faq-deadline"),
    )
    assert text.startswith("<b>В какой срок дают ответ на обращение?</b>\nПо 59-ФЗ")
    text = await step(
        fake,
        CITIZEN,
        fake.press(CITIZEN, "faq:u:deadline:4"),
    )
    assert text == "Спасибо! Ваша оценка: 4."

    start = len(fake.calls)
    await fake.send_text(OPERATOR, "/qr topic-roads")
    photo = await fake.wait_for(lambda c: c.method == "sendPhoto", start=start)
    assert photo.chat_id == OPERATOR
    assert "https://t.me/civic_test_bot?start=topic-roads" in photo.params["caption"]
    # A real PNG went up as the photo.
    assert photo.params["photo_bytes"].startswith(b"\x89PNG")
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/start topic-roads"),
    )
    assert "Шаг 2 из 4" in text


async def test_an_english_telegram_gets_english_and_the_faq_finds_answers(
    fake_tg: FakeBotApi, tg_app: App
) -> None:
    fake = fake_tg
    guest = 4242
    await step(fake, guest, fake.send_text(guest, "/start", language_code="en-GB"))
    assert ("📝 File an appeal", "m:new") in fake.sent(guest)[-1].buttons
    text = await step(
        fake, guest, fake.send_text(guest, "how long until they answer me", language_code="en")
    )
    assert text.startswith("The answer may already be here:\n1. How soon will my appeal be")
    text = await step(fake, guest, fake.press(guest, button(fake, guest, "1")))
    assert text.startswith("<b>How soon will my appeal be answered?</b>")
    text = await step(fake, guest, fake.press(guest, button(fake, guest, "2")))
    assert text == "Thank you! Your rating: 2."
    # /lang switches to Russian, whatever Telegram says.
    await step(fake, guest, fake.send_text(guest, "/lang", language_code="en"))
    text = await step(fake, guest, fake.press(guest, button(fake, guest, "Русский")))
    assert text.startswith("Язык: русский.")
    text = await step(fake, guest, fake.send_text(guest, "/faq", language_code="en"))
    assert text.startswith("<b>Частые вопросы.</b>")


async def test_a_survey_answered_with_buttons_and_its_results_as_files(
    fake_tg: FakeBotApi, tg_app: App
) -> None:
    fake = fake_tg
    await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/start"),
    )
    await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, "/poll_new egov_satisfaction"),
    )
    start = len(fake.calls)
    await fake.press(
        OPERATOR,
        button(fake, OPERATOR, "Опубликовать"),
    )
    invitation = await fake.reply_to(CITIZEN, start)
    assert invitation.text.startswith("📊 <b>Новый опрос: Удовлетворённость")

    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Пройти опрос"),
        ),
    )
    await eventually(lambda: "Вопрос 1 из 5" in fake.sent(CITIZEN)[-1].text)
    text = await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Нет"),
        ),
    )
    assert text.startswith("<b>Вопрос 2 из 5</b>")
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "3"),
        ),
    )
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Долгий срок"),
        ),
    )
    assert (
        "✓ Долгий срок рассмотрения",
        button(fake, CITIZEN, "Долгий"),
    ) in fake.sent(CITIZEN)[-1].buttons
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Готово"),
        ),
    )
    await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "10"),
        ),
    )
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "Запись в МФЦ <без очередей> & онлайн"),
    )
    assert text.startswith("Спасибо! Ваши ответы на опрос")

    start = len(fake.calls)
    await fake.send_text(OPERATOR, "/poll_results 1")
    summary = await fake.reply_to(OPERATOR, start)
    assert "Ответили: 1 из 1 (100%)" in summary.text
    assert "• «Запись в МФЦ &lt;без очередей&gt; &amp; онлайн»" in summary.text  # escaped
    chart = await fake.wait_for(lambda c: c.method == "sendPhoto", start=start)
    assert chart.chat_id == OPERATOR and chart.params["photo_bytes"].startswith(b"\x89PNG")
    await eventually(
        lambda: len([c for c in fake.calls[start:] if c.method == "sendDocument"]) == 2
    )
    files = [c for c in fake.calls[start:] if c.method == "sendDocument"]
    assert files[0].params["document_bytes"].startswith(b"PK")  # XLSX is a zip
    assert "Запись в МФЦ" in files[1].params["document_bytes"].decode("utf-8-sig")


async def test_a_public_discussion_from_publication_to_summary(
    fake_tg: FakeBotApi, tg_app: App
) -> None:
    fake = fake_tg
    await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "/start"),
    )
    await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, "/discussion_new"),
    )
    await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, "Схема размещения нестационарных объектов"),
    )
    await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, "Где можно ставить киоски и павильоны."),
    )
    await step(
        fake,
        OPERATOR,
        fake.send_text(OPERATOR, "https://example.gov.ru/draft/17"),
    )
    await step(
        fake,
        OPERATOR,
        fake.press(
            OPERATOR,
            button(fake, OPERATOR, "Пропустить"),
        ),
    )
    start = len(fake.calls)
    await fake.press(
        OPERATOR,
        button(fake, OPERATOR, "Опубликовать"),
    )
    invitation = await fake.reply_to(CITIZEN, start)
    assert invitation.text.startswith("🗣 <b>Общественное обсуждение: Схема размещения")
    text = await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Прочитать"),
        ),
    )
    assert "Документ: https://example.gov.ru/draft/17" in text
    text = await step(
        fake,
        CITIZEN,
        fake.press(
            CITIZEN,
            button(fake, CITIZEN, "Оставить"),
        ),
    )
    assert text.startswith("Напишите замечание или предложение одним сообщением")
    text = await step(
        fake,
        CITIZEN,
        fake.send_text(CITIZEN, "Не ставить киоски у входа в поликлинику № 2"),
    )
    comment = text.split("№ ")[1].split(" ")[0]
    start = len(fake.calls)
    await fake.send_text(OPERATOR, f"/decide {comment} accept Место исключено")
    await fake.wait_for(
        lambda c: c.chat_id == OPERATOR and c.text.startswith(f"Решение по замечанию № {comment}"),
        start=start,
    )
    told = await fake.reply_to(CITIZEN, start)
    assert "учтено. Обоснование: Место исключено" in told.text
    start = len(fake.calls)
    await fake.send_text(OPERATOR, "/discussion_close 1")
    summary = await fake.reply_to(CITIZEN, start)
    assert summary.text.startswith("<b>Итоги общественного обсуждения № 1")
    assert "Учтено: 1, учтено частично: 0, отклонено: 0, без решения: 0" in summary.text
    report = await fake.wait_for(
        lambda c: c.method == "sendDocument" and c.chat_id == CITIZEN,
        start=start,
    )
    assert report.params["document_bytes"].startswith(b"PK")


async def test_the_scheduler_closes_a_poll_and_delivers_the_results(
    fake_tg: FakeBotApi, sqlite_url: str
) -> None:
    clock = Clock(datetime.now(UTC))
    settings = tg_settings(fake_tg, sqlite_url)
    fake = fake_tg
    async with running(settings, clock) as app:
        await step(
            fake,
            CITIZEN,
            fake.send_text(CITIZEN, "/start"),
        )
        await step(
            fake,
            OPERATOR,
            fake.send_text(OPERATOR, "/poll_new"),
        )
        await step(
            fake,
            OPERATOR,
            fake.send_text(OPERATOR, "Освещение в парке"),
        )
        await step(
            fake,
            OPERATOR,
            fake.send_text(OPERATOR, "Хватает ли освещения в парке?"),
        )
        await step(
            fake,
            OPERATOR,
            fake.press(
                OPERATOR,
                button(fake, OPERATOR, "Один вариант"),
            ),
        )
        await step(
            fake,
            OPERATOR,
            fake.send_text(OPERATOR, "Да\nНет"),
        )
        await step(
            fake,
            OPERATOR,
            fake.press(
                OPERATOR,
                button(fake, OPERATOR, "Готово, к"),
            ),
        )
        start = len(fake.calls)
        await fake.press(
            OPERATOR,
            button(fake, OPERATOR, "Опубликовать"),
        )
        await fake.reply_to(CITIZEN, start)
        await step(
            fake,
            CITIZEN,
            fake.press(
                CITIZEN,
                button(fake, CITIZEN, "Пройти опрос"),
            ),
        )
        await eventually(lambda: "Вопрос 1 из 1" in fake.sent(CITIZEN)[-1].text)
        await step(
            fake,
            CITIZEN,
            fake.press(
                CITIZEN,
                button(fake, CITIZEN, "Нет"),
            ),
        )

        start = len(fake.calls)
        clock.advance(days=7, minutes=1)
        await app.scheduler.polls()
        results = await fake.wait_for(
            lambda c: c.chat_id == CITIZEN and "закрыт" in c.text,
            start=start,
        )
        assert results.text.startswith("Опрос «Освещение в парке» закрыт. Спасибо за участие!")
        assert "• Нет — 1 (100%)" in results.text
        staff = await fake.wait_for(
            lambda c: c.chat_id == OPERATOR and "закрыт" in c.text,
            start=start,
        )
        assert staff.text.startswith("Опрос № 1 закрыт.")
        start = len(fake.calls)
        await app.scheduler.polls()  # nothing repeats
        await asyncio.sleep(0.3)
        assert [c for c in fake.calls[start:] if c.method == "sendMessage"] == []
