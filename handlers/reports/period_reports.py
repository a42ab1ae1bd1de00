"""Period reports for admins and department heads: a short message, a PNG chart and an XLSX
workbook with the detail. The figures come from SQL (storage/repositories/reports.py); this
module only chooses the period, checks who may see what, and lays the figures out."""

from __future__ import annotations

import dataclasses
import functools
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from handlers import choices
from handlers.appeals import views
from handlers.context import Context, Work
from handlers.contracts import AttachmentKind, ChatRef, Platform, Text, Upload
from handlers.registry import Audience, Command, Feature
from storage.models import Role
from storage.repositories.reports import DepartmentRow, OverdueRow, Period, Summary, TopicCount

KINDS = ("week", "month", "quarter")
NOW_WORDS = ("now", "сейчас")
OVERDUE_SHOWN = 5  # in the message; the workbook has them all


def last_complete(kind: str, now: datetime, zone: tzinfo) -> tuple[date, date]:
    """The last calendar week, month or quarter that has ended, in local dates [start, end)."""
    today = now.astimezone(zone).date()
    if kind == "week":
        end = today - timedelta(days=today.weekday())
        return end - timedelta(days=7), end
    if kind == "month":
        end = today.replace(day=1)
        start = (end - timedelta(days=1)).replace(day=1)
        return start, end
    first_month = 3 * ((today.month - 1) // 3) + 1
    end = today.replace(month=first_month, day=1)
    previous = end - timedelta(days=1)
    return previous.replace(month=3 * ((previous.month - 1) // 3) + 1, day=1), end


def current(kind: str, now: datetime, zone: tzinfo) -> tuple[date, date]:
    """The week, month or quarter under way: from its first day to the end of today."""
    today = now.astimezone(zone).date()
    if kind == "week":
        start = today - timedelta(days=today.weekday())
    elif kind == "month":
        start = today.replace(day=1)
    else:
        start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    return start, today + timedelta(days=1)


def period_of(days: tuple[date, date], zone: tzinfo, department: str | None) -> Period:
    start, end = (datetime.combine(d, time(), zone).astimezone(UTC) for d in days)
    return Period(start, end, department, zone)


@dataclass(frozen=True)
class Report:
    kind: str
    days: tuple[date, date]
    period: Period
    summary: Summary
    previous: Summary
    topics: list[TopicCount]
    departments: list[DepartmentRow]
    overdue: list[OverdueRow]
    # The period under way, counted up to this moment (compared with as long a stretch before).
    so_far: datetime | None = None

    @property
    def empty(self) -> bool:
        """Nothing happened in the period: no figure, chart or table would say anything."""
        s = self.summary
        return not (s.received or s.answered or s.closed or s.due or s.ratings or s.reopened)


async def build(work: Work, kind: str, department: str | None, *, so_far: bool = False) -> Report:
    """The last finished period, or with ``so_far`` the one under way up to now."""
    zone = work.settings.timezone
    days = (current if so_far else last_complete)(kind, work.now, zone)
    period = period_of(days, zone, department)
    if so_far:
        # What happened at this very moment counts too: the end is exclusive.
        period = dataclasses.replace(period, end=work.now + timedelta(seconds=1))
    reports = work.uow.reports
    return Report(
        kind=kind,
        days=days,
        period=period,
        summary=await reports.summary(period),
        previous=await reports.summary(period.previous()),
        topics=await reports.top_topics(period),
        departments=await reports.departments(period),
        overdue=await reports.overdue(period),
        so_far=work.now if so_far else None,
    )


def _share(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)}%"


def _hours(value: float | None) -> str | int:
    """Whole hours for the message; the workbook keeps the exact value."""
    return "—" if value is None else round(value)


def _trend(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "same"
    return "up" if now > before else "down" if now < before else "same"


def message(work: Work, report: Report, locale: str) -> tuple[Text, ...]:
    s, before = report.summary, report.previous
    department = report.period.department
    texts = [
        Text(
            "report-header",
            {
                "kind": report.kind,
                "start": report.days[0].strftime("%d.%m.%Y"),
                "end": (
                    work.format_datetime(report.so_far)
                    if report.so_far
                    else (report.days[1] - timedelta(days=1)).strftime("%d.%m.%Y")
                ),
                "scope": "one" if department else "all",
                "department": work.departments.name(department, locale) if department else "",
                "sofar": "yes" if report.so_far else "no",
            },
        ),
    ]
    if report.empty:
        texts.append(
            Text(
                "report-no-data",
                {
                    "before": before.received,
                    "kind": report.kind,
                    "sofar": "yes" if report.so_far else "no",
                },
            )
        )
        return tuple(texts)
    texts += [
        Text(
            "report-volume",
            {
                "received": s.received,
                "received_before": before.received,
                "answered": s.answered,
                "closed": s.closed,
                "reopened": s.reopened,
            },
        ),
        Text(
            "report-deadlines",
            {"due": s.due, "overdue": s.overdue, "on_time": _share(s.on_time_share)},
        ),
        (
            Text("report-speed", {"median": _hours(s.median_hours), "p90": _hours(s.p90_hours)})
            if s.median_hours is not None
            else Text("report-speed-none")
        ),
        Text(
            "report-satisfaction",
            {
                "ratings": s.ratings,
                "average": "—" if s.satisfaction is None else f"{s.satisfaction:.2f}",
                "low": _share(s.low_share),
            },
        ),
    ]
    if report.topics:
        texts.append(Text("report-topics-header"))
        for n, topic in enumerate(report.topics, start=1):
            texts.append(
                Text(
                    "report-topic",
                    {
                        "n": n,
                        "topic": work.topics.name(topic.topic, locale),
                        "count": topic.count,
                        "before": topic.previous,
                        "trend": _trend(topic.count, topic.previous),
                    },
                )
            )
    if department is None and report.departments:
        texts.append(Text("report-departments-header"))
        for row in ranked(report.departments):
            texts.append(
                Text(
                    "report-department",
                    {
                        "department": work.departments.name(row.department, locale),
                        "received": row.received,
                        "answered": row.answered,
                        "on_time": _share(row.on_time_share),
                        "median": _hours(row.median_hours),
                        "average": "—" if row.satisfaction is None else f"{row.satisfaction:.1f}",
                        "complete": _share(row.completeness),
                    },
                )
            )
    if report.overdue:
        texts.append(Text("report-overdue-header", {"count": len(report.overdue)}))
        for late in report.overdue[:OVERDUE_SHOWN]:
            texts.append(Text("report-overdue", _overdue_params(work, late, locale)))
    return tuple(texts)


def ranked(rows: list[DepartmentRow]) -> list[DepartmentRow]:
    """Most appeals first; among equals, the better deadline compliance."""
    return sorted(rows, key=lambda r: (-r.received, -(r.on_time_share or 0), r.department))


def _overdue_params(work: Work, row: OverdueRow, locale: str) -> dict[str, object]:
    return {
        "number": f"{row.created_at.year}-{row.appeal_id:05d}",
        "due": work.format_date(row.due_at),
        "department": work.departments.name(row.department, locale),
        "topic": work.topics.name(row.topic, locale),
        "executor": row.executor or "—",
        "place": row.place or "—",
    }


def chart(work: Work, report: Report, locale: str) -> Upload:
    """Two panels: the period against the one before, and the top topics."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    from matplotlib import pyplot
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    s, before = report.summary, report.previous
    word = functools.partial(work.word, locale)
    labels = [word(f"report-row-{k}") for k in ("received", "answered", "closed", "overdue")]
    now_values = [s.received, s.answered, s.closed, s.overdue]
    before_values = [before.received, before.answered, before.closed, before.overdue]
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 10}):
        figure = Figure(figsize=(9, 4.5))
        left, right = figure.subplots(1, 2)
        positions = range(len(labels))
        left.bar(
            [p - 0.2 for p in positions],
            before_values,
            0.4,
            color="#a0aec0",
            label=word("report-chart-before"),
        )
        left.bar(
            [p + 0.2 for p in positions],
            now_values,
            0.4,
            color="#2b6cb0",
            label=word("report-chart-period"),
        )
        left.set_xticks(list(positions), labels)
        # Counts are whole: no fractional ticks, and an empty period is 0..1, not -0.04..0.04.
        left.yaxis.set_major_locator(MaxNLocator(integer=True))
        left.set_ylim(bottom=0, top=max(1, *now_values, *before_values) * 1.1)
        left.legend()
        left.set_title(word("report-chart-appeals"), loc="left")
        right.set_title(word("report-chart-topics"), loc="left")
        if report.topics:
            names = [work.topics.name(t.topic, locale)[:24] for t in report.topics]
            right.barh(range(len(names)), [t.count for t in report.topics], color="#2b6cb0")
            right.set_yticks(range(len(names)), names)
            right.invert_yaxis()
            right.xaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            right.set_axis_off()
            right.text(0.5, 0.5, word("report-chart-no-topics"), ha="center", va="center")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100)
        pyplot.close("all")
    return Upload(f"report-{_stem(report)}.png", buffer.getvalue(), AttachmentKind.PHOTO)


def _stem(report: Report) -> str:
    department = f"-{report.period.department}" if report.period.department else ""
    return f"{report.kind}-{report.days[0].isoformat()}{department}"


def workbook(work: Work, report: Report, locale: str) -> Upload:
    from openpyxl import Workbook

    s, before = report.summary, report.previous
    word = functools.partial(work.word, locale)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = word("report-sheet-summary")
    summary.append([word(f"report-col-{k}") for k in ("indicator", "value", "previous")])
    for key, value, earlier in (
        ("received", s.received, before.received),
        ("answered", s.answered, before.answered),
        ("closed", s.closed, before.closed),
        ("due", s.due, before.due),
        ("overdue", s.overdue, before.overdue),
        ("on-time-share", s.on_time_share, before.on_time_share),
        ("median", s.median_hours, before.median_hours),
        ("p90", s.p90_hours, before.p90_hours),
        ("ratings", s.ratings, before.ratings),
        ("average", s.satisfaction, before.satisfaction),
        ("low-share", s.low_share, before.low_share),
        ("reopened", s.reopened, before.reopened),
    ):
        summary.append([word(f"report-row-{key}"), value, earlier])
    topics = book.create_sheet(word("report-sheet-topics"))
    topics.append([word(f"report-col-{k}") for k in ("topic", "appeals", "previous")])
    for topic in report.topics:
        topics.append([work.topics.name(topic.topic, locale), topic.count, topic.previous])
    departments = book.create_sheet(word("report-sheet-departments"))
    departments.append(
        [
            word("report-col-department"),
            *(word(f"report-row-{k}") for k in ("received", "answered", "due")),
            word("report-col-on-time"),
            word("report-row-median"),
            word("report-row-ratings"),
            word("report-row-average"),
            word("report-col-reopened"),
            word("report-col-completeness"),
        ]
    )
    for d in ranked(report.departments):
        departments.append(
            [
                work.departments.name(d.department, locale),
                d.received,
                d.answered,
                d.due,
                d.on_time,
                d.median_hours,
                d.ratings,
                d.satisfaction,
                d.reopened,
                d.completeness,
            ]
        )
    overdue = book.create_sheet(word("report-sheet-overdue"))
    overdue.append(
        [
            word(f"report-col-{k}")
            for k in ("number", "due", "department", "topic", "executor", "place", "answered-at")
        ]
    )
    for row in report.overdue:
        params = _overdue_params(work, row, locale)
        overdue.append(
            [
                str(params["number"]),
                str(params["due"]),
                str(params["department"]),
                str(params["topic"]),
                row.executor or "",
                row.place or "",
                work.format_datetime(row.answered_at) if row.answered_at else "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return Upload(f"report-{_stem(report)}.xlsx", buffer.getvalue())


async def command(ctx: Context, args: str) -> None:
    """``/report week|month|quarter [department]``: admins see any department or all of them,
    a head sees the departments they head."""
    access = ctx.access
    if not access.admin and not access.heads:
        ctx.reply("report-not-allowed")
        return
    words = [w.lower() for w in args.split()]
    # "now" anywhere: the period under way, up to this moment.
    so_far = any(w in NOW_WORDS for w in words)
    words = [w for w in words if w not in NOW_WORDS]
    kind = words[0] if words else "week"
    department = words[1] if len(words) > 1 else None
    if kind not in KINDS or len(words) > 2:
        ctx.reply("report-usage")
        return
    if department is not None and ctx.departments.get(department) is None:
        # The departments this person may ask for, by name and code.
        mine = [
            (d.code, d.name(ctx.locale))
            for d in ctx.departments
            if access.admin or d.code in access.heads
        ]
        ctx.reply(
            "report-unknown-department", department=department, departments=choices.listing(mine)
        )
        return
    if not access.admin:
        if department is None and len(access.heads) == 1:
            department = next(iter(access.heads))
        if department not in access.heads:
            ctx.reply("report-not-your-department")
            return
    report = await build(ctx, kind, department, so_far=so_far)
    ctx.reply_texts(message(ctx, report, ctx.locale), uploads=files(ctx, report, ctx.locale))


def files(work: Work, report: Report, locale: str) -> tuple[Upload, ...]:
    """The chart and the workbook; none for a period with nothing in it."""
    if report.empty:
        return ()
    return chart(work, report, locale), workbook(work, report, locale)


async def _send(work: Work, chats: list[ChatRef], kind: str, department: str | None) -> None:
    """One report, built once, to every chat that gets it."""
    if not chats:
        return
    report = await build(work, kind, department)
    locale = work.locale
    texts = message(work, report, locale)
    uploads = files(work, report, locale)
    for chat in chats:
        work.send(chat, texts, locale=locale, uploads=uploads)


async def scheduled(work: Work, kind: str) -> None:
    """The weekly or monthly report: the whole administration's to the staff chat (or the
    admins), and each department's to its heads."""
    await _send(work, await views.staff_chats(work, ""), kind, None)
    for department in work.departments:
        heads = await work.uow.staff.in_department(department.code, (Role.HEAD,))
        chats = [ChatRef(Platform(h.platform), h.external_id) for h in heads]
        await _send(work, chats, kind, department.code)


async def weekly(work: Work) -> None:
    await scheduled(work, "week")


async def monthly(work: Work) -> None:
    await scheduled(work, "month")


JOBS = {"report-week": weekly, "report-month": monthly}


FEATURE = Feature(
    "reports", commands=(Command("report", command, Audience.HEADS, in_menu=True),), jobs=JOBS
)
