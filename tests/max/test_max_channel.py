"""The whole loop on MAX: the real maxapi client, long polling a fake MAX API server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import App
from tests.helpers.channels import card_remembered, posts_noted, running
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.fake_max_api import FakeMaxApi
from tests.helpers.max import (
    APPEAL_TEXT,
    MAX_CITIZEN,
    MAX_OPERATOR,
    file_appeal,
    max_settings,
    payload,
    press,
    step,
)
from tests.helpers.telegram import CITIZEN, OPERATOR, button
from tests.helpers.telegram import step as tg_step


async def test_citizen_files_operator_answers_citizen_sees_it(
    fake_max: FakeMaxApi, max_app: App
) -> None:
    fake = fake_max
    text = await step(fake, MAX_CITIZEN, fake.open_bot(MAX_CITIZEN))
    assert "официальный бот администрации" in text
    menu = fake.sent(MAX_CITIZEN)[-1]
    assert menu.body["format"] == "html"
    assert [label for label, _ in menu.buttons][:2] == ["📝 Подать обращение", "📂 Мои обращения"]

    assert "Шаг 1 из 4" in await press(fake, MAX_CITIZEN, "Подать")
    assert "Шаг 2 из 4" in await press(fake, MAX_CITIZEN, "Транспорт")
    assert "Шаг 3 из 4" in await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, APPEAL_TEXT))
    text = await step(fake, MAX_CITIZEN, fake.send_photo(MAX_CITIZEN, "citizen-photo"))
    assert "Файл добавлен (1 из 5)" in text
    assert "Шаг 4 из 4" in await press(fake, MAX_CITIZEN, "Готово")
    summary = await step(fake, MAX_CITIZEN, fake.send_location(MAX_CITIZEN, 53.195, 45.018))
    # HTML as MAX reads it: what the citizen typed is escaped, not taken for markup.
    assert "&lt;сломан&gt; навес &amp; скамейка" in summary
    assert "Геопозиция: 53.195000, 45.018000" in summary

    start = len(fake.calls)
    registered = await press(fake, MAX_CITIZEN, "Отправить")
    assert "Обращение зарегистрировано" in registered
    found = re.search(r"Номер: (?:<b>)?(\d{4}-\d+)", registered)
    assert found is not None, registered
    number = found.group(1)
    card = await fake.wait_for(
        lambda c: c.to == MAX_CITIZEN and "Ждёт оператора." in c.text, start=start
    )
    await card_remembered(max_app)
    announcement = await fake.reply_to(MAX_OPERATOR, start)
    assert f"Новое обращение № {number}" in announcement.text
    # The citizen's name as MAX gives it, and the channel in the operator's words.
    assert f"Житель{MAX_CITIZEN} (MAX)" in announcement.text
    # The photo goes to the staff as the same MAX picture, by its token.
    assert {"type": "image", "payload": {"token": "citizen-photo"}} in announcement.attachments
    # Every press was answered, so the button's spinner stopped.
    assert any(c.method == "POST /answers" for c in fake.calls)

    start = len(fake.calls)
    text = await press(fake, MAX_OPERATOR, "Взять в работу")
    assert f"Вы взяли в работу обращение № {number}" in text
    notice = await fake.reply_to(MAX_CITIZEN, start)
    assert notice.text == f"Ваше обращение № {number} взято в работу."
    # The live card is edited in place (PUT /messages of the message the card was sent as).
    edit = await fake.wait_for(lambda c: c.method == "PUT /messages", start=start)
    assert edit.params["message_id"] == card.result["message"]["body"]["mid"]
    assert "В работе" in edit.text

    start = len(fake.calls)
    await fake.press(MAX_OPERATOR, payload(fake, MAX_OPERATOR, "Ответить"))
    assert "Напишите ответ" in (await fake.reply_to(MAX_OPERATOR, start)).text
    start = len(fake.calls)
    await fake.send_text(MAX_OPERATOR, "Навес отремонтируют до 15 марта.")
    answer = await fake.reply_to(MAX_CITIZEN, start)
    assert "Навес отремонтируют до 15 марта." in answer.text
    assert [label for label, _ in answer.buttons] == ["1", "2", "3", "4", "5"]
    text = await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, "/my"))
    assert f"№ {number}" in text
    assert "Дан ответ" in text

    # A low rating reopens the appeal, and the admin is told.
    start = len(fake.calls)
    await fake.press(MAX_CITIZEN, answer.buttons[1][1])
    reopened = await fake.reply_to(MAX_CITIZEN, start)
    assert f"Обращение № {number} возобновлено" in reopened.text
    escalation = await fake.wait_for(
        lambda c: c.to == MAX_OPERATOR and "Низкая оценка" in c.text, start=start
    )
    assert escalation.buttons[0][0] == "Ответить"
    text = await step(fake, MAX_CITIZEN, fake.press(MAX_CITIZEN, answer.buttons[4][1]))
    assert "поставить уже нельзя" in text


@pytest.mark.parametrize("forged", ["op:take:1", "not a payload", "", "f:000000:ok", "m" * 300])
async def test_forged_and_garbled_payloads_are_refused(
    fake_max: FakeMaxApi, max_app: App, forged: str
) -> None:
    text = await step(fake_max, MAX_CITIZEN, fake_max.press(MAX_CITIZEN, forged))
    assert text in (
        "Эта кнопка устарела или недоступна. Ничего не изменено.",
        "Эта команда доступна только операторам.",
    )
    text = await step(fake_max, MAX_CITIZEN, fake_max.send_text(MAX_CITIZEN, "/help"))
    assert "Что умеет бот" in text


async def test_documents_reports_and_a_qr_code_go_through_the_upload_server(
    fake_max: FakeMaxApi, max_app: App
) -> None:
    fake = fake_max
    await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, "/new"))
    await press(fake, MAX_CITIZEN, "ЖКХ")
    await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, APPEAL_TEXT))
    text = await step(fake, MAX_CITIZEN, fake.send_file(MAX_CITIZEN, "акт.pdf", 120_000, "doc-7"))
    assert "Файл добавлен (1 из 5)" in text
    text = await step(fake, MAX_CITIZEN, fake.send_file(MAX_CITIZEN, "setup.exe", 1000, "doc-8"))
    assert "Такой файл не принимается" in text
    await press(fake, MAX_CITIZEN, "Готово")
    await press(fake, MAX_CITIZEN, "Пропустить")
    start = len(fake.calls)
    await press(fake, MAX_CITIZEN, "Отправить")
    announcement = await fake.wait_for(
        lambda c: c.to == MAX_OPERATOR and "Новое обращение" in c.text, start=start
    )
    # The citizen's document reaches the staff as the same MAX file.
    assert announcement.attachments == [{"type": "file", "payload": {"token": "doc-7"}}]

    # A report's chart and spreadsheet: put on MAX's upload server, attached by their tokens.
    start = len(fake.calls)
    await fake.send_text(MAX_OPERATOR, "/report week now")
    report = await fake.wait_for(
        lambda c: c.to == MAX_OPERATOR and bool(c.attachments), start=start, timeout=20
    )
    tokens = [a["payload"]["token"] for a in report.attachments]
    kinds = [a["type"] for a in report.attachments]
    assert kinds[0] == "image" and "file" in kinds
    assert fake.files[tokens[0]].startswith(b"\x89PNG")
    spreadsheets = [t for t in tokens if fake.file_names[t].endswith(".xlsx")]
    assert spreadsheets, fake.file_names
    assert fake.files[spreadsheets[0]].startswith(b"PK")

    # A QR code in MAX's own form; a citizen who opens it lands on the appeal form's topic.
    start = len(fake.calls)
    await fake.send_text(MAX_OPERATOR, "/qr topic-roads")
    sent = await fake.reply_to(MAX_OPERATOR, start)
    assert "https://max.ru/adm_bot?start=topic-roads" in sent.text
    [picture] = sent.attachments
    assert fake.files[picture["payload"]["token"]].startswith(b"\x89PNG")
    text = await step(fake, 4777, fake.open_bot(4777, "topic-roads"))
    assert "Шаг 2 из 4" in text


async def test_a_staff_group_chat_on_max(
    fake_max: FakeMaxApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STAFF_CHAT=max:<chat id>: announcements go to the group chat (MAX's chat ids are
    negative), commands there are answered and chatter is not."""
    monkeypatch.chdir(tmp_path)
    staff = -71_955_698_945_289
    settings = max_settings(fake_max, sqlite_url, staff_chat=f"max:{staff}")
    async with running(settings) as app:
        start = len(fake_max.calls)
        number = await file_appeal(fake_max, app)
        announcement = await fake_max.wait_for(
            lambda c: c.to == staff and "Новое обращение" in c.text, start=start
        )
        assert announcement.params["chat_id"] == str(staff) and "user_id" not in announcement.params
        start = len(fake_max.calls)
        await fake_max.send_text(MAX_OPERATOR, "Коллеги, доброе утро", chat_id=staff)
        await fake_max.send_text(MAX_OPERATOR, "/queue", chat_id=staff)
        reply = await fake_max.reply_to(staff, start)
        assert f"№ {number}" in reply.text
        assert len([c for c in fake_max.calls[start:] if c.to == staff]) == 1
        # A reply to the announcement in the group chat answers the citizen.
        await posts_noted(app)
        start = len(fake_max.calls)
        mid = announcement.result["message"]["body"]["mid"]
        await fake_max.send_text(
            MAX_OPERATOR, "Подрядчик приедет завтра.", chat_id=staff, reply_to=mid
        )
        answer = await fake_max.wait_for(
            lambda c: c.to == MAX_CITIZEN and "Подрядчик приедет завтра." in c.text, start=start
        )
        assert f"Ответ на ваше обращение № {number}" in answer.text


async def test_a_max_citizen_answered_by_a_telegram_operator_and_the_other_way_round(
    fake_max: FakeMaxApi,
    fake_tg: FakeBotApi,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Telegram and MAX in one process, one case history: the answer reaches the citizen
    where they wrote."""
    monkeypatch.chdir(tmp_path)
    settings = max_settings(
        fake_max,
        sqlite_url,
        telegram_bot_token=fake_tg.token,
        telegram_api_url=fake_tg.url,
        admins=f"tg:{OPERATOR},max:{MAX_OPERATOR}",
        staff_chat=f"tg:{OPERATOR}",
    )
    async with running(settings) as app:
        start = len(fake_tg.calls)
        number = await file_appeal(fake_max, app)
        announcement = await fake_tg.reply_to(OPERATOR, start)
        assert f"Новое обращение № {number}" in announcement.text
        assert "(MAX)" in announcement.text
        start = len(fake_max.calls)
        await fake_tg.send_text(OPERATOR, f"/reply {number} Контейнеры вывезут завтра.")
        answer = await fake_max.reply_to(MAX_CITIZEN, start)
        assert "Контейнеры вывезут завтра." in answer.text

        # A Telegram citizen's appeal answered by the operator on MAX.
        await tg_step(fake_tg, CITIZEN, fake_tg.send_text(CITIZEN, "/new"))
        await tg_step(fake_tg, CITIZEN, fake_tg.press(CITIZEN, button(fake_tg, CITIZEN, "ЖКХ")))
        await tg_step(fake_tg, CITIZEN, fake_tg.send_text(CITIZEN, APPEAL_TEXT))
        for label in ("Пропустить", "Пропустить", "Отправить"):
            text = await tg_step(
                fake_tg, CITIZEN, fake_tg.press(CITIZEN, button(fake_tg, CITIZEN, label))
            )
        tg_number = text.split("<b>")[1].split("</b>")[0]
        start = len(fake_tg.calls)
        await fake_max.send_text(MAX_OPERATOR, f"/reply {tg_number} Отремонтируем в среду.")
        answer_tg = await fake_tg.wait_for(
            lambda c: c.chat_id == CITIZEN and "Отремонтируем в среду." in c.text, start=start
        )
        assert f"Ответ на ваше обращение № {tg_number}" in answer_tg.text


async def test_faq_deep_link_search_accessible_mode_and_personal_data_on_max(
    fake_max: FakeMaxApi, max_app: App
) -> None:
    fake = fake_max
    # A QR code on a stand: max.ru/<bot>?start=faq-deadline opens that answer.
    text = await step(fake, MAX_CITIZEN, fake.open_bot(MAX_CITIZEN, "faq-deadline"))
    assert "В какой срок дают ответ на обращение?" in text and "По 59-ФЗ" in text
    assert await press(fake, MAX_CITIZEN, "5") == "Спасибо! Ваша оценка: 5."
    text = await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, "не вывазят мусар во дворе"))
    assert text.startswith("Возможно, ответ уже есть:\n1. Что делать, если не вывозят мусор?")
    # The accessible mode: numbers instead of buttons, no emoji.
    text = await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, "/access"))
    assert "1. Подать обращение" in text and "📝" not in text
    text = await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, "3"))
    assert "Частые вопросы." in text
    await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, "/access"))

    # What the bot keeps, as a file through MAX's upload server; then erased.
    start = len(fake.calls)
    await fake.send_text(MAX_CITIZEN, "/mydata")
    shown = await fake.wait_for(lambda c: c.to == MAX_CITIZEN and bool(c.attachments), 20, start)
    assert "Что бот хранит о вас" in shown.text
    [file] = shown.attachments
    assert fake.file_names[file["payload"]["token"]] == "mydata.json"
    assert b'"profile"' in fake.files[file["payload"]["token"]]
    text = await step(fake, MAX_CITIZEN, fake.send_text(MAX_CITIZEN, "/forget"))
    assert text.startswith("Удалить ваши персональные данные?")
    text = await press(fake, MAX_CITIZEN, "Удалить мои данные")
    assert text.startswith("Ваши персональные данные удалены.")
