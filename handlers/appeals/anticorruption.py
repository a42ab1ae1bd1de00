"""Reports of corruption: a separate entry in the menu, anonymous by default, read only by the
anti-corruption officer (seed 002, items 7.6-7.7)."""

from __future__ import annotations

import secrets

from pydantic import Field

from handlers import menu
from handlers.context import Context
from handlers.contracts import Button, ChatRef, Keyboard, Platform, Text
from handlers.drafts import Draft
from handlers.parsing import split_ref_and_text
from handlers.payloads import NONCE, Payload
from handlers.registry import Audience, Buttons, Command, Feature, Press, Steps, family
from storage.models import CorruptionReport, Role


class ReportDraft(Draft):
    """A report of corruption being written: its text, then whether the author may be
    contacted."""

    nonce: str = Field(default_factory=lambda: secrets.token_hex(3))
    text: str = ""


CANCEL = Payload("ac", NONCE, "cancel")  # ac:<nonce>:cancel
ANONYMOUS = Payload("ac", NONCE, "anon")  # send it without a way to reach the author
WITH_CONTACT = Payload("ac", NONCE, "contact")  # send it; the author may be contacted

TEXT = "ac.text"
CONTACT = "ac.contact"
STATES = (TEXT, CONTACT)
TEXT_MIN = 20
TEXT_MAX = 4000
LIST_LIMIT = 10


def _button(ctx: Context, key: str, payload: Payload) -> Button:
    return Button(Text(key), payload.encode(ctx.draft(ReportDraft).nonce))


async def start(ctx: Context) -> None:
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    ctx.set_state(TEXT, ReportDraft())
    ctx.reply("ac-intro", Keyboard.column(_button(ctx, "btn-cancel", CANCEL)), min=TEXT_MIN)


async def on_input(ctx: Context) -> None:
    if ctx.state == CONTACT:
        ctx.reply("ac-choose")
        _ask_contact(ctx)
        return
    text = ctx.incoming.text.strip()
    if not text:
        ctx.reply("appeal-text-expected")
        return
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        ctx.reply("ac-length", min=TEXT_MIN, max=TEXT_MAX, length=len(text))
        return
    draft = ctx.draft(ReportDraft)
    draft.text = text
    ctx.set_state(CONTACT, draft)
    _ask_contact(ctx)


def _ask_contact(ctx: Context) -> None:
    keyboard = Keyboard.column(
        _button(ctx, "btn-ac-anonymous", ANONYMOUS),
        _button(ctx, "btn-ac-contact", WITH_CONTACT),
        _button(ctx, "btn-cancel", CANCEL),
    )
    ctx.reply("ac-ask-contact", keyboard)


def _current(ctx: Context, nonce: str) -> bool:
    """The button belongs to the report being written now."""
    return ctx.state in STATES and ctx.draft(ReportDraft).nonce == nonce


async def on_cancel(ctx: Context, nonce: str) -> None:
    if not _current(ctx, nonce):
        menu.stale_button(ctx)
        return
    ctx.clear_state()
    ctx.reply("ac-cancelled", menu.main_keyboard())


async def on_submit(ctx: Context, nonce: str, *, contact: bool) -> None:
    if not _current(ctx, nonce) or ctx.state != CONTACT:
        menu.stale_button(ctx)
        return
    await _submit(ctx, contact=contact)


async def _submit(ctx: Context, *, contact: bool) -> None:
    report = CorruptionReport(text=ctx.draft(ReportDraft).text, created_at=ctx.now)
    if contact:
        report.reporter_id = ctx.user.id
        report.platform = ctx.incoming.platform.value
        report.chat_id = ctx.incoming.chat_id
    await ctx.uow.corruption.add(report)
    ctx.clear_state()
    ctx.track("done:corruption")
    key = "ac-registered-contact" if contact else "ac-registered-anonymous"
    ctx.reply(key, menu.main_keyboard(), number=report.number)
    officers = await ctx.uow.staff.in_department("", (Role.ANTICORRUPTION,))
    for officer in officers:
        ctx.send(
            ChatRef(Platform(officer.platform), officer.external_id),
            _card(ctx, report),
            locale=ctx.settings.default_locale,
        )


def _card(ctx: Context, report: CorruptionReport) -> tuple[Text, ...]:
    who: Text
    if report.reporter is not None or report.reporter_id is not None:
        reporter = report.reporter
        who = Text(
            "ac-card-contact",
            {
                "name": reporter.display_name if reporter else "—",
                "account": f"{report.platform}:{report.chat_id}",
            },
        )
    else:
        who = Text("ac-card-anonymous")
    return (
        Text("ac-card", {"number": report.number, "date": ctx.format_datetime(report.created_at)}),
        who,
        Text("line-text", {"text": report.text}),
        *((Text("ac-card-answer", {"answer": report.answer}),) if report.answer else ()),
    )


async def officer_command(ctx: Context, name: str, args: str) -> None:
    """``/ac_list`` and ``/ac_reply N text``: for the anti-corruption officer alone."""
    if not ctx.access.anticorruption:
        ctx.reply("anticorruption-only")
        return
    if name == "ac_list":
        reports = await ctx.uow.corruption.latest(LIST_LIMIT)
        if not reports:
            ctx.reply("ac-list-empty")
            return
        for listed in reports:
            ctx.reply_texts(_card(ctx, listed))
        return
    ref, text = split_ref_and_text(args)
    report = await ctx.uow.corruption.get(ref.appeal_id) if ref else None
    if report is None or not text:
        ctx.reply("ac-reply-usage")
        return
    if report.reporter_id is None or report.platform is None or report.chat_id is None:
        ctx.reply("ac-reply-anonymous", number=report.number)
        return
    report.answer = text
    report.answered_at = ctx.now
    locale = report.reporter.language if report.reporter else ctx.settings.default_locale
    ctx.send(
        ChatRef(Platform(report.platform), report.chat_id),
        (
            Text("ac-citizen-answer", {"number": report.number}),
            Text("citizen-answer-body", {"answer": text}),
        ),
        locale=locale,
        receipt=ctx.receipt(
            Text("ac-reply-sent", {"number": report.number}),
            Text("ac-reply-undelivered", {"number": report.number}),
            Text("message-delayed"),
        ),
    )


FEATURE = Feature(
    "anticorruption",
    commands=(
        Command("corruption", lambda ctx, _: start(ctx), in_menu=True, shortcut="ac"),
        *family(("ac_list", "ac_reply"), officer_command, Audience.OFFICERS),
    ),
    buttons=(
        Buttons(
            "ac",
            presses=(
                Press(CANCEL, on_cancel),
                Press(ANONYMOUS, lambda ctx, nonce: on_submit(ctx, nonce, contact=False)),
                Press(WITH_CONTACT, lambda ctx, nonce: on_submit(ctx, nonce, contact=True)),
            ),
        ),
    ),
    steps=(Steps(STATES, on_input),),
)
