"""A citizen's own appeals: the list (/my) and each one's card with its history."""

from __future__ import annotations

from handlers import menu
from handlers.appeals import buttons as citizen_buttons
from handlers.appeals import intake, ratings, views
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.registry import Buttons, Command, Feature, Press


async def list_mine(ctx: Context) -> None:
    if menu.in_a_group(ctx):
        return
    appeals = await ctx.uow.appeals.list_by_citizen(ctx.user.id, ctx.settings.my_limit)
    # An appeal begun and not sent is not in the list: said, so that it is not thought lost.
    pending = (Text("appeal-kept-aside"),) if intake.has_pending_draft(ctx) else ()
    if not appeals:
        ctx.reply_texts((Text("my-empty"), *pending), menu.main_keyboard())
        return
    total = await ctx.uow.appeals.count_by_citizen(ctx.user.id)
    texts = [*pending, Text("my-header", {"shown": len(appeals), "total": total})]
    buttons = []
    for appeal in appeals:
        texts.append(views.appeal_line(ctx, appeal))
        buttons.append(
            Button(
                Text("btn-appeal", {"number": appeal.number}),
                citizen_buttons.OPEN_MINE.encode(appeal.id),
            )
        )
    ctx.reply_texts(tuple(texts), Keyboard.grid(buttons))


async def open_mine(ctx: Context, appeal_id: int) -> None:
    if menu.in_a_group(ctx):
        return
    appeal = await ctx.uow.appeals.get(appeal_id)
    if appeal is None or appeal.citizen_id != ctx.user.id:
        # Someone else's appeal looks exactly like a missing one.
        menu.stale_button(ctx)
        return
    events = await ctx.uow.appeals.events(appeal.id)
    texts = views.appeal_card(ctx, appeal, events, for_staff=False)
    awaiting = ratings.awaiting(appeal)
    if awaiting is None:
        ctx.reply_texts(texts)
        return
    # The answer can be rated here too: its own message may have scrolled away.
    ctx.reply_texts((*texts, Text("rate-ask")), ratings.keyboard(appeal.id, awaiting.number))


FEATURE = Feature(
    "my appeals",
    commands=(Command("my", lambda ctx, _: list_mine(ctx), in_menu=True, shortcut="my"),),
    buttons=(Buttons("my", presses=(Press(citizen_buttons.OPEN_MINE, open_mine),)),),
)
