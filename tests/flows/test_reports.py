"""``/report``: the week's figures as a message, a chart and a workbook, for admins and heads."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers.topics import TopicCatalog
from tests.flows.conftest import Clock, file_appeal, make_core
from tests.flows.harness import Harness, Person

HEAD_ROADS = "4002"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def harness(engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer, clock: Clock) -> Harness:
    return Harness(make_core(engine, topics, clock), renderer)


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
    assert "Поступило: 0" in own
    assert "Топ проблем" not in own
    assert (await operator.say("/report year"))[0].text.startswith("Формат: /report week|month")
    assert (await operator.say("/report week nowhere"))[0].text == "Отдела «nowhere» нет."
