"""``/usage``: which commands and sections are used and where people give up, per channel,
counted without a trace of who or what they wrote."""

from __future__ import annotations

import asyncio
from datetime import UTC, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.scheduler import Scheduler
from handlers.contracts import Platform
from storage.database import create_engine, create_session_factory
from storage.models import UsageCount
from tests.helpers.flows import APPEAL_TEXT, Recorder, file_appeal
from tests.helpers.harness import Harness, Person


async def test_commands_sections_and_the_appeal_funnel(
    harness: Harness, citizen: Person, operator: Person, engine: AsyncEngine
) -> None:
    await citizen.say("/start")
    await file_appeal(citizen)
    # On VK someone starts an appeal, gives the topic and then gives up.
    quitter = harness.person("777", Platform.VK)
    await quitter.say("/new")
    await quitter.press("ЖКХ")
    await quitter.say("/cancel")
    await quitter.say("/ivanov_ivan_ivanovich")
    await quitter.send_payload("f:forged")

    text = (await operator.say("/usage week"))[0].text
    lines = text.splitlines()
    assert lines[0] == "Использование бота с 24.02.2026 по 02.03.2026"
    telegram = lines[lines.index("Telegram: команд и нажатий — 6") :]
    assert "обращения — 4" in telegram  # topic, skip, skip, send; /new is a command
    assert "/start — 1" in telegram and "/new — 1" in telegram
    vk = lines[lines.index("ВКонтакте: команд и нажатий — 5") :]
    assert "непонятные команды — 1" in vk
    assert "устаревшие или чужие кнопки — 1" in vk
    appeal_funnel = vk[vk.index("Обращение, сколько дошли до шага:") :][1:7]
    assert appeal_funnel == [
        "· тема: 1 (100%)",
        "· текст: 1 (100%)",
        "· фото: 0 (0%)",
        "· место: 0 (0%)",
        "· проверка: 0 (0%)",
        "· отправлено: 0 (0%)",
    ]
    done = telegram[telegram.index("Обращение, сколько дошли до шага:") :][1:7]
    assert done[-1] == "· отправлено: 1 (100%)"

    # Written (as the scheduler does every few seconds), the counts read the same.
    await harness.core.flush_usage()
    assert not harness.core.tally.pending()
    again = (await operator.say("/usage week"))[0].text.splitlines()
    written = again[again.index("Telegram: команд и нажатий — 7") :]  # the /usage too
    assert "обращения — 4" in written and "/usage — 1" in written
    funnel = "Обращение, сколько дошли до шага:"
    assert written[written.index(funnel) :][1:7] == telegram[telegram.index(funnel) :][1:7]

    # Nothing personal was kept: no name, no text, no unknown command as typed.
    async with engine.connect() as connection:
        events = set((await connection.execute(select(UsageCount.event))).scalars())
    assert {"command:new", "done:appeal", "button:stale"} <= events
    assert not any("ivanov" in e or APPEAL_TEXT[:10] in e or "forged" in e for e in events)
    assert all(e.split(":")[0] in {"command", "button", "step", "done"} for e in events)


async def test_only_admins_see_usage(citizen: Person, operator: Person) -> None:
    assert (await citizen.say("/usage week"))[0].text == (
        "Статистика использования доступна администраторам."
    )
    assert (await operator.say("/usage year"))[0].text.startswith("Формат: /usage week|month")
    shown = (await operator.say("/usage"))[0].text
    # The operator's own /usage commands are the only use so far.
    assert "Telegram: команд и нажатий — 2" in shown


async def test_counts_the_database_refused_are_written_at_the_next_try(
    harness: Harness, citizen: Person, operator: Person, tmp_path: Path
) -> None:
    await citizen.say("/start")
    # A database without the table: the write fails.
    empty = create_engine(f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    working = harness.core.session_factory
    harness.core._session_factory = create_session_factory(empty)
    await harness.core.flush_usage()
    await empty.dispose()
    assert sum(harness.core.tally.pending().values()) == 1  # kept, not lost
    harness.core._session_factory = working
    await harness.core.flush_usage()
    assert not harness.core.tally.pending()
    assert "/start — 1" in (await operator.say("/usage"))[0].text


async def test_the_scheduler_writes_the_counts_every_few_seconds(
    harness: Harness, citizen: Person, engine: AsyncEngine
) -> None:
    await citizen.say("/start")
    scheduler = Scheduler(
        harness.core,
        Recorder(),  # type: ignore[arg-type]
        zone=UTC,
        digest_at=time(9, 0),
        overdue_every=timedelta(hours=1),
        usage_every=timedelta(seconds=0.05),
    )
    await scheduler.start()
    try:
        for _ in range(100):
            if not harness.core.tally.pending():
                break
            await asyncio.sleep(0.02)
    finally:
        await scheduler.stop()
    async with engine.connect() as connection:
        rows = (await connection.execute(select(UsageCount.event, UsageCount.count))).all()
    assert [tuple(row) for row in rows] == [("command:start", 1)]
