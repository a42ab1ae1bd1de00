"""``/usage``: which commands and sections are used and where people give up, per channel,
counted without a trace of who or what they wrote."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.contracts import Platform
from storage.models import UsageCount
from tests.flows.conftest import APPEAL_TEXT, file_appeal
from tests.flows.harness import Harness, Person


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

    # Nothing personal was kept: no name, no text, no unknown command as typed.
    async with engine.connect() as connection:
        events = set((await connection.execute(select(UsageCount.event))).scalars())
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
