"""Two instances of the bot on one PostgreSQL and one Redis behave as one bot: a scheduled
mailing is started once, every recipient gets it exactly once, both instances send part of it,
and together they keep the token's rate (the fake Bot API refuses what goes faster)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import func, select

from bench.mailer import AUTHOR, TEXT, prepare
from bot.app import App
from bot.config import Settings
from handlers.contracts import ChatRef, Outgoing, Platform, Text
from handlers.outgoing import outbox
from storage import migrate
from storage.database import create_engine, create_session_factory
from storage.models import Delivery, DeliveryStatus
from storage.uow import UnitOfWork
from tests.helpers.channels import running
from tests.helpers.databases import reset_postgres
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.settings import make_settings

RECIPIENTS = 120
RATE = 20  # messages a second for the token, whichever instance sends them


@pytest.fixture
async def shared() -> tuple[str, str]:
    """The real PostgreSQL and Redis, emptied; skipped where either is absent."""
    database = os.environ.get("TEST_DATABASE_URL", "")
    redis_url = os.environ.get("TEST_REDIS_URL", "")
    if not database.startswith("postgresql") or not redis_url:
        pytest.skip("needs TEST_DATABASE_URL on PostgreSQL and TEST_REDIS_URL")
    await reset_postgres(database)
    redis = Redis.from_url(redis_url)
    try:
        keys = [key async for key in redis.scan_iter("civic:*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()
    return database, redis_url


def instance_settings(fake: FakeBotApi, database: str, redis_url: str) -> Settings:
    return make_settings(
        telegram_bot_token=fake.token,
        telegram_api_url=fake.url,
        database_url=database,
        admins=f"tg:{AUTHOR}",
        redis_url=SecretStr(redis_url),
        mailing_rate_telegram=RATE,
        mailing_chunk=10,  # small claims, so both instances take part
        mailing_check_seconds=1,
        webhook_base_url="https://bot.example.org/",
        webhook_host="127.0.0.1",
        webhook_port=0,
        webhook_secret=SecretStr("instances-secret"),
    )


@contextlib.asynccontextmanager
async def two_instances(settings: Settings) -> AsyncIterator[tuple[App, App]]:
    # Started together: migrations and the first scheduler ticks race as they would.
    async with contextlib.AsyncExitStack() as stack:
        one, two = await asyncio.gather(
            stack.enter_async_context(running(settings, webhook=True)),
            stack.enter_async_context(running(settings, webhook=True)),
        )
        yield one, two


async def test_one_scheduled_mailing_sent_exactly_once_at_the_shared_rate(
    fake_tg: FakeBotApi, shared: tuple[str, str]
) -> None:
    fake = fake_tg
    fake.rate.limit = RATE
    database, redis_url = shared
    await prepare(database, "tg", RECIPIENTS, send_at=datetime.now(UTC) - timedelta(seconds=5))

    def delivered() -> list[int]:
        return [
            c.chat_id or 0
            for c in fake.calls
            if c.method == "sendMessage" and c.result and TEXT in c.text
        ]

    def summaries() -> int:
        return sum("Итоги рассылки" in c.text for c in fake.sent(int(AUTHOR)))

    def starts() -> int:
        return sum("Отправка началась" in c.text for c in fake.sent(int(AUTHOR)))

    async with two_instances(instance_settings(fake, database, redis_url)):
        async with asyncio.timeout(60):
            while not delivered():
                await asyncio.sleep(0.01)
            first = time.monotonic()
            while summaries() == 0:
                await asyncio.sleep(0.05)
            elapsed = time.monotonic() - first
        await asyncio.sleep(1.0)  # whatever a second summary or send would be, it would be here

    counts = Counter(delivered())
    assert len(counts) == RECIPIENTS  # nobody left out
    assert set(counts.values()) == {1}  # nobody twice
    # The clock started it once (its author told once) and it was finished once.
    assert starts() == 1
    assert summaries() == 1
    # Together at the token's rate: it took as long as one instance alone would, and the
    # fake refused next to nothing (two pacers of their own: about half the mailing, 56 of
    # 120 when tried). Both instances and the fake share this test's event loop, whose
    # jitter may bring two sends of a schedule closer than it spaced them.
    assert fake.rate.refused <= RECIPIENTS // 50
    assert elapsed >= (RECIPIENTS - 1) / RATE * 0.9
    engine = create_engine(database)
    try:
        async with engine.connect() as connection:
            senders = (
                await connection.execute(
                    select(Delivery.claimed_by, func.count()).group_by(Delivery.claimed_by)
                )
            ).all()
            statuses = (await connection.execute(select(Delivery.status).distinct())).scalars()
            assert set(statuses) == {DeliveryStatus.SENT}
    finally:
        await engine.dispose()
    # Both instances sent part of it.
    assert len(senders) == 2, senders
    assert all(count >= 10 for _, count in senders)


async def test_two_instances_drain_one_outbox_each_message_once(
    fake_tg: FakeBotApi, shared: tuple[str, str]
) -> None:
    """What a dead instance left in the outbox, and more written while both run: claimed
    with SKIP LOCKED and a lease, every message goes out once, in order per chat."""
    fake = fake_tg
    database, redis_url = shared
    chats = [20_000 + n for n in range(20)]

    async def leave(batch: int) -> None:
        """Rows nobody holds, as a crashed instance leaves them once its lease is out."""
        async with UnitOfWork(create_session_factory(engine)) as uow:
            messages = [
                Outgoing(
                    ChatRef(Platform.TELEGRAM, str(chat)),
                    (Text("citizen-appeal-taken", {"number": f"{batch}-{chat}"}),),
                )
                for chat in chats
            ]
            await outbox.write(uow, messages, datetime.now(UTC), None)
            await uow.commit()

    engine = create_engine(database)
    try:
        await migrate.upgrade(engine)
        await leave(0)
        async with two_instances(instance_settings(fake, database, redis_url)):
            for batch in range(1, 4):
                await leave(batch)
                await asyncio.sleep(0.3)
            async with asyncio.timeout(30):
                while sum("взято в работу" in c.text for c in fake.calls if c.result) < 80:
                    await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # a second copy of any would be here by now
    finally:
        await engine.dispose()
    said = Counter(
        (c.chat_id, c.text) for c in fake.calls if c.result and "взято в работу" in c.text
    )
    assert len(said) == 80 and set(said.values()) == {1}
    for chat in chats:  # each chat read its messages in the order they were written
        numbers = [c.text.split("№ ")[1].split("-")[0] for c in fake.delivered(chat)]
        assert numbers == ["0", "1", "2", "3"]
