"""Prometheus metrics, served at /metrics by the webhook server: updates handled (and refused
by flood control, and failed) with their latency, messages sent and failed per platform, and,
read from the database at each scrape, the queues: deliveries waiting, appeals open and
overdue. A registry of its own per app, so several apps in one process (tests) do not clash."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.contracts import Platform
from handlers.lifecycle import OPEN
from storage.models import Appeal, Delivery, DeliveryStatus


class Metrics:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
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
            "Messages to people and staff, by platform and outcome (sent, failed).",
            ["platform", "outcome"],
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

    def delivered(self, platform: Platform, ok: bool) -> None:
        self.sent.labels(platform.value, "sent" if ok else "failed").inc()

    async def endpoint(self, _: web.Request) -> web.Response:
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
        self.pending.set(pending or 0)
        self.open_appeals.set(open_count or 0)
        self.overdue.set(overdue or 0)
        body = generate_latest(self.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
