"""A mailing on VK end to end: real vkbottle against a fake VK API that answers error 6 past
20 requests a second, refuses a peer who does not allow messages (901), and, as VK does, does
not deliver twice what a peer already got with the same random_id."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.app import App
from storage.models import Delivery, DeliveryStatus, Mailing, MailingStatus
from tests.helpers.channels import running
from tests.helpers.fake_vk_api import Call, FakeVkApi
from tests.helpers.settings import make_settings
from tests.helpers.vk import VK_OPERATOR, press, step

MEMBERS = list(range(3001, 3151))
UNREACHABLE = 3005


@pytest.fixture
async def strict_vk() -> AsyncIterator[FakeVkApi]:
    fake = FakeVkApi(rate_limit=20)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def app(
    strict_vk: FakeVkApi, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[App]:
    monkeypatch.chdir(tmp_path)
    settings = make_settings(
        vk_group_token=strict_vk.token,
        vk_api_url=strict_vk.api_url,
        database_url=sqlite_url,
        admins=f"vk:{VK_OPERATOR}",
    )
    async with running(settings) as app:
        yield app


def batches(fake: FakeVkApi) -> list[Call]:
    return [c for c in fake.calls if c.method == "messages.send" and "peer_ids" in c.params]


def mailing_payload(fake: FakeVkApi, peer: int, label_part: str) -> str:
    for call in reversed(batches(fake)):
        if str(peer) in str(call.params["peer_ids"]).split(","):
            for label, data in call.buttons:
                if label_part in label:
                    return data
    raise AssertionError(f"no mailing button {label_part!r} reached {peer}")


async def summary(fake: FakeVkApi, start: int) -> str:
    found = await fake.wait_for(
        lambda c: (
            c.method == "messages.send" and c.peer_id == VK_OPERATOR and "Итоги рассылки" in c.text
        ),
        30,
        start,
    )
    return found.text


async def test_a_mailing_in_batches_of_100_idempotent_on_retry(
    strict_vk: FakeVkApi, app: App
) -> None:
    fake = strict_vk
    ids = "\n".join(f"vk:{member}" for member in MEMBERS)
    text = await step(
        fake,
        VK_OPERATOR,
        fake.send(VK_OPERATOR, f"/group_add business\n{ids}"),
    )
    assert "добавлено 150" in text
    fake.unreachable.add(UNREACHABLE)

    await step(fake, VK_OPERATOR, fake.send(VK_OPERATOR, "/mailing_new"))
    text = await step(
        fake,
        VK_OPERATOR,
        fake.send(VK_OPERATOR, "Публичные консультации по проекту <акта>"),
    )
    assert "Черновик рассылки" in text
    await press(fake, VK_OPERATOR, "Аудитория")
    await press(fake, VK_OPERATOR, "Предприниматели")
    text = await press(fake, VK_OPERATOR, "К черновику")
    assert "Кому: Предприниматели" in text

    fake.fail("messages.send#peer_ids", 6, "Too many requests per second")
    start = len(fake.calls)
    await press(fake, VK_OPERATOR, "Отправить")
    text = await summary(fake, start)
    assert "Доставлено: 149" in text and "заблокировали бота): 1" in text

    sent = batches(fake)

    # 100 and 50 peers a request; the one refused with error 6 was tried again.
    def size(call: Call) -> int:
        return len(str(call.params["peer_ids"]).split(","))

    assert len(sent) == 3
    assert sorted(size(c) for c in sent if c.result is not None) == [50, 100]
    assert [c.result is None for c in sent].count(True) == 1
    assert len({c.params["random_id"] for c in sent}) == 1
    assert fake.rate.refused == 0
    for member in MEMBERS:
        expected = 0 if member == UNREACHABLE else 1
        assert fake.received(member, "Публичные консультации") == expected, member
    # Plain text on VK: the markup gone, the user's text as it was.
    received = next(text for peer, text in fake.messages if peer == MEMBERS[0])
    assert "по проекту <акта>" in received and "<i>" not in received

    # As if a crash had lost every mark: the mailing is sent again with the same
    # random_id, and VK delivers nothing twice.
    async with app.engine.begin() as connection:
        await connection.execute(update(Delivery).values(status=DeliveryStatus.PENDING))
        await connection.execute(update(Mailing).values(status=MailingStatus.SENDING))
    start = len(fake.calls)
    await summary(fake, start)
    assert len(batches(fake)) == 5  # three before (one refused), two now
    assert all(fake.received(m, "Публичные консультации") <= 1 for m in MEMBERS)

    # A recipient stops all mailings with the button under it.
    member = MEMBERS[0]
    reply = await step(
        fake, member, fake.press(member, mailing_payload(fake, member, "Не получать"))
    )
    assert "отказались от всех рассылок" in reply
    assert json.loads(mailing_payload(fake, member, "Не получать"))["p"] == "ml:stop"
