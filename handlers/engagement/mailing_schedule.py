"""When mailings go: started now (every recipient written as a pending delivery, for the
mailer in bot/ to send), at their time, or again every day, week or month, by the clock. One
missed while the bot was down is sent on start, its author told when it is late. Polls and
discussions announce themselves through here too."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from handlers.context import Work
from handlers.contracts import Button, ChatRef, Text
from handlers.engagement import audiences, paid_broadcast
from storage.models import Mailing, MailingStatus

# A mailing this late (the bot was down at its time) is still sent, and its author told.
LATE_NOTICE = timedelta(minutes=5)


async def begin(work: Work, mailing: Mailing, *, tell_author: bool = True) -> int:
    """Start sending: every recipient is written down as pending; the mailer takes it from
    there. The author is told how many (an announcement's author is told by its feature)."""
    mailing.status = MailingStatus.SENDING
    mailing.started_at = work.now
    total = await work.uow.mailings.choose_recipients(
        mailing, except_user=mailing.author_id, max_mailings=work.settings.max_mailings
    )
    mailing.total = total
    dropped = await paid_broadcast.set_aside(work, mailing)
    work.mailing_started = True
    if total == 0:
        mailing.status = MailingStatus.DONE
        mailing.finished_at = work.now
    if not tell_author:
        return total
    author = await work.uow.users.get(mailing.author_id)
    work.send(
        _author_chat(mailing),
        (
            *((dropped,) if dropped is not None else ()),
            Text("mailing-started", {"number": mailing.id, "total": total}),
        ),
        locale=author.language if author else work.locale,
    )
    return total


async def announce(
    work: Work,
    *,
    author_id: int,
    template: str,
    text: Text,
    action: Button,
    audience: str,
    links: list[dict[str, str]] | None = None,
) -> int:
    """The bot's own announcement (a poll or a discussion opening) as a mailing: paced,
    resumable, with the ways to stop mailings; the number of recipients."""
    mailing = await work.uow.mailings.add(
        Mailing(
            author_id=author_id,
            message={"key": text.key, "params": dict(text.params)},
            links=links or [],
            action={"label": action.label.key, "payload": action.payload},
            audience=audience,
            status=MailingStatus.DRAFT,
            repeat="",
            template=template,
            created_at=work.now,
        )
    )
    return await begin(work, mailing, tell_author=False)


def _author_chat(mailing: Mailing) -> ChatRef:
    """Where the author hears of the mailing: the chat it was published from."""
    if mailing.progress_chat:
        return ChatRef.parse(mailing.progress_chat)
    return audiences.chat_of(mailing.author.platform, mailing.author.external_id)


async def run_plan(work: Work, plan: Mailing, due: datetime) -> None:
    """A recurring plan's run for ``due``: a mailing of its own; the plan moves on."""
    run = await work.uow.mailings.add(
        Mailing(
            author_id=plan.author_id,
            text=plan.text,
            message=plan.message,
            file=plan.file,
            links=list(plan.links),
            action=plan.action,
            rsvp=plan.rsvp,
            paid=plan.paid,
            audience=plan.audience,
            status=MailingStatus.DRAFT,
            send_at=due,
            repeat="",
            plan_id=plan.id,
            template=plan.template,
            created_at=work.now,
            progress_chat=plan.progress_chat,
        )
    )
    plan.send_at = next_time(due, plan.repeat, work.now, work)
    await begin(work, run)


def next_time(after: datetime, repeat: str, now: datetime, work: Work) -> datetime:
    """The first time of the plan after ``now`` (local calendar: 10:00 stays 10:00)."""
    local = after.astimezone(work.settings.timezone)
    step = 0
    moment = local
    while moment <= now:
        step += 1
        moment = _shift(local, repeat, step)
    return moment


def _shift(local: datetime, repeat: str, steps: int) -> datetime:
    if repeat == "day":
        return local + timedelta(days=steps)
    if repeat == "week":
        return local + timedelta(weeks=steps)
    months = local.month - 1 + steps
    year, month = local.year + months // 12, months % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def _last_due(send_at: datetime, repeat: str, now: datetime) -> datetime:
    """The latest time of a plan not after ``now`` (the ones before it were missed)."""
    if not repeat:
        return send_at
    latest, step = send_at, 1
    while (following := _shift(send_at, repeat, step)) <= now:
        latest, step = following, step + 1
    return latest


async def tick(work: Work) -> None:
    """The clock: start what is due. One whose time passed while the bot was down is sent
    now unless it is older than the configured limit; either way its author is told."""
    for mailing in await work.uow.mailings.due(work.now):
        assert mailing.send_at is not None
        due = _last_due(
            mailing.send_at.astimezone(work.settings.timezone), mailing.repeat, work.now
        )
        late = work.now - due
        chat, locale = _author_chat(mailing), mailing.author.language
        if late > work.settings.mailing_missed_max:
            work.send(
                chat,
                (
                    Text(
                        "mailing-missed", {"number": mailing.id, "when": work.format_datetime(due)}
                    ),
                ),
                locale=locale,
            )
            if mailing.repeat:
                mailing.send_at = next_time(due, mailing.repeat, work.now, work)
            else:
                mailing.status = MailingStatus.MISSED
            continue
        if late > LATE_NOTICE:
            work.send(
                chat,
                (Text("mailing-late", {"number": mailing.id, "when": work.format_datetime(due)}),),
                locale=locale,
            )
        if mailing.repeat:
            await run_plan(work, mailing, due)
        else:
            await begin(work, mailing)
