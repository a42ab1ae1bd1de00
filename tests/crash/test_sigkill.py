"""The real bot (`python -m bot run`, polling the fake Bot API) killed with SIGKILL in the
middle of its work and started again: no appeal is lost or filed twice, and every recipient of
a mailing gets it (at most the requests in flight at the kill, twice)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.mailer import AUTHOR, TEXT, Child, Watch, prepare, until
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram import button, step

CITIZENS = [601 + n for n in range(10)]
RECIPIENTS = 300
MAILER_IN_FLIGHT = 8  # the mailer's concurrent requests: what a kill may leave unrecorded


def bot_env(fake: FakeBotApi, database: Path, **more: str) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "ADMINS": f"tg:{AUTHOR}",
        "FLOOD_RATE": "100",
        "FLOOD_BURST": "1000",
        **more,
    }


@pytest.fixture
def children() -> Iterator[list[Child]]:
    """Bots started by the test; whatever still runs at the end is killed."""
    started: list[Child] = []
    yield started
    for child in started:
        if child.process.poll() is None:
            child.process.kill()
            child.process.wait()


def appeals_by_citizen(database: Path) -> Counter[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT users.external_id FROM appeals JOIN users ON users.id = appeals.citizen_id"
        ).fetchall()
    return Counter(external_id for (external_id,) in rows)


async def wait_for(condition: Callable[[], bool], limit: float) -> None:
    async with asyncio.timeout(limit):
        while not condition():
            await asyncio.sleep(0.05)


def spawn(env: dict[str, str], folder: Path) -> Child:
    with (folder / "bot.log").open("ab") as log:
        return Child(
            subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=folder,
                env={**os.environ, **env, "LOG_LEVEL": "INFO"},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )


async def start(fake: FakeBotApi, env: dict[str, str], folder: Path) -> Child:
    """A bot process, once it is up (a fresh one migrates its database first)."""
    calls = len(fake.calls)
    child = spawn(env, folder)
    # Its command menu is set right before it starts polling.
    await fake.wait_for(lambda c: c.method == "setMyCommands", 60, calls)
    return child


async def end(child: Child, how: signal.Signals) -> None:
    """Signal the bot and wait for it to go, the event loop (and the fake) running on."""
    child.process.send_signal(how)
    await wait_for(lambda: child.process.poll() is not None, 30)


def told_the_number(fake: FakeBotApi, citizen: int) -> Callable[[], bool]:
    return lambda: any("зарегистрировано" in m.text for m in fake.sent(citizen))


async def up_to_the_last_step(fake: FakeBotApi, citizen: int) -> str:
    """An appeal filled in, its "Отправить" button not yet pressed: the button's data."""
    await step(fake, citizen, fake.send_text(citizen, "/new"))
    await step(fake, citizen, fake.press(citizen, button(fake, citizen, "ЖКХ")))
    await step(fake, citizen, fake.send_text(citizen, f"Не вывозят мусор, пишет {citizen}"))
    await step(
        fake,
        citizen,
        fake.press(citizen, button(fake, citizen, "Пропустить")),
    )
    await step(fake, citizen, fake.send_text(citizen, "ул. Садовая, 7"))
    return button(fake, citizen, "Отправить")


async def test_appeals_survive_a_kill_while_they_are_being_filed(
    fake_tg: FakeBotApi, tmp_path: Path, children: list[Child]
) -> None:
    fake, database = fake_tg, tmp_path / "bot.db"
    children.append(await start(fake, bot_env(fake, database), tmp_path))
    submit = await asyncio.gather(*(up_to_the_last_step(fake, c) for c in CITIZENS))
    await end(children[-1], signal.SIGTERM)

    # The buttons' spinners of half of the presses are held by Telegram: the bot answers the
    # spinner before it handles the press, so the kill finds exactly the other half committed
    # and these in hand.
    in_hand = len(CITIZENS) // 2
    held = asyncio.Event()
    fake.fail("answerCallbackQuery", 400, "Bad Request: query is too old", times=in_hand, hold=held)
    children.append(await start(fake, bot_env(fake, database), tmp_path))
    for citizen, data in zip(CITIZENS, submit, strict=True):
        await fake.press(citizen, data)
    await wait_for(
        lambda: sum(appeals_by_citizen(database).values()) == len(CITIZENS) - in_hand, 60
    )
    await asyncio.sleep(0.5)  # the held ones stay unfiled: they are in hand, not yet handled
    await end(children[-1], signal.SIGKILL)
    held.set()
    at_kill = appeals_by_citizen(database)
    assert sum(at_kill.values()) == len(CITIZENS) - in_hand  # killed in the middle

    # The updates it had in hand were not confirmed to Telegram: the next start reads them
    # again, files what was not filed and skips what was.
    children.append(await start(fake, bot_env(fake, database), tmp_path))
    await wait_for(lambda: sum(appeals_by_citizen(database).values()) >= len(CITIZENS), 60)
    await asyncio.sleep(1.0)  # a second copy of any of them would be here by now
    assert appeals_by_citizen(database) == Counter({str(c): 1 for c in CITIZENS})
    # Who was not yet filed at the kill is told the number after the restart.
    for citizen in CITIZENS:
        if str(citizen) not in at_kill:
            await wait_for(told_the_number(fake, citizen), 20)


async def test_a_mailing_survives_a_kill_in_the_middle(
    fake_tg: FakeBotApi, tmp_path: Path, children: list[Child]
) -> None:
    fake, database = fake_tg, tmp_path / "bot.db"
    await prepare(f"sqlite+aiosqlite:///{database}", "tg", RECIPIENTS)
    env = bot_env(fake, database, MAILING_RATE_TELEGRAM="100", MAILING_LEASE_SECONDS="2")

    def delivered() -> list[int]:
        return [
            c.chat_id or 0
            for c in fake.calls
            if c.method == "sendMessage" and c.result and TEXT in c.text
        ]

    children.append(await start(fake, env, tmp_path))
    await until(lambda: len(delivered()) >= RECIPIENTS // 3, 60)
    await end(children[-1], signal.SIGKILL)
    at_kill = len(set(delivered()))
    assert at_kill < RECIPIENTS
    children.append(await start(fake, env, tmp_path))
    await until(Watch(fake.calls), 60)  # the author's summary: the mailing is done
    counts = Counter(delivered())
    assert set(counts) == {10_000 + n for n in range(RECIPIENTS)}  # nobody left out
    twice = sum(1 for n in counts.values() if n > 1)
    assert twice <= MAILER_IN_FLIGHT  # at most what was in flight at the kill


def outbox_pending(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM outbox WHERE status = 'pending'"
        ).fetchone()
    return int(count)


async def test_nothing_said_is_lost_to_kills_between_the_commit_and_the_sends(
    fake_tg: FakeBotApi, tmp_path: Path, children: list[Child]
) -> None:
    """Replies go out at 2 a second, so the kills find appeals committed whose registration
    numbers, live cards and staff announcements are still in the outbox. Killed twice, started
    a third time: everyone gets everything, and nothing twice but what was in flight."""
    fake, database = fake_tg, tmp_path / "bot.db"
    children.append(await start(fake, bot_env(fake, database), tmp_path))
    submit = await asyncio.gather(*(up_to_the_last_step(fake, c) for c in CITIZENS))
    await end(children[-1], signal.SIGTERM)
    start_of_submits = len(fake.calls)

    slow = bot_env(fake, database, MAILING_RATE_TELEGRAM="2")
    children.append(await start(fake, slow, tmp_path))
    for citizen, data in zip(CITIZENS, submit, strict=True):
        await fake.press(citizen, data)
    await wait_for(lambda: sum(appeals_by_citizen(database).values()) == len(CITIZENS), 60)
    await end(children[-1], signal.SIGKILL)  # every appeal committed, most replies not sent
    assert outbox_pending(database) > 0
    sent_at_first_kill = len(fake.calls)

    children.append(await start(fake, slow, tmp_path))
    await wait_for(lambda: len(fake.calls) >= sent_at_first_kill + 5, 60)
    await end(children[-1], signal.SIGKILL)  # again, in the middle of sending what was left
    assert outbox_pending(database) > 0

    children.append(await start(fake, bot_env(fake, database), tmp_path))
    await wait_for(lambda: outbox_pending(database) == 0, 60)
    await asyncio.sleep(1.0)  # a second copy of anything would be here by now
    assert appeals_by_citizen(database) == Counter({str(c): 1 for c in CITIZENS})
    said = Counter(
        (c.chat_id, c.text)
        for c in fake.calls[start_of_submits:]
        if c.method == "sendMessage" and c.result
    )
    for citizen in CITIZENS:
        registrations = [
            t for (chat, t), _ in said.items() if chat == citizen and "зарегистрировано" in t
        ]
        assert len(registrations) == 1, citizen  # every number told
    announcements = [
        t for (chat, t), _ in said.items() if chat == int(AUTHOR) and "Новое обращение" in t
    ]
    assert len(announcements) == len(CITIZENS)  # every appeal announced to staff
    twice = sum(n - 1 for n in said.values() if n > 1)
    assert twice <= 2 * 2  # at most what was in flight at each of the two kills
