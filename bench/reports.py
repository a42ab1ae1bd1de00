"""The period reports on a million appeals, run by hand:

    .venv/bin/python -m bench.reports [--appeals 1000000]

With TEST_DATABASE_URL=postgresql+asyncpg://... set, PostgreSQL is measured as well.

It fills a fresh SQLite file (and, when TEST_DATABASE_URL is set, a scratch PostgreSQL
database beside that one, dropped afterwards) with N appeals over two years: answers, late
answers, extensions, closures, ratings, reopenings. Then, for the last complete week, month
and quarter, it times each query of the report (storage/repositories/reports.py, best of 3)
next to the same figures asked in SQL written by hand and run on the bare driver (sqlite3,
asyncpg) in the same run, checks both give the same figures, and prints the ratios. Targets:
a whole report within 1 s on SQLite, and at most 2 times the hand-written SQL. The plans are
printed too, to show the indexes are used. Nothing here is a test: the machine is shared and
timings are noisy."""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import random
import re
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.appeals.departments import DepartmentCatalog
from handlers.appeals.topics import TopicCatalog
from handlers.context import Work
from handlers.faq.faq_library import FaqLibrary
from handlers.reports import opendata
from handlers.reports.opendata_catalog import OpenDataCatalog
from handlers.reports.period_reports import last_complete, period_of
from handlers.settings import CoreSettings
from storage import migrate
from storage.database import create_engine, create_session_factory
from storage.models import AnswerRating, Appeal, AppealAnswer, AppealEvent, User
from storage.repositories.reports import Period, ReportRepository
from storage.uow import UnitOfWork

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)  # fixed, so every run measures the same data
ZONE = ZoneInfo("Europe/Moscow")
SPAN = timedelta(days=730)
CHUNK = 20_000
REPEAT = 3
STAFF = 50
CITIZENS = 10_000


# ---------------------------------------------------------------------------------------------
# The data set


def _rows(count: int, seed: int = 1) -> tuple[list[dict[str, Any]], ...]:
    """Appeals with answers, ratings and reopenings, deterministic for a seed."""
    rng = random.Random(seed)
    topics = TopicCatalog.load(ROOT / "templates" / "topics.toml", ("ru", "en"))
    departments = DepartmentCatalog.load(
        ROOT / "templates" / "departments.toml", ("ru", "en"), topics
    )
    codes = [t.code for t in topics]
    weights = [1 / (rank + 1) for rank in range(len(codes))]  # a few topics dominate
    appeals: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    start = NOW - SPAN
    for n in range(1, count + 1):
        created = start + timedelta(seconds=rng.random() * SPAN.total_seconds())
        topic = rng.choices(codes, weights)[0]
        extended = rng.random() < 0.05
        due = created + timedelta(days=60 if extended else 30)
        delay = timedelta(hours=rng.lognormvariate(4.2, 1.0))  # median ~67 h, a long tail
        answered = created + delay if rng.random() < 0.92 and created + delay < NOW else None
        closed = answered + timedelta(days=3) if answered and rng.random() < 0.7 else None
        if closed is not None and closed > NOW:
            closed = None
        status = (
            "closed" if closed else "answered" if answered else rng.choice(["new", "in_progress"])
        )
        appeals.append(
            {
                "id": n,
                "citizen_id": STAFF + 1 + rng.randrange(CITIZENS),
                "platform": "tg",
                "chat_id": "1",
                "topic": topic,
                "department": departments.for_topic(topic),
                "text": "-",
                "address": "ул. Ленина, 1" if rng.random() < 0.3 else None,
                "status": status,
                "created_at": created,
                "due_at": due,
                "assignee_id": 1 + rng.randrange(STAFF) if rng.random() < 0.8 else None,
                "answered_at": answered,
                "first_answered_at": answered,
                "answer_seconds": (answered - created).total_seconds() if answered else None,
                "closed_at": closed,
                "urgent": False,
                "extended_days": 30 if extended else None,
            }
        )
        if answered is not None and rng.random() < 0.25:
            rated = answered + timedelta(hours=rng.random() * 48)
            if rated < NOW:
                answer_id = len(answers) + 1
                answers.append(
                    {
                        "id": answer_id,
                        "appeal_id": n,
                        "number": 1,
                        "text": "-",
                        "files": [],
                        "created_at": answered,
                    }
                )
                score = rng.choices([1, 2, 3, 4, 5], [8, 7, 15, 30, 40])[0]
                ratings.append({"answer_id": answer_id, "score": score, "created_at": rated})
                if score <= 2:
                    events.append({"appeal_id": n, "at": rated, "action": "reopen"})
    return appeals, answers, ratings, events


async def fill(url: str, count: int) -> float:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    started = time.perf_counter()
    appeals, answers, ratings, events = _rows(count)
    users = [
        {"id": n, "platform": "tg", "external_id": str(n), "display_name": f"Сотрудник {n}"}
        for n in range(1, STAFF + CITIZENS + 1)
    ]
    async with engine.begin() as connection:
        for table, rows in (
            (User, users),
            (Appeal, appeals),
            (AppealAnswer, answers),
            (AnswerRating, ratings),
            (AppealEvent, events),
        ):
            for at in range(0, len(rows), CHUNK):
                await connection.execute(insert(table), rows[at : at + CHUNK])
        if engine.dialect.name == "postgresql":
            await connection.execute(text("ANALYZE"))  # what autovacuum does on its own
    await engine.dispose()
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# The same figures by hand


def _hours(dialect: str, prefix: str = "") -> str:
    """The answer time in hours, as the schema keeps it (migration 0025)."""
    del dialect
    return f"({prefix}answer_seconds / 3600.0)"


def hand_sql(dialect: str) -> dict[str, str]:
    """Built from constants only (the dialect picks the epoch function): no input reaches it."""
    late = "(first_answered_at IS NULL OR first_answered_at > due_at)"
    return {
        "summary": f"""
            SELECT
              (SELECT count(*) FROM appeals WHERE created_at >= :s AND created_at < :e),
              (SELECT count(*) FROM appeals
                WHERE first_answered_at >= :s AND first_answered_at < :e),
              (SELECT count(*) FROM appeals WHERE closed_at >= :s AND closed_at < :e),
              (SELECT count(*) FROM appeals WHERE due_at >= :s AND due_at < :e),
              (SELECT count(*) FROM appeals WHERE due_at >= :s AND due_at < :e AND {late}),
              (SELECT count(*) FROM answer_ratings WHERE created_at >= :s AND created_at < :e),
              (SELECT count(DISTINCT appeal_id) FROM appeal_events
                WHERE action = 'reopen' AND at >= :s AND at < :e)
        """,
        "percentiles": f"""
            SELECT max(CASE WHEN rn = (n + 1) / 2 THEN hours END),
                   max(CASE WHEN rn = (n * 9 + 9) / 10 THEN hours END)
            FROM (SELECT hours, row_number() OVER (ORDER BY hours) AS rn, count(*) OVER () AS n
                  FROM (SELECT {_hours(dialect)} AS hours FROM appeals
                        WHERE first_answered_at >= :s AND first_answered_at < :e) h) r
        """,
        "ratings": """
            SELECT count(*), avg(score), sum(CASE WHEN score <= 2 THEN 1 ELSE 0 END)
            FROM answer_ratings WHERE created_at >= :s AND created_at < :e
        """,
        "top_topics": """
            SELECT topic, sum(CASE WHEN created_at >= :s THEN 1 ELSE 0 END) AS now,
                   sum(CASE WHEN created_at < :s THEN 1 ELSE 0 END)
            FROM appeals WHERE created_at >= :ps AND created_at < :e
            GROUP BY topic HAVING sum(CASE WHEN created_at >= :s THEN 1 ELSE 0 END) > 0
            ORDER BY now DESC, topic LIMIT 5
        """,
        "departments": f"""
            WITH rec AS (SELECT department, count(*) AS received FROM appeals
                         WHERE created_at >= :s AND created_at < :e GROUP BY department),
            ranked AS (SELECT department, {_hours(dialect)} AS hours,
                              row_number() OVER (PARTITION BY department
                                                 ORDER BY {_hours(dialect)}) AS rn,
                              count(*) OVER (PARTITION BY department) AS n
                       FROM appeals WHERE first_answered_at >= :s AND first_answered_at < :e),
            ans AS (SELECT department, count(*) AS answered,
                           max(CASE WHEN rn = (n + 1) / 2 THEN hours END) AS median
                    FROM ranked GROUP BY department),
            due AS (SELECT department, count(*) AS due,
                           sum(CASE WHEN {late} THEN 0 ELSE 1 END) AS on_time
                    FROM appeals WHERE due_at >= :s AND due_at < :e GROUP BY department),
            rat AS (SELECT a.department, count(*) AS ratings, avg(r.score) AS satisfaction
                    FROM answer_ratings r JOIN appeal_answers w ON w.id = r.answer_id
                    JOIN appeals a ON a.id = w.appeal_id
                    WHERE r.created_at >= :s AND r.created_at < :e GROUP BY a.department),
            reo AS (SELECT a.department, count(DISTINCT e.appeal_id) AS reopened
                    FROM appeal_events e JOIN appeals a ON a.id = e.appeal_id
                    WHERE e.action = 'reopen' AND e.at >= :s AND e.at < :e
                    GROUP BY a.department),
            names AS (SELECT department FROM rec UNION SELECT department FROM ans
                      UNION SELECT department FROM due UNION SELECT department FROM rat
                      UNION SELECT department FROM reo)
            SELECT names.department, coalesce(received, 0), coalesce(answered, 0),
                   coalesce(due, 0), coalesce(on_time, 0), median, coalesce(ratings, 0),
                   satisfaction, coalesce(reopened, 0)
            FROM names LEFT JOIN rec ON rec.department = names.department
            LEFT JOIN ans ON ans.department = names.department
            LEFT JOIN due ON due.department = names.department
            LEFT JOIN rat ON rat.department = names.department
            LEFT JOIN reo ON reo.department = names.department
            ORDER BY names.department
        """,
        "overdue": """
            SELECT a.id, a.created_at, a.due_at, a.department, a.topic, u.display_name,
                   a.address, a.first_answered_at
            FROM appeals a LEFT JOIN users u ON u.id = a.assignee_id
            WHERE a.due_at >= :s AND a.due_at < :e
              AND (a.first_answered_at IS NULL OR a.first_answered_at > a.due_at)
            ORDER BY a.due_at, a.id
        """,
    }


class HandRunner:
    """The hand-written SQL on the bare driver."""

    def __init__(self, url: str) -> None:
        self.dialect = make_url(url).get_backend_name()
        self._url = url
        self._sqlite: sqlite3.Connection | None = None
        self._pg: asyncpg.Connection | None = None

    async def open(self) -> None:
        parsed = make_url(self._url)
        if self.dialect == "sqlite":
            self._sqlite = sqlite3.connect(str(parsed.database))
        else:
            self._pg = await asyncpg.connect(
                parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            )

    async def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._pg is not None:
            await self._pg.close()

    async def fetch(self, sql: str, params: dict[str, datetime]) -> list[tuple[Any, ...]]:
        naive = {k: v.astimezone(UTC).replace(tzinfo=None) for k, v in params.items()}
        if self._sqlite is not None:
            stored = {k: v.strftime("%Y-%m-%d %H:%M:%S.%f") for k, v in naive.items()}
            used = {k: v for k, v in stored.items() if f":{k}" in sql}
            return list(self._sqlite.execute(sql, used).fetchall())
        assert self._pg is not None
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        numbered = re.sub(r":(\w+)\b", number, sql)
        return [tuple(r) for r in await self._pg.fetch(numbered, *(naive[n] for n in names))]

    async def plan(self, sql: str, params: dict[str, datetime]) -> list[str]:
        prefix = "EXPLAIN QUERY PLAN " if self.dialect == "sqlite" else "EXPLAIN "
        return [str(row[-1]) for row in await self.fetch(prefix + sql, params)]


# ---------------------------------------------------------------------------------------------
# Timing


async def best(run: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    result = await run()  # warm
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        result = await run()
        times.append(time.perf_counter() - started)
    return min(times), result


@dataclass
class Line:
    name: str
    ours: float
    hand: float
    same: bool


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-6


async def measure(session: AsyncSession, hand: HandRunner, period: Period) -> list[Line]:
    """Each query on a fresh repository (nothing kept from the one before), next to the hand
    SQL; the daily roll-ups are in the database already (a first report counts them)."""

    def repo() -> ReportRepository:
        return ReportRepository(session)

    sql = hand_sql(hand.dialect)
    params = {"s": period.start, "e": period.end, "ps": period.previous().start}
    lines = []

    t_ours, ours = await best(lambda: repo().summary(period))
    t_hand, rows = await best(lambda: hand.fetch(sql["summary"], params))
    t_pct, pct = await best(lambda: hand.fetch(sql["percentiles"], params))
    t_rat, rat = await best(lambda: hand.fetch(sql["ratings"], params))
    r = rows[0]
    same = (
        (
            ours.received,
            ours.answered,
            ours.closed,
            ours.due,
            ours.overdue,
            ours.ratings,
            ours.reopened,
        )
        == tuple(int(v) for v in r)
        and _close(ours.median_hours, pct[0][0])
        and _close(ours.p90_hours, pct[0][1])
        and _close(ours.satisfaction, rat[0][1])
    )
    lines.append(Line("summary", t_ours, t_hand + t_pct + t_rat, same))

    t_ours, topics = await best(lambda: repo().top_topics(period))
    t_hand, rows = await best(lambda: hand.fetch(sql["top_topics"], params))
    same = [(t.topic, t.count, t.previous) for t in topics] == [
        (row[0], int(row[1]), int(row[2])) for row in rows
    ]
    lines.append(Line("top topics", t_ours, t_hand, same))

    t_ours, departments = await best(lambda: repo().departments(period))
    t_hand, rows = await best(lambda: hand.fetch(sql["departments"], params))
    same = len(departments) == len(rows) and all(
        (d.department, d.received, d.answered, d.due, d.on_time, d.ratings, d.reopened)
        == (row[0], *(int(v) for v in (row[1], row[2], row[3], row[4], row[6], row[8])))
        and _close(d.median_hours, row[5])
        for d, row in zip(departments, rows, strict=False)
    )
    lines.append(Line("departments", t_ours, t_hand, same))

    t_ours, overdue = await best(lambda: repo().overdue(period))
    t_hand, rows = await best(lambda: hand.fetch(sql["overdue"], params))
    same = [o.appeal_id for o in overdue] == [row[0] for row in rows]
    lines.append(Line(f"overdue ({len(overdue)})", t_ours, t_hand, same))
    return lines


async def whole(session: AsyncSession, period: Period) -> None:
    """The figures the hand SQL gives (the bot's report adds the summary of the period
    before, for the comparison: a second summary)."""
    repo = ReportRepository(session)
    await repo.summary(period)
    await repo.top_topics(period)
    await repo.departments(period)
    await repo.overdue(period)


def _plans_use_indexes(dialect: str, plans: Sequence[str]) -> str:
    full = [p for p in plans if re.search(r"\bSCAN (appeals|answer_ratings|appeal_events)\b", p)]
    if dialect == "postgresql":
        full = [p for p in plans if "Seq Scan on appeals" in p or "Seq Scan on answer_ratings" in p]
    return "indexes used" if not full else "FULL SCAN: " + "; ".join(full)


async def report(url: str, count: int, *, reuse: bool = False) -> None:
    dialect = make_url(url).get_backend_name()
    if reuse:
        print(f"\n== {dialect}: the data of an earlier run", flush=True)
    else:
        print(f"\n== {dialect}: filling {count:,} appeals", flush=True)
        print(f"   filled in {await fill(url, count):.0f} s", flush=True)
    engine = create_engine(url)
    hand = HandRunner(url)
    await hand.open()
    try:
        async with create_session_factory(engine)() as session:
            await _print_plans(hand, session)
            # The first report counts the days it needs (once; kept from then on).
            for kind in ("week", "month", "quarter"):
                period = period_of(last_complete(kind, NOW, ZONE), ZONE, None)
                began = time.perf_counter()
                await ReportRepository(session).departments(period)
                await ReportRepository(session).top_topics(period)
                await session.commit()
                print(
                    f"   {kind}: a first report (it counts the days not counted yet) "
                    f"{1000 * (time.perf_counter() - began):.0f} ms",
                    flush=True,
                )
            print(
                f"   {'period':8} {'query':18} {'ours, ms':>9} {'by hand, ms':>12} "
                f"{'ratio':>6}  same figures"
            )
            for kind in ("week", "month", "quarter"):
                period = period_of(last_complete(kind, NOW, ZONE), ZONE, None)
                lines = await measure(session, hand, period)
                for line in lines:
                    print(
                        f"   {kind:8} {line.name:18} {1000 * line.ours:9.1f} "
                        f"{1000 * line.hand:12.1f} {line.ours / line.hand:6.2f}  "
                        f"{'yes' if line.same else 'NO'}"
                    )
                # The whole report as the bot builds it: one repository, one pass.
                ours, _ = await best(functools.partial(whole, session, period))
                by_hand = sum(line.hand for line in lines)
                print(
                    f"   {kind:8} {'whole report':18} {1000 * ours:9.1f} {1000 * by_hand:12.1f} "
                    f"{ours / by_hand:6.2f}  target: <= 1000 ms on SQLite, ratio <= 2",
                    flush=True,
                )
        for when in ("first", "again"):
            seconds, sets = await _open_data(engine)
            rows = sum(len(v) for v in sets.values())
            print(
                f"   open data, every set ({rows:,} rows over 24 months), {when}: {seconds:.1f} s",
                flush=True,
            )
    finally:
        await hand.close()
        await engine.dispose()


async def _open_data(engine: Any) -> tuple[float, dict[str, list[opendata.Row]]]:
    """The open datasets as `python -m bot export-open-data` computes them (ours alone)."""
    locales = ("ru", "en")
    topics = TopicCatalog.load(ROOT / "templates" / "topics.toml", locales)
    templates = ROOT / "templates"
    async with UnitOfWork(create_session_factory(engine)) as uow:
        work = Work(
            uow=uow,
            settings=CoreSettings(opendata=OpenDataCatalog.load(templates, opendata.field_names())),
            topics=topics,
            departments=DepartmentCatalog.load(templates / "departments.toml", locales, topics),
            faq=FaqLibrary(templates / "faq.toml", templates / "info.toml", locales),
            now=NOW,
        )
        started = time.perf_counter()
        sets = await opendata.collect(work)
        seconds = time.perf_counter() - started
        await uow.commit()  # the days counted, kept (as the bot's export does)
        return seconds, sets


async def _print_plans(hand: HandRunner, session: AsyncSession) -> None:
    del session
    period = period_of(last_complete("month", NOW, ZONE), ZONE, None)
    params = {"s": period.start, "e": period.end, "ps": period.previous().start}
    for name, sql in hand_sql(hand.dialect).items():
        print(
            f"   plan of {name}: {_plans_use_indexes(hand.dialect, await hand.plan(sql, params))}"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument(
        "--sqlite-file",
        type=Path,
        help="keep the SQLite data set here, and reuse it when it is already there",
    )
    args = parser.parse_args()
    if args.sqlite_file:
        reuse = args.sqlite_file.exists()
        await report(f"sqlite+aiosqlite:///{args.sqlite_file}", args.appeals, reuse=reuse)
    else:
        with tempfile.TemporaryDirectory() as folder:
            await report(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", args.appeals)
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if pg_url:
        await _on_scratch_postgres(pg_url, args.appeals)


async def _on_scratch_postgres(url: str, count: int) -> None:
    """A database of its own next to the tests' one, so the suite is never disturbed."""
    parsed = make_url(url)
    scratch = "bench_reports"
    admin = await asyncpg.connect(
        parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    )
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {scratch}")
        await admin.execute(f"CREATE DATABASE {scratch}")
        await report(parsed.set(database=scratch).render_as_string(hide_password=False), count)
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
