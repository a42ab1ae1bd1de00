"""Departments and roles: each appeal reaches its department, and people act only where
their role allows; refusals change nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.contracts import ChatRef, Platform
from storage.models import Appeal, AppealStatus
from tests.helpers.flows import APPEAL_TEXT
from tests.helpers.harness import Harness, Person

ROADS_OPERATOR = "2001"
ROADS_HEAD = "2002"
HOUSING_OPERATOR = "2003"
HOUSING_HEAD = "2004"
OFFICER = "2005"


async def file(citizen: Person, topic: str) -> str:
    await citizen.say("/new")
    await citizen.press(topic)
    await citizen.say(APPEAL_TEXT)
    await citizen.press("Пропустить")
    await citizen.press("Пропустить")
    shown = await citizen.press("Отправить")
    return shown[0].text.split("Номер: ")[1].split(" ")[0]


async def staff_up(admin: Person) -> None:
    for command in (
        f"/operator add tg:{ROADS_OPERATOR} roads",
        f"/operator add tg:{ROADS_HEAD} roads head",
        f"/operator add tg:{HOUSING_OPERATOR} housing operator",
        f"/operator add tg:{HOUSING_HEAD} housing head",
        f"/operator add tg:{OFFICER} anticorruption",
    ):
        shown = await admin.say(command)
        assert shown[0].text.startswith("tg:"), shown[0].text


async def status(engine: AsyncEngine, appeal_id: int) -> tuple[AppealStatus, str]:
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(Appeal.status, Appeal.department).where(Appeal.id == appeal_id)
            )
        ).one()
        return row[0], row[1]


async def test_admins_manage_staff(harness: Harness, operator: Person, citizen: Person) -> None:
    await staff_up(operator)
    shown = await operator.say("/operators")
    listing = shown[0].text
    assert "tg:1000 — администратор (ADMINS)" in listing
    assert f"tg:{ROADS_OPERATOR} — оператор: Блок «Дороги»" in listing
    assert f"tg:{ROADS_HEAD} — руководитель: Блок «Дороги»" in listing
    assert f"tg:{OFFICER} — ответственный за противодействие коррупции" in listing

    shown = await operator.say(f"/operator remove tg:{ROADS_OPERATOR}")
    assert shown[0].text == f"tg:{ROADS_OPERATOR}: снято ролей — 1."
    assert f"tg:{ROADS_OPERATOR}" not in (await operator.say("/operators"))[0].text

    for bad in (
        "/operator",
        "/operator add",
        "/operator add tg:x roads",
        "/operator add tg:5 roads boss",
    ):
        usage = (await operator.say(bad))[0].text
        assert "Управление сотрудниками" in usage
        assert "Человек указывается как tg:ID, vk:ID или max:ID" in usage
    shown = await operator.say("/operator add tg:5 moon")
    assert shown[0].text.startswith("Такого отдела нет")
    # Nobody else manages staff, staff included.
    roads_head = harness.person(ROADS_HEAD)
    for person in (citizen, roads_head):
        shown = await person.say(f"/operator add tg:{person.user_id} - admin")
        assert shown[0].text == "Эта команда доступна только администраторам."


async def test_an_appeal_reaches_its_department_only(
    harness: Harness, operator: Person, citizen: Person, engine: AsyncEngine
) -> None:
    await staff_up(operator)
    number = await file(citizen, "Дороги")
    told = {
        chat.chat_id
        for chat, shown in harness.inbox.items()
        if any(number in s.text for s in shown)
    }
    assert told == {citizen.user_id, "1000", ROADS_OPERATOR, ROADS_HEAD}
    announcement = harness.inbox[ChatRef(Platform.TELEGRAM, ROADS_OPERATOR)][-1]
    assert "Ответственный: Блок «Дороги»" in announcement.text


async def test_cross_department_actions_are_refused(
    harness: Harness, operator: Person, citizen: Person, engine: AsyncEngine
) -> None:
    await staff_up(operator)
    await file(citizen, "ЖКХ")
    roads = harness.person(ROADS_OPERATOR)
    assert (await roads.say("/queue"))[0].text == "Открытых обращений нет."
    for command in ("/take 1", "/reply 1 Чужой ответ", "/close 1", "/history 1"):
        shown = await roads.say(command)
        assert "ведёт Блок «Жилищно-коммунальное хозяйство»; вам оно недоступно" in shown[0].text
    shown = await roads.send_payload("op:take:1")
    assert "вам оно недоступно" in shown[0].text
    officer = harness.person(OFFICER)
    assert (await officer.say("/queue"))[0].text == "Эта команда доступна только операторам."
    assert await status(engine, 1) == (AppealStatus.NEW, "housing")

    housing = harness.person(HOUSING_OPERATOR)
    assert "№ 2026-00001" in (await housing.say("/queue"))[0].text
    assert "Вы взяли в работу" in (await housing.say("/take 1"))[0].text


async def test_heads_reassign_and_the_citizen_sees_it(
    harness: Harness, operator: Person, citizen: Person, engine: AsyncEngine
) -> None:
    await staff_up(operator)
    number = await file(citizen, "ЖКХ")
    housing = harness.person(HOUSING_OPERATOR)
    await housing.say("/take 1")
    shown = await housing.say("/assign 1 roads")
    assert shown[0].text.startswith("Передать обращение № 2026-00001 может администратор")

    head = harness.person(HOUSING_HEAD)
    for bad, answer in (
        ("/assign 1", "Укажите номер и отдел"),
        ("/assign 1 moon", "Такого отдела нет"),
    ):
        assert (await head.say(bad))[0].text.startswith(answer)
    assert "уже ведёт" in (await head.say("/assign 1 housing"))[0].text
    shown = await head.say("/assign 1 roads")
    assert shown[0].text == "Обращение № 2026-00001 передано: Блок «Дороги»."
    assert citizen.last.text == (
        f"Ваше обращение № {number} передано для рассмотрения: Блок «Дороги»."
    )
    # The new department is told; the appeal waits to be taken there again.
    assert number in harness.inbox[ChatRef(Platform.TELEGRAM, ROADS_OPERATOR)][-1].text
    assert await status(engine, 1) == (AppealStatus.NEW, "roads")
    assert "вам оно недоступно" in (await housing.say("/reply 1 Ответ"))[0].text
    roads = harness.person(ROADS_OPERATOR)
    assert "Вы взяли в работу" in (await roads.say("/take 1"))[0].text

    history = (await operator.say("/history 1"))[0].text
    assert "История обращения № 2026-00001" in history
    assert (
        f"— передано в другой отдел — Иван Петров (tg:{HOUSING_HEAD}) (housing → roads)" in history
    )
    assert f"— взято в работу — Иван Петров (tg:{ROADS_OPERATOR})" in history
