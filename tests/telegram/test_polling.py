"""The confirming long poll (bot/telegram/polling.py) on the fake Bot API, with a bare
dispatcher whose handler the test holds up: what is confirmed when, what runs beside what."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

from bot.telegram.polling import ConfirmingPoller, committed
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.telegram import eventually

SLOW, QUICK = 601, 602


@dataclass
class Polling:
    fake: FakeBotApi
    handled: list[tuple[int, str]] = field(default_factory=list)
    # A message "wait" is held until the test lets it go.
    release: asyncio.Event = field(default_factory=asyncio.Event)
    stopped: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


@pytest.fixture
async def polling(fake_tg: FakeBotApi) -> AsyncIterator[Polling]:
    state = Polling(fake_tg)
    bot = Bot(fake_tg.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake_tg.url)))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def on_message(message: Message) -> None:
        assert message.from_user is not None and message.text is not None
        if message.text == "wait":
            await state.release.wait()
        elif message.text == "commit, then wait":
            committed()  # as the channel does between the core's commit and the replies
            await state.release.wait()
        else:
            await asyncio.sleep(0.05)  # long enough for the poll to come round again
        state.handled.append((message.from_user.id, message.text))

    poller = ConfirmingPoller(bot, dispatcher, timeout=1)
    state.task = asyncio.create_task(poller.run(state.stopped))
    yield state
    state.release.set()
    state.stopped.set()
    await asyncio.wait_for(state.task, 10)
    await bot.session.close()


async def test_a_slow_update_holds_up_no_one_and_is_confirmed_only_when_done(
    polling: Polling,
) -> None:
    fake = polling.fake
    slow = await fake.send_text(SLOW, "wait")
    await fake.send_text(QUICK, "one")
    await fake.send_text(QUICK, "two")
    # The other person is served while the slow update is still in hand...
    await eventually(lambda: polling.handled == [(QUICK, "one"), (QUICK, "two")])
    await asyncio.sleep(0.3)
    # ...which Telegram still holds: had the bot died now, it would be delivered again.
    assert fake.pending()[0] == slow
    polling.release.set()
    await eventually(lambda: (SLOW, "wait") in polling.handled)
    await eventually(lambda: fake.pending() == [])
    # Each handled once, though the poll brought the updates in hand back many times.
    assert sorted(polling.handled) == [(SLOW, "wait"), (QUICK, "one"), (QUICK, "two")]


async def test_a_committed_update_is_confirmed_while_its_replies_still_go_out(
    polling: Polling,
) -> None:
    fake = polling.fake
    await fake.send_text(SLOW, "commit, then wait")
    # Confirmed though still in hand (a redelivery would be skipped by the ledger): the
    # poll is free to wait for news instead of coming back every 0.1 s.
    await eventually(lambda: fake.pending() == [])
    assert polling.handled == []
    # The same person's next update still waits for the replies of the one before.
    await fake.send_text(SLOW, "next")
    await asyncio.sleep(0.3)
    assert polling.handled == []
    await fake.send_text(QUICK, "one")  # others are served meanwhile
    await eventually(lambda: polling.handled == [(QUICK, "one")])
    polling.release.set()
    await eventually(lambda: len(polling.handled) == 3)
    assert polling.handled[1:] == [(SLOW, "commit, then wait"), (SLOW, "next")]
    await eventually(lambda: fake.pending() == [])


async def test_one_persons_updates_are_handled_in_order(polling: Polling) -> None:
    for n in range(5):
        await polling.fake.send_text(QUICK, str(n))
    await eventually(lambda: len(polling.handled) == 5)
    assert polling.handled == [(QUICK, str(n)) for n in range(5)]


async def test_an_unreadable_update_is_skipped_and_the_next_served(polling: Polling) -> None:
    await polling.fake.push({"message": {"message_id": "not a message"}})
    await polling.fake.send_text(QUICK, "after")
    await eventually(lambda: polling.handled == [(QUICK, "after")])
    await eventually(lambda: polling.fake.pending() == [])


async def test_stopping_finishes_the_updates_in_hand(polling: Polling) -> None:
    await polling.fake.send_text(SLOW, "wait")
    await eventually(lambda: polling.fake.pending() != [] and polling.task is not None)
    await asyncio.sleep(0.2)  # taken in hand
    polling.stopped.set()
    await asyncio.sleep(0.3)
    assert polling.task is not None and not polling.task.done()  # not cut off
    polling.release.set()
    await asyncio.wait_for(polling.task, 5)
    assert polling.handled == [(SLOW, "wait")]
