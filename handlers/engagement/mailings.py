"""Mailings, the operator's side: the dialog, the settings card, the list and the controls.
(mailing_schedule: when they go; mailing_composer: what recipients read; mailing_replies: the
recipients' buttons; mailing_buttons: the payloads.)

An operator writes the text (with a photo or document if they like), then a settings card
sets the audience (reference groups, all subscribers, or those who wrote on a topic), link
buttons, the RSVP buttons, and when: now, at a time, or again every day, week or month. A
preview shows the message as recipients will see it. Publishing writes every recipient as a
pending delivery (the mailer in bot/ sends them); the clock starts scheduled ones, and one
missed while the bot was down is sent on start unless it is too old, the author told either
way. Every mailing carries one-tap ways to leave its groups or to stop all mailings."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime

from handlers import choices, menu
from handlers.context import Context, Work
from handlers.contracts import (
    Attachment,
    AttachmentKind,
    Button,
    Keyboard,
    Text,
)
from handlers.drafts import Draft
from handlers.engagement import audience_picker, audiences, mailing_replies, paid_broadcast
from handlers.engagement.group_catalog import TEXT_MAX, MailingTemplate
from handlers.engagement.mailing_buttons import (
    CANCEL,
    DELETE,
    FROM_TEMPLATE,
    PAID,
    PAUSE,
    PREVIEW,
    REPEAT,
    RESUME,
    RSVP,
    SEND,
    UNLINK,
)
from handlers.engagement.mailing_composer import composer, yes_no
from handlers.engagement.mailing_schedule import begin, run_plan, tick
from handlers.parsing import parse_int
from handlers.registry import Audience, Buttons, Feature, Press, Steps, family
from storage.models import DeliveryStatus, Mailing, MailingStatus

TEXT, CARD = "mail.text", "mail.card"
STATES = frozenset({TEXT, CARD})
REPEATS = ("", "day", "week", "month")
LINKS_MAX = 3
LIST_LIMIT = 15
_LINK = re.compile(r"^(.{1,40}?)\s*\|\s*(https?://\S{3,400})$")
_AT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})$")


class MailingDialog(Draft):
    """A new mailing's text being written (from a template, or not), then, on its card, the
    mailing whose time is being typed."""

    template: str | None = None
    mailing: int | None = None


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
    data = MailingDialog()
    if template_code:
        template = ctx.settings.groups.mailings.get(template_code)
        if template is None:
            known = choices.listing(
                (t.code, _title(t, ctx.locale)) for t in ctx.settings.groups.mailings.values()
            )
            ctx.reply("mailing-template-unknown", code=template_code[:32], known=known)
            return
        data.template = template.code
        ctx.set_state(TEXT, data)
        ctx.reply("mailing-new-template", max=TEXT_MAX, title=_title(template, ctx.locale))
        ctx.reply("mailing-template-text", text=template.text.get(ctx.locale, ""))
        return
    ctx.set_state(TEXT, data)
    templates = [
        Button(Text("btn-raw", {"label": _title(t, ctx.locale)}), FROM_TEMPLATE.encode(t.code))
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
    template = ctx.settings.groups.mailings.get(ctx.draft(MailingDialog).template or "")
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
    ctx.set_state(CARD, MailingDialog(mailing=mailing.id))
    await card(ctx, mailing)


async def card(ctx: Context, mailing: Mailing) -> None:
    rows: list[tuple[Button, ...]] = [
        (
            Button(Text("btn-mailing-audience"), PICKER.open.encode(mailing.id)),
            Button(Text("btn-mailing-rsvp", {"on": yes_no(mailing.rsvp)}), RSVP.encode(mailing.id)),
        ),
        (Button(Text("btn-mailing-repeat"), REPEAT.encode(mailing.id)),),
        (Button(Text("btn-mailing-preview"), PREVIEW.encode(mailing.id)),),
        (
            Button(
                Text(
                    "btn-mailing-send", {"later": yes_no(bool(mailing.send_at or mailing.repeat))}
                ),
                SEND.encode(mailing.id),
            ),
            Button(Text("btn-mailing-delete"), DELETE.encode(mailing.id)),
        ),
    ]
    if mailing.links:
        rows.insert(2, (Button(Text("btn-mailing-unlink"), UNLINK.encode(mailing.id)),))
    if ctx.settings.paid_broadcast is not None:
        on = yes_no(mailing.paid)
        rows.insert(1, (Button(Text("btn-mailing-paid", {"on": on}), PAID.encode(mailing.id)),))
    ctx.reply_texts(
        (
            Text(
                "mailing-draft",
                {
                    "number": mailing.id,
                    "audience": await audience_name(ctx, mailing.audience),
                    "rsvp": yes_no(mailing.rsvp),
                    "links": len(mailing.links),
                    "file": (mailing.file or {}).get("platform", "none"),
                    "when": ctx.format_datetime(mailing.send_at) if mailing.send_at else "now",
                    "repeat": mailing.repeat or "none",
                },
            ),
            *await _max_reach(ctx, mailing),
            *await paid_broadcast.card_lines(ctx, mailing),
            Text("mailing-draft-hint", {"max": LINKS_MAX}),
        ),
        Keyboard(tuple(rows)),
    )


async def _max_reach(ctx: Context, mailing: Mailing) -> tuple[Text, ...]:
    """Where the audience has people on MAX: how many the mailing reaches there, how many it
    leaves out, and why (MAX's terms, or the deployment's setting)."""
    reached, left_out = await ctx.uow.mailings.max_reach(
        mailing.audience, except_user=mailing.author_id, max_mailings=ctx.settings.max_mailings
    )
    if not reached and not left_out:
        return ()
    why = "consent" if ctx.settings.max_mailings else "off"
    return (Text("mailing-max-reach", {"reached": reached, "left_out": left_out, "why": why}),)


async def audience_name(work: Work, audience: str) -> str:
    """For a template's selector: "subscribers", "all", the groups' names, or "those who
    wrote on <topic>"."""
    described = await audiences.described(work, audience)
    kind = described["audience_kind"]
    if kind == "topic":
        return work.word(work.locale, "audience-wrote-on", topic=described["audience"])
    return described["audience"] if kind not in (audiences.ALL, audiences.SUBSCRIBERS) else audience


async def _card_text(ctx: Context) -> None:
    mailing = await _draft(ctx, ctx.draft(MailingDialog).mailing)
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


def _from_template(ctx: Context, code: str) -> None:
    if ctx.state == TEXT:
        start(ctx, code)
    else:
        menu.stale_button(ctx)


def _on_draft(
    then: Callable[..., Awaitable[None]],
) -> Callable[..., Awaitable[None]]:
    """A button on a draft mailing's card: the draft, if it still is one and its author's."""

    async def pressed(ctx: Context, number: int, *values: object) -> None:
        mailing = await _draft(ctx, number)
        if mailing is not None:
            await then(ctx, mailing, *values)

    return pressed


async def _delete(ctx: Context, mailing: Mailing) -> None:
    await ctx.uow.mailings.delete(mailing)
    if ctx.state == CARD:
        ctx.clear_state()
    ctx.reply("mailing-deleted", number=mailing.id)


async def _toggle_rsvp(ctx: Context, mailing: Mailing) -> None:
    mailing.rsvp = not mailing.rsvp
    await card(ctx, mailing)


async def _next_repeat(ctx: Context, mailing: Mailing) -> None:
    mailing.repeat = REPEATS[(REPEATS.index(mailing.repeat) + 1) % len(REPEATS)]
    await card(ctx, mailing)


async def _toggle_paid(ctx: Context, mailing: Mailing) -> None:
    if ctx.settings.paid_broadcast is None:
        mailing.paid = False
        ctx.reply("mailing-paid-off")
        return
    mailing.paid = not mailing.paid
    await card(ctx, mailing)


async def _unlink(ctx: Context, mailing: Mailing) -> None:
    mailing.links = []
    await card(ctx, mailing)


async def _preview(ctx: Context, mailing: Mailing) -> None:
    compose = await composer(ctx.uow, mailing)
    ctx.outgoing.append(compose(ctx.incoming.chat, ctx.locale, ctx.user.accessible))
    await card(ctx, mailing)  # the card again, under the preview


async def publish(ctx: Context, mailing: Mailing) -> None:
    refused = await paid_broadcast.refusal(ctx, mailing)
    if refused is not None:
        # The draft stays: the operator can send it at the free rate, or to fewer people.
        ctx.reply_texts((refused,))
        await card(ctx, mailing)
        return
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
        await run_plan(ctx, mailing, ctx.now)
        return
    await begin(ctx, mailing)


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
                    "rsvp": yes_no(mailing.rsvp),
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


# Who receives it: a list to pick from (groups, every subscriber, or a topic's writers).
PICKER = audience_picker.Picker("mb", _draft, card, everyone=audiences.SUBSCRIBERS)


FEATURE = Feature(
    "mailings",
    commands=family(
        ("mailing_new", "mailings", "mailing_pause", "mailing_resume", "mailing_cancel"),
        command,
        Audience.OPERATORS,
        menu=("mailing_new", "mailings"),
    ),
    buttons=(
        Buttons(
            "mb",
            presses=(
                Press(FROM_TEMPLATE, menu.staff_only(_from_template)),
                Press(SEND, menu.staff_only(_on_draft(publish))),
                Press(DELETE, menu.staff_only(_on_draft(_delete))),
                *PICKER.presses(),
                Press(RSVP, menu.staff_only(_on_draft(_toggle_rsvp))),
                Press(PAID, menu.staff_only(_on_draft(_toggle_paid))),
                Press(REPEAT, menu.staff_only(_on_draft(_next_repeat))),
                Press(UNLINK, menu.staff_only(_on_draft(_unlink))),
                Press(PREVIEW, menu.staff_only(_on_draft(_preview))),
            ),
        ),
        Buttons("ml", presses=mailing_replies.PRESSES),
        Buttons(
            "mc",
            presses=tuple(
                Press(
                    payload,
                    menu.staff_only(
                        lambda ctx, number, action=action: control(ctx, action, number)
                    ),
                )
                for action, payload in (("pause", PAUSE), ("resume", RESUME), ("cancel", CANCEL))
            ),
        ),
    ),
    steps=(Steps(STATES, on_input),),
    jobs={"mailings": tick},
)
