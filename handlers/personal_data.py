"""152-ФЗ for the citizen: ``/mydata`` shows what the bot keeps about them (a message and the
whole of it as a JSON file), ``/forget`` erases it after a confirmation. Appeals still being
considered are kept until answered: 59-ФЗ obliges the administration to answer them."""

from __future__ import annotations

import json
from typing import Any

from handlers import menu
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text, Upload
from handlers.lifecycle import OPEN

CONFIRM = "pd.forget"


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
                "status": a.status.value,
                "filed": ctx.format_datetime(a.created_at),
                "text": a.text,
                "address": a.address,
                "location": [a.latitude, a.longitude] if a.latitude is not None else None,
            }
            for a in appeals
        ],
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
                "group": groups[m.group_id].code if m.group_id in groups else m.group_id,
                "status": m.status.value,
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
            Button(Text("btn-forget-yes"), "me:forget"),
            Button(Text("btn-forget-no"), "me:keep"),
        ),
    )


async def on_button(ctx: Context, parts: list[str]) -> None:
    """``me:forget`` / ``me:keep``, valid only right after ``/forget`` asked."""
    if ctx.state != CONFIRM or parts not in (["forget"], ["keep"]):
        menu.stale_button(ctx)
        return
    ctx.clear_state()
    if parts == ["keep"]:
        ctx.reply("forget-kept", menu.main_keyboard())
        return
    if await _refused_for_pending(ctx):  # one filed since the question
        return
    await ctx.uow.personal.forget(ctx.user)
    ctx.reply("forget-done")


async def _refused_for_pending(ctx: Context) -> bool:
    """Appeals still being considered keep the data (59-ФЗ): say which, and refuse."""
    appeals = await ctx.uow.personal.appeals(ctx.user.id)
    pending = [a.number for a in appeals if a.status in OPEN]
    if pending:
        ctx.reply("forget-pending", numbers=", ".join(pending))
    return bool(pending)
