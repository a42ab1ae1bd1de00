"""Deadlines: fast track, one extension with the citizen told, the overdue ping and the daily
digest, run by the scheduler on a clock the test controls."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduler import Scheduler, latest_slot
from handlers.appeals import deadlines
from handlers.contracts import ChatRef, Outgoing, Platform
from tests.helpers.flows import OPERATOR_ID, Clock, Recorder, file_appeal
from tests.helpers.harness import Harness, Person

MSK = ZoneInfo("Europe/Moscow")
HEAD = "3001"


def texts(harness: Harness, messages: list[Outgoing]) -> dict[str, str]:
    """What each chat was sent (live cards, edited in place, aside)."""
    return {m.chat.chat_id: harness.show(m).text for m in messages if m.card_of is None}


async def test_fast_track_gets_a_short_deadline_and_leads_the_queue(
    citizen: Person, operator: Person
) -> None:
    await file_appeal(citizen)
    shown = await file_appeal(citizen, "Авария: в подвале дома 3 прорвало трубу, вода прибывает")
    assert "не позднее 05.03.2026 (в течение 3 дней" in shown
    assert "ускоренном порядке" in shown
    queue = (await operator.say("/queue"))[0].text.splitlines()
    assert queue[1].startswith("⚡ № 2026-00002")
    assert queue[2].startswith("№ 2026-00001")


async def test_one_extension_by_a_head_with_the_citizen_told(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    await operator.say(f"/operator add tg:{HEAD} housing head")
    await operator.say("/operator add tg:3002 housing")
    await file_appeal(citizen)
    clerk = harness.person("3002")
    shown = await clerk.say("/extend 1 10 Нужна выездная проверка")
    assert "может администратор или руководитель отдела" in shown[0].text

    head = harness.person(HEAD)
    for bad, answer in (
        ("/extend 1", "Формат: /extend N дней причина"),
        ("/extend 1 10", "Формат: /extend N дней причина"),
        ("/extend 1 31 Долго", "не больше чем на 30 дней"),
        ("/extend 1 0 Ноль", "не больше чем на 30 дней"),
    ):
        assert answer in (await head.say(bad))[0].text

    shown = await head.say("/extend 1 20 Нужна выездная проверка <с участием> подрядчика")
    assert (
        shown[0].text == "Срок обращения № 2026-00001 продлён до 21.04.2026; гражданин уведомлён."
    )
    assert citizen.last.text == (
        "Срок рассмотрения вашего обращения № 2026-00001 продлён до 21.04.2026 "
        "(ч. 2 ст. 12 59-ФЗ).\nПричина: Нужна выездная проверка <с участием> подрядчика"
    )
    shown = await head.say("/extend 1 5 Ещё раз")
    assert "59-ФЗ разрешает продлить один раз" in shown[0].text
    card = (await citizen.say("/my"))[0].text
    assert "срок 21.04.2026" in card


async def test_overdue_ping_goes_to_the_head_once(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    await operator.say(f"/operator add tg:{HEAD} housing head")
    await file_appeal(citizen)
    core = harness.core
    assert await core.run_job("overdue") == []
    clock.advance(days=30, hours=1)
    told = texts(harness, await core.run_job("overdue"))
    assert told == {
        HEAD: "⏰ Просрочено обращение № 2026-00001 (ЖКХ, Блок «Жилищно-коммунальное хозяйство»): "
        "срок ответа истёк 01.04.2026."
    }
    clock.advance(hours=1)
    assert await core.run_job("overdue") == []
    history = (await operator.say("/history 1"))[0].text
    assert "— срок ответа истёк — —" in history


async def test_a_backlog_of_overdue_appeals_is_told_over_several_runs(
    harness: Harness, citizen: Person, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each run tells at most a batch, the longest overdue first; the next run the rest."""
    monkeypatch.setattr(deadlines, "OVERDUE_BATCH", 2)
    for text in (
        "Во дворе дома 3 не вывозят мусор уже неделю",
        "Во дворе дома 4 не работает фонарь у подъезда",
        "Во дворе дома 5 сломана детская площадка",
    ):
        await file_appeal(citizen, text)
        clock.advance(minutes=5)
    clock.advance(days=31)
    first = [m for m in await harness.core.run_job("overdue") if m.card_of is None]
    assert ["2026-00001" in harness.show(m).text for m in first] == [True, False]
    assert "2026-00002" in harness.show(first[1]).text
    second = [m for m in await harness.core.run_job("overdue") if m.card_of is None]
    assert len(second) == 1 and "2026-00003" in harness.show(second[0]).text
    assert await harness.core.run_job("overdue") == []


async def test_a_head_with_many_falling_overdue_at_once_gets_one_message(
    harness: Harness, citizen: Person, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past a few, newly overdue appeals come as one list, the oldest first, the rest
    counted; a few come one message each."""
    monkeypatch.setattr(deadlines, "OVERDUE_LISTED", 4)
    for n in range(6):
        await file_appeal(citizen, f"Во дворе дома {n + 3} не вывозят мусор уже неделю")
        clock.advance(minutes=5)
    clock.advance(days=31)
    pings = [m for m in await harness.core.run_job("overdue") if m.card_of is None]
    assert len(pings) == 1
    text = harness.show(pings[0]).text
    assert text.startswith(
        "⏰ Срок ответа истёк сразу у 6 обращений. Старейшие первыми:\n№ 2026-00001"
    )
    assert [f"№ 2026-0000{n}" in text for n in range(1, 7)] == [True] * 4 + [False] * 2
    assert text.endswith("…и ещё 2. Все открытые обращения — /queue.")
    assert await harness.core.run_job("overdue") == []
    # Three at once are still told one by one.
    for n in range(3):
        await file_appeal(citizen, f"На улице {n + 1} не горят фонари третью ночь подряд")
    clock.advance(days=31)
    pings = [m for m in await harness.core.run_job("overdue") if m.card_of is None]
    assert [harness.show(m).text.startswith("⏰ Просрочено обращение № ") for m in pings] == [
        True
    ] * 3


async def test_without_a_head_the_admins_are_pinged(
    harness: Harness, citizen: Person, clock: Clock
) -> None:
    await file_appeal(citizen)
    clock.advance(days=31)
    assert set(texts(harness, await harness.core.run_job("overdue"))) == {OPERATOR_ID}


async def test_digest_once_per_slot(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    await operator.say("/operator add tg:3002 roads")
    await file_appeal(citizen)
    clock.advance(days=28)
    slot = latest_slot(clock.now, time(9, 0), MSK)
    told = texts(harness, await harness.core.run_job("digest", slot))
    # The housing appeal goes to the admins, not to the roads operator.
    assert set(told) == {OPERATOR_ID}
    assert told[OPERATOR_ID].startswith(
        "Сводка по срокам на 30.03.2026: просрочено — 0, срок в ближайшие 3 дн. — 1."
    )
    assert "№ 2026-00001" in told[OPERATOR_ID]
    assert await harness.core.run_job("digest", slot) == []
    clock.advance(days=3)
    told = texts(harness, await harness.core.run_job("digest", slot + timedelta(days=3)))
    assert "просрочено — 1" in told[OPERATOR_ID]
    assert (
        "№ 2026-00001 от 02.03.2026 · ЖКХ · Зарегистрировано · срок 01.04.2026 · просрочено"
        in (told[OPERATOR_ID])
    )


def test_latest_slot() -> None:
    at = time(9, 0)
    before = datetime(2026, 3, 2, 5, 59, tzinfo=UTC)  # 08:59 in Moscow
    after = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
    assert latest_slot(before, at, MSK) == datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
    assert latest_slot(after, at, MSK) == datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


async def test_the_scheduler_catches_up_after_a_restart_and_never_repeats(
    harness: Harness, citizen: Person, clock: Clock
) -> None:
    await file_appeal(citizen)
    clock.advance(days=31)  # the bot was down while the appeal went overdue

    def scheduler(recorder: Recorder) -> Scheduler:
        return Scheduler(
            harness.core,
            recorder,  # type: ignore[arg-type]
            zone=MSK,
            digest_at=time(9, 0),
            overdue_every=timedelta(hours=1),
            clock=clock,
        )

    first = Recorder()
    running = scheduler(first)
    await running.start()
    try:
        # The digest of the missed slot runs at start; APScheduler runs the overdue check
        # at once too.
        for _ in range(200):
            if len(first.messages) >= 2:
                break
            await asyncio.sleep(0.02)
    finally:
        await running.stop()
    shown = [harness.show(m).text for m in first.messages]
    assert any(text.startswith("Сводка по срокам") for text in shown)
    assert any(text.startswith("⏰ Просрочено обращение № 2026-00001") for text in shown)
    assert all(m.chat == ChatRef(Platform.TELEGRAM, OPERATOR_ID) for m in first.messages)

    again = Recorder()
    restarted = scheduler(again)
    await restarted.start()
    await asyncio.sleep(0.2)
    await restarted.stop()
    assert again.messages == []
