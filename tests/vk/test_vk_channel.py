"""The whole loop on VK: real vkbottle long polling against a fake VK API server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.app import App
from tests.helpers.channels import card_remembered, posts_noted, running
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.fake_vk_api import FakeVkApi
from tests.helpers.settings import make_settings
from tests.helpers.vk import VK_CITIZEN, VK_OPERATOR, payload, press, step

APPEAL_TEXT = "На остановке «Школа №5» <сломан> навес & скамейка, людям негде укрыться"


async def draft(fake: FakeVkApi, topic: str) -> None:
    """A citizen's appeal on ``topic`` up to its summary: text, no files, no place."""
    await step(fake, VK_CITIZEN, fake.send(VK_CITIZEN, "/new"))
    await press(fake, VK_CITIZEN, topic)
    await step(fake, VK_CITIZEN, fake.send(VK_CITIZEN, APPEAL_TEXT))
    await press(fake, VK_CITIZEN, "Пропустить")
    await press(fake, VK_CITIZEN, "Пропустить")


async def submit(fake: FakeVkApi, app: App) -> str:
    """Press "Отправить"; the registration number, once the live card has come too and the
    bot has noted where it is."""
    start = len(fake.calls)
    registered = await press(fake, VK_CITIZEN, "Отправить")
    assert "Обращение зарегистрировано" in registered
    await fake.wait_for(
        lambda c: c.peer_id == VK_CITIZEN and "Ждёт оператора." in c.text,
        start=start,
    )
    await card_remembered(app)
    return registered.split("Номер: ")[1].split(" ")[0]


async def test_citizen_files_operator_answers_citizen_sees_it(
    fake_vk: FakeVkApi, vk_app: App
) -> None:
    fake = fake_vk
    text = await step(
        fake,
        VK_CITIZEN,
        fake.send(VK_CITIZEN, "Начать", payload='{"command":"start"}'),
    )
    assert "официальный бот администрации" in text
    menu = fake.sent(VK_CITIZEN)[-1]
    assert json.loads(menu.params["keyboard"])["inline"] is True
    assert [label for label, _ in menu.buttons] == [
        "📝 Подать обращение",
        "📂 Мои обращения",
        "❓ Частые вопросы",
        "ℹ️ Информация",
        "❓ Помощь",
        "💡 Предложить улучшение",
        "🛡 Сообщить о коррупции",
    ]

    assert "Шаг 1 из 4" in await press(fake, VK_CITIZEN, "Подать")
    assert "Шаг 2 из 4" in await press(fake, VK_CITIZEN, "Транспорт")
    assert "Шаг 3 из 4" in await step(fake, VK_CITIZEN, fake.send(VK_CITIZEN, APPEAL_TEXT))
    text = await step(
        fake,
        VK_CITIZEN,
        fake.send_photo(VK_CITIZEN, VK_CITIZEN, 456239017),
    )
    assert "Файл добавлен (1 из 5)" in text
    assert "Шаг 4 из 4" in await press(fake, VK_CITIZEN, "Готово")
    geo = {"type": "point", "coordinates": {"latitude": 53.195, "longitude": 45.018}}
    summary = await step(fake, VK_CITIZEN, fake.send(VK_CITIZEN, geo=geo))
    # VK shows plain text: no tags, and what the citizen typed exactly as typed.
    assert summary.startswith("Проверьте обращение\n")
    assert f"Текст: {APPEAL_TEXT}" in summary
    assert "Геопозиция: 53.195000, 45.018000" in summary

    start = len(fake.calls)
    number = await submit(fake, vk_app)
    card = fake.sent(VK_CITIZEN)[-1]
    assert card.text.startswith(f"Обращение № {number} · Зарегистрировано")

    announcement = await fake.reply_to(VK_OPERATOR, start)
    assert f"Новое обращение № {number}" in announcement.text
    assert f"От: id{VK_CITIZEN} (ВКонтакте)" in announcement.text
    # The photo goes to the staff as a VK attachment of the same photo.
    assert announcement.params["attachment"] == f"photo{VK_CITIZEN}_456239017_abc123"

    start = len(fake.calls)
    text = await press(fake, VK_OPERATOR, "Взять в работу", who=VK_OPERATOR)
    assert f"Вы взяли в работу обращение № {number}" in text
    notice = await fake.reply_to(VK_CITIZEN, start)
    assert notice.text == f"Ваше обращение № {number} взято в работу."
    # The live card is edited in place (messages.edit of the message the card was sent as).
    edit = await fake.wait_for(lambda c: c.method == "messages.edit", start=start)
    assert edit.params["message_id"] == str(card.result)
    assert edit.params["message"].startswith(f"Обращение № {number} · В работе")

    start = len(fake.calls)
    await fake.press(VK_OPERATOR, payload(fake, VK_OPERATOR, "Ответить"))
    assert "Напишите ответ" in (await fake.reply_to(VK_OPERATOR, start)).text
    start = len(fake.calls)
    await fake.send(VK_OPERATOR, "Навес отремонтируют до 15 марта.")
    answer = await fake.reply_to(VK_CITIZEN, start)
    assert answer.text.startswith(
        f"Ответ на ваше обращение № {number}\nНавес отремонтируют до 15 марта.\nОцените"
    )
    assert [label for label, _ in answer.buttons] == ["1", "2", "3", "4", "5"]

    text = await step(fake, VK_CITIZEN, fake.send(VK_CITIZEN, "/my"))
    assert f"№ {number}" in text
    assert "Дан ответ" in text
    # Every send carries its own random_id, so VK does not drop one as a duplicate.
    ids = [c.params["random_id"] for c in fake.calls if c.method == "messages.send"]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    "raw",
    ['{"p": "op:take:1"}', "not json at all", '{"p": 5}', "[1,2]", '{"p": "f:000000:ok"}'],
)
async def test_forged_and_garbled_payloads_are_refused(
    fake_vk: FakeVkApi, vk_app: App, raw: str
) -> None:
    text = await step(
        fake_vk,
        VK_CITIZEN,
        fake_vk.send(VK_CITIZEN, "кнопка", payload=raw),
    )
    assert text in (
        "Эта кнопка устарела или недоступна. Ничего не изменено.",
        "Эта команда доступна только операторам.",
    )
    # And the loop keeps serving.
    text = await step(fake_vk, VK_CITIZEN, fake_vk.send(VK_CITIZEN, "/help"))
    assert "Что умеет бот" in text


async def test_a_vk_error_on_one_send_does_not_stop_the_bot(
    fake_vk: FakeVkApi, vk_app: App
) -> None:
    fake_vk.fail("messages.send", 901, "Can't send messages for users without permission")
    start = len(fake_vk.calls)
    await fake_vk.send(VK_CITIZEN, "/start")
    await fake_vk.reply_to(VK_CITIZEN, start)
    text = await step(fake_vk, VK_CITIZEN, fake_vk.send(VK_CITIZEN, "/help"))
    assert "Что умеет бот" in text


async def test_vk_citizen_answered_by_a_telegram_operator(
    fake_vk: FakeVkApi,
    fake_tg: FakeBotApi,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both channels in one process; the answer reaches the citizen where they wrote."""
    monkeypatch.chdir(tmp_path)
    tg_operator = 9000
    settings = make_settings(
        telegram_bot_token=fake_tg.token,
        telegram_api_url=fake_tg.url,
        vk_group_token=fake_vk.token,
        vk_api_url=fake_vk.api_url,
        database_url=sqlite_url,
        admins=f"tg:{tg_operator}",
        staff_chat=f"tg:{tg_operator}",
    )
    async with running(settings) as app:
        await draft(fake_vk, "Дороги")
        start = len(fake_tg.calls)
        number = await submit(fake_vk, app)

        announcement = await fake_tg.reply_to(tg_operator, start)
        assert f"Новое обращение № {number}" in announcement.text
        assert "(ВКонтакте)" in announcement.text
        # HTML on Telegram: the VK citizen's text is escaped there.
        assert "&lt;сломан&gt; навес &amp; скамейка" in announcement.text

        start = len(fake_vk.calls)
        await fake_tg.send_text(tg_operator, f"/reply {number} Навес заменят на этой неделе.")
        answer = await fake_vk.reply_to(VK_CITIZEN, start)
        assert "Навес заменят на этой неделе." in answer.text


async def test_group_conversation_mentions_and_silence(fake_vk: FakeVkApi, vk_app: App) -> None:
    conversation = 2_000_000_001
    start = len(fake_vk.calls)
    await fake_vk.send(VK_OPERATOR, "Коллеги, доброе утро", peer_id=conversation)
    await fake_vk.send(VK_OPERATOR, "[club777|@adm] /queue", peer_id=conversation)
    reply = await fake_vk.reply_to(conversation, start)
    # The chatter got no answer; the command addressed with a mention did.
    assert reply.text == "Открытых обращений нет."
    text = await step(
        fake_vk,
        conversation,
        fake_vk.send(VK_CITIZEN, "/my", peer_id=conversation),
    )
    assert "только в личных сообщениях" in text


async def test_an_extension_reaches_the_vk_citizen(fake_vk: FakeVkApi, vk_app: App) -> None:
    fake = fake_vk
    await draft(fake, "Образование")
    number = await submit(fake, vk_app)
    start = len(fake.calls)
    await fake.send(
        VK_OPERATOR,
        f"/extend {number} 15 Запрошены документы в управлении образования",
    )
    told = await fake.reply_to(VK_CITIZEN, start)
    assert told.text.startswith(f"Срок рассмотрения вашего обращения № {number} продлён до ")
    assert told.text.endswith("Причина: Запрошены документы в управлении образования")


async def test_a_cross_department_action_is_refused(fake_vk: FakeVkApi, vk_app: App) -> None:
    fake = fake_vk
    roads_operator = 3333
    text = await step(
        fake,
        VK_OPERATOR,
        fake.send(VK_OPERATOR, f"/operator add vk:{roads_operator} roads"),
    )
    assert text == f"vk:{roads_operator}: оператор: Блок «Дороги»."
    await draft(fake, "ЖКХ")
    await submit(fake, vk_app)
    text = await step(fake, roads_operator, fake.send(roads_operator, "/take 1"))
    assert "вам оно недоступно. Ничего не изменено." in text
    text = await step(fake, roads_operator, fake.press(roads_operator, '{"p":"op:take:1"}'))
    assert "вам оно недоступно" in text
    # The housing appeal still waits to be taken by its own department.
    text = await step(fake, VK_OPERATOR, fake.send(VK_OPERATOR, "/queue"))
    assert "Зарегистрировано" in text


async def test_a_forum_topic_reply_reaches_the_vk_citizen(
    fake_vk: FakeVkApi,
    fake_tg: FakeBotApi,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The staff work in a Telegram supergroup with topics; the citizen wrote on VK."""
    monkeypatch.chdir(tmp_path)
    tg_operator, staff_group = 9000, -1009876543210
    fake_tg.forums.add(staff_group)
    settings = make_settings(
        telegram_bot_token=fake_tg.token,
        telegram_api_url=fake_tg.url,
        vk_group_token=fake_vk.token,
        vk_api_url=fake_vk.api_url,
        database_url=sqlite_url,
        admins=f"tg:{tg_operator}",
        staff_chat=f"tg:{staff_group}",
    )
    async with running(settings) as app:
        await draft(fake_vk, "Дороги")
        start = len(fake_tg.calls)
        number = await submit(fake_vk, app)

        # The appeal's own topic, titled with its number, topic and status...
        opened = await fake_tg.wait_for(lambda c: c.method == "createForumTopic", start=start)
        assert opened.params["name"] == f"№ {number} · Дороги · Зарегистрировано"
        thread = opened.result["message_thread_id"]
        # ...where the announcement is posted.
        announcement = await fake_tg.reply_to(staff_group, start)
        assert f"Новое обращение № {number}" in announcement.text
        assert int(announcement.params["message_thread_id"]) == thread
        await posts_noted(app)

        # An operator writes in the topic: the VK citizen gets it as the administration's.
        start = len(fake_vk.calls)
        tg_start = len(fake_tg.calls)
        await fake_tg.send_text(
            tg_operator, "Навес заменят до пятницы.", chat_id=staff_group, thread_id=thread
        )
        answer = await fake_vk.reply_to(VK_CITIZEN, start)
        assert answer.text.startswith(
            f"Ответ на ваше обращение № {number}\nНавес заменят до пятницы."
        )
        assert "User9000" not in answer.text  # the operator's own account stays unseen
        confirmation = await fake_tg.reply_to(staff_group, tg_start)
        assert int(confirmation.params["message_thread_id"]) == thread
        renamed = await fake_tg.wait_for(lambda c: c.method == "editForumTopic", start=tg_start)
        assert renamed.params["name"] == f"№ {number} · Дороги · Дан ответ"
        assert fake_tg.topics[staff_group][thread] == f"№ {number} · Дороги · Дан ответ"


async def test_a_reply_to_the_announcement_answers_on_vk(fake_vk: FakeVkApi, vk_app: App) -> None:
    fake = fake_vk
    await draft(fake, "ЖКХ")
    start = len(fake.calls)
    number = await submit(fake, vk_app)
    announcement = await fake.wait_for(
        lambda c: c.peer_id == VK_OPERATOR and "Новое обращение" in c.text,
        start=start,
    )
    await posts_noted(vk_app)
    start = len(fake.calls)
    await fake.send(VK_OPERATOR, "Подрядчик приедет завтра.", reply_to=int(announcement.result))
    answer = await fake.reply_to(VK_CITIZEN, start)
    assert answer.text.startswith(f"Ответ на ваше обращение № {number}\nПодрядчик приедет")


async def test_faq_deep_link_search_and_accessible_mode_on_vk(
    fake_vk: FakeVkApi, vk_app: App
) -> None:
    fake = fake_vk
    # A QR code on a stand: vk.me/club…?ref=faq-deadline opens that answer.
    text = await step(
        fake,
        VK_CITIZEN,
        fake.send(VK_CITIZEN, "", ref="faq-deadline"),
    )
    assert text.startswith("В какой срок дают ответ на обращение?\nПо 59-ФЗ")
    assert await press(fake, VK_CITIZEN, "5") == "Спасибо! Ваша оценка: 5."
    # A question in the citizen's own words, typo included.
    text = await step(
        fake,
        VK_CITIZEN,
        fake.send(VK_CITIZEN, "не вывазят мусар во дворе"),
    )
    assert text.startswith("Возможно, ответ уже есть:\n1. Что делать, если не вывозят мусор?")
    # The accessible mode: for clients that show no buttons, numbers work.
    text = await step(fake, VK_CITIZEN, fake.send(VK_CITIZEN, "/access"))
    assert "1. Подать обращение" in text and "📝" not in text
    text = await step(fake, VK_CITIZEN, fake.send(VK_CITIZEN, "3"))
    assert text.startswith("Частые вопросы.")
    assert "1. Подача обращения" in text


async def test_an_operator_gets_a_qr_code_picture_on_vk(fake_vk: FakeVkApi, vk_app: App) -> None:
    fake = fake_vk
    start = len(fake.calls)
    await fake.send(VK_OPERATOR, "/qr topic-roads")
    sent = await fake.reply_to(VK_OPERATOR, start)
    assert "https://vk.me/club777?ref=topic-roads" in sent.text
    # The picture went through VK's upload server and is attached to the message.
    attached = re.fullmatch(r"photo-777_(\d+)_qk", sent.params["attachment"])
    assert attached is not None
    assert fake.uploads[int(attached[1])].startswith(b"\x89PNG")
    # A citizen who scans it lands on the appeal form with the topic chosen.
    text = await step(
        fake,
        VK_CITIZEN,
        fake.send(VK_CITIZEN, "", ref="topic-roads"),
    )
    assert "Шаг 2 из 4" in text

    # When VK refuses the upload, the operator still gets the link to print.
    fake.fail("photos.getMessagesUploadServer", 15, "Access denied")
    start = len(fake.calls)
    await fake.send(VK_OPERATOR, "/qr faq-deadline")
    sent = await fake.reply_to(VK_OPERATOR, start)
    assert "https://vk.me/club777?ref=faq-deadline" in sent.text
    assert "attachment" not in sent.params


async def test_a_poll_on_vk_from_the_dialog_to_results_as_uploaded_files(
    fake_vk: FakeVkApi, vk_app: App
) -> None:
    fake = fake_vk
    await step(fake, VK_CITIZEN, fake.send(VK_CITIZEN, "/start"))
    await step(fake, VK_OPERATOR, fake.send(VK_OPERATOR, "/poll_new"))
    await step(
        fake,
        VK_OPERATOR,
        fake.send(VK_OPERATOR, "Удобен ли новый график приёма?"),
    )
    await step(
        fake,
        VK_OPERATOR,
        fake.send(VK_OPERATOR, "Оцените график приёма"),
    )
    await press(fake, VK_OPERATOR, "Шкала 1–5")
    await press(fake, VK_OPERATOR, "Готово, к настройкам")
    start = len(fake.calls)
    await fake.press(VK_OPERATOR, payload(fake, VK_OPERATOR, "Опубликовать"))
    invitation = await fake.reply_to(VK_CITIZEN, start)
    assert invitation.text.startswith("📊 Новый опрос: Удобен ли новый график приёма?")

    await fake.press(VK_CITIZEN, payload(fake, VK_CITIZEN, "Пройти опрос"))
    question = await fake.wait_for(
        lambda c: c.peer_id == VK_CITIZEN and "Вопрос 1 из 1" in c.text,
        start=start,
    )
    assert [label for label, _ in question.buttons] == ["1", "2", "3", "4", "5"]
    text = await press(fake, VK_CITIZEN, "4")
    assert text.startswith("Спасибо! Ваши ответы на опрос")
    # The old button again: a second vote is refused.
    text = await step(
        fake,
        VK_CITIZEN,
        fake.press(VK_CITIZEN, question.buttons[0][1]),
    )
    assert "Повторный ответ не принимается" in text

    start = len(fake.calls)
    await fake.send(VK_OPERATOR, "/poll_results 1")
    results = await fake.reply_to(VK_OPERATOR, start)
    assert "Ответили: 1 из 1 (100%)" in results.text and "Среднее: 4.0" in results.text
    attached = results.params["attachment"].split(",")
    assert [a.split("-777_")[0] for a in attached] == ["photo", "doc", "doc"]
    ids = [int(a.split("_")[1]) for a in attached]
    assert fake.uploads[ids[0]].startswith(b"\x89PNG")
    assert fake.uploads[ids[1]].startswith(b"PK")
    assert [fake.titles[i] for i in ids[1:]] == ["poll-1.xlsx", "poll-1.csv"]
