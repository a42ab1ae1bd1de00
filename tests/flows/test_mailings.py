"""Reference groups and mailings through the core, and the mailer sending them: joining with
consent, approval, operators' lists, composing with a preview, RSVP, leaving during a
mailing, schedules across a restart, and a crash in the middle resumed without repeats."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from bot.mailer import Mailer
from handlers.appeals.topics import TopicCatalog
from handlers.contracts import ChatRef, Outgoing, Platform
from handlers.engagement import groups
from handlers.engagement.paid_broadcast import PaidBroadcast
from storage.database import create_session_factory
from storage.models import Delivery, DeliveryStatus, GroupMember, Mailing, MailingStatus, Rsvp
from storage.uow import UnitOfWork
from tests.helpers.flows import NOW, OPERATOR_ID, Clock, make_core
from tests.helpers.harness import Harness, MailRecorder, Person


@pytest.fixture
async def world(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer, clock: Clock
) -> Harness:
    core = make_core(engine, topics, clock)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        await groups.seed(uow, core.settings.groups)
        await uow.commit()
    return Harness(core, renderer)


def mailer_for(
    harness: Harness, engine: AsyncEngine, clock: Clock, **kw: Any
) -> tuple[Mailer, dict[Platform, MailRecorder]]:
    deliverer = harness.deliverer()
    recorders = {p: MailRecorder(harness, p) for p in (Platform.TELEGRAM, Platform.VK)}
    for recorder in recorders.values():
        deliverer.register(recorder)
    return Mailer(create_session_factory(engine), deliverer, clock=clock, **kw), recorders


async def drain(mailer: Mailer, engine: AsyncEngine) -> None:
    """Send every mailing in progress to the end, as the mailer's loop does."""
    async with UnitOfWork(create_session_factory(engine)) as uow:
        ids = await uow.mailings.sending()
    for mailing_id in ids:
        await mailer.send(mailing_id)
    await mailer.delivered()


async def count(engine: AsyncEngine, model: type, **where: object) -> int:
    async with engine.connect() as connection:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int((await connection.execute(query)).scalar() or 0)


def received(person: Person, fragment: str) -> int:
    return sum(fragment in shown.text for shown in person.h.inbox.get(person.chat, []))


async def join(person: Person, group_label: str) -> None:
    await person.say("/groups")
    await person.press(group_label)
    await person.press("Вступить")


async def compose(operator: Person, text: str, *, group_labels: tuple[str, ...] = ()) -> int:
    """A mailing to the chosen groups (else all subscribers); its number."""
    await operator.say("/mailing_new")
    shown = await operator.say(text)
    number = int(shown[-1].text.split("№ ")[1].split()[0])
    if group_labels:
        await operator.press("Аудитория")
        for label in group_labels:
            await operator.press(label)
        await operator.press("К черновику")
    return number


async def residents_mailing(
    world: Harness, text: str, first_id: int, count: int
) -> tuple[Person, list[Person], int]:
    """``count`` new members of «Жители» and an operator's mailing to them, started: the
    operator, the members and the mailing's number."""
    operator = world.person(OPERATOR_ID, name="Оператор")
    members = [world.person(str(first_id + n)) for n in range(count)]
    for member in members:
        await join(member, "Жители")
    number = await compose(operator, text, group_labels=("Жители",))
    await operator.press("Отправить")
    return operator, members, number


async def test_joining_records_consent_closed_groups_wait_for_an_operator(
    world: Harness, engine: AsyncEngine
) -> None:
    citizen, operator = (
        world.person("501"),
        world.person(OPERATOR_ID, name="Оператор"),
    )
    shown = await citizen.say("/groups")
    assert "Предприниматели — не состоите" in shown[0].text
    assert "Журналисты и СМИ (по заявке)" in shown[0].text

    shown = await citizen.press("Предприниматели")
    assert "соглашаетесь получать рассылки" in shown[0].text
    shown = await citizen.press("Вступить")
    assert "Вы в группе «Предприниматели»" in shown[0].text
    async with engine.connect() as connection:
        consent = (await connection.execute(select(GroupMember.consent))).scalar_one()
    assert consent == "self"

    # A closed group: a request, the staff told, the operator approves, the citizen told.
    await citizen.say("/groups")
    await citizen.press("Журналисты")
    shown = await citizen.press("Подать заявку")
    assert "Заявка на вступление в группу «Журналисты и СМИ» отправлена" in shown[0].text
    assert "Новая заявка в группу «Журналисты и СМИ»" in operator.last.text
    shown = await operator.say("/group_requests")
    assert "Иван Петров" in shown[0].text
    # The citizen cannot approve themselves with the operator's button.
    approve = shown[0].payload("Принять")
    shown = await citizen.send_payload(approve)
    assert "только операторам" in shown[0].text
    shown = await operator.press("Принять")
    assert "Заявка принята" in shown[0].text
    assert "Ваша заявка в группу «Журналисты и СМИ» принята" in citizen.last.text
    # Pressed twice: already decided, nothing changes.
    shown = await operator.send_payload(approve)
    assert "уже рассмотрена" in shown[0].text

    shown = await citizen.say("/groups")
    assert "Журналисты и СМИ (по заявке) — вы в группе" in shown[0].text
    await citizen.press("Предприниматели")
    shown = await citizen.press("Выйти")
    assert "Вы вышли из группы «Предприниматели»" in shown[0].text
    assert await count(engine, GroupMember) == 1


async def test_operators_make_groups_and_import_members(
    world: Harness, engine: AsyncEngine
) -> None:
    operator, citizen = (
        world.person(OPERATOR_ID, name="Оператор"),
        world.person("501"),
    )
    shown = await citizen.say("/group_add business tg:1")
    assert "только операторам" in shown[0].text
    shown = await operator.say("/group_new youth open Молодёжь | Новости для молодёжи | 14–35 лет")
    assert "Группа «Молодёжь» (youth) создана" in shown[0].text
    shown = await operator.say("/group_new youth open Дубль")
    assert "уже есть" in shown[0].text
    shown = await operator.say("/group_new Bad-Code open X")
    assert "Формат: /group_new" in shown[0].text

    # A pasted list: one per line, with noise; duplicates counted once.
    shown = await operator.say("/group_add youth\ntg:601\nvk:602, tg:601\nне id\ntg:603")
    assert "добавлено 3, уже были в группе 0" in shown[0].text
    shown = await operator.say("/group_add youth tg:601")
    assert "добавлено 0, уже были в группе 1" in shown[0].text
    shown = await operator.say("/group_members youth")
    assert "участников 3, заявок 0" in shown[0].text
    assert "vk:602" in shown[0].text and "добавлен оператором" in shown[0].text
    shown = await operator.say("/group_remove youth tg:603")
    assert "исключено 1" in shown[0].text
    shown = await operator.say("/group_members nosuch")
    assert "Формат: /group_members" in shown[0].text
    shown = await operator.say("/group_set youth closed")
    assert "по заявке" in shown[0].text
    assert await count(engine, GroupMember) == 2


async def test_a_mailing_from_draft_to_summary_with_rsvp_and_leaving(
    world: Harness, engine: AsyncEngine, clock: Clock
) -> None:
    operator = world.person(OPERATOR_ID, name="Оператор")
    tg_member, vk_member = world.person("501"), world.person("502", Platform.VK)
    outsider = world.person("503")
    await join(tg_member, "Общественные")
    await join(vk_member, "Общественные")
    await join(outsider, "Предприниматели")

    number = await compose(
        operator, "Приглашаем на обсуждение <проекта> бюджета", group_labels=("Общественные",)
    )
    shown = await operator.say("Проект бюджета | https://example.org/budget")
    assert "Ссылок: 1" in shown[0].text
    shown = await operator.say("ерунда")
    assert "Не понял" in shown[0].text
    await operator.press("Приду / Не смогу")
    shown = await operator.press("Предпросмотр")
    preview = shown[0]
    assert "Приглашаем на обсуждение <проекта> бюджета" in preview.text
    assert "участников группы Общественные организации" in preview.text
    assert [label for label, _ in preview.buttons] == [
        "Проект бюджета",
        "✔ Приду",
        "✖ Не смогу",
        "Выйти из группы",
        "Не получать рассылки",
    ]
    shown = await operator.send_payload(preview.payload("Приду"))
    assert "Это предпросмотр" in shown[0].text

    shown = await operator.press("Отправить")
    assert f"Рассылка № {number}: получателей 2" in shown[0].text
    assert await count(engine, Delivery, status=DeliveryStatus.PENDING) == 2
    # Sent: what is a draft no more cannot be edited from its old card.
    shown = await operator.send_payload(f"mb:s:{number}:rsvp")
    assert "устарела" in shown[0].text

    mailer, _ = mailer_for(world, engine, clock)
    await drain(mailer, engine)
    assert received(tg_member, "Приглашаем на обсуждение") == 1
    assert received(vk_member, "Приглашаем на обсуждение") == 1
    assert received(outsider, "Приглашаем на обсуждение") == 0
    assert received(operator, "Приглашаем на обсуждение") == 1  # the preview only
    summary = operator.last.text
    assert f"Итоги рассылки № {number}" in summary and "Доставлено: 2" in summary

    shown = await tg_member.press("Приду")
    assert "вы придёте" in shown[0].text
    await vk_member.press("Не смогу")
    await vk_member.press("Приду")  # changed their mind: one answer each
    await tg_member.send_payload(f"ml:rsvp:{number}:n")
    assert await count(engine, Rsvp) == 2
    # Someone who did not get the mailing cannot answer it.
    shown = await outsider.send_payload(f"ml:rsvp:{number}:y")
    assert "устарела" in shown[0].text
    shown = await operator.say("/mailings")
    assert f"№ {number} · отправлена" in shown[0].text
    assert "Доставлено 2 из 2" in shown[0].text and "придут 1, не смогут 1" in shown[0].text

    shown = await vk_member.press("Выйти из группы")
    assert "Вы вышли из групп: Общественные организации" in shown[0].text
    shown = await vk_member.press("Не получать рассылки")
    assert "отказались от всех рассылок" in shown[0].text
    shown = await vk_member.say("/groups")
    assert "отказались от всех рассылок" in shown[0].text


async def test_leaving_during_a_mailing_takes_effect_for_it(
    world: Harness, engine: AsyncEngine, clock: Clock
) -> None:
    operator = world.person(OPERATOR_ID, name="Оператор")
    members = [world.person(str(600 + n)) for n in range(4)]
    for member in members:
        await join(member, "Жители")
    await compose(operator, "Плановое отключение воды 25 ноября", group_labels=("Жители",))
    await operator.press("Отправить")

    # The mailer's first request reaches two; then the other two opt out before theirs
    # (one request at a time: only requests already in flight cannot be stopped).
    mailer, recorders = mailer_for(world, engine, clock, chunk=2, concurrency=1)
    async with UnitOfWork(create_session_factory(engine)) as uow:
        (mailing_id,) = await uow.mailings.sending()

    async def opt_out() -> None:
        await members[2].say("/groups")
        await members[2].press("Жители")
        await members[2].press("Выйти")
        shown = await members[3].send_payload(f"ml:leave:{mailing_id}")
        assert "устарела" in shown[0].text  # not a recipient yet: no such button of theirs
        await members[3].send_payload("ml:stop")

    recorders[Platform.TELEGRAM].after_first = opt_out
    await mailer.send(mailing_id)
    got = [received(m, "Плановое отключение") for m in members]
    assert got == [1, 1, 0, 0]
    assert await count(engine, Delivery, status=DeliveryStatus.SKIPPED) == 2
    assert "Отписались во время рассылки: 2" in operator.last.text


async def test_a_crash_mid_mailing_resumes_without_repeats_or_losses(
    world: Harness, engine: AsyncEngine, clock: Clock
) -> None:
    operator = world.person(OPERATOR_ID, name="Оператор")
    members = [world.person(str(700 + n)) for n in range(7)]
    for member in members:
        await join(member, "Жители")
    await compose(operator, "Новости района за неделю", group_labels=("Жители",))
    await operator.press("Отправить")
    async with UnitOfWork(create_session_factory(engine)) as uow:
        (mailing_id,) = await uow.mailings.sending()

    # The first process dies while its third request is in flight (never answered): what
    # it marked stays marked, the request in flight is not.
    mailer, recorders = mailer_for(world, engine, clock, chunk=3)
    recorder = recorders[Platform.TELEGRAM]
    real_mail = recorder.mail
    hang = asyncio.Event()

    async def hangs_on_the_third(chats: list[str], message: Outgoing, key: int) -> object:
        if recorder.requests == 2:
            recorder.requests += 1
            await hang.wait()
        return await real_mail(chats, message, key)

    recorder.mail = hangs_on_the_third  # type: ignore[method-assign,assignment]
    task = asyncio.create_task(mailer.send(mailing_id))
    async with asyncio.timeout(10):
        while recorder.requests < 3:
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    sent_before = await count(engine, Delivery, status=DeliveryStatus.SENT)
    assert 3 <= sent_before < 7

    # A new process (new mailer, new core) picks it up from the database.
    restarted = Harness(make_core(engine, world.core.topics, clock), world.renderer)
    restarted.inbox = world.inbox
    second, _ = mailer_for(restarted, engine, clock)
    await drain(second, engine)
    assert [received(m, "Новости района") for m in members] == [1] * 7
    assert await count(engine, Delivery, status=DeliveryStatus.SENT) == 7


async def test_stopping_during_the_last_chunk_reports_the_mailing_at_once(
    world: Harness, engine: AsyncEngine, clock: Clock
) -> None:
    # Seven members in chunks of three, one message each: the seventh is the last chunk.
    # The bot stops (SIGTERM, /quit) while it is in flight.
    operator, members, number = await residents_mailing(world, "Субботник в парке", 720, 7)
    mailer, recorders = mailer_for(world, engine, clock, chunk=3)
    recorder = recorders[Platform.TELEGRAM]
    real_mail = recorder.mail
    mailed: list[str] = []

    async def stops_during_the_last(chats: list[str], message: Outgoing, key: int) -> object:
        mailed.extend(chats)
        if len(mailed) == len(members):
            await mailer.stop()
        return await real_mail(chats, message, key)

    recorder.mail = stops_during_the_last  # type: ignore[method-assign,assignment]
    await asyncio.wait_for(mailer.run(), 10)
    # Its summary's outcome recorded too: nothing of it still writes when the test ends.
    await asyncio.wait_for(mailer.delivered(), 10)
    assert [received(m, "Субботник в парке") for m in members] == [1] * 7
    # Nothing left to send: reported now, not at the next start.
    summary = operator.last.text
    assert f"Итоги рассылки № {number}" in summary and "Доставлено: 7" in summary
    async with UnitOfWork(create_session_factory(engine)) as uow:
        assert await uow.mailings.sending() == []


async def test_blocked_recipients_are_marked_and_counted(
    world: Harness, engine: AsyncEngine, clock: Clock
) -> None:
    operator = world.person(OPERATOR_ID, name="Оператор")
    members = [world.person(str(800 + n)) for n in range(3)]
    for member in members:
        await join(member, "Жители")
    await compose(operator, "Приём граждан переносится на четверг", group_labels=("Жители",))
    await operator.press("Отправить")
    mailer, recorders = mailer_for(world, engine, clock)
    recorders[Platform.TELEGRAM].blocked.add("801")
    await drain(mailer, engine)
    assert "Недоступны (заблокировали бота): 1" in operator.last.text
    assert await count(engine, Delivery, status=DeliveryStatus.BLOCKED) == 1
    # The progress message was edited in place at the end.
    assert recorders[Platform.TELEGRAM].edits >= 1


async def test_a_schedule_survives_a_restart_and_a_missed_one_is_reported(
    world: Harness,
    engine: AsyncEngine,
    clock: Clock,
    topics: TopicCatalog,
    renderer: Renderer,
) -> None:
    operator = world.person(OPERATOR_ID, name="Оператор")
    member = world.person("901")
    await join(member, "Жители")
    weekly = await compose(operator, "Еженедельный дайджест новостей", group_labels=("Жители",))
    shown = await operator.say("05.03.2026 10:00")
    assert "Когда: 05.03.2026 10:00" in shown[0].text
    await operator.press("Повтор")  # every day
    shown = await operator.press("Повтор")  # every week
    assert "Повтор: каждую неделю" in shown[0].text
    shown = await operator.press("Запланировать")
    assert "запланирована на 05.03.2026 10:00, затем каждую неделю" in shown[0].text

    once = await compose(operator, "Разовое объявление о приёме", group_labels=("Жители",))
    shown = await operator.say("2.03.2026 8:00")
    assert "уже прошло" in shown[0].text
    await operator.say("03.03.2026 12:00")
    await operator.press("Запланировать")

    # The bot is down from before 3 March 12:00 until 4 March 08:00 (20 h later: too late,
    # the limit is 12 h); a new core, as after a restart, runs the clock.
    clock.now = NOW + timedelta(days=2, hours=-1)  # 4 March 08:00 Moscow
    core = make_core(engine, topics, clock)
    restarted = Harness(core, renderer)
    restarted.inbox = world.inbox
    await restarted.deliver_all(await core.run_job("mailings"))
    assert f"Рассылка № {once} на 03.03.2026 12:00 не отправлена" in operator.last.text
    assert await count(engine, Mailing, id=once, status=MailingStatus.MISSED) == 1

    # 5 March 10:00 passes while the bot is down again; it is back at 10:20: sent, late,
    # once, however often the clock runs; the plan moves to 12 March.
    clock.now = NOW + timedelta(days=3, hours=1, minutes=20)
    await restarted.deliver_all(await core.run_job("mailings"))
    assert f"Рассылка № {weekly} на 05.03.2026 10:00 отправляется с опозданием" in "\n".join(
        s.text for s in operator.h.inbox[operator.chat][-3:]
    )
    await restarted.deliver_all(await core.run_job("mailings"))
    mailer, _ = mailer_for(restarted, engine, clock)
    await drain(mailer, engine)
    await drain(mailer, engine)
    assert received(member, "Еженедельный дайджест") == 1
    async with UnitOfWork(create_session_factory(engine)) as uow:
        plan = await uow.mailings.get(weekly)
        assert plan is not None and plan.send_at is not None
        assert core.settings.timezone is not None
        assert plan.send_at.astimezone(core.settings.timezone).strftime("%d.%m %H:%M") == (
            "12.03 10:00"
        )
        assert plan.status is MailingStatus.SCHEDULED

    # A week on, the next run, on time: no "late" notice.
    clock.now = NOW + timedelta(days=10, hours=1)
    await restarted.deliver_all(await core.run_job("mailings"))
    await drain(mailer, engine)
    assert received(member, "Еженедельный дайджест") == 2
    assert "опозданием" not in operator.last.text

    shown = await operator.say(f"/mailing_cancel {weekly}")
    assert "отменена" in shown[0].text
    clock.now += timedelta(days=7)
    await restarted.deliver_all(await core.run_job("mailings"))
    await drain(mailer, engine)
    assert received(member, "Еженедельный дайджест") == 2


async def test_pause_resume_cancel_and_bad_input(
    world: Harness, engine: AsyncEngine, clock: Clock
) -> None:
    operator, citizen = (
        world.person(OPERATOR_ID, name="Оператор"),
        world.person("501"),
    )
    await join(citizen, "Жители")
    for command in ("/mailing_new", "/mailings", "/mailing_pause 1"):
        shown = await citizen.say(command)
        assert "только операторам" in shown[0].text
    shown = await citizen.send_payload("mc:cancel:1")
    assert "только операторам" in shown[0].text
    shown = await operator.say("/mailing_pause x")
    assert "Формат: /mailing_pause N" in shown[0].text
    shown = await operator.say("/mailing_new nosuch")
    assert (
        "Шаблона «nosuch» нет. Есть:\n"
        "• Приглашение на общественное обсуждение — discussion_invitation\n"
        "• Пресс-релиз — press_release"
    ) in shown[0].text

    await operator.say("/mailing_new")
    shown = await operator.say("x" * 3501)
    assert "Слишком длинно: 3\xa0501" in shown[0].text
    await operator.say("Сбор предложений по благоустройству двора")
    await operator.press("Отправить")
    async with UnitOfWork(create_session_factory(engine)) as uow:
        (number,) = await uow.mailings.sending()
    shown = await operator.say(f"/mailing_pause {number}")
    assert "приостановлена" in shown[0].text
    mailer, _ = mailer_for(world, engine, clock)
    await drain(mailer, engine)
    assert received(citizen, "благоустройству") == 0  # paused: nothing goes out
    shown = await operator.say(f"/mailing_pause {number}")
    assert "нельзя приостановить" in shown[0].text
    await operator.say(f"/mailing_resume {number}")
    await drain(mailer, engine)
    assert received(citizen, "благоустройству") == 1
    shown = await operator.say(f"/mailing_cancel {number}")
    assert "нельзя отменить: она уже отправлена" in shown[0].text
    for payload in ("ml:rsvp:999:y", f"ml:rsvp:{number}:y", "ml:leave:x", "ml:", "mb:s:1:aud"):
        shown = await citizen.send_payload(payload)
        assert shown[0].text.startswith(("Эта кнопка устарела", "Эта команда доступна")), payload


async def test_a_press_release_from_its_template_reaches_journalists_only(
    world: Harness, engine: AsyncEngine, clock: Clock
) -> None:
    operator = world.person(OPERATOR_ID, name="Оператор")
    journalist, resident = world.person("511"), world.person("512")
    shown = await operator.say("/group_add journalists tg:511")
    assert "добавлено 1" in shown[0].text
    await join(resident, "Жители")
    shown = await operator.say("/mailing_new press_release")
    assert "ПРЕСС-РЕЛИЗ" in operator.last.text
    shown = await operator.say("ПРЕСС-РЕЛИЗ\nВ городе открылся центр госуслуг")
    assert "Кому: Журналисты и СМИ" in shown[0].text
    await operator.press("Отправить")
    mailer, _ = mailer_for(world, engine, clock)
    await drain(mailer, engine)
    assert received(journalist, "открылся центр госуслуг") == 1
    assert received(resident, "открылся центр госуслуг") == 0
    chat = ChatRef(Platform.TELEGRAM, "511")
    assert "Журналисты и СМИ" in world.inbox[chat][-1].text


async def test_a_pause_takes_effect_at_the_next_request_and_resume_sends_the_rest_once(
    world: Harness, engine: AsyncEngine, clock: Clock
) -> None:
    operator, members, number = await residents_mailing(world, "Опрос о режиме работы МФЦ", 950, 6)
    # One request at a time: after a pause, only the requests already in flight go out.
    mailer, recorders = mailer_for(world, engine, clock, concurrency=1)

    async def pause() -> None:
        shown = await operator.say(f"/mailing_pause {number}")
        assert "приостановлена" in shown[0].text

    recorders[Platform.TELEGRAM].after_first = pause
    await drain(mailer, engine)
    # One chunk holds all six, yet only the first request (two people) went out.
    assert [received(m, "режиме работы МФЦ") for m in members] == [1, 1, 0, 0, 0, 0]
    assert await count(engine, Delivery, status=DeliveryStatus.PENDING) == 4
    await operator.say(f"/mailing_resume {number}")
    await drain(mailer, engine)
    assert [received(m, "режиме работы МФЦ") for m in members] == [1] * 6


async def test_a_mailing_audience_from_the_same_list_as_polls(world: Harness) -> None:
    """Every subscriber by default; groups ticked (several), or a topic's writers, each one
    press from the list; the last group unticked is every subscriber again."""
    operator = world.person(OPERATOR_ID, name="Оператор Мария")
    await operator.say("/mailing_new")
    shown = await operator.say("Отключение воды 25.11 с 10:00 до 14:00")
    assert "Кому: все подписчики" in shown[-1].text
    shown = await operator.press("Аудитория")
    assert shown[0].text.startswith("Кому: все подписчики (участники любой группы).")
    assert shown[0].buttons[0][0] == "✔ Все подписчики"
    await operator.press("Группа: Предприниматели")
    shown = await operator.press("Группа: Жители")
    assert shown[0].text.startswith("Кому: участники групп: Предприниматели, Жители.")
    shown = await operator.press("К черновику")
    assert "Кому: Предприниматели, Жители" in shown[0].text
    await operator.press("Аудитория")
    await operator.press("✔ Группа: Предприниматели")
    shown = await operator.press("✔ Группа: Жители")
    assert shown[0].text.startswith("Кому: все подписчики")
    await operator.press("Ещё (2 из 2)")
    shown = await operator.press("Писали по теме: Дороги")
    assert shown[0].text.startswith("Кому: писавшие по теме «Дороги».")
    shown = await operator.press("К черновику")
    assert "Кому: писавшие по теме «Дороги»" in shown[0].text


async def test_a_scheduled_paid_mailing_the_budget_no_longer_covers_goes_free_and_says_why(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer, clock: Clock
) -> None:
    # One Star a mailing: ten Telegram messages.
    core = make_core(engine, topics, clock, paid_broadcast=PaidBroadcast(1, 5))
    async with UnitOfWork(create_session_factory(engine)) as uow:
        await groups.seed(uow, core.settings.groups)
        await uow.commit()
    world = Harness(core, renderer)
    operator = world.person(OPERATOR_ID, name="Оператор")
    members = [world.person(str(700 + n)) for n in range(8)]
    for member in members:
        await join(member, "Жители")
    number = await compose(operator, "Плановые работы на теплотрассе", group_labels=("Жители",))
    await operator.say("03.03.2026 12:00")
    shown = await operator.press("Платно, быстро")
    assert "Получателей в Telegram: 8, стоимость: 0,8 ⭐" in shown[0].text
    shown = await operator.press("Запланировать")
    assert f"Рассылка № {number} запланирована на 03.03.2026 12:00" in shown[0].text

    # Four more join before it goes: 1.2 Stars, over the cap. It goes, at the free rate.
    for n in range(4):
        await join(world.person(str(800 + n)), "Жители")
    clock.now = NOW + timedelta(days=1, hours=3)  # 3 March 12:00 Moscow
    await world.deliver_all(await core.run_job("mailings"))
    told = "\n".join(s.text for s in operator.h.inbox[operator.chat][-2:])
    assert f"Рассылка № {number} уходит с обычной скоростью, не платной: 1,2 ⭐" in told
    assert "получателей 12" in told
    async with UnitOfWork(create_session_factory(engine)) as uow:
        mailing = await uow.mailings.get(number)
        assert mailing is not None and not mailing.paid and mailing.paid_reserved == 0


async def test_the_paid_button_does_nothing_where_paid_broadcasts_are_off(world: Harness) -> None:
    operator = world.person(OPERATOR_ID, name="Оператор")
    number = await compose(operator, "Отключение света на ул. Лесной 10.03")
    shown = await operator.send_payload(f"mb:s:{number}:paid")
    assert "Платные рассылки в этом развёртывании не включены" in shown[0].text
    async with UnitOfWork(world.core.session_factory) as uow:
        mailing = await uow.mailings.get(number)
        assert mailing is not None and not mailing.paid
        # Marked paid while they were on, then switched off: it still goes, free, and says so.
        mailing.paid = True
        await uow.commit()
    shown = await operator.press("Отправить")
    told = "\n".join(s.text for s in shown)
    assert "уходит с обычной скоростью, не платной: платные рассылки отключены" in told
    assert f"Рассылка № {number}: получателей" in told
