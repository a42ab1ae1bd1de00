"""Clarification: an operator asks the citizen a question on the appeal (`/ask N text`); the
citizen's reply, text or photos, is attached to the appeal and the operator is told."""

from __future__ import annotations

from handlers import menu
from handlers.appeals import buttons as citizen_buttons
from handlers.appeals import files, intake, views
from handlers.appeals.draft import AboutAppeal
from handlers.appeals.lifecycle import Action, TransitionRefused, next_status, transition
from handlers.context import Context
from handlers.contracts import Attachment, Button, ChatRef, Keyboard, Platform, Text
from handlers.parsing import split_ref_and_text
from handlers.registry import Buttons, Feature, Press, Steps
from handlers.staff import staff_threads
from handlers.staff.staff_checks import load_for_staff, step
from storage.models import Appeal, AppealNote, AppealStatus, NoteKind

REPLY = "clarify.reply"
ADD = "clarify.add"
TEXT_MAX = 2000


async def ask(ctx: Context, args: str) -> None:
    ref, question = split_ref_and_text(args)
    if ref is None or not question:
        ctx.reply("ask-usage")
        return
    if len(question) > TEXT_MAX:
        ctx.reply("ask-too-long", max=TEXT_MAX)
        return
    appeal = await load_for_staff(ctx, ref, "ask-usage")
    if appeal is None:
        return
    if not await step(ctx, appeal, Action.ASK):
        return
    appeal.notes.append(
        AppealNote(kind=NoteKind.QUESTION, author_id=ctx.user.id, text=question, created_at=ctx.now)
    )
    views.notify_citizen(
        ctx,
        appeal,
        (Text("citizen-question", {"number": appeal.number, "question": question}),),
        keyboard=Keyboard.column(
            Button(Text("btn-reply-question"), citizen_buttons.ANSWER_QUESTION.encode(appeal.id))
        ),
        followers=(),  # the question is for the citizen who wrote
        receipt=ctx.receipt(
            Text("ask-sent", {"number": appeal.number}),
            Text("ask-undelivered", {"number": appeal.number}),
            Text("message-delayed"),
        ),
    )


async def on_button(ctx: Context, appeal_id: int) -> None:
    """``q:<appeal>``: the citizen is about to answer the question on their appeal."""
    appeal = await ctx.uow.appeals.get(appeal_id)
    if appeal is None or appeal.citizen_id != ctx.user.id:
        menu.stale_button(ctx)
        return
    if appeal.status is not AppealStatus.NEEDS_INFO:
        ctx.reply("clarify-not-waiting", number=appeal.number)
        return
    if ctx.state in intake.STATES:
        ctx.reply("clarify-finish-draft-first")
        return
    ctx.set_state(REPLY, AboutAppeal(appeal_id=appeal.id))
    ctx.reply("clarify-prompt", number=appeal.number)


async def on_reply(ctx: Context) -> None:
    """The reply typed (or photographed) after pressing the button."""
    appeal_id = ctx.draft(AboutAppeal).appeal_id
    ctx.clear_state()
    candidates = await ctx.uow.appeals.awaiting_info(ctx.user.id)
    appeal = next((a for a in candidates if a.id == appeal_id), None)
    if appeal is None:
        ctx.reply("clarify-not-waiting", number=str(appeal_id))
        return
    await _attach(ctx, appeal)


async def try_unprompted(ctx: Context) -> bool:
    """Free text outside any flow from a citizen with exactly one question waiting is the
    reply to it. True when it was taken so."""
    if ctx.incoming.is_group:
        return False
    waiting = await ctx.uow.appeals.awaiting_info(ctx.user.id)
    if len(waiting) != 1:
        return False
    return await _attach(ctx, waiting[0])


async def _addable(ctx: Context, appeal_id: int | None, *, lock: bool = False) -> Appeal | None:
    """The citizen's own appeal, if it may still be added to; else None, and they are told."""
    appeal = await ctx.uow.appeals.get(appeal_id, for_update=lock) if appeal_id else None
    if appeal is None or appeal.citizen_id != ctx.user.id:
        menu.stale_button(ctx)
        return None
    try:
        next_status(Action.ADD, appeal.status)
    except TransitionRefused:
        ctx.reply("clarify-add-closed", number=appeal.number)
        return None
    return appeal


async def on_add_button(ctx: Context, appeal_id: int) -> None:
    """``add:<appeal>``: the citizen is about to add something to their open appeal."""
    appeal = await _addable(ctx, appeal_id)
    if appeal is None:
        return
    if ctx.state in intake.STATES:
        ctx.reply("clarify-finish-draft-first")
        return
    ctx.set_state(ADD, AboutAppeal(appeal_id=appeal.id))
    ctx.reply("clarify-add-prompt", number=appeal.number)


async def on_addition(ctx: Context) -> None:
    """What the citizen sent after "Дополнить": text and/or photos or documents."""
    appeal_id = ctx.draft(AboutAppeal).appeal_id
    ctx.clear_state()
    appeal = await _addable(ctx, appeal_id, lock=True)
    if appeal is not None:
        await _attach(ctx, appeal, Action.ADD)


async def _attach(ctx: Context, appeal: Appeal, action: Action = Action.CLARIFY) -> bool:
    text = ctx.incoming.text.strip()
    taken, refused = files.incoming(ctx)
    files.tell_refusals(ctx, refused)
    state = REPLY if action is Action.CLARIFY else ADD
    if not text and not taken:
        ctx.set_state(state, AboutAppeal(appeal_id=appeal.id))
        ctx.reply("clarify-expected")
        return True
    if len(text) > TEXT_MAX:
        ctx.set_state(state, AboutAppeal(appeal_id=appeal.id))
        ctx.reply("ask-too-long", max=TEXT_MAX)
        return True
    await transition(ctx, appeal, action, actor_id=ctx.user.id)
    appeal.notes.append(
        AppealNote(
            kind=NoteKind.REPLY if action is Action.CLARIFY else NoteKind.ADDITION,
            author_id=ctx.user.id,
            text=text,
            files=[f.to_dict() for f in taken],
            created_at=ctx.now,
        )
    )
    if action is Action.CLARIFY:
        ctx.reply("clarify-thanks", number=appeal.number)
        await _tell_operator(ctx, appeal, text, tuple(taken))
    else:
        ctx.reply("clarify-add-thanks", number=appeal.number)
        received = Text(
            "clarify-add-received",
            {"number": appeal.number, "text": text or "—", "photos": len(taken)},
        )
        await staff_threads.post(ctx, appeal, (received,), files=tuple(taken))
    return True


async def _tell_operator(
    ctx: Context, appeal: Appeal, text: str, attached: tuple[Attachment, ...]
) -> None:
    """The operator who asked hears in their own chat, and the staff in the appeal's topic."""
    asker_id = next(
        (n.author_id for n in reversed(appeal.notes) if n.kind is NoteKind.QUESTION), None
    )
    asker = await ctx.uow.users.get(asker_id) if asker_id else None
    also = (ChatRef(Platform(asker.platform), asker.external_id),) if asker else ()
    message = Text(
        "clarify-received",
        {"number": appeal.number, "text": text or "—", "photos": len(attached)},
    )
    await staff_threads.post(ctx, appeal, (message,), also=also, files=attached)


FEATURE = Feature(
    "clarify",
    buttons=(
        Buttons("q", presses=(Press(citizen_buttons.ANSWER_QUESTION, on_button),)),
        Buttons("add", presses=(Press(citizen_buttons.ADD_TO, on_add_button),)),
    ),
    steps=(Steps(frozenset({REPLY}), on_reply), Steps(frozenset({ADD}), on_addition)),
)
