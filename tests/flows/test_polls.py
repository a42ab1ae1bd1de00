"""Polls and surveys through the conversation core: creating, answering one question at a
time, resuming after a restart, refusing what must be refused, the clock, the results."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.i18n import Renderer
from handlers.appeals.topics import TopicCatalog
from handlers.contracts import ChatRef, Platform
from handlers.engagement import groups
from storage.models import PollResponse
from storage.uow import UnitOfWork
from tests.helpers.flows import OPERATOR_ID, Clock, make_core
from tests.helpers.harness import Harness, Person, Shown

STALE = "Эта кнопка устарела или недоступна. Ничего не изменено."


async def tap(person: Person, label: str) -> list[Shown]:
    """Press the button labelled exactly ``label`` on the last message with buttons."""
    for shown in reversed(person.h.inbox.get(person.chat, [])):
        if shown.buttons:
            payloads = [p for text, p in shown.buttons if text == label]
            assert payloads, f"no button {label!r} in {shown.buttons}"
            return await person.send_payload(payloads[0])
    raise AssertionError("no buttons were shown")


async def publish_template(operator: Person) -> int:
    shown = await operator.say("/poll_new egov_satisfaction")
    assert shown[0].text.startswith("Черновик опроса № ")
    number = int(shown[0].text.split("№ ")[1].split(":")[0])
    published = await operator.press("Опубликовать")
    assert published[-1].text.startswith(f"Опрос № {number} открыт. Приглашение отправлено: ")
    await operator.h.send_mailings()  # the invitations go out through the mailer
    return number


async def test_a_survey_resumes_after_a_restart_and_one_response_is_kept(
    harness: Harness,
    citizen: Person,
    operator: Person,
    engine: AsyncEngine,
    topics: TopicCatalog,
    renderer: Renderer,
    clock: Clock,
) -> None:
    await citizen.say("/start")  # the bot knows the citizen: the audience "all" includes them
    number = await publish_template(operator)
    invitation = citizen.last
    assert invitation.text.startswith("📊 Новый опрос: Удовлетворённость электронными")
    shown = await citizen.press("Пройти опрос")
    assert "Опрос анонимный" in shown[0].text
    assert shown[1].text.startswith("Вопрос 1 из 5\nПолучали ли вы")
    shown = await tap(citizen, "Да, на Госуслугах")
    assert shown[0].text.startswith("Вопрос 2 из 5")
    await tap(citizen, "4")

    # The next day, after a restart: a new core on the same database.
    clock.advance(days=1)
    restarted = Harness(make_core(engine, topics, clock), renderer)
    again = restarted.person(citizen.user_id)
    shown = await again.say("/polls")
    assert "(начат)" in shown[0].text
    shown = await again.press("1")
    assert shown[0].text.startswith("Продолжаем опрос")
    assert shown[1].text.startswith("Вопрос 3 из 5\nС какими трудностями")
    shown = await tap(again, "Технические ошибки портала")
    assert "✓ Технические ошибки портала" in [label for label, _ in shown[0].buttons]
    await tap(again, "✓ Технические ошибки портала")  # and untick it
    shown = await tap(again, "Готово ➡️")
    assert shown[0].text == "Отметьте хотя бы один вариант."
    await tap(again, "Долгий срок рассмотрения")
    await tap(again, "Пришлось всё равно идти лично")
    shown = await tap(again, "Готово ➡️")
    assert shown[0].text.startswith("Вопрос 4 из 5")
    await tap(again, "9")
    shown = await again.say("x" * 1001)
    assert shown[0].text.startswith("Ответ слишком длинный: 1\xa0001 знаков")
    shown = await again.say("Понятные инструкции на портале")
    assert shown[0].text.startswith("Спасибо! Ваши ответы на опрос")

    # A second vote: the invitation's button, an old answer button, a direct insert.
    shown = await again.send_payload(invitation.buttons[0][1])
    assert "Повторный ответ не принимается" in shown[0].text
    old = next(s for s in restarted.inbox[again.chat] if s.text.startswith("Вопрос 4 из 5"))
    shown = await again.send_payload(old.buttons[0][1])
    assert "Повторный ответ не принимается" in shown[0].text
    async with UnitOfWork(async_sessionmaker(engine, expire_on_commit=False)) as uow:
        user = await uow.users.find("tg", citizen.user_id)
        assert user is not None
        uow.session.add(
            PollResponse(poll_id=number, user_id=user.id, platform="tg", chat_id="x", position=0)
        )
        with pytest.raises(IntegrityError):
            await uow.session.flush()

    results = (await restarted.person(OPERATOR_ID).say(f"/poll_results {number}"))[0]
    assert "Ответили: 1 из 1 (100%)" in results.text
    assert "• Да, на Госуслугах — 1 (100%)" in results.text
    assert "• Долгий срок рассмотрения — 1 (100%)" in results.text
    assert "• Технические ошибки портала — 0 (0%)" in results.text
    assert "Среднее: 4.0" in results.text and "Среднее: 9.0" in results.text
    assert "• «Понятные инструкции на портале»" in results.text
    assert results.uploads[f"poll-{number}.png"].startswith(b"\x89PNG")
    rows = list(csv.reader(io.StringIO(results.uploads[f"poll-{number}.csv"].decode("utf-8-sig"))))
    assert rows[0][0] == "Респондент" and rows[1][0] == "1"  # anonymous: a number, no name
    assert rows[1][2:] == [
        "Да, на Госуслугах",
        "4",
        "Долгий срок рассмотрения; Пришлось всё равно идти лично",
        "9",
        "Понятные инструкции на портале",
    ]
    book = load_workbook(io.BytesIO(results.uploads[f"poll-{number}.xlsx"]))
    assert book.sheetnames == ["Итоги", "Ответы"]
    summary = [list(row) for row in book["Итоги"].iter_rows(values_only=True)]
    assert summary[1][1:] == ["Да, на Госуслугах", 1, 100]
    assert citizen.name not in results.text
    # An English-speaking operator gets the files in English (the answers stay as given).
    staff = restarted.person(OPERATOR_ID)
    assert (await staff.say("/lang en"))[0].text == "Language: English."
    results = (await staff.say(f"/poll_results {number}"))[0]
    book = load_workbook(io.BytesIO(results.uploads[f"poll-{number}.xlsx"]))
    assert book.sheetnames == ["Summary", "Answers"]
    assert next(book["Summary"].iter_rows(values_only=True)) == (
        "Question",
        "Option",
        "Answers",
        "%",
    )
    rows = list(csv.reader(io.StringIO(results.uploads[f"poll-{number}.csv"].decode("utf-8-sig"))))
    assert rows[0][:2] == ["Respondent", "Completed"] and rows[1][2] == "Да, на Госуслугах"


async def test_bad_input_is_refused_and_changes_nothing(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    await citizen.say("/start")
    number = await publish_template(operator)
    # The list says how to go on with each poll, by the number a command takes.
    listed = (await operator.say("/poll_list"))[0].text
    assert "— идёт, ответили 0, закрытие" in listed
    assert f"итоги: /poll_results {number}, закрыть: /poll_close {number}" in listed
    await citizen.press("Пройти опрос")
    question = citizen.last
    first_option = question.buttons[0][1]  # pl:a:<poll>:<question>:0
    poll_part, question_part = first_option.split(":")[2:4]
    for forged in (
        f"pl:a:{poll_part}:{question_part}:99",  # no such option
        f"pl:a:{poll_part}:999:0",  # a question of no poll
        f"pl:a:{int(poll_part) + 5}:{question_part}:0",  # another poll
        f"pl:t:{poll_part}:{question_part}:0",  # ticking a single-choice question
        "pl:a:x:y:z",
        "pl:zzz",
    ):
        assert (await citizen.send_payload(forged))[0].text == STALE, forged
    # A button of a later question pressed early: told, and asked the current one.
    shown = await citizen.send_payload(f"pl:a:{poll_part}:{int(question_part) + 1}:3")
    assert shown[0].text == "Этот вопрос уже позади. Текущий вопрос:"
    assert shown[1].text.startswith("Вопрос 1 из 5")
    # Only operators see results and create polls.
    assert (await citizen.say(f"/poll_results {number}"))[0].text == (
        "Эта команда доступна только операторам."
    )
    assert (await citizen.say("/poll_new"))[0].text == "Эта команда доступна только операторам."
    assert (await citizen.send_payload(f"pb:pub:{number}"))[0].text == (
        "Эта команда доступна только операторам."
    )
    # Closed: answers are refused.
    closing = (await operator.say(f"/poll_close {number}"))[0].text
    assert closing.startswith(f"Опрос № {number} закрыт.\nИтоги опроса № {number}")
    shown = await citizen.send_payload(first_option)
    assert shown[0].text.startswith("Опрос «Удовлетворённость электронными")
    assert "закрыт, ответы больше не принимаются" in shown[0].text
    results = (await operator.say(f"/poll_results {number}"))[0].text
    assert "Ответили: 0 из 1 (0%)" in results
    assert "(закрыт)" in results
    listed = (await operator.say("/poll_list"))[0].text
    assert "— закрыт, ответили 0" in listed
    assert listed.endswith(f"; итоги: /poll_results {number}")


async def test_a_guided_poll_opens_reminds_and_closes_on_the_clock(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    other = harness.person("777", name="Анна Соколова")
    for person in (citizen, other):
        await person.say("/start")
    await operator.say("/poll_new")
    await operator.say("Где поставить новую детскую площадку?")
    await operator.say("Выберите место")
    await operator.press("Один вариант")
    await operator.say("Сквер на Мира\nДвор школы № 5\nПарк у реки")
    shown = await operator.press("Ещё вопрос")
    assert shown[0].text.startswith("Вопрос 2:")
    await operator.say("Что ещё там нужно?")
    await operator.press("Свободный ответ")
    shown = await operator.press("Готово, к настройкам")
    card = shown[0].text
    number = int(card.split("№ ")[1].split(":")[0])
    assert "1. [один вариант] Выберите место" in card
    assert "2. [свободный ответ] Что ещё там нужно?" in card
    listed = (await operator.say("/poll_list"))[0].text
    assert listed.endswith(
        f"— черновик, ответили 0, закрытие 09.03.2026 09:00; изменить: /poll_edit {number}"
    )
    await operator.say(f"/poll_edit {number}")
    await operator.press("Анонимность")  # now named
    # Opens tomorrow at 10:00 Moscow time, for 3 days.
    shown = await operator.say("с 03.03.2026 10:00")
    assert "Открытие: 03.03.2026 10:00" in shown[0].text
    assert "Закрытие: 10.03.2026 10:00" in shown[0].text  # the 7 days kept
    assert (await operator.say("завтра"))[0].text.startswith("Не понял время.")
    shown = await operator.press("Срок")
    assert "Закрытие: 17.03.2026 10:00" in shown[0].text  # 7 -> 14 days
    shown = await operator.say("до 06.03.2026 10:00")
    assert "Анонимный: нет" in shown[0].text
    shown = await operator.press("Опубликовать")
    assert (
        shown[0].text
        == f"Опрос № {number} откроется 03.03.2026 10:00: тогда аудитория получит приглашение."
    )
    assert await harness.deliver_all(await harness.core.run_job("polls")) == []

    clock.now = clock.now.replace(day=3, hour=7, minute=1)  # 10:01 in Moscow
    assert await harness.deliver_all(await harness.core.run_job("polls")) == []
    recorders = await harness.send_mailings()  # the invitations, through the mailer
    assert recorders[Platform.TELEGRAM].requests == 1  # "501" and "777" in one batch
    assert "Новый опрос" in citizen.last.text
    assert "Новый опрос" in harness.inbox[ChatRef(Platform.TELEGRAM, "777")][-1].text
    assert await harness.core.run_job("polls") == []  # once, whatever restarts follow
    assert (await harness.send_mailings())[Platform.TELEGRAM].requests == 0
    await citizen.press("Пройти опрос")
    await citizen.press("Двор школы")
    await citizen.say("Качели и песочницу")

    clock.advance(days=2, hours=1)  # less than a day before closing
    reminded = await harness.deliver_all(await harness.core.run_job("polls"))
    assert [s.chat.chat_id for s in reminded] == ["777"]  # not the one who answered
    assert reminded[0].text.startswith("⏰ Опрос «Где поставить новую детскую площадку?»")
    assert await harness.core.run_job("polls") == []

    clock.advance(days=1)
    closed = await harness.deliver_all(await harness.core.run_job("polls"))
    by_chat = {s.chat.chat_id: s for s in closed}
    assert set(by_chat) == {
        OPERATOR_ID,
        "501",
    }  # the author, and the one who answered
    staff = by_chat[OPERATOR_ID]
    assert staff.text.startswith(f"Опрос № {number} закрыт.\nИтоги опроса № {number}")
    assert "Ответили: 1 из 2 (50%)" in staff.text
    assert "• Двор школы № 5 — 1 (100%)" in staff.text
    assert set(staff.uploads) == {f"poll-{number}.png", f"poll-{number}.xlsx", f"poll-{number}.csv"}
    # Named: the respondent's name is in the files for staff.
    rows = list(csv.reader(io.StringIO(staff.uploads[f"poll-{number}.csv"].decode("utf-8-sig"))))
    assert rows[1][0] == citizen.name
    participant = by_chat["501"]
    assert participant.text.startswith("Опрос «Где поставить новую детскую площадку?» закрыт.")
    assert set(participant.uploads) == {f"poll-{number}.png"}
    assert await harness.core.run_job("polls") == []
    # A draft can be deleted; a published poll cannot.
    assert (await operator.send_payload(f"pb:del:{number}"))[0].text == STALE


async def test_changing_answers_where_allowed(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    await citizen.say("/start")
    await operator.say("/poll_new")
    await operator.say("Нужен ли бот в выходные?")
    await operator.say("Нужен ли бот в выходные?")
    await operator.press("Шкала 1–5")
    await operator.press("Готово, к настройкам")
    shown = await operator.press("Изменение ответа")
    assert "Можно изменить ответ: да" in shown[0].text
    await operator.press("Опубликовать")
    await harness.send_mailings()
    await citizen.press("Пройти опрос")
    shown = await tap(citizen, "2")
    assert "До " in shown[0].text and "их можно изменить через /polls" in shown[0].text
    await citizen.say("/polls")
    shown = await citizen.press("1")
    assert "До закрытия опроса ответы можно изменить." in shown[0].text
    shown = await citizen.press("Изменить ответы")
    assert shown[0].text.startswith("Вопрос 1 из 1")
    await tap(citizen, "5")
    results = (await operator.say("/poll_results 1"))[0].text
    assert "Среднее: 5.0" in results and "Ответили: 1 из 1" in results


async def test_the_audience_is_picked_from_a_list_paged_to_the_channel(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    """Every group and topic is one press away (not a button cycling through them all),
    several groups may be ticked, and the list is paged to ten buttons a message (VK)."""
    async with UnitOfWork(harness.core.session_factory) as uow:
        await groups.seed(uow, harness.core.settings.groups)
        await uow.commit()
    await operator.say("/poll_new")
    await operator.say("График приёма граждан")
    await operator.say("Удобен ли график?")
    await operator.press("Шкала 1–5")
    card = await operator.press("Готово, к настройкам")
    assert "Аудитория: все подписчики бота" in card[0].text

    shown = (await operator.press("Аудитория"))[0]
    labels = [label for label, _ in shown.buttons]
    assert len(shown.buttons) <= harness.core.settings.buttons_max
    assert labels[0] == "✔ Все пользователи бота"
    assert "Группа: Предприниматели" in labels
    assert labels[-2:] == ["Ещё (2 из 2) →", "← К черновику"]
    shown = (await operator.press("Группа: Предприниматели"))[0]
    shown = (await operator.press("Группа: Эксперты"))[0]
    assert shown.text.startswith("Кому: участники групп: Предприниматели, Эксперты.")
    # A topic is on the next page; choosing it replaces the groups (one kind at a time).
    shown = (await operator.press("Ещё (2 из 2)"))[0]
    assert "Писали по теме: Транспорт" in [label for label, _ in shown.buttons]
    shown = (await operator.press("Писали по теме: Транспорт"))[0]
    assert shown.text.startswith("Кому: писавшие по теме «Транспорт».")
    assert "✔ Писали по теме: Транспорт" in [label for label, _ in shown.buttons]
    # Unticking the last group or the topic leaves everyone.
    shown = (await operator.press("✔ Писали по теме: Транспорт"))[0]
    assert shown.text.startswith("Кому: все пользователи бота.")
    await operator.press("Ещё (1 из 2)")  # the list stays at the page pressed: back to the first
    shown = (await operator.press("Группа: Жители"))[0]
    card = await operator.press("К черновику")
    assert "Аудитория: участники групп: Жители" in card[0].text

    # Forged or stale: a group that is not there, a topic that is not there.
    poll = int(card[0].text.split("№ ")[1].split(":")[0].split()[0])
    for forged in (f"pb:s:{poll}:g:moon", f"pb:s:{poll}:t:moon", f"pb:s:{poll + 9}:all"):
        refused = await operator.send_payload(forged)
        assert refused[0].text == "Эта кнопка устарела или недоступна. Ничего не изменено."
    # Nothing changed: the list opens with the audience as it was.
    shown = (await operator.press("Аудитория"))[0]
    assert shown.text.startswith("Кому: участники групп: Жители.")
    # Citizens may not press any of it.
    refused = await citizen.send_payload(f"pb:s:{poll}:all")
    assert "только операторам" in refused[0].text
