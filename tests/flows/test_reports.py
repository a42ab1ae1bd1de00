"""``/report``: the week's figures as a message, a chart and a workbook, for admins and heads."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.scheduler import ReportTimes, Scheduler, latest_monthly_slot, latest_weekly_slot
from handlers.contracts import ChatRef, Platform
from tests.helpers.flows import OPERATOR_ID, Clock, Recorder, file_appeal
from tests.helpers.harness import Harness, Person

HEAD_ROADS = "4002"
HEAD_HOUSING = "4001"
MSK = ZoneInfo("Europe/Moscow")


async def _a_week(harness: Harness, citizen: Person, operator: Person, clock: Clock) -> None:
    """Monday 2 March: two appeals; one answered three hours later, rated 1 (reopened) and
    answered again; the next Tuesday the week is over."""
    await file_appeal(citizen)
    await file_appeal(citizen, "Во дворе дома 14 не работает уличный фонарь у подъезда")
    clock.advance(hours=3)
    await operator.say("/reply 1 Контейнеры вывезли.")
    await citizen.send_payload("r:1:1:1")
    clock.advance(hours=2)
    await operator.say("/reply 1 Вывезли повторно и поставили второй контейнер.")
    clock.advance(days=8)


async def test_the_admin_gets_the_week(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    await _a_week(harness, citizen, operator, clock)
    shown = (await operator.say("/report week"))[0]
    assert shown.text.startswith("Отчёт за неделю 02.03.2026 — 08.03.2026")
    # Two received, one first answer (the second answer to a reopened case is not a new one).
    assert "Поступило: 2 (в прошлом периоде 0), дан первый ответ: 1, закрыто: 0, " in shown.text
    assert "возвращено в работу: 1" in shown.text
    assert "Время до ответа: медиана 3 ч, 90% — не дольше 3 ч" in shown.text
    assert "Оценок: 1, средняя 1.00, низких (1–2): 100%" in shown.text
    assert "1. ЖКХ: 2 (новое)" in shown.text
    assert set(shown.uploads) == {
        "report-week-2026-03-02.png",
        "report-week-2026-03-02.xlsx",
    }
    assert shown.uploads["report-week-2026-03-02.png"].startswith(b"\x89PNG")
    book = load_workbook(io.BytesIO(shown.uploads["report-week-2026-03-02.xlsx"]))
    summary = {row[0]: row[1] for row in book["Итоги"].iter_rows(values_only=True)}
    assert (summary["Поступило"], summary["Отвечено"], summary["Возвращено в работу"]) == (2, 1, 1)
    assert summary["Медиана ответа, ч"] == pytest.approx(3)
    departments = list(book["Отделы"].iter_rows(values_only=True))
    assert departments[1] == ("Блок «Жилищно-коммунальное хозяйство»", 2, 1, 0, 0, 3, 1, 1, 1, 0)


async def test_an_empty_period_says_so_and_the_period_under_way_counts_today(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    # A fresh install on Monday morning: last week had nothing; no chart of zeros.
    shown = (await operator.say("/report week"))[0]
    assert shown.text.startswith("Отчёт за неделю 23.02.2026 — 01.03.2026")
    assert "За этот период данных нет" in shown.text and not shown.uploads
    # Today's work shows in the week under way, up to this moment.
    await file_appeal(citizen)
    shown = (await operator.say("/report week now"))[0]
    assert shown.text.startswith(
        "Отчёт за неделю 02.03.2026 — 02.03.2026 09:00 (текущий период, на этот момент)"
    )
    assert "Поступило: 1 (в прошлом периоде 0), дан первый ответ: 0" in shown.text
    assert "Ответов за период не было" in shown.text and "медиана — ч" not in shown.text
    clock.advance(hours=3)
    await operator.say("/reply 1 Контейнеры вывезли.")
    shown = (await operator.say("/report now week"))[0]
    assert "02.03.2026 12:00" in shown.text and "медиана 3 ч" in shown.text
    assert set(shown.uploads) == {"report-week-2026-03-02.png", "report-week-2026-03-02.xlsx"}
    # An English-speaking admin gets the message and the workbook in English.
    await operator.say("/lang en")
    shown = (await operator.say("/report week now"))[0]
    assert shown.text.startswith("Report for the week 02.03.2026 — 02.03.2026 12:00 (under way")
    book = load_workbook(io.BytesIO(shown.uploads["report-week-2026-03-02.xlsx"]))
    assert book.sheetnames == ["Summary", "Topics", "Departments", "Overdue"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert (summary["Received"], summary["Answered"]) == (1, 1)


async def test_who_may_see_what(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    await _a_week(harness, citizen, operator, clock)
    assert (await citizen.say("/report week"))[0].text == (
        "Отчёты доступны администраторам и руководителям отделов."
    )
    await operator.say(f"/operator add tg:{HEAD_ROADS} roads head")
    head = harness.person(HEAD_ROADS)
    assert (await head.say("/report week housing"))[0].text == (
        "Вы можете смотреть отчёты только своего отдела."
    )
    # Their own department by default: nothing happened on the roads this week.
    own = (await head.say("/report week"))[0].text
    assert "За этот период данных нет" in own
    assert "Топ проблем" not in own
    assert (await operator.say("/report year"))[0].text.startswith("Формат: /report week|month")
    refused = (await operator.say("/report week nowhere"))[0].text
    assert refused.startswith(
        "Отдела «nowhere» нет. Отделы:\n• Блок «Жилищно-коммунальное хозяйство» — housing"
    )


def test_report_slots() -> None:
    at = time(9, 30)
    tuesday = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    monday_early = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
    assert latest_weekly_slot(tuesday, 1, at, MSK) == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)
    assert latest_weekly_slot(monday_early, 1, at, MSK) == datetime(2026, 3, 2, 6, 30, tzinfo=UTC)
    assert latest_weekly_slot(tuesday, 5, at, MSK) == datetime(2026, 3, 6, 6, 30, tzinfo=UTC)
    assert latest_monthly_slot(tuesday, 1, at, MSK) == datetime(2026, 3, 1, 6, 30, tzinfo=UTC)
    assert latest_monthly_slot(tuesday, 15, at, MSK) == datetime(2026, 2, 15, 6, 30, tzinfo=UTC)
    new_year = datetime(2026, 1, 1, 5, 0, tzinfo=UTC)
    assert latest_monthly_slot(new_year, 1, at, MSK) == datetime(2025, 12, 1, 6, 30, tzinfo=UTC)


async def test_scheduled_reports_reach_staff_and_heads_once(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    await operator.say(f"/operator add tg:{HEAD_HOUSING} housing head")
    await _a_week(harness, citizen, operator, clock)  # now Tuesday 10 March

    def scheduler(recorder: Recorder) -> Scheduler:
        return Scheduler(
            harness.core,
            recorder,  # type: ignore[arg-type]
            zone=MSK,
            digest_at=time(9, 0),
            overdue_every=timedelta(hours=1),
            reports=ReportTimes(weekday=1, weekly_at=time(9, 30), monthday=1),
            clock=clock,
        )

    def reports(recorder: Recorder) -> list[tuple[ChatRef, str, set[str]]]:
        shown = [harness.show(m) for m in recorder.messages]
        return [(s.chat, s.text, set(s.uploads)) for s in shown if s.text.startswith("Отчёт")]

    async def run_once(recorder: Recorder, wanted: int) -> None:
        running = scheduler(recorder)
        await running.start()
        try:
            for _ in range(100):
                if len(reports(recorder)) >= wanted:
                    break
                await asyncio.sleep(0.02)
        finally:
            await running.stop()

    # The very first start only notes the slots: a new bot does not open with old reports.
    tuesday = clock.now
    clock.now = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)  # the bot's first start
    fresh = Recorder()
    await run_once(fresh, 1)
    assert reports(fresh) == []
    # Down from then on; started on Tuesday 10 March, it catches up the missed weekly slot
    # (Monday 9 March) and the monthly one (1 March).
    clock.now = tuesday
    first = Recorder()
    await run_once(first, 3)
    sent = reports(first)
    admin, head = (
        ChatRef(Platform.TELEGRAM, OPERATOR_ID),
        ChatRef(Platform.TELEGRAM, HEAD_HOUSING),
    )
    week = [(chat, text) for chat, text, _ in sent if "за неделю 02.03.2026 — 08.03.2026" in text]
    assert [chat for chat, _ in week] == [admin, head]
    assert "Поступило: 2" in week[0][1] and "·" not in week[0][1].splitlines()[0]
    assert week[1][1].splitlines()[0].endswith("· Блок «Жилищно-коммунальное хозяйство»")
    month = [chat for chat, text, _ in sent if "за месяц 01.02.2026 — 28.02.2026" in text]
    assert month == [admin, head]
    # The week had appeals: a chart and a workbook. February had none: said, with no files.
    for _, text, uploads in sent:
        if "за неделю" in text:
            assert sorted(n.rsplit(".")[-1] for n in uploads) == ["png", "xlsx"]
        else:
            assert "За этот период данных нет" in text and not uploads

    again = Recorder()
    restarted = scheduler(again)
    await restarted.start()
    await asyncio.sleep(0.2)
    await restarted.stop()
    assert reports(again) == []
