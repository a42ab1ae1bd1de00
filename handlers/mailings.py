"""Mailings, the operators' side and the citizens' buttons.

An operator writes the text (with a photo or document if they like), then a settings card
sets the audience (reference groups, all subscribers, or those who wrote on a topic), link
buttons, the RSVP buttons, and when: now, at a time, or again every day, week or month. A
preview shows the message as recipients will see it. Publishing writes every recipient as a
pending delivery (the mailer in bot/ sends them); the clock starts scheduled ones, and one
missed while the bot was down is sent on start unless it is too old, the author told either
way. Every mailing carries one-tap ways to leave its groups or to stop all mailings."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from handlers import audiences, menu
from handlers.context import Context, Work
from handlers.contracts import (
    Attachment,
    AttachmentKind,
    Button,
    ChatRef,
    Keyboard,
    Outgoing,
    Text,
)
from handlers.group_catalog import TEXT_MAX, MailingTemplate
from handlers.groups import name as group_name
from handlers.parsing import parse_int
from storage.models import DeliveryStatus, Mailing, MailingStatus, Rsvp
from storage.repositories.mailings import audience_codes
from storage.uow import UnitOfWork

TEXT, CARD = "mail.text", "mail.card"
STATES = frozenset({TEXT, CARD})
STAFF_COMMANDS = frozenset(
    {"mailing_new", "mailings", "mailing_pause", "mailing_resume", "mailing_cancel"}
)
REPEATS = ("", "day", "week", "month")
LINKS_MAX = 3
LIST_LIMIT = 15
# A mailing this late (the bot was down at its time) is still sent, and its author told.
LATE_NOTICE = timedelta(minutes=5)
_LINK = re.compile(r"^(.{1,40}?)\s*\|\s*(https?://\S{3,400})$")
_AT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})$")


# --- the operator's dialog ------------------------------------------------------------------


async def command(ctx: Context, name: str, args: str) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    if name == "mailing_new":
        start(ctx, args.strip())
    elif name == "mailings":
        await list_all(ctx)
    else:
        number = parse_int(args.strip().lstrip("№"))
        if number is None:
            ctx.reply("mailing-usage", command=name)
            return
        await control(ctx, name.removeprefix("mailing_"), number)


def start(ctx: Context, template_code: str) -> None:
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    data: dict[str, Any] = {}
    if template_code:
        template = ctx.settings.groups.mailings.get(template_code)
        if template is None:
            known = ", ".join(ctx.settings.groups.mailings)
            ctx.reply("mailing-template-unknown", code=template_code[:32], known=known)
            return
        data["template"] = template.code
        ctx.set_state(TEXT, data)
        ctx.reply("mailing-new-template", max=TEXT_MAX, title=_title(template, ctx.locale))
        ctx.reply("mailing-template-text", text=template.text.get(ctx.locale, ""))
        return
    ctx.set_state(TEXT, data)
    templates = [
        Button(Text("btn-raw", {"label": _title(t, ctx.locale)}), f"mb:tpl:{t.code}")
        for t in ctx.settings.groups.mailings.values()
    ]
    ctx.reply("mailing-new", Keyboard.column(*templates) if templates else None, max=TEXT_MAX)


def _title(template: MailingTemplate, locale: str) -> str:
    return template.title.get(locale) or next(iter(template.title.values()))


async def on_input(ctx: Context) -> None:
    if ctx.state == CARD:
        await _card_text(ctx)
        return
    text = ctx.incoming.text.strip()
    files = [
        a
        for a in ctx.incoming.attachments
        if a.kind in (AttachmentKind.PHOTO, AttachmentKind.DOCUMENT)
    ]
    if len(files) != len(ctx.incoming.attachments) or len(files) > 1:
        ctx.reply("mailing-one-file")
        return
    if not text:
        ctx.reply("mailing-text-needed", max=TEXT_MAX)
        return
    if len(text) > TEXT_MAX:
        ctx.reply("mailing-too-long", max=TEXT_MAX, length=len(text))
        return
    template = ctx.settings.groups.mailings.get(str(ctx.data.get("template", "")))
    file = None
    if files:
        file = Attachment(
            files[0].kind,
            files[0].file_id,
            files[0].name,
            files[0].size,
            ctx.incoming.platform.value,
        ).to_dict()
    mailing = await ctx.uow.mailings.add(
        Mailing(
            author_id=ctx.user.id,
            text=text,
            file=file,
            links=[],
            audience=template.audience if template else "subscribers",
            rsvp=template.rsvp if template else False,
            template=template.code if template else "",
            status=MailingStatus.DRAFT,
            repeat="",
            created_at=ctx.now,
        )
    )
    ctx.set_state(CARD, {"mailing": mailing.id})
    await card(ctx, mailing)


async def card(ctx: Context, mailing: Mailing) -> None:
    base = f"mb:s:{mailing.id}"
    rows: list[tuple[Button, ...]] = [
        (
            Button(Text("btn-mailing-audience"), f"{base}:aud"),
            Button(Text("btn-mailing-rsvp", {"on": _yes(mailing.rsvp)}), f"{base}:rsvp"),
        ),
        (Button(Text("btn-mailing-repeat"), f"{base}:rep"),),
        (Button(Text("btn-mailing-preview"), f"{base}:pre"),),
        (
            Button(
                Text("btn-mailing-send", {"later": _yes(bool(mailing.send_at or mailing.repeat))}),
                f"mb:go:{mailing.id}",
            ),
            Button(Text("btn-mailing-delete"), f"mb:del:{mailing.id}"),
        ),
    ]
    if mailing.links:
        rows.insert(2, (Button(Text("btn-mailing-unlink"), f"{base}:unlink"),))
    ctx.reply_texts(
        (
            Text(
                "mailing-draft",
                {
                    "number": mailing.id,
                    "audience": await audience_name(ctx, mailing.audience),
                    "rsvp": _yes(mailing.rsvp),
                    "links": len(mailing.links),
                    "file": (mailing.file or {}).get("platform", "none"),
                    "when": ctx.format_datetime(mailing.send_at) if mailing.send_at else "now",
                    "repeat": mailing.repeat or "none",
                },
            ),
            Text("mailing-draft-hint", {"max": LINKS_MAX}),
        ),
        Keyboard(tuple(rows)),
    )


def _yes(value: bool) -> str:
    return "yes" if value else "no"


async def audience_name(work: Work, audience: str) -> str:
    """For a template's selector: "subscribers", "all", or the groups' or topic's name."""
    described = await audiences.described(work, audience)
    return described["audience"] if described["audience_kind"] != audiences.ALL else audience


async def _card_text(ctx: Context) -> None:
    mailing = await _draft(ctx, ctx.data.get("mailing"))
    if mailing is None:
        ctx.clear_state()
        return
    text = ctx.incoming.text.strip()
    link = _LINK.fullmatch(text)
    if link is not None:
        if len(mailing.links) >= LINKS_MAX:
            ctx.reply("mailing-links-full", max=LINKS_MAX)
            return
        mailing.links = [*mailing.links, {"label": link.group(1), "url": link.group(2)}]
        await card(ctx, mailing)
        return
    if text.lower() in ("сейчас", "now"):
        mailing.send_at = None
        await card(ctx, mailing)
        return
    when = _parse_at(ctx, text)
    if when is None:
        ctx.reply("mailing-card-usage", max=LINKS_MAX)
        return
    if when <= ctx.now:
        ctx.reply("mailing-time-past")
        return
    mailing.send_at = when
    await card(ctx, mailing)


def _parse_at(ctx: Context, text: str) -> datetime | None:
    match = _AT.fullmatch(text.removeprefix("в ").removeprefix("at ").strip())
    if match is None:
        return None
    day, month, year, hour, minute = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=ctx.settings.timezone)
    except ValueError:
        return None


async def _draft(ctx: Context, mailing_id: object) -> Mailing | None:
    mailing = (
        await ctx.uow.mailings.get(mailing_id, for_update=True)
        if isinstance(mailing_id, int)
        else None
    )
    if mailing is None or mailing.status is not MailingStatus.DRAFT:
        menu.stale_button(ctx)  # sent, deleted, or never there
        return None
    if mailing.author_id != ctx.user.id and not ctx.access.admin:
        menu.stale_button(ctx)
        return None
    return mailing


async def on_builder_button(ctx: Context, rest: list[str]) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    action = rest[0] if rest else ""
    if action == "tpl" and len(rest) == 2 and ctx.state == TEXT:
        start(ctx, rest[1])
        return
    if action not in ("s", "go", "del") or len(rest) < 2:
        menu.stale_button(ctx)
        return
    mailing = await _draft(ctx, parse_int(rest[1]))
    if mailing is None:
        return
    what = rest[2:]
    if action == "del":
        await ctx.uow.mailings.delete(mailing)
        if ctx.state == CARD:
            ctx.clear_state()
        ctx.reply("mailing-deleted", number=mailing.id)
    elif action == "go":
        await publish(ctx, mailing)
    elif what == ["aud"]:
        await _audience_choice(ctx, mailing)
    elif len(what) == 2 and what[0] == "g":
        await _toggle_group(ctx, mailing, what[1])
    elif what == ["subs"]:
        mailing.audience = "subscribers"
        await _audience_choice(ctx, mailing)
    elif what == ["topic"]:
        current = mailing.audience if mailing.audience.startswith("topic:") else "all"
        following = audiences.next_topic(ctx, current)
        mailing.audience = following if following != audiences.ALL else "subscribers"
        await _audience_choice(ctx, mailing)
    elif what == ["card"]:
        await card(ctx, mailing)
    elif what == ["rsvp"]:
        mailing.rsvp = not mailing.rsvp
        await card(ctx, mailing)
    elif what == ["rep"]:
        mailing.repeat = REPEATS[(REPEATS.index(mailing.repeat) + 1) % len(REPEATS)]
        await card(ctx, mailing)
    elif what == ["unlink"]:
        mailing.links = []
        await card(ctx, mailing)
    elif what == ["pre"]:
        compose = await composer(ctx.uow, mailing)
        ctx.outgoing.append(compose(ctx.incoming.chat, ctx.locale, ctx.user.accessible))
        await card(ctx, mailing)  # the card again, under the preview
    else:
        menu.stale_button(ctx)


async def _audience_choice(ctx: Context, mailing: Mailing) -> None:
    chosen = set(audience_codes(mailing.audience))
    base = f"mb:s:{mailing.id}"
    buttons = [
        Button(
            Text(
                "btn-mailing-group",
                {"name": group_name(g, ctx.locale), "on": _yes(g.code in chosen)},
            ),
            f"{base}:g:{g.code}",
        )
        for g in await ctx.uow.mailings.groups()
    ]
    buttons += [
        Button(Text("btn-mailing-subscribers"), f"{base}:subs"),
        Button(Text("btn-mailing-topic"), f"{base}:topic"),
        Button(Text("btn-mailing-to-card"), f"{base}:card"),
    ]
    ctx.reply(
        "mailing-audience",
        # Two a row: VK shows at most six rows of an inline keyboard.
        Keyboard.grid(buttons, 2),
        audience=await audience_name(ctx, mailing.audience),
    )


async def _toggle_group(ctx: Context, mailing: Mailing, code: str) -> None:
    group = await ctx.uow.mailings.group(code)
    if group is None or group.archived:
        menu.stale_button(ctx)
        return
    chosen = audience_codes(mailing.audience)
    chosen = [c for c in chosen if c != code] if code in chosen else [*chosen, code]
    mailing.audience = f"groups:{','.join(chosen)}" if chosen else "subscribers"
    await _audience_choice(ctx, mailing)


async def publish(ctx: Context, mailing: Mailing) -> None:
    if ctx.state == CARD:
        ctx.clear_state()
    mailing.progress_chat = str(ctx.incoming.chat)
    if mailing.send_at is not None and mailing.send_at > ctx.now:
        mailing.status = MailingStatus.SCHEDULED
        ctx.reply(
            "mailing-scheduled",
            number=mailing.id,
            when=ctx.format_datetime(mailing.send_at),
            repeat=mailing.repeat or "none",
        )
        return
    if mailing.repeat:
        mailing.send_at = ctx.now
        mailing.status = MailingStatus.SCHEDULED
        await _run_plan(ctx, mailing, ctx.now)
        return
    await begin(ctx, mailing)


async def begin(work: Work, mailing: Mailing, *, tell_author: bool = True) -> int:
    """Start sending: every recipient is written down as pending; the mailer takes it from
    there. The author is told how many (an announcement's author is told by its feature)."""
    mailing.status = MailingStatus.SENDING
    mailing.started_at = work.now
    total = await work.uow.mailings.choose_recipients(mailing, except_user=mailing.author_id)
    mailing.total = total
    work.mailing_started = True
    if total == 0:
        mailing.status = MailingStatus.DONE
        mailing.finished_at = work.now
    if not tell_author:
        return total
    author = await work.uow.users.get(mailing.author_id)
    work.send(
        _author_chat(mailing),
        (Text("mailing-started", {"number": mailing.id, "total": total}),),
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


async def _run_plan(work: Work, plan: Mailing, due: datetime) -> None:
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
            await _run_plan(work, mailing, due)
        else:
            await begin(work, mailing)


async def control(ctx: Context, action: str, number: int) -> None:
    mailing = await ctx.uow.mailings.get(number, for_update=True)
    if mailing is None or mailing.status is MailingStatus.DRAFT:
        ctx.reply("mailing-unknown", number=number)
        return
    status = mailing.status
    if action == "pause" and status in (MailingStatus.SENDING, MailingStatus.SCHEDULED):
        mailing.status = MailingStatus.PAUSED
    elif action == "resume" and status is MailingStatus.PAUSED:
        started = mailing.started_at is not None and not mailing.repeat
        mailing.status = MailingStatus.SENDING if started else MailingStatus.SCHEDULED
    elif action == "cancel" and status in (
        MailingStatus.SENDING,
        MailingStatus.SCHEDULED,
        MailingStatus.PAUSED,
    ):
        mailing.status = MailingStatus.CANCELLED
        mailing.finished_at = ctx.now
    else:
        ctx.reply("mailing-cannot", number=number, action=action, status=status.value)
        return
    ctx.reply("mailing-controlled", number=number, action=action)


async def list_all(ctx: Context) -> None:
    found = await ctx.uow.mailings.recent(LIST_LIMIT)
    if not found:
        ctx.reply("mailings-none")
        return
    lines = [Text("mailings-header")]
    for mailing in found:
        tally = await ctx.uow.mailings.tally(mailing.id)
        coming, not_coming = await ctx.uow.mailings.rsvp_counts(mailing.id)
        when = mailing.started_at or mailing.send_at or mailing.created_at
        lines.append(
            Text(
                "mailings-line",
                {
                    "number": mailing.id,
                    "status": mailing.status.value,
                    "when": ctx.format_datetime(when),
                    "audience": await audience_name(ctx, mailing.audience),
                    "repeat": mailing.repeat or "none",
                    "total": mailing.total,
                    "sent": tally.get(DeliveryStatus.SENT, 0),
                    "blocked": tally.get(DeliveryStatus.BLOCKED, 0),
                    "failed": tally.get(DeliveryStatus.FAILED, 0),
                    "rsvp": _yes(mailing.rsvp),
                    "coming": coming,
                    "declined": not_coming,
                    "text": _excerpt(mailing),
                },
            )
        )
    ctx.reply_texts(tuple(lines))


def _excerpt(mailing: Mailing) -> str:
    text = mailing.text or str((mailing.message or {}).get("params", {}).get("title", ""))
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:60] + ("…" if len(first) > 60 else "")


# --- the citizens' buttons under a mailing --------------------------------------------------


async def on_button(ctx: Context, rest: list[str]) -> None:
    if rest == ["stop"]:
        ctx.user.mailings_off = True
        ctx.reply("mailings-stopped")
        return
    mailing_id = parse_int(rest[1]) if len(rest) >= 2 else None
    mailing = await ctx.uow.mailings.get(mailing_id) if mailing_id else None
    if mailing is None:
        menu.stale_button(ctx)
        return
    if mailing.status is MailingStatus.DRAFT:
        ctx.reply("mailing-preview-button")
        return
    if not await ctx.uow.mailings.delivered_to(mailing.id, ctx.user.id):
        menu.stale_button(ctx)  # not a recipient: a forged button
        return
    if rest[0] == "leave" and len(rest) == 2:
        await _leave_groups(ctx, mailing)
    elif rest[0] == "rsvp" and len(rest) == 3 and rest[2] in ("y", "n") and mailing.rsvp:
        await _rsvp(ctx, mailing, coming=rest[2] == "y")
    else:
        menu.stale_button(ctx)


async def _leave_groups(ctx: Context, mailing: Mailing) -> None:
    left = []
    for code in audience_codes(mailing.audience):
        group = await ctx.uow.mailings.group(code)
        member = await ctx.uow.mailings.membership(group.id, ctx.user.id) if group else None
        if group is not None and member is not None:
            await ctx.uow.mailings.remove_member(member)
            left.append(group_name(group, ctx.locale))
    ctx.reply(
        "mailing-left",
        Keyboard.column(Button(Text("btn-mailings-stop"), "ml:stop")),
        groups=", ".join(left),
        count=len(left),
    )


async def _rsvp(ctx: Context, mailing: Mailing, *, coming: bool) -> None:
    answer = await ctx.uow.mailings.rsvp(mailing.id, ctx.user.id)
    if answer is None:
        await ctx.uow.mailings.add_rsvp(
            Rsvp(mailing_id=mailing.id, user_id=ctx.user.id, coming=coming, at=ctx.now)
        )
    else:
        answer.coming, answer.at = coming, ctx.now
    ctx.reply("mailing-rsvp-thanks", coming=_yes(coming))


# --- what the mailer sends ------------------------------------------------------------------


async def composer(uow: UnitOfWork, mailing: Mailing) -> Callable[[ChatRef, str, bool], Outgoing]:
    """The mailing as its recipients read it, for a chat, a language and the accessible
    mode: the text, the file where its platform can show it, links, RSVP, the poll's button,
    and the ways to leave."""
    groups: list[dict[str, str]] = []
    for code in audience_codes(mailing.audience):
        group = await uow.mailings.group(code)
        if group is not None:
            groups.append({**group.name, "": group.code})
    # Plain values, read now: the mailer composes long after this unit of work has ended.
    file = Attachment.from_dict(mailing.file) if mailing.file else None
    message = dict(mailing.message or {})
    action = dict(mailing.action or {})
    links = [dict(link) for link in mailing.links]
    text, rsvp, mailing_id = mailing.text, mailing.rsvp, mailing.id

    def compose(chat: ChatRef, locale: str, plain: bool) -> Outgoing:
        if message:
            body = Text(str(message["key"]), dict(message.get("params", {})))
        else:
            body = Text("mailing-text", {"text": text})
        names = ", ".join(g.get(locale) or g[""] for g in groups)
        footer = Text("mailing-footer", {"groups": names, "count": len(groups)})
        rows: list[tuple[Button, ...]] = [
            (Button(Text("btn-raw", {"label": link["label"]}), "", url=link["url"]),)
            for link in links
        ]
        if action:
            rows.append((Button(Text(str(action["label"])), str(action["payload"])),))
        if rsvp:
            rows.append(
                (
                    Button(Text("btn-rsvp-yes"), f"ml:rsvp:{mailing_id}:y"),
                    Button(Text("btn-rsvp-no"), f"ml:rsvp:{mailing_id}:n"),
                )
            )
        leave = [Button(Text("btn-mailing-leave"), f"ml:leave:{mailing_id}")] if groups else []
        rows.append((*leave, Button(Text("btn-mailings-stop"), "ml:stop")))
        files = (file,) if file is not None and file.platform == chat.platform.value else ()
        return Outgoing(chat, (body, footer), Keyboard(tuple(rows)), locale, files, plain=plain)

    return compose


def progress(
    mailing: Mailing,
    tally: Mapping[DeliveryStatus, int],
    *,
    rate: float,
    final: bool,
    rsvp: tuple[int, int],
) -> Outgoing | None:
    """The author's progress message (edited in place as the mailing goes)."""
    if not mailing.progress_chat:
        return None
    sent = tally.get(DeliveryStatus.SENT, 0)
    pending = tally.get(DeliveryStatus.PENDING, 0)
    left = round(pending / rate) if rate > 0 and pending else 0
    keyboard = None
    if not final:
        keyboard = Keyboard(
            (
                (
                    Button(Text("btn-mailing-pause"), f"mc:pause:{mailing.id}"),
                    Button(Text("btn-mailing-cancel"), f"mc:cancel:{mailing.id}"),
                ),
            )
        )
    return Outgoing(
        ChatRef.parse(mailing.progress_chat),
        (
            Text(
                "mailing-progress",
                {
                    "number": mailing.id,
                    "sent": sent,
                    "total": mailing.total,
                    "blocked": tally.get(DeliveryStatus.BLOCKED, 0),
                    "failed": tally.get(DeliveryStatus.FAILED, 0),
                    "skipped": tally.get(DeliveryStatus.SKIPPED, 0),
                    "rate": f"{rate:.1f}",
                    "left": left,
                    "final": _yes(final),
                },
            ),
        ),
        keyboard,
        mailing.author.language,
        edit_id=mailing.progress_message_id,
    )


def summary(
    mailing: Mailing, tally: Mapping[DeliveryStatus, int], rsvp: tuple[int, int]
) -> Outgoing | None:
    """The author's summary at the end (none for an announcement of a poll or discussion,
    whose author follows it there)."""
    if not mailing.progress_chat:
        return None
    return Outgoing(
        ChatRef.parse(mailing.progress_chat),
        (
            Text(
                "mailing-summary",
                {
                    "number": mailing.id,
                    "total": mailing.total,
                    "sent": tally.get(DeliveryStatus.SENT, 0),
                    "blocked": tally.get(DeliveryStatus.BLOCKED, 0),
                    "failed": tally.get(DeliveryStatus.FAILED, 0),
                    "skipped": tally.get(DeliveryStatus.SKIPPED, 0),
                    "rsvp": _yes(mailing.rsvp),
                    "coming": rsvp[0],
                    "declined": rsvp[1],
                },
            ),
        ),
        locale=mailing.author.language,
    )


async def on_control_button(ctx: Context, rest: list[str]) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    number = parse_int(rest[1]) if len(rest) == 2 else None
    if number is None or rest[0] not in ("pause", "resume", "cancel"):
        menu.stale_button(ctx)
        return
    await control(ctx, rest[0], number)
