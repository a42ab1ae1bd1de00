""" "Предложить улучшение": citizens' suggestions about the bot and the administration's
openness (roadmap item 1.6); staff list and answer them."""

from __future__ import annotations

from handlers import menu
from handlers.appeals import views
from handlers.context import Context
from handlers.contracts import ChatRef, Keyboard, Platform, Text
from handlers.parsing import split_ref_and_text
from handlers.registry import Audience, Command, Feature, Steps, family
from storage.models import Proposal

TEXT = "proposal.text"
TEXT_MIN, TEXT_MAX = 10, 2000
LIST_LIMIT = 10


def start(ctx: Context) -> None:
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    ctx.set_state(TEXT, {})
    ctx.reply("proposal-prompt", min=TEXT_MIN)


async def on_text(ctx: Context) -> None:
    text = ctx.incoming.text.strip()
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        ctx.reply("proposal-length", min=TEXT_MIN, max=TEXT_MAX, length=len(text))
        return
    ctx.clear_state()
    proposal = await ctx.uow.faq.add_proposal(
        Proposal(
            user_id=ctx.user.id,
            platform=ctx.incoming.platform.value,
            chat_id=ctx.incoming.chat_id,
            text=text,
            created_at=ctx.now,
        )
    )
    ctx.track("done:proposal")
    ctx.reply("proposal-thanks", menu.main_keyboard(), number=proposal.id)
    for chat in await views.staff_chats(ctx, ""):
        ctx.send(
            chat,
            (Text("proposal-received", {"number": proposal.id, "text": text}),),
            locale=ctx.settings.default_locale,
        )


async def staff_command(ctx: Context, name: str, args: str) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    if name == "proposals":
        rows = await ctx.uow.faq.proposals(LIST_LIMIT)
        if not rows:
            ctx.reply("proposals-empty")
            return
        ctx.reply_texts(
            (
                Text("proposals-title"),
                *(
                    Text(
                        "proposals-line",
                        {
                            "number": p.id,
                            "date": ctx.format_date(p.created_at),
                            "answered": "yes" if p.answer else "no",
                            "text": p.text,
                        },
                    )
                    for p in rows
                ),
            )
        )
        return
    await reply(ctx, args)


async def reply(ctx: Context, args: str) -> None:
    ref, text = split_ref_and_text(args)
    number = ref.appeal_id if ref and ref.year is None else None
    if number is None or not text:
        ctx.reply("proposal-reply-usage")
        return
    if len(text) > TEXT_MAX:
        ctx.reply("proposal-length", min=1, max=TEXT_MAX, length=len(text))
        return
    proposal = await ctx.uow.faq.proposal(number, for_update=True)
    if proposal is None:
        ctx.reply("proposal-not-found", number=str(number))
        return
    if proposal.answer:
        ctx.reply("proposal-already-answered", number=proposal.id)
        return
    proposal.answer, proposal.answered_at, proposal.answered_by_id = text, ctx.now, ctx.user.id
    ctx.send(
        ChatRef(Platform(proposal.platform), proposal.chat_id),
        (Text("proposal-answer", {"number": proposal.id, "text": text}),),
        locale=proposal.user.language,
        keyboard=Keyboard.column(*menu.main_keyboard().buttons[:1]),
        receipt=ctx.receipt(
            Text("proposal-answered", {"number": proposal.id}),
            Text("proposal-undelivered", {"number": proposal.id}),
            Text("message-delayed"),
        ),
    )


FEATURE = Feature(
    "proposals",
    commands=(
        Command("propose", lambda ctx, _: start(ctx), in_menu=True, shortcut="propose"),
        *family(
            ("proposals", "proposal_reply"), staff_command, Audience.OPERATORS, menu=("proposals",)
        ),
    ),
    steps=(Steps(frozenset({TEXT}), on_text),),
)
