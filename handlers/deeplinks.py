"""Deep links: ``/start <target>`` from links and QR codes on stands and official pages opens
an FAQ answer, an information section or a new appeal on a topic directly. Operators get the
link and its QR code with ``/qr <target>``."""

from __future__ import annotations

import re

from handlers import choices, menu
from handlers.appeals import intake
from handlers.context import Context
from handlers.contracts import Outgoing, Text
from handlers.faq import faq_answers, info
from handlers.registry import Audience, Command, Feature

# Telegram allows A-Z a-z 0-9 _ - in a start parameter, at most 64 characters.
TARGET = re.compile(r"^(faq|info|topic)-([a-z0-9_]{1,32})$|^(faq|info|new)$")


def valid(target: str) -> bool:
    return bool(TARGET.match(target))


async def known(ctx: Context, target: str) -> bool:
    """The target names an answer, a section or a topic that exists today."""
    if not valid(target):
        return False
    await ctx.faq.ensure(ctx.uow)
    catalog = ctx.faq.catalog
    kind, _, code = target.partition("-")
    return (
        not code
        or (kind == "faq" and code in catalog.entries)
        or (kind == "info" and code in catalog.sections)
        or (kind == "topic" and ctx.topics.get(code) is not None)
    )


async def open_target(ctx: Context, target: str) -> None:
    """``/start <target>``; a link to nothing (mistyped, or the answer since removed) says
    so above the greeting."""
    kind, _, code = target.partition("-")
    if not await known(ctx, target):
        ctx.clear_state()
        ctx.reply_texts((Text("deeplink-unknown"), Text("start")), menu.main_keyboard())
    elif kind == "faq" and code:
        await faq_answers.show(ctx, code)
    elif kind == "faq":
        await faq_answers.categories(ctx)
    elif kind == "info" and code:
        await info.show(ctx, code)
    elif kind == "info":
        await info.sections(ctx)
    elif kind == "new":
        await intake.start(ctx)
    elif kind == "topic":
        await intake.start(ctx, topic=code)


async def qr(ctx: Context, args: str) -> None:
    """``/qr <target>``: the link and its QR code, for operators."""
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    target = args.strip()
    if not await known(ctx, target):
        # The targets by name: the forms, the topics and the information sections (an FAQ
        # answer shows its own code to staff).
        await ctx.faq.ensure(ctx.uow)
        targets = choices.listing(
            [
                *((f"topic-{t.code}", t.name(ctx.locale)) for t in ctx.topics),
                *(
                    (f"info-{s.code}", s.title(ctx.locale))
                    for s in ctx.faq.catalog.sections.values()
                ),
            ]
        )
        ctx.reply("qr-usage", targets=targets)
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


FEATURE = Feature("deeplinks", commands=(Command("qr", qr, Audience.OPERATORS, in_menu=True),))
