from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from tests.helpers.channels import running
from tests.helpers.fake_vk_api import FakeVkApi
from tests.helpers.settings import make_settings
from tests.helpers.vk import VK_OPERATOR


@pytest.fixture
async def vk_app(
    fake_vk: FakeVkApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[App]:
    monkeypatch.chdir(tmp_path)  # where the long-poll position is kept, beside data/
    settings = make_settings(
        vk_group_token=fake_vk.token,
        vk_api_url=fake_vk.api_url,
        database_url=sqlite_url,
        admins=f"vk:{VK_OPERATOR}",
    )
    async with running(settings) as app:
        yield app
