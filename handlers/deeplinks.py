"""Deep links: ``/start <target>`` from links and QR codes on stands and official pages opens
an FAQ answer, an information section or a new appeal on a topic directly. Operators get the
link and its QR code with ``/qr <target>``."""

from __future__ import annotations

import re

from handlers import appeals, faq, info, menu
from handlers.context import Context
from handlers.contracts import Outgoing, Text

# Telegram allows A-Z a-z 0-9 _ - in a start parameter, at most 64 characters.
TARGET = re.compile(r"^(faq|info|topic)-([a-z0-9_]{1,32})$|^(faq|info|new)$")


def valid(target: str) -> bool:
    return bool(TARGET.match(target))


async def open_target(ctx: Context, target: str) -> None:
    """``/start <target>``; an unknown target is the plain greeting."""
    kind, _, code = target.partition("-")
    if not valid(target):
        menu.start(ctx)
    elif kind == "faq" and code:
        await faq.show(ctx, code)
    elif kind == "faq":
        await faq.categories(ctx)
    elif kind == "info" and code:
        await info.show(ctx, code)
    elif kind == "info":
        await info.sections(ctx)
    elif kind == "new":
        await appeals.start(ctx)
    elif kind == "topic":
        await appeals.start(ctx, topic=code)


async def qr(ctx: Context, args: str) -> None:
    """``/qr <target>``: the link and its QR code, for operators."""
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    target = args.strip()
    await ctx.faq.ensure(ctx.uow)
    catalog = ctx.faq.catalog
    kind, _, code = target.partition("-")
    known = valid(target) and (
        not code
        or (kind == "faq" and code in catalog.entries)
        or (kind == "info" and code in catalog.sections)
        or (kind == "topic" and ctx.topics.get(code) is not None)
    )
    if not known:
        ctx.reply("qr-usage")
        return
    ctx.outgoing.append(
        Outgoing(
            ctx.incoming.chat,
            (Text("qr-caption", {"target": target}),),
            locale=ctx.locale,
            thread_id=ctx.incoming.thread_id,
            deep_link=target,
        )
    )
