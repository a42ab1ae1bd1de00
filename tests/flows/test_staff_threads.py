"""Staff forum topics: a topic per appeal, what staff write there answers the citizen, the
citizen's follow-ups appear there; without topics, a reply to the announcement does the same."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.contracts import Attachment, AttachmentKind, ChatRef, Platform
from storage.models import Appeal, AppealAnswer, AppealStatus
from tests.helpers.flows import OPERATOR_ID, file_appeal, make_core
from tests.helpers.harness import Harness, Shown

STAFF = ChatRef(Platform.TELEGRAM, "-1001234567890")


async def status(engine: AsyncEngine) -> AppealStatus:
    async with engine.connect() as connection:
        return (await connection.execute(select(Appeal.status))).scalar_one()


async def answers(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(select(AppealAnswer.text))).scalars())


def staff_harness(harness: Harness, engine: AsyncEngine, *, forum: bool) -> Harness:
    staff = Harness(
        make_core(engine, harness.core.topics, staff_chats=(STAFF,)),
        harness.renderer,
    )
    if forum:
        staff.forums.add(STAFF)
    return staff


def announcement(harness: Harness) -> Shown:
    return next(s for s in harness.inbox[STAFF] if "Новое обращение" in s.text)


async def test_a_topic_per_appeal_and_an_answer_written_in_it(
    harness: Harness, engine: AsyncEngine
) -> None:
    h = staff_harness(harness, engine, forum=True)
    citizen, operator = (
        h.person("501"),
        h.person(OPERATOR_ID, name="Мария Операторова"),
    )
    await file_appeal(citizen)
    posted = announcement(h)
    assert posted.thread_id is not None
    assert h.topics[(STAFF, posted.thread_id)] == "№ 2026-00001 · ЖКХ · Зарегистрировано"

    shown = await operator.write_in(
        STAFF, "Мусор вывезут сегодня до 18:00.", thread_id=posted.thread_id
    )
    # The citizen gets the administration's answer, with no word of who wrote it.
    assert citizen.last.text.startswith(
        "Ответ на ваше обращение № 2026-00001\nМусор вывезут сегодня до 18:00."
    )
    assert "Мария" not in citizen.last.text
    # The operator is told in the same topic, and the topic's title follows the status.
    confirmation = next(s for s in shown if s.chat == STAFF)
    assert confirmation.text == "Ответ на обращение № 2026-00001 отправлен гражданину."
    assert confirmation.thread_id == posted.thread_id
    assert h.topics[(STAFF, posted.thread_id)] == "№ 2026-00001 · ЖКХ · Дан ответ"
    assert await answers(engine) == ["Мусор вывезут сегодня до 18:00."]


async def test_staff_talk_in_the_topic_and_outsiders_change_nothing(
    harness: Harness, engine: AsyncEngine
) -> None:
    h = staff_harness(harness, engine, forum=True)
    citizen, operator = h.person("501"), h.person(OPERATOR_ID)
    stranger = h.person("777", name="Посторонний")
    await file_appeal(citizen)
    thread = announcement(h).thread_id
    before = len(h.inbox[citizen.chat])

    assert await operator.write_in(STAFF, "// кто съездит на место?", thread_id=thread) == []
    shown = await stranger.write_in(STAFF, "Я всё решу", thread_id=thread)
    assert [s.text for s in shown] == ["Эта команда доступна только операторам."]
    assert shown[0].thread_id == thread
    assert len(h.inbox[citizen.chat]) == before
    assert await status(engine) is AppealStatus.NEW
    assert await answers(engine) == []


async def test_an_operator_of_another_department_is_refused_in_the_topic(
    harness: Harness, engine: AsyncEngine
) -> None:
    h = staff_harness(harness, engine, forum=True)
    citizen, admin = h.person("501"), h.person(OPERATOR_ID)
    roads = h.person("3333", name="Дорожник")
    await admin.say("/operator add tg:3333 roads")
    await file_appeal(citizen)  # housing, not roads
    thread = announcement(h).thread_id
    shown = await roads.write_in(STAFF, "Отвечаю за ЖКХ", thread_id=thread)
    assert "вам оно недоступно. Ничего не изменено." in shown[0].text
    assert await status(engine) is AppealStatus.NEW
    assert await answers(engine) == []


async def test_the_citizens_follow_ups_appear_in_the_topic(
    harness: Harness, engine: AsyncEngine
) -> None:
    h = staff_harness(harness, engine, forum=True)
    citizen, operator = h.person("501"), h.person(OPERATOR_ID)
    await file_appeal(citizen)
    thread = announcement(h).thread_id

    assert [label for label, _ in h.cards[1].buttons] == ["Дополнить обращение", "Подробнее"]
    await citizen.send_payload(h.cards[1].payload("Дополнить"))
    assert "Напишите, что добавить к обращению № 2026-00001" in citizen.last.text
    await citizen.photo("bins-photo", caption="Контейнеры переполнены, фото прилагаю")
    assert citizen.last.text == (
        "Дополнение приложено к обращению № 2026-00001, сотрудники уведомлены."
    )
    added = h.inbox[STAFF][-1]
    assert added.thread_id == thread
    assert added.text == (
        "Гражданин дополнил обращение № 2026-00001 (файлов: 1):\n"
        "Контейнеры переполнены, фото прилагаю"
    )
    assert added.photos == ("bins-photo",)

    # A question asked by /ask: the citizen's reply reaches the asker and the topic.
    await operator.say("/ask 1 Какой номер подъезда?")
    await citizen.say("Второй подъезд")
    reply = h.inbox[STAFF][-1]
    assert reply.thread_id == thread
    assert reply.text.startswith("Гражданин ответил на вопрос по обращению № 2026-00001")
    assert h.inbox[operator.chat][-1].text == reply.text
    history = await operator.say("/history 1")
    assert "гражданин дополнил обращение" in history[0].text

    # The operator answers in the topic; an addition after that is refused.
    await operator.write_in(STAFF, "Вывезли, спасибо за фото.", thread_id=thread)
    await citizen.send_payload("add:1")
    assert citizen.last.text.startswith("Обращение № 2026-00001 уже рассмотрено")


async def test_without_topics_a_reply_to_the_announcement_answers(
    harness: Harness, engine: AsyncEngine
) -> None:
    h = staff_harness(harness, engine, forum=False)
    citizen, operator = h.person("501"), h.person(OPERATOR_ID)
    await file_appeal(citizen)
    posted = announcement(h)
    assert posted.thread_id is None and h.topics == {}

    # Chatter and a reply to some other message of the bot answer nothing.
    listing = await operator.write_in(STAFF, "/queue")
    assert await operator.write_in(STAFF, "Это не нам", reply_to=listing[0].message_id) == []
    assert await status(engine) is AppealStatus.NEW

    document = Attachment(AttachmentKind.DOCUMENT, "doc-answer", name="ответ.pdf", size=9000)
    await operator.write_in(
        STAFF,
        "Ответ во вложении.",
        reply_to=posted.message_id,
        attachments=(document,),
    )
    assert citizen.last.text.startswith("Ответ на ваше обращение № 2026-00001\nОтвет во вложении.")
    assert citizen.last.photos == ("doc-answer",)
    assert await status(engine) is AppealStatus.ANSWERED


async def test_a_reply_in_a_private_chat_answers_too(harness: Harness, engine: AsyncEngine) -> None:
    """No STAFF_CHAT: announcements reach the operators' own chats; a reply there answers."""
    citizen, operator = harness.person("501"), harness.person(OPERATOR_ID)
    await file_appeal(citizen)
    posted = next(s for s in harness.inbox[operator.chat] if "Новое обращение" in s.text)
    await harness.deliver(operator._incoming(text="Уже вывезли.", reply_to=posted.message_id))
    assert citizen.last.text.startswith("Ответ на ваше обращение № 2026-00001\nУже вывезли.")
    assert await answers(engine) == ["Уже вывезли."]
