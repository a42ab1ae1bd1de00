"""The figures of the public results page: the month under way and the last twelve months of
appeals by topic and status, deadlines kept by department, answer times, satisfaction, the top
problems with their trend, public polls and the reference groups.

Each figure comes from the queries of the period reports and of open data (the same
definitions, so the page and ``/report`` never disagree). Only aggregates leave here, and none
counted over fewer than ``public_min_count`` appeals (or people): such topics are merged into
one "other topics" row, such departments into "other departments", and what is still too
small is shown as "fewer than N" rather than as a number."""

from __future__ import annotations

import collections
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from handlers.context import Work
from handlers.engagement.poll_results import tally
from storage.models import AppealStatus, QuestionKind
from storage.repositories.reports import DepartmentRow, Period, Summary

MONTHS = 12
# How the page groups the statuses: what is being worked on, answered, closed.
STATUS_GROUPS = ("open", "answered", "closed")
_GROUP_OF = {
    AppealStatus.NEW.value: "open",
    AppealStatus.IN_PROGRESS.value: "open",
    AppealStatus.NEEDS_INFO.value: "open",
    AppealStatus.ANSWERED.value: "answered",
    AppealStatus.CLOSED.value: "closed",
}
TOP_PROBLEMS = 5


@dataclass(frozen=True, slots=True)
class Headline:
    """A period's figures for everyone; a share, time or score over too few is None."""

    received: int
    answered: int
    due: int
    on_time_share: float | None
    median_hours: float | None
    ratings: int
    satisfaction: float | None


@dataclass(frozen=True, slots=True)
class TopicRow:
    """Appeals of a topic by status group; ``topic`` None: the topics merged as too small.
    ``counts`` None: the row itself is too small to be split."""

    topic: str | None
    total: int
    counts: tuple[int, int, int] | None


@dataclass(frozen=True, slots=True)
class DepartmentShare:
    """Deadlines kept and answer time; ``department`` None: the small ones merged."""

    department: str | None
    due: int
    on_time_share: float | None
    answered: int
    median_hours: float | None


@dataclass(frozen=True, slots=True)
class MonthBar:
    month: date
    received: int
    due: int
    on_time_share: float | None
    so_far: bool  # the month under way


@dataclass(frozen=True, slots=True)
class Problem:
    topic: str
    count: int
    previous: int


@dataclass(frozen=True, slots=True)
class PollQuestion:
    text: str
    options: tuple[tuple[str, int], ...]  # (label, votes)


@dataclass(frozen=True, slots=True)
class PollResult:
    title: str
    closed: date
    respondents: int
    questions: tuple[PollQuestion, ...]


@dataclass(frozen=True, slots=True)
class GroupRow:
    name: dict[str, str]  # by locale
    description: dict[str, str]
    open: bool
    members: int | None  # None: some, but fewer than the threshold


@dataclass(frozen=True, slots=True)
class PublicStats:
    computed_at: datetime
    threshold: int
    month: date  # the first day of the month under way
    this_month: Headline
    year: Headline  # the last twelve complete months
    year_start: date
    months: tuple[MonthBar, ...]  # twelve complete months and the one under way
    topics_month: tuple[TopicRow, ...]
    topics_year: tuple[TopicRow, ...]
    departments: tuple[DepartmentShare, ...]  # over the twelve months
    problems: tuple[Problem, ...]  # this month so far against as long a stretch before
    problems_since: date
    polls: tuple[PollResult, ...]
    groups: tuple[GroupRow, ...]


def _first_of_month(day: date, back: int = 0) -> date:
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


def _year_start(today: date) -> date:
    """The first day of the twelve complete months before ``today``'s."""
    return _first_of_month(today, MONTHS)


def _local_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC)


def _headline(summary: Summary, k: int) -> Headline:
    return Headline(
        received=summary.received,
        answered=summary.answered,
        due=summary.due,
        on_time_share=summary.on_time_share if summary.due >= k else None,
        median_hours=summary.median_hours if summary.answered >= k else None,
        ratings=summary.ratings,
        satisfaction=summary.satisfaction if summary.ratings >= k else None,
    )


def topic_rows(counts: list[tuple[str, str, int]], k: int) -> tuple[TopicRow, ...]:
    """(topic, status, count) into rows by status group, largest first. A topic with fewer
    than ``k`` appeals, or with a status group of fewer than ``k`` (but some), joins the
    "other topics" row; that row is split by status only if each of its groups has ``k``."""
    by_topic: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for topic, status, count in counts:
        by_topic[topic][STATUS_GROUPS.index(_GROUP_OF[status])] += count
    rows: list[TopicRow] = []
    other = [0, 0, 0]
    for topic, groups in by_topic.items():
        if all(n == 0 or n >= k for n in groups) and sum(groups) >= k:
            rows.append(TopicRow(topic, sum(groups), (groups[0], groups[1], groups[2])))
        else:
            other = [a + b for a, b in zip(other, groups, strict=True)]
    rows.sort(key=lambda row: (-row.total, row.topic or ""))
    if sum(other):
        splittable = all(n == 0 or n >= k for n in other)
        rows.append(
            TopicRow(None, sum(other), (other[0], other[1], other[2]) if splittable else None)
        )
    return tuple(rows)


def department_rows(rows: list[DepartmentRow], k: int) -> tuple[DepartmentShare, ...]:
    """Departments with ``k`` appeals due or answered keep their line (a figure of theirs
    counted over fewer is hidden); the rest are merged (their median is then not known, only
    their counts: it is left out)."""
    kept: list[DepartmentShare] = []
    due = on_time = answered = 0
    for row in rows:
        if row.due >= k or row.answered >= k:
            kept.append(
                DepartmentShare(
                    row.department,
                    row.due,
                    row.on_time_share if row.due >= k else None,
                    row.answered,
                    row.median_hours if row.answered >= k else None,
                )
            )
        else:
            due, on_time, answered = due + row.due, on_time + row.on_time, answered + row.answered
    kept.sort(key=lambda row: (-(row.on_time_share or 0), -row.due, row.department or ""))
    if due or answered:
        kept.append(DepartmentShare(None, due, on_time / due if due >= k else None, answered, None))
    return tuple(kept)


async def _polls(work: Work, k: int) -> tuple[PollResult, ...]:
    results = []
    zone = work.settings.timezone
    for poll in await work.uow.opendata.public_polls():
        counted = await tally(work, poll)
        if counted.respondents < k:
            continue
        questions = tuple(
            PollQuestion(
                question.question.text,
                tuple(zip(question.labels, question.counts, strict=True)),
            )
            for question in counted.questions
            # Free answers are a person's own words: never published.
            if question.question.kind is not QuestionKind.TEXT
        )
        closed = (poll.closed_at or poll.closes_at).astimezone(zone).date()
        results.append(PollResult(poll.title, closed, counted.respondents, questions))
    results.sort(key=lambda poll: poll.closed, reverse=True)
    return tuple(results)


async def compute(work: Work) -> PublicStats:
    """Every figure of the page, as of ``work.now``."""
    zone, k = work.settings.timezone, work.settings.public_min_count
    reports, opendata = work.uow.reports, work.uow.opendata
    today = work.now.astimezone(zone).date()
    month = _first_of_month(today)
    first_month = _year_start(today)
    now_end = work.now + timedelta(seconds=1)  # what happened at this moment counts too
    this_month = Period(_local_start(month, zone), now_end, None, zone)
    year = Period(_local_start(first_month, zone), _local_start(month, zone), None, zone)
    bars, summaries = [], []
    for back in range(MONTHS, -1, -1):
        first = _first_of_month(today, back)
        end = now_end if back == 0 else _local_start(_first_of_month(today, back - 1), zone)
        summary = await reports.summary(Period(_local_start(first, zone), end, None, zone))
        share = summary.on_time_share if summary.due >= k else None
        bars.append(MonthBar(first, summary.received, summary.due, share, so_far=back == 0))
        summaries.append(summary)
    # The top problems as `/report month now` shows them: the month under way against as
    # long a stretch before.
    problems = tuple(
        Problem(t.topic, t.count, t.previous)
        for t in await reports.top_topics(this_month, limit=TOP_PROBLEMS)
        if t.count >= k
    )
    groups = tuple(
        GroupRow(group.name, group.description, group.open, None if 0 < members < k else members)
        for group, members in await opendata.groups_with_members()
    )
    return PublicStats(
        computed_at=work.now,
        threshold=k,
        month=month,
        this_month=_headline(summaries[-1], k),  # the last bar's period: the month so far
        year=_headline(await reports.summary(year), k),
        year_start=first_month,
        months=tuple(bars),
        topics_month=topic_rows(
            await opendata.appeals_by_topic_and_status(this_month.start, this_month.end), k
        ),
        topics_year=topic_rows(await opendata.appeals_by_topic_and_status(year.start, year.end), k),
        departments=department_rows(await reports.departments(year), k),
        problems=problems,
        problems_since=month,
        polls=await _polls(work, k),
        groups=groups,
    )
