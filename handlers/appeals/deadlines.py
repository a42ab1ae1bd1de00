"""Deadlines under 59-ФЗ: one extension with the citizen told why, the overdue ping to the
department head, and the daily digest of appeals due soon. The jobs run on the scheduler."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from handlers.appeals import views
from handlers.appeals.lifecycle import Action, transition
from handlers.context import Context, Work
from handlers.contracts import ChatRef, Text
from handlers.parsing import parse_appeal_ref, parse_int
from handlers.registry import Feature
from handlers.staff.staff_checks import load_for_staff, step
from storage.models import Appeal

MAX_EXTENSION_DAYS = 30
REASON_MAX = 500


async def extend(ctx: Context, args: str) -> None:
    """``/extend N <days> <reason>``: once per appeal, at most 30 days, by a head or an admin."""
    tokens = args.split(maxsplit=2)
    ref = parse_appeal_ref(tokens[0]) if tokens else None
    days = parse_int(tokens[1]) if len(tokens) > 1 else None
    reason = tokens[2].strip() if len(tokens) > 2 else ""
    if ref is None or days is None or not reason:
        ctx.reply("extend-usage", max=MAX_EXTENSION_DAYS)
        return
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        ctx.reply("extend-too-long", max=MAX_EXTENSION_DAYS)
        return
    if len(reason) > REASON_MAX:
        ctx.reply("extend-reason-too-long", max=REASON_MAX)
        return
    appeal = await load_for_staff(ctx, ref, "extend-usage")
    if appeal is None:
        return
    if not ctx.access.can_assign(appeal.department):
        ctx.reply("extend-not-allowed", number=appeal.number)
        return
    if appeal.extended_days is not None:
        ctx.reply("extend-once", number=appeal.number, due=ctx.format_date(appeal.due_at))
        return
    if not await step(ctx, appeal, Action.EXTEND, note=f"+{days}: {reason}"):
        return
    appeal.due_at += timedelta(days=days)
    appeal.extended_days = days
    appeal.extension_reason = reason
    # A new deadline: the head is told again if this one passes too.
    appeal.overdue_notified_at = None
    due = ctx.format_date(appeal.due_at)
    ctx.reply("extend-done", number=appeal.number, due=due)
    views.notify_citizen(
        ctx,
        appeal,
        (Text("citizen-extended", {"number": appeal.number, "due": due, "reason": reason}),),
    )


# Appeals told overdue in one run at most: a backlog (after an import or a long stop) goes
# over several runs, each a short transaction, instead of one that holds SQLite's write lock
# for half a minute while every citizen's update waits for it and fails.
OVERDUE_BATCH = 200


# A head with more newly overdue appeals than this in one run gets them in one message.
OVERDUE_ONE_BY_ONE = 3
OVERDUE_LISTED = 30  # lines of that message; the rest are counted, and /queue lists them


async def overdue_pings(work: Work) -> None:
    """Tell the department head of every appeal that has just become overdue, once: one
    message an appeal, or one for them all when a backlog falls due together."""
    per_chat: dict[ChatRef, list[Appeal]] = defaultdict(list)
    for appeal in await work.uow.appeals.newly_overdue(work.now, OVERDUE_BATCH):
        appeal.overdue_notified_at = work.now
        await transition(work, appeal, Action.OVERDUE, actor_id=None)
        for chat in await views.heads_or_admins(work, appeal.department):
            per_chat[chat].append(appeal)
    for chat, appeals in per_chat.items():
        if len(appeals) <= OVERDUE_ONE_BY_ONE:
            for appeal in appeals:
                work.send(chat, (_overdue_ping(work, appeal),), locale=work.locale)
            continue
        listed = appeals[:OVERDUE_LISTED]
        more = len(appeals) - len(listed)
        texts = (
            Text("overdue-summary", {"count": len(appeals)}),
            *(views.appeal_line(work, appeal) for appeal in listed),
            *((Text("overdue-summary-more", {"more": more}),) if more else ()),
        )
        work.send(chat, texts, locale=work.locale)


def _overdue_ping(work: Work, appeal: Appeal) -> Text:
    return Text(
        "overdue-ping",
        {
            "number": appeal.number,
            "topic": work.topics.name(appeal.topic, work.locale),
            "department": work.departments.name(appeal.department, work.locale),
            "due": work.format_date(appeal.due_at),
        },
    )


async def digest(work: Work) -> None:
    """Each department's staff get the appeals due within a few days and the overdue ones."""
    horizon = work.now + timedelta(days=work.settings.due_soon_days)
    by_department: dict[str, list[Appeal]] = defaultdict(list)
    for appeal in await work.uow.appeals.due_before(horizon):
        by_department[appeal.department].append(appeal)
    per_chat: dict[ChatRef, list[Appeal]] = defaultdict(list)
    for department, appeals in by_department.items():
        for chat in await views.staff_chats(work, department):
            per_chat[chat].extend(appeals)
    for chat, appeals in per_chat.items():
        overdue = sum(1 for a in appeals if a.due_at < work.now)
        header = Text(
            "digest-header",
            {
                "date": work.format_date(work.now),
                "overdue": overdue,
                "soon": len(appeals) - overdue,
                "days": work.settings.due_soon_days,
            },
        )
        lines = tuple(views.appeal_line(work, appeal) for appeal in appeals)
        work.send(chat, (header, *lines), locale=work.locale)


JOBS = {"digest": digest, "overdue": overdue_pings}


FEATURE = Feature("deadlines", jobs=JOBS)
