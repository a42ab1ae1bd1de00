"""The operators' side: the queue, taking an appeal, answering it, closing it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import choices, menu
from handlers.appeals import clarify, deadlines, files, ratings, views
from handlers.appeals.draft import StaffReply
from handlers.appeals.lifecycle import (
    OPEN,
    Action,
    TransitionRefused,
    next_status,
    record_unpublished,
    transition,
)
from handlers.context import Context
from handlers.contracts import Attachment, ChatRef, Platform, Text
from handlers.outgoing.outbox_reasons import UNDELIVERED
from handlers.parsing import AppealRef, parse_appeal_ref, split_ref_and_text
from handlers.registry import Audience, Buttons, Feature, Press, Steps, family
from handlers.staff import buttons, reply_templates
from handlers.staff.staff_checks import load_for_staff, refused, step
from storage.models import AppealAnswer, AppealStatus

REPLY = "op.reply"
# Staff talk in an appeal's topic that is not for the citizen starts with this.
STAFF_ONLY_PREFIX = "//"
ANSWER_MAX = 4000


async def queue(ctx: Context) -> None:
    departments = ctx.access.departments()
    appeals = await ctx.uow.appeals.list_open(ctx.settings.queue_limit, departments)
    if not appeals:
        ctx.reply("queue-empty")
        return
    total = await ctx.uow.appeals.count_open(departments)
    texts = [Text("queue-header", {"shown": len(appeals), "total": total})]
    texts.extend(views.appeal_line(ctx, appeal) for appeal in appeals)
    ctx.reply_texts(tuple(texts))


async def take(ctx: Context, ref: AppealRef | None) -> None:
    appeal = await load_for_staff(ctx, ref, "op-usage-take")
    if appeal is None:
        return
    if not await step(ctx, appeal, Action.TAKE):
        return
    events = await ctx.uow.appeals.events(appeal.id)
    ctx.reply_texts(
        (
            Text("op-taken", {"number": appeal.number}),
            *views.appeal_card(ctx, appeal, events, for_staff=True),
        ),
        views.staff_keyboard(appeal),
    )
    views.notify_citizen(ctx, appeal, (Text("citizen-appeal-taken", {"number": appeal.number}),))


async def reply_command(ctx: Context, args: str) -> None:
    ref, text = split_ref_and_text(args)
    if ref is None:
        ctx.reply("op-usage-reply")
        return
    if text.startswith("#"):
        key, _, extra = text[1:].partition(" ")
        await answer_from_template(ctx, ref, key.strip(), extra.strip())
    elif text:
        await answer(ctx, ref, text)
    else:
        await ask_for_answer(ctx, ref)


async def answer_from_template(ctx: Context, ref: AppealRef, key: str, extra: str) -> None:
    """The template filled in for this appeal, with the operator's words after it."""
    appeal = await load_for_staff(ctx, ref, "op-usage-reply")
    if appeal is None:
        return
    template = await reply_templates.find(ctx, key, appeal)
    if template is None:
        return
    body = reply_templates.fill(ctx, template, appeal)
    await answer(ctx, ref, f"{body}\n\n{extra}" if extra else body)


async def preview_template(ctx: Context, ref: AppealRef, key: str) -> None:
    appeal = await load_for_staff(ctx, ref, "op-usage-reply")
    if appeal is None:
        return
    if appeal.status not in OPEN:
        refused(ctx, appeal, TransitionRefused(Action.ANSWER, appeal.status))
        return
    template = await reply_templates.find(ctx, key, appeal)
    if template is None:
        return
    ctx.set_state(REPLY, StaffReply(appeal_id=appeal.id, template=key))
    ctx.reply_texts(
        (
            Text(
                "template-preview",
                {"number": appeal.number, "tpl": key, "title": template.title(ctx.locale)},
            ),
            Text("citizen-answer-body", {"answer": reply_templates.fill(ctx, template, appeal)}),
            Text("template-preview-hint"),
        ),
        reply_templates.preview_keyboard(appeal.id, key),
        expects_reply=True,
    )


async def ask_for_answer(ctx: Context, ref: AppealRef | None) -> None:
    appeal = await load_for_staff(ctx, ref, "op-usage-reply")
    if appeal is None:
        return
    if appeal.status not in OPEN:
        refused(ctx, appeal, TransitionRefused(Action.ANSWER, appeal.status))
        return
    ctx.set_state(REPLY, StaffReply(appeal_id=appeal.id))
    ctx.reply_texts(
        (Text("op-reply-prompt", {"number": appeal.number, "max": ANSWER_MAX}),),
        expects_reply=True,
    )


async def on_reply_input(ctx: Context) -> None:
    """The answer typed after "Ответить": text, and photos or documents sent with it."""
    draft = ctx.draft(StaffReply)
    await answer_message(ctx, draft.appeal_id, draft.template, in_flow=True)


async def relay(ctx: Context) -> bool:
    """A message in an appeal's topic, or in reply to a staff message about it, answers the
    appeal. False when the message belongs to no appeal."""
    incoming = ctx.incoming
    if incoming.thread_id is None and incoming.reply_to is None:
        return False
    appeal_id = await ctx.uow.posts.appeal_of(
        incoming.platform.value,
        incoming.chat_id,
        thread_id=incoming.thread_id,
        reply_to=incoming.reply_to,
    )
    if appeal_id is None:
        return False
    if incoming.text.lstrip().startswith(STAFF_ONLY_PREFIX):
        return True  # staff talking among themselves in the topic
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return True
    draft = ctx.draft(StaffReply) if ctx.state == REPLY else None
    waiting = draft is not None and draft.appeal_id == appeal_id
    template = draft.template if draft is not None and waiting else None
    await answer_message(ctx, appeal_id, template, in_flow=waiting)
    return True


async def answer_message(
    ctx: Context, appeal_id: int, template: str | None = None, *, in_flow: bool = False
) -> None:
    """This message (text, with photos or documents) is the answer to the appeal; after a
    template's preview, the words that follow the template. ``in_flow``: the operator was
    asked for it, and is done being asked once it is taken."""
    text = ctx.incoming.text.strip()
    attached, refused_files = files.incoming(ctx)
    files.tell_refusals(ctx, refused_files)
    if refused_files:
        return  # the operator sends it again without the file that was refused
    if not text:
        ctx.reply("op-reply-text-expected")
        return
    if in_flow:
        ctx.clear_state()
    if template:
        await answer_from_template(ctx, AppealRef(appeal_id, None), template, text)
    else:
        await answer(ctx, AppealRef(appeal_id, None), text, tuple(attached))


async def answer(
    ctx: Context, ref: AppealRef, text: str, attached: tuple[Attachment, ...] = ()
) -> None:
    if len(text) > ANSWER_MAX:
        ctx.reply("op-answer-too-long", max=ANSWER_MAX, length=len(text))
        return
    appeal = await load_for_staff(ctx, ref, "op-usage-reply")
    if appeal is None:
        return
    try:
        if appeal.status is AppealStatus.NEW:
            # Answering a new appeal takes it first, so the trail shows who answered.
            await transition(ctx, appeal, Action.TAKE, actor_id=ctx.user.id)
        await transition(ctx, appeal, Action.ANSWER, actor_id=ctx.user.id)
    except TransitionRefused as exc:
        refused(ctx, appeal, exc)
        return
    answer = AppealAnswer(
        number=len(appeal.answers) + 1,
        text=text,
        files=[f.to_dict() for f in attached],
        author_id=ctx.user.id,
        created_at=ctx.now,
        rating=None,  # known to have none: nothing to load in the live card
    )
    appeal.answers.append(answer)
    elsewhere = [f for f in attached if f.platform != appeal.platform]
    if elsewhere:
        # A file id means nothing on another messenger: the text goes, the files do not.
        ctx.reply("op-files-not-delivered", count=len(elsewhere), channel=appeal.platform)
    news = (
        Text("citizen-answer", {"number": appeal.number}),
        Text("citizen-answer-body", {"answer": text}),
    )
    views.notify_citizen(
        ctx,
        appeal,
        (*news, Text("rate-ask")),
        keyboard=ratings.keyboard(appeal.id, answer.number),
        followers=news,
        files=attached,
        # "Sent to the citizen" once it was: the operator hears it from the outbox.
        receipt=ctx.receipt(
            Text("op-answered", {"number": appeal.number}),
            Text("op-answer-undelivered", {"number": appeal.number}),
            Text("op-answer-delayed", {"number": appeal.number}),
        ),
    )


async def close(ctx: Context, ref: AppealRef | None) -> None:
    appeal = await load_for_staff(ctx, ref, "op-usage-close")
    if appeal is None:
        return
    if not await step(ctx, appeal, Action.CLOSE):
        return
    ctx.reply("op-closed", number=appeal.number)
    views.notify_citizen(ctx, appeal, (Text("citizen-appeal-closed", {"number": appeal.number}),))


async def unpublish(ctx: Context, ref: AppealRef | None) -> None:
    """``/unpublish N``: the text its author agreed to publish is taken off the public page and
    Open311 (the redaction missed something, or it should not be public); the author is told."""
    appeal = await load_for_staff(ctx, ref, "op-usage-unpublish")
    if appeal is None:
        return
    if appeal.public_text is None:
        ctx.reply("op-unpublish-none", number=appeal.number)
        return
    appeal.public_text = None
    await record_unpublished(ctx, appeal, ctx.user.id)
    ctx.reply("op-unpublished", number=appeal.number)
    views.notify_citizen(ctx, appeal, (Text("citizen-unpublished", {"number": appeal.number}),))


async def assign(ctx: Context, args: str) -> None:
    """``/assign N <department>``: hand an open appeal to another department."""
    tokens = args.split()
    ref = parse_appeal_ref(tokens[0]) if len(tokens) == 2 else None
    if ref is None:
        ctx.reply("op-usage-assign", departments=choices.departments(ctx))
        return
    target = ctx.departments.get(tokens[1])
    if target is None:
        ctx.reply("op-unknown-department", departments=choices.departments(ctx))
        return
    appeal = await load_for_staff(ctx, ref, "op-usage-assign")
    if appeal is None:
        return
    if not ctx.access.can_assign(appeal.department):
        ctx.reply("op-assign-not-allowed", number=appeal.number)
        return
    if target.code == appeal.department:
        ctx.reply("op-assign-same", number=appeal.number, department=target.name(ctx.locale))
        return
    if not await step(ctx, appeal, Action.ASSIGN, note=f"{appeal.department} → {target.code}"):
        return
    appeal.department = target.code
    ctx.reply("op-assigned", number=appeal.number, department=target.name(ctx.locale))
    views.notify_citizen(
        ctx,
        appeal,
        (
            Text(
                "citizen-appeal-assigned",
                {
                    "number": appeal.number,
                    "department": target.name(appeal.citizen.language),
                },
            ),
        ),
    )
    await views.announce_to_staff(ctx, appeal, appeal.citizen)


async def merge(ctx: Context, args: str) -> None:
    """``/merge N M``: M is a duplicate of N; its citizen (and followers) follow N from now."""
    tokens = args.split()
    refs = [parse_appeal_ref(t) for t in tokens] if len(tokens) == 2 else []
    if len(refs) != 2 or refs[0] is None or refs[1] is None:
        ctx.reply("merge-usage")
        return
    if refs[0].appeal_id == refs[1].appeal_id:
        ctx.reply("merge-same")
        return
    main = await load_for_staff(ctx, refs[0], "merge-usage")
    duplicate = await load_for_staff(ctx, refs[1], "merge-usage") if main else None
    if main is None or duplicate is None:
        return
    # Both steps are checked before either is taken: a refusal changes nothing.
    for appeal, action in ((main, Action.ABSORB), (duplicate, Action.MERGE)):
        try:
            next_status(action, appeal.status)
        except TransitionRefused as exc:
            refused(ctx, appeal, exc)
            return
    await transition(ctx, main, Action.ABSORB, actor_id=ctx.user.id, note=duplicate.number)
    await transition(ctx, duplicate, Action.MERGE, actor_id=ctx.user.id, note=main.number)
    duplicate.merged_into_id = main.id
    chat = ChatRef(Platform(duplicate.platform), duplicate.chat_id)
    views.add_follower(main, duplicate.citizen, chat, ctx.now)
    for follower in duplicate.followers:
        views.add_follower(
            main, follower.user, ChatRef(Platform(follower.platform), follower.chat_id), ctx.now
        )
    ctx.reply("merge-done", duplicate=duplicate.number, main=main.number)
    views.notify_citizen(
        ctx,
        duplicate,
        (Text("citizen-merged", {"duplicate": duplicate.number, "main": main.number}),),
    )


async def history(ctx: Context, ref: AppealRef | None) -> None:
    """``/history N``: the full audit trail, with who did each step."""
    appeal = await load_for_staff(ctx, ref, "op-usage-history")
    if appeal is None:
        return
    events = await ctx.uow.appeals.events(appeal.id)
    actors = await ctx.uow.users.many({e.actor_id for e in events if e.actor_id is not None})
    texts = [Text("history-header", {"number": appeal.number})]
    for event in events:
        actor = actors.get(event.actor_id) if event.actor_id is not None else None
        params = {
            "when": ctx.format_datetime(event.at),
            "action": views.history_action(event),
            "who": f"{actor.display_name} ({actor.platform}:{actor.external_id})" if actor else "—",
        }
        if event.note and event.action != UNDELIVERED:
            texts.append(Text("history-staff-line-note", {**params, "note": event.note}))
        else:
            texts.append(Text("history-staff-line", params))
    if ctx.access.admin:
        # Who has seen the citizen's data (152-ФЗ), newest first.
        log = await ctx.uow.personal.access_log(appeal.id)
        staff = await ctx.uow.users.many({entry.staff_id for entry in log})
        texts.append(Text("history-access-header"))
        for entry in log:
            who = staff.get(entry.staff_id)
            texts.append(
                Text(
                    "history-access-line",
                    {
                        "when": ctx.format_datetime(entry.at),
                        "who": f"{who.display_name} ({who.platform}:{who.external_id})"
                        if who
                        else "—",
                        "via": entry.via,
                    },
                )
            )
    ctx.reply_texts(tuple(texts))


def _staff_only(run: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """A button on an appeal, for those who handle appeals (each action checks the rest)."""
    return menu.staff_only(
        lambda ctx, appeal_id, *rest: run(ctx, AppealRef(appeal_id, None), *rest)
    )


def _ref(args: str) -> AppealRef | None:
    return parse_appeal_ref(args.split()[0]) if args else None


async def command(ctx: Context, name: str, args: str) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    if name == "queue":
        await queue(ctx)
    elif name == "take":
        await take(ctx, _ref(args))
    elif name == "reply":
        await reply_command(ctx, args)
    elif name == "close":
        await close(ctx, _ref(args))
    elif name == "assign":
        await assign(ctx, args)
    elif name == "history":
        await history(ctx, _ref(args))
    elif name == "extend":
        await deadlines.extend(ctx, args)
    elif name == "ask":
        await clarify.ask(ctx, args)
    elif name == "merge":
        await merge(ctx, args)
    elif name == "templates":
        await reply_templates.list_templates(ctx, args)
    elif name == "template":
        await reply_templates.manage(ctx, args)
    elif name == "unpublish":
        await unpublish(ctx, _ref(args))


FEATURE = Feature(
    "operators",
    commands=family(
        (
            "queue",
            "take",
            "reply",
            "templates",
            "ask",
            "close",
            "assign",
            "merge",
            "history",
            "extend",
            "template",
            "unpublish",
        ),
        command,
        Audience.OPERATORS,
        menu=(
            "queue",
            "take",
            "reply",
            "templates",
            "ask",
            "close",
            "assign",
            "merge",
            "history",
            "extend",
        ),
    ),
    buttons=(
        Buttons(
            "op",
            presses=(
                Press(buttons.TAKE, _staff_only(take)),
                Press(buttons.ANSWER, _staff_only(ask_for_answer)),
                Press(buttons.TEMPLATE, _staff_only(preview_template)),
                Press(
                    buttons.SEND_TEMPLATE,
                    _staff_only(lambda ctx, ref, key: answer_from_template(ctx, ref, key, "")),
                ),
            ),
        ),
    ),
    steps=(Steps(frozenset({REPLY}), on_reply_input),),
)
