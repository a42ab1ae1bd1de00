"""The outbox on VK: real vkbottle against a fake VK API. An ordinary reply refused with
error 6 still arrives; a send whose answer was lost is tried again with the same random_id,
which VK drops, so nobody reads it twice; a long poll answering an HTML page goes on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from tests.helpers.channels import exit_of_bot, running
from tests.helpers.fake_vk_api import FakeVkApi
from tests.helpers.settings import make_settings
from tests.helpers.telegram import eventually
from tests.helpers.vk import VK_CITIZEN, VK_OPERATOR, step


@pytest.fixture
async def app(
    fake_vk: FakeVkApi, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[App]:
    monkeypatch.chdir(tmp_path)
    settings = make_settings(
        vk_group_token=fake_vk.token,
        vk_api_url=fake_vk.api_url,
        database_url=database_url,
        admins=f"vk:{VK_OPERATOR}",
    )
    async with running(settings) as running_app:
        yield running_app


async def test_a_reply_refused_with_error_6_arrives(fake_vk: FakeVkApi, app: App) -> None:
    fake_vk.fail("messages.send", 6, "Too many requests per second")
    await fake_vk.send(VK_CITIZEN, "/start")
    await eventually(lambda: fake_vk.received(VK_CITIZEN, "официальный бот") == 1, 15)
    refused = [c for c in fake_vk.sent(VK_CITIZEN) if c.result is None]
    assert len(refused) == 1  # the first try, refused; the second went through
    await asyncio.sleep(0.5)
    assert fake_vk.received(VK_CITIZEN, "официальный бот") == 1


async def test_a_lost_answer_does_not_make_a_duplicate(fake_vk: FakeVkApi, app: App) -> None:
    fake_vk.lose_answer.add("messages.send")  # VK sends it, the answer is lost on the way
    await fake_vk.send(VK_CITIZEN, "/start")
    await eventually(lambda: len(fake_vk.sent(VK_CITIZEN)) >= 2, 15)
    first, again = fake_vk.sent(VK_CITIZEN)[:2]
    # Tried again with the same random_id: VK knows it and does not send it twice.
    assert first.params["random_id"] == again.params["random_id"]
    await asyncio.sleep(0.5)
    assert fake_vk.received(VK_CITIZEN, "официальный бот") == 1


async def test_a_long_poll_answering_an_html_page_goes_on(fake_vk: FakeVkApi, app: App) -> None:
    fake_vk.broken_polls = 3
    text = await step(fake_vk, VK_CITIZEN, fake_vk.send(VK_CITIZEN, "/start"))
    assert "официальный бот" in text
    assert fake_vk.broken_polls == 0


async def test_a_refused_token_stops_the_process_with_a_non_zero_code(
    fake_vk: FakeVkApi, tmp_path: Path
) -> None:
    code, output = await exit_of_bot(
        tmp_path, VK_GROUP_TOKEN="vk1.a.not-the-token", VK_API_URL=fake_vk.api_url
    )
    assert code == 1
    assert b"VK refuses the token" in output
    assert b"not-the-token" not in output
