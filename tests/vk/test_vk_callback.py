"""`python -m bot webhook` with VK: the Callback API confirmation, the secret key checked,
each event answered "ok" once handled, and an event VK sends again handled once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from bot.app import App
from tests.helpers.channels import running
from tests.helpers.fake_vk_api import GROUP_ID, FakeVkApi
from tests.helpers.settings import make_settings
from tests.helpers.vk import CONFIRMATION, SECRET, VK_CITIZEN, VK_OPERATOR, callback_event


async def test_callback_api(
    fake_vk: FakeVkApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fake = fake_vk
    settings = make_settings(
        vk_group_token=fake.token,
        vk_api_url=fake.api_url,
        vk_group_id=GROUP_ID,
        database_url=sqlite_url,
        admins=f"vk:{VK_OPERATOR}",
        webhook_host="127.0.0.1",
        webhook_port=0,
        vk_callback_confirmation=CONFIRMATION,
        vk_callback_secret=SECRET,
    )
    async with running(settings, webhook=True) as app, aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{await _port(app)}/vk"
        confirm = {"type": "confirmation", "group_id": GROUP_ID}
        async with http.post(url, json=confirm) as response:
            assert await response.text() == CONFIRMATION
        async with http.post(url, json={**confirm, "group_id": 1}) as response:
            assert response.status == 403  # another community's request
        json_type = {"Content-Type": "application/json"}
        async with http.post(url, data=b"not json", headers=json_type) as response:
            assert response.status == 400
        async with http.post(url, data=b"not json") as response:
            assert response.status == 415  # not even said to be JSON: not read
        async with http.post(url, json=callback_event(fake, "/start", "e1", "guess")) as response:
            assert response.status == 403
        assert fake.sent(VK_CITIZEN) == []
        for _ in range(2):  # VK sends it again when "ok" was late: handled once
            async with http.post(url, json=callback_event(fake, "/help", "e1")) as response:
                assert await response.text() == "ok"
        replies = [c for c in fake.sent(VK_CITIZEN) if "Что умеет бот" in c.text]
        assert len(replies) == 1
    assert not any(c.method == "groups.getLongPollServer" for c in fake.calls)


async def _port(app: App) -> int:
    assert app.webserver is not None
    await asyncio.wait_for(app.webserver.ready.wait(), 10)
    assert app.webserver.port is not None
    return app.webserver.port
