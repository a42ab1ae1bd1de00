"""Polls, the operators' side: a guided dialog or a ready template makes a draft; a settings
card (anonymity, audience, changing answers, sharing results, opening and closing time)
publishes it; ``/poll_list``, ``/poll_results N`` and ``/poll_close N`` follow it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from pydantic import BaseModel, Field

from handlers import choices, menu
from handlers.context import Context, Work
from handlers.contracts import Button, ChatRef, Keyboard, Platform, Text
from handlers.drafts import Draft
from handlers.engagement import audience_picker, audiences, poll_results, polls, publishing
from handlers.engagement.poll_templates import (
    OPTION_MAX,
    OPTIONS_MAX,
    OPTIONS_MIN,
    QUESTION_MAX,
    QUESTIONS_MAX,
    TITLE_MAX,
    PollTemplate,
)
from handlers.parsing import parse_int
from handlers.payloads import ID, KEY, Payload
from handlers.registry import Audience, Buttons, Feature, Press, Steps, call, family
from storage.models import Poll, PollQuestion, PollStatus, QuestionKind

TITLE, QUESTION, KIND, OPTIONS, MORE, SETTINGS = (
    "pollb.title",
    "pollb.question",
    "pollb.kind",
    "pollb.options",
    "pollb.more",
    "pollb.settings",
)
STATES = frozenset({TITLE, QUESTION, KIND, OPTIONS, MORE, SETTINGS})
DAYS = (1, 3, 7, 14, 30)
DEFAULT_DAYS = 7


# The dialog's buttons.
FROM_TEMPLATE = Payload("pb", "tpl", KEY)  # pb:tpl:<template>
KIND_CHOSEN = Payload("pb", "k", KEY)  # pb:k:<question kind>
ANOTHER_QUESTION = Payload("pb", "more")
QUESTIONS_DONE = Payload("pb", "done")
# The draft's settings card.
PUBLISH = Payload("pb", "pub", ID)
DELETE = Payload("pb", "del", ID)
ANONYMOUS = Payload("pb", "s", ID, "anon")  # pb:s:<poll>:anon
ALLOW_CHANGE = Payload("pb", "s", ID, "chg")
SHARE = Payload("pb", "s", ID, "share")
LONGER = Payload("pb", "s", ID, "days")


class DraftQuestion(BaseModel):
    kind: str  # a QuestionKind value
    text: str
    options: list[str] = Field(default_factory=list)


class PollDialog(Draft):
    """The guided dialog of a new poll (title, then questions one by one), or, in SETTINGS,
    the draft poll whose dates are being typed."""

    title: str = ""
    questions: list[DraftQuestion] = Field(default_factory=list)
    current: str | None = None  # the question being written
    kind: str | None = None  # its kind, once chosen
    poll: int | None = None


async def command(ctx: Context, name: str, args: str) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    number = parse_int(args.strip().lstrip("№")) if args else None
    if name == "poll_new":
        await start(ctx, args.strip())
    elif name == "poll_list":
        await list_all(ctx)
    elif number is None:
        ctx.reply("poll-usage", command=name)
    elif name == "poll_results":
        await results(ctx, number)
    elif name == "poll_close":
        await close_now(ctx, number)
    else:
        await edit(ctx, number)


async def start(ctx: Context, template_code: str) -> None:
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    templates = ctx.settings.polls.templates
    if template_code:
        template = templates.get(template_code)
        if template is None:
            known = choices.listing(
                (t.code, t.title.get(ctx.locale, t.code)) for t in templates.values()
            )
            ctx.reply("poll-template-unknown", code=template_code[:32], known=known)
            return
        await _from_template(ctx, template)
        return
    ctx.set_state(TITLE, PollDialog())
    buttons = [
        Button(
            Text("btn-raw", {"label": t.title.get(ctx.locale, t.code)}),
            FROM_TEMPLATE.encode(t.code),
        )
        for t in templates.values()
    ]
    ctx.reply("poll-new-title", Keyboard.column(*buttons) if buttons else None, max=TITLE_MAX)


async def _from_template(ctx: Context, template: PollTemplate) -> None:
    locale = ctx.locale if ctx.locale in template.title else next(iter(template.title))
    poll = Poll(
        title=template.title[locale],
        description=template.description[locale],
        anonymous=template.anonymous,
        audience=template.audience,
        allow_change=template.allow_change,
        share_results=template.share_results,
        status=PollStatus.DRAFT,
        closes_at=ctx.now + timedelta(days=template.days),
        created_by_id=ctx.user.id,
        created_at=ctx.now,
        template=template.code,
        questions=[
            PollQuestion(
                position=n, kind=q.kind, text=q.text[locale], options=q.options.get(locale, [])
            )
            for n, q in enumerate(template.questions)
        ],
    )
    await _draft_made(ctx, poll)


async def _draft_made(ctx: Context, poll: Poll) -> None:
    poll.created_by = ctx.user
    await ctx.uow.polls.add(poll)
    ctx.set_state(SETTINGS, PollDialog(poll=poll.id))
    await settings_card(ctx, poll)


async def settings_card(ctx: Context, poll: Poll) -> None:
    opens = poll.opens_at
    texts = [
        Text(
            "poll-draft",
            {
                "number": poll.id,
                "title": poll.title,
                "anonymous": "yes" if poll.anonymous else "no",
                **await audiences.described(ctx, poll.audience),
                "change": "yes" if poll.allow_change else "no",
                "share": "yes" if poll.share_results else "no",
                "opens": ctx.format_datetime(opens) if opens else "now",
                "closes": ctx.format_datetime(poll.closes_at),
            },
        ),
        *(
            Text("poll-draft-question", {"n": q.position + 1, "kind": q.kind.value, "text": q.text})
            for q in poll.questions
        ),
        Text("poll-draft-hint"),
    ]
    keyboard = Keyboard(
        (
            (
                Button(Text("btn-poll-anonymous"), ANONYMOUS.encode(poll.id)),
                Button(Text("btn-poll-audience"), PICKER.open.encode(poll.id)),
            ),
            (
                Button(Text("btn-poll-allow-change"), ALLOW_CHANGE.encode(poll.id)),
                Button(Text("btn-poll-share"), SHARE.encode(poll.id)),
            ),
            (Button(Text("btn-poll-days"), LONGER.encode(poll.id)),),
            (
                Button(Text("btn-poll-publish"), PUBLISH.encode(poll.id)),
                Button(Text("btn-poll-delete"), DELETE.encode(poll.id)),
            ),
        )
    )
    ctx.reply_texts(tuple(texts), keyboard)


# --- the guided dialog --------------------------------------------------------------------


async def on_input(ctx: Context) -> None:
    text = ctx.incoming.text.strip()
    data = ctx.draft(PollDialog)
    if ctx.state == SETTINGS:
        await _settings_text(ctx, data, text)
        return
    if ctx.state in (KIND, MORE):
        ctx.reply("poll-use-buttons")
        return
    if ctx.incoming.attachments or not text:
        ctx.reply("poll-builder-text-only")
        return
    if ctx.state == TITLE:
        if len(text) > TITLE_MAX:
            ctx.reply("poll-too-long", max=TITLE_MAX, length=len(text))
            return
        data.title = text
        ctx.set_state(QUESTION, data)
        ctx.reply("poll-new-question", n=1, max=QUESTION_MAX)
    elif ctx.state == QUESTION:
        if len(text) > QUESTION_MAX:
            ctx.reply("poll-too-long", max=QUESTION_MAX, length=len(text))
            return
        data.current = text
        ctx.set_state(KIND, data)
        kinds = [
            Button(Text(f"btn-kind-{k.value}"), KIND_CHOSEN.encode(k.value)) for k in QuestionKind
        ]
        ctx.reply("poll-new-kind", Keyboard.column(*kinds))
    elif ctx.state == OPTIONS:
        options = [line.strip() for line in text.splitlines() if line.strip()]
        if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX or any(
            len(o) > OPTION_MAX for o in options
        ):
            ctx.reply("poll-new-options", min=OPTIONS_MIN, max=OPTIONS_MAX, length=OPTION_MAX)
            return
        _add_question(ctx, data, data.kind or QuestionKind.SINGLE.value, options)


def _add_question(ctx: Context, data: PollDialog, kind: str, options: list[str]) -> None:
    question = DraftQuestion(kind=kind, text=data.current or "", options=options)
    data.questions = [*data.questions, question]
    questions = data.questions
    data.current, data.kind = None, None
    ctx.set_state(MORE, data)
    buttons = [Button(Text("btn-poll-finish"), QUESTIONS_DONE.encode())]
    if len(questions) < QUESTIONS_MAX:
        buttons.insert(0, Button(Text("btn-poll-more"), ANOTHER_QUESTION.encode()))
    ctx.reply("poll-question-added", Keyboard.column(*buttons), count=len(questions))


async def _template_chosen(ctx: Context, code: str) -> None:
    template = ctx.settings.polls.templates.get(code)
    if ctx.state != TITLE or template is None:
        menu.stale_button(ctx)
        return
    await _from_template(ctx, template)


async def _kind_chosen(ctx: Context, code: str) -> None:
    kind = next((k for k in QuestionKind if k.value == code), None)
    if ctx.state != KIND or kind is None:
        menu.stale_button(ctx)
        return
    data = ctx.draft(PollDialog)
    if kind in polls.CHOICES:
        data.kind = kind.value
        ctx.set_state(OPTIONS, data)
        ctx.reply("poll-new-options", min=OPTIONS_MIN, max=OPTIONS_MAX, length=OPTION_MAX)
    else:
        _add_question(ctx, data, kind.value, [])


async def _another_question(ctx: Context) -> None:
    if ctx.state != MORE:
        menu.stale_button(ctx)
        return
    data = ctx.draft(PollDialog)
    ctx.set_state(QUESTION, data)
    ctx.reply("poll-new-question", n=len(data.questions) + 1, max=QUESTION_MAX)


async def _questions_done(ctx: Context) -> None:
    if ctx.state != MORE:
        menu.stale_button(ctx)
        return
    await _draft_from_dialog(ctx, ctx.draft(PollDialog))


async def _draft_from_dialog(ctx: Context, data: PollDialog) -> None:
    if not data.questions:
        menu.stale_button(ctx)
        return
    poll = Poll(
        title=data.title,
        description="",
        anonymous=True,
        audience="all",
        allow_change=False,
        share_results=True,
        status=PollStatus.DRAFT,
        closes_at=ctx.now + timedelta(days=DEFAULT_DAYS),
        created_by_id=ctx.user.id,
        created_at=ctx.now,
        questions=[
            PollQuestion(position=n, kind=QuestionKind(q.kind), text=q.text, options=q.options)
            for n, q in enumerate(data.questions)
        ],
    )
    await _draft_made(ctx, poll)


async def _draft(ctx: Context, poll_id: int | None) -> Poll | None:
    poll = await ctx.uow.polls.get(poll_id, for_update=True) if poll_id else None
    if poll is None or poll.status is not PollStatus.DRAFT:
        menu.stale_button(ctx)  # published, deleted, or never there
        return None
    return poll


def _on_draft(then: Callable[[Context, Poll], Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """A button on a draft poll's settings card: the draft, if it still is one."""

    async def pressed(ctx: Context, poll_id: int) -> None:
        poll = await _draft(ctx, poll_id)
        if poll is not None:
            await then(ctx, poll)

    return pressed


async def _delete(ctx: Context, poll: Poll) -> None:
    await ctx.uow.polls.delete(poll)
    if ctx.state == SETTINGS:
        ctx.clear_state()
    ctx.reply("poll-deleted", number=poll.id)


def _setting(
    change: Callable[[Context, Poll], Awaitable[None] | None],
) -> Callable[..., Awaitable[None]]:
    """A setting changed from the card, and the card shown again."""

    async def changed(ctx: Context, poll: Poll) -> None:
        await call(change(ctx, poll))
        await settings_card(ctx, poll)

    return _on_draft(changed)


def _toggle_anonymous(ctx: Context, poll: Poll) -> None:
    poll.anonymous = not poll.anonymous


def _toggle_change(ctx: Context, poll: Poll) -> None:
    poll.allow_change = not poll.allow_change


def _toggle_share(ctx: Context, poll: Poll) -> None:
    poll.share_results = not poll.share_results


def _longer(ctx: Context, poll: Poll) -> None:
    poll.closes_at = audiences.longer(poll.opens_at or ctx.now, poll.closes_at, DAYS)


async def _settings_text(ctx: Context, data: PollDialog, text: str) -> None:
    poll = await _draft(ctx, data.poll)
    if poll is None:
        ctx.clear_state()
        return
    if not audiences.set_when(ctx, poll, text):
        ctx.reply("poll-when-usage")
        return
    await settings_card(ctx, poll)


async def publish(ctx: Context, poll: Poll) -> None:
    await publishing.publish(
        ctx,
        poll,
        polls.announce,
        settings_state=SETTINGS,
        scheduled="poll-scheduled",
        published="poll-published",
    )


async def edit(ctx: Context, number: int) -> None:
    poll = await ctx.uow.polls.get(number)
    if poll is None or poll.status is not PollStatus.DRAFT:
        ctx.reply("poll-not-draft", number=str(number))
        return
    ctx.set_state(SETTINGS, PollDialog(poll=poll.id))
    await settings_card(ctx, poll)


async def list_all(ctx: Context) -> None:
    rows = await ctx.uow.polls.with_status(*PollStatus, limit=20)
    if not rows:
        ctx.reply("poll-list-empty")
        return
    lines = []
    for poll in rows:
        lines.append(
            Text(
                "poll-list-line",
                {
                    "number": str(poll.id),  # typed back in a command: no digit grouping
                    "title": poll.title,
                    "status": poll.status.value,
                    "respondents": await ctx.uow.polls.completed_count(poll.id),
                    "closes": ctx.format_datetime(poll.closes_at),
                },
            )
        )
    ctx.reply_texts((Text("poll-list-title"), *lines))


async def results(ctx: Context, number: int) -> None:
    poll = await ctx.uow.polls.get(number)
    if poll is None or poll.status is PollStatus.DRAFT:
        ctx.reply("poll-not-found", number=str(number))
        return
    tally = await poll_results.tally(ctx, poll)
    ctx.reply_texts(
        poll_results.message(ctx, tally),
        uploads=poll_results.files(ctx, tally, poll_results.chart(tally), ctx.locale),
    )


async def close_now(ctx: Context, number: int) -> None:
    poll = await ctx.uow.polls.get(number, for_update=True)
    if poll is None or poll.status is not PollStatus.OPEN:
        ctx.reply("poll-not-open", number=str(number))
        return
    await close(ctx, poll)


async def close(work: Work, poll: Poll) -> None:
    """Close the poll; its author gets the results, and if chosen, so does everyone who
    answered."""
    poll.status = PollStatus.CLOSED
    poll.closed_at = work.now
    tally = await poll_results.tally(work, poll)
    picture = poll_results.chart(tally)
    author = poll.created_by
    work.send(
        ChatRef(Platform(author.platform), author.external_id),
        (Text("poll-closed-staff", {"number": poll.id}), *poll_results.message(work, tally)),
        locale=author.language,
        uploads=poll_results.files(work, tally, picture, author.language),
    )
    if not poll.share_results:
        return
    for response in tally.responses:
        work.send(
            audiences.chat_of(response.platform, response.chat_id),
            (
                Text("poll-results-for-you", {"title": poll.title}),
                *poll_results.message(work, tally),
            ),
            locale=response.user.language,
            uploads=(picture,) if picture else (),
        )


async def tick(work: Work) -> None:
    """The scheduler's minute: open what is due, remind before closing, close what is over.
    Each step is marked on the poll in the same transaction, so none repeats or is skipped."""
    for poll in await work.uow.polls.due_to_open(work.now):
        await polls.announce(work, poll)
    soon = work.now + timedelta(hours=work.settings.poll_reminder_hours)
    for poll in await work.uow.polls.due_to_remind(soon):
        if poll.closes_at > work.now:
            await polls.remind(work, poll)
    for poll in await work.uow.polls.due_to_close(work.now):
        await close(work, poll)


# Who the poll is for: a list to pick from (several groups, or a topic), then the card again.
PICKER = audience_picker.Picker("pb", _draft, settings_card)


FEATURE = Feature(
    "poll_builder",
    commands=family(
        ("poll_new", "poll_list", "poll_results", "poll_close", "poll_edit"),
        command,
        Audience.OPERATORS,
        menu=("poll_new", "poll_list", "poll_results"),
    ),
    buttons=(
        Buttons(
            "pb",
            presses=(
                Press(FROM_TEMPLATE, menu.staff_only(_template_chosen)),
                Press(KIND_CHOSEN, menu.staff_only(_kind_chosen)),
                Press(ANOTHER_QUESTION, menu.staff_only(_another_question)),
                Press(QUESTIONS_DONE, menu.staff_only(_questions_done)),
                Press(PUBLISH, menu.staff_only(_on_draft(publish))),
                Press(DELETE, menu.staff_only(_on_draft(_delete))),
                Press(ANONYMOUS, menu.staff_only(_setting(_toggle_anonymous))),
                Press(ALLOW_CHANGE, menu.staff_only(_setting(_toggle_change))),
                Press(SHARE, menu.staff_only(_setting(_toggle_share))),
                *PICKER.presses(),
                Press(LONGER, menu.staff_only(_setting(_longer))),
            ),
        ),
    ),
    steps=(Steps(STATES, on_input),),
)
