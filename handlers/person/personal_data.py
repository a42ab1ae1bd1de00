"""152-ФЗ for the citizen: ``/mydata`` shows what the bot keeps about them (a message and the
whole of it as a JSON file), ``/forget`` erases it after a confirmation. Appeals still being
considered are kept until answered: 59-ФЗ obliges the administration to answer them."""

from __future__ import annotations

import json
from typing import Any

from handlers import menu
from handlers.appeals import intake
from handlers.appeals.lifecycle import OPEN
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text, Upload
from handlers.engagement import groups as group_names
from handlers.payloads import Payload
from handlers.registry import Buttons, Command, Feature, Press, Steps

CONFIRM = "pd.forget"

FORGET = Payload("me", "forget")  # the answer "yes, erase my data" to /forget
KEEP = Payload("me", "keep")


async def _collected(ctx: Context) -> dict[str, Any]:
    user, personal = ctx.user, ctx.uow.personal
    appeals = await personal.appeals(user.id)
    groups = {g.id: g for g in await ctx.uow.mailings.groups()}
    return {
        "profile": {
            "messenger": user.platform,
            "id": user.external_id,
            "name": user.display_name,
            "language": user.language,
            "since": ctx.format_date(user.created_at),
            "mailings_off": user.mailings_off,
        },
        "appeals": [
            {
                "number": a.number,
                "topic": ctx.topics.name(a.topic, ctx.locale),
                "status": ctx.word(ctx.locale, f"status-{a.status.value.replace('_', '-')}"),
                "filed": ctx.format_datetime(a.created_at),
                "text": a.text,
                "published_text": a.public_text,
                "address": a.address,
                "location": [a.latitude, a.longitude] if a.latitude is not None else None,
            }
            for a in appeals
        ],
        "unsent_appeal": intake.pending_export(ctx),
        "proposals": [
            {"filed": ctx.format_datetime(p.created_at), "text": p.text}
            for p in await personal.proposals(user.id)
        ],
        "discussion_comments": [
            {"written": ctx.format_datetime(c.created_at), "text": c.text}
            for c in await personal.comments(user.id)
        ],
        "poll_responses": await personal.poll_responses(user.id),
        "groups": [
            {
                "group": (
                    group_names.name(groups[m.group_id], ctx.locale)
                    if m.group_id in groups
                    else m.group_id
                ),
                "status": ctx.word(ctx.locale, f"mydata-member-{m.status.value}"),
                "consent": m.consent,
                "since": ctx.format_datetime(m.consent_at),
            }
            for m in await personal.memberships(user.id)
        ],
        "corruption_reports_with_contact": await personal.contact_reports(user.id),
    }


async def show(ctx: Context) -> None:
    """``/mydata``."""
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    data = await _collected(ctx)
    summary = Text(
        "mydata-summary",
        {
            "name": data["profile"]["name"] or "—",
            "since": data["profile"]["since"],
            "appeals": len(data["appeals"]),
            "proposals": len(data["proposals"]),
            "comments": len(data["discussion_comments"]),
            "polls": data["poll_responses"],
            "groups": len(data["groups"]),
        },
    )
    document = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    ctx.reply_texts((summary,), uploads=(Upload("mydata.json", document),))


async def forget(ctx: Context) -> None:
    """``/forget``: what will go, and a confirmation."""
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    if await _refused_for_pending(ctx):
        return
    ctx.set_state(CONFIRM, {})
    ctx.reply(
        "forget-confirm",
        Keyboard.column(
            Button(Text("btn-forget-yes"), FORGET.encode()),
            Button(Text("btn-forget-no"), KEEP.encode()),
        ),
    )


async def on_button(ctx: Context, erase: bool) -> None:
    """``me:forget`` / ``me:keep``, valid only right after ``/forget`` asked."""
    if ctx.state != CONFIRM:
        menu.stale_button(ctx)
        return
    ctx.clear_state()
    if not erase:
        ctx.reply("forget-kept", menu.main_keyboard())
        return
    if await _refused_for_pending(ctx):  # one filed since the question
        return
    await ctx.uow.personal.forget(ctx.user, ctx.word(ctx.settings.default_locale, "erased-marker"))
    ctx.drop_aside()  # an appeal begun and kept aside is the person's data too
    ctx.reply("forget-done")


async def _refused_for_pending(ctx: Context) -> bool:
    """Appeals still being considered keep the data (59-ФЗ): say which, and refuse."""
    appeals = await ctx.uow.personal.appeals(ctx.user.id)
    pending = [a.number for a in appeals if a.status in OPEN]
    if pending:
        ctx.reply("forget-pending", numbers=", ".join(pending))
    return bool(pending)


FEATURE = Feature(
    "personal_data",
    commands=(
        Command("mydata", lambda ctx, _: show(ctx), in_menu=True),
        Command("forget", lambda ctx, _: forget(ctx), in_menu=True),
    ),
    buttons=(
        Buttons(
            "me",
            presses=(
                Press(FORGET, lambda ctx: on_button(ctx, erase=True)),
                Press(KEEP, lambda ctx: on_button(ctx, erase=False)),
            ),
        ),
    ),
    # Anything but the "yes" button keeps the data.
    steps=(Steps(frozenset({CONFIRM}), lambda ctx: on_button(ctx, erase=False)),),
)
