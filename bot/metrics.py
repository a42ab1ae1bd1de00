"""Prometheus metrics, served at /metrics by the webhook server: updates handled (and refused
by flood control, and failed) with their latency, messages sent, retried and undeliverable per
platform, and, read from the database at each scrape, the queues: the outbox (waiting, and the
age of the oldest), mailing deliveries waiting, appeals open and overdue. A registry of its
own per app, so several apps in one process (tests) do not clash. /health turns unhealthy
while the oldest message in the outbox waits longer than a setting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.webhook import same_secret
from handlers.appeals.lifecycle import OPEN
from handlers.contracts import Platform
from storage.database import create_session_factory
from storage.models import Appeal, Delivery, DeliveryStatus
from storage.uow import UnitOfWork


class Metrics:
    def __init__(
        self, engine: AsyncEngine, *, max_age: float = 300.0, token: str | None = None
    ) -> None:
        self._engine = engine
        # METRICS_TOKEN: a scraper sends "Authorization: Bearer <token>".
        self._authorization = f"Bearer {token}" if token else None
        self._sessions = create_session_factory(engine)
        self._max_age = max_age
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "civic_updates",
            "Updates from people, by platform and outcome (handled, throttled, failed).",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "civic_update_seconds",
            "Time to handle one update, replies not included.",
            ["platform"],
            buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.sent = Counter(
            "civic_messages",
            "Tries of messages to people and staff from the outbox, by platform and outcome "
            "(sent, retry, undeliverable, superseded).",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.outbox_delay = Histogram(
            "civic_outbox_send_delay_seconds",
            "From a message's commit to its first request leaving for the platform.",
            ["platform"],
            buckets=(
                0.0005,
                0.001,
                0.002,
                0.003,
                0.005,
                0.0075,
                0.01,
                0.015,
                0.02,
                0.03,
                0.05,
                0.1,
                0.25,
                0.5,
                1,
                2.5,
                5,
                10,
                30,
                60,
            ),
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "civic_outbox_pending",
            "Messages in the outbox not yet sent, by platform.",
            ["platform"],
            registry=self.registry,
        )
        self.outbox_oldest = Gauge(
            "civic_outbox_oldest_pending_seconds",
            "Age of the oldest message in the outbox not yet sent, by platform.",
            ["platform"],
            registry=self.registry,
        )
        self.outbox_undeliverable = Gauge(
            "civic_outbox_undeliverable",
            "Messages in the outbox that could not be delivered (kept 30 days), by platform.",
            ["platform"],
            registry=self.registry,
        )
        self.pending = Gauge(
            "civic_deliveries_pending",
            "Mailing deliveries not yet sent.",
            registry=self.registry,
        )
        self.open_appeals = Gauge(
            "civic_appeals_open", "Appeals being considered.", registry=self.registry
        )
        self.overdue = Gauge(
            "civic_appeals_overdue",
            "Appeals being considered past their deadline.",
            registry=self.registry,
        )

    def handled(self, platform: Platform, seconds: float, outcome: str) -> None:
        self.updates.labels(platform.value, outcome).inc()
        if outcome != "throttled":
            self.latency.labels(platform.value).observe(seconds)

    def delivered(self, platform: Platform, outcome: str) -> None:
        self.sent.labels(platform.value, outcome).inc()

    def delayed(self, platform: Platform, seconds: float) -> None:
        self.outbox_delay.labels(platform.value).observe(seconds)

    async def _outbox(self, now: datetime) -> float:
        """The outbox's gauges; the age of its oldest waiting message, in seconds."""
        async with UnitOfWork(self._sessions) as uow:
            backlog = await uow.outbox.backlog()
            undeliverable = await uow.outbox.undeliverable()
        oldest_of_all = 0.0
        for platform in Platform:
            self.outbox_pending.labels(platform.value).set(0)
            self.outbox_oldest.labels(platform.value).set(0)
            self.outbox_undeliverable.labels(platform.value).set(
                undeliverable.get(platform.value, 0)
            )
        for row in backlog:
            age = (now - row.oldest).total_seconds() if row.oldest else 0.0
            self.outbox_pending.labels(row.platform).set(row.pending)
            self.outbox_oldest.labels(row.platform).set(max(age, 0.0))
            oldest_of_all = max(oldest_of_all, age)
        return oldest_of_all

    async def health(self) -> tuple[bool, dict[str, object]]:
        """Healthy while nothing in the outbox waits longer than the limit."""
        oldest = await self._outbox(datetime.now(UTC))
        return oldest <= self._max_age, {"outbox_oldest_pending_seconds": round(oldest, 1)}

    async def endpoint(self, request: web.Request) -> web.Response:
        given = request.headers.get("Authorization", "")
        if self._authorization is not None and not same_secret(given, self._authorization):
            return web.Response(status=401, text="Unauthorized")
        now = datetime.now(UTC)

        def count(table: Any, *where: Any) -> Any:
            return select(func.count()).select_from(table).where(*where).scalar_subquery()

        async with self._engine.connect() as connection:  # one round trip per scrape
            row = (
                await connection.execute(
                    select(
                        count(Delivery, Delivery.status == DeliveryStatus.PENDING),
                        count(Appeal, Appeal.status.in_(OPEN)),
                        count(Appeal, Appeal.status.in_(OPEN), Appeal.due_at < now),
                    )
                )
            ).one()
        pending, open_count, overdue = row
        await self._outbox(now)
        self.pending.set(pending or 0)
        self.open_appeals.set(open_count or 0)
        self.overdue.set(overdue or 0)
        body = generate_latest(self.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
