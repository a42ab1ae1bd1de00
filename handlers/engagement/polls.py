"""Polls and surveys, the citizen's side: ``/polls``, one question at a time with progress,
resuming where one stopped. One response per person: the database refuses a second."""

from __future__ import annotations

from datetime import timedelta

from handlers import menu
from handlers.context import Context, Work
from handlers.contracts import Button, Keyboard, Text
from handlers.drafts import Draft
from handlers.engagement import audiences, mailing_schedule, publishing
from handlers.payloads import ID, INDEX, Payload
from handlers.registry import Buttons, Command, Feature, Press, Steps
from storage.models import (
    Poll,
    PollAnswer,
    PollQuestion,
    PollResponse,
    PollStatus,
    QuestionKind,
)

OPEN = Payload("pl", "o", ID)  # pl:o:<poll>: start answering it
CHANGE = Payload("pl", "c", ID)  # change the answers given
ANSWER = Payload("pl", "a", ID, ID, INDEX)  # pl:a:<poll>:<question>:<option or scale value>
TOGGLE = Payload("pl", "t", ID, ID, INDEX)  # mark or unmark an option of a multiple choice
DONE = Payload("pl", "d", ID, ID)  # the multiple choice is complete


class TextAnswer(Draft):
    """The question with a free-text answer the person is at."""

    poll: int | None = None
    question: int | None = None


TEXT = "poll.text"  # waiting for a free-text answer: data {"poll": id, "question": id}
TEXT_MAX = 1000
LIST_LIMIT = 10
SCALES = {QuestionKind.SCALE5: 5, QuestionKind.SCALE10: 10}
CHOICES = (QuestionKind.SINGLE, QuestionKind.MULTI)


def take_button(poll: Poll) -> Keyboard:
    return Keyboard.column(Button(Text("btn-poll-take"), OPEN.encode(poll.id)))


async def list_open(ctx: Context) -> None:
    """``/polls``: the open polls this person may answer, and how far they got."""
    polls = [
        poll
        for poll in await ctx.uow.polls.open_for(ctx.now)
        if await ctx.uow.polls.in_audience(poll.audience, ctx.user.id)
    ][:LIST_LIMIT]
    if not polls:
        ctx.reply("polls-none", menu.main_keyboard())
        return
    lines, buttons = [], []
    for n, poll in enumerate(polls, start=1):
        response = await ctx.uow.polls.response(poll.id, ctx.user.id)
        progress = "new"
        if response is not None:
            progress = "done" if response.completed_at else "started"
        lines.append(
            Text(
                "polls-line",
                {
                    "n": n,
                    "title": poll.title,
                    "questions": len(poll.questions),
                    "until": ctx.format_datetime(poll.closes_at),
                    "progress": progress,
                },
            )
        )
        buttons.append(Button(Text("btn-raw", {"label": str(n)}), OPEN.encode(poll.id)))
    ctx.reply_texts((Text("polls-title"), *lines), Keyboard.grid(buttons, 5))


async def _poll_for(ctx: Context, poll_id: int | None) -> Poll | None:
    """The poll if this person may answer it now; else they are told why and None."""
    poll = await ctx.uow.polls.get(poll_id) if poll_id else None
    if poll is None or poll.status in (PollStatus.DRAFT, PollStatus.SCHEDULED):
        menu.stale_button(ctx)
        return None
    if poll.status is PollStatus.CLOSED or poll.closes_at <= ctx.now:
        ctx.reply("poll-closed", title=poll.title)
        return None
    if not await ctx.uow.polls.in_audience(poll.audience, ctx.user.id):
        ctx.reply("poll-not-for-you")
        return None
    return poll


async def open_poll(ctx: Context, poll_id: int | None) -> None:
    """Start a poll, or go on from the question where one stopped."""
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    poll = await _poll_for(ctx, poll_id)
    if poll is None:
        return
    response = await ctx.uow.polls.response(poll.id, ctx.user.id, for_update=True)
    if response is None:
        response = await ctx.uow.polls.start_response(
            PollResponse(
                poll_id=poll.id,
                user_id=ctx.user.id,
                platform=ctx.incoming.platform.value,
                chat_id=ctx.incoming.chat_id,
                started_at=ctx.now,
                position=0,
            )
        )
        if response is None:  # another instance started it a moment ago
            ctx.reply("poll-try-again")
            return
        ctx.reply(
            "poll-intro",
            title=poll.title,
            description=poll.description,
            questions=len(poll.questions),
            anonymous="yes" if poll.anonymous else "no",
            until=ctx.format_datetime(poll.closes_at),
        )
    elif response.completed_at is not None:
        _already_done(ctx, poll)
        return
    else:
        ctx.reply("poll-resume", title=poll.title)
    await ask(ctx, poll, response)


def _already_done(ctx: Context, poll: Poll) -> None:
    if poll.allow_change:
        keyboard = Keyboard.column(Button(Text("btn-poll-change"), CHANGE.encode(poll.id)))
        ctx.reply("poll-already-done-change", keyboard, title=poll.title)
    else:
        ctx.reply("poll-already-done", title=poll.title)


def _answer_of(response: PollResponse, question: PollQuestion) -> PollAnswer | None:
    return next((a for a in response.answers if a.question_id == question.id), None)


async def ask(ctx: Context, poll: Poll, response: PollResponse) -> None:
    question = poll.questions[response.position]
    header = Text(
        "poll-question",
        {"n": response.position + 1, "total": len(poll.questions), "text": question.text},
    )
    if question.kind is QuestionKind.TEXT:
        ctx.set_state(TEXT, TextAnswer(poll=poll.id, question=question.id))
        ctx.reply_texts((header, Text("poll-text-prompt", {"max": TEXT_MAX})))
        return
    if ctx.state == TEXT:
        ctx.clear_state()
    if question.kind is QuestionKind.SINGLE:
        buttons = [
            Button(Text("btn-raw", {"label": option}), ANSWER.encode(poll.id, question.id, i))
            for i, option in enumerate(question.options)
        ]
        ctx.reply_texts((header,), Keyboard.column(*buttons))
    elif question.kind is QuestionKind.MULTI:
        answer = _answer_of(response, question)
        chosen = set(answer.choices) if answer else set()
        buttons = [
            Button(
                Text("poll-option-chosen" if i in chosen else "btn-raw", {"label": option}),
                TOGGLE.encode(poll.id, question.id, i),
            )
            for i, option in enumerate(question.options)
        ]
        buttons.append(Button(Text("btn-poll-done"), DONE.encode(poll.id, question.id)))
        ctx.reply_texts((header, Text("poll-multi-hint")), Keyboard.column(*buttons))
    else:
        top = SCALES[question.kind]
        buttons = [
            Button(Text("btn-raw", {"label": str(v)}), ANSWER.encode(poll.id, question.id, v))
            for v in range(1, top + 1)
        ]
        ctx.reply_texts((header, Text("poll-scale-hint", {"top": top})), Keyboard.grid(buttons, 5))


async def _current(
    ctx: Context, poll_id: int | None, question_id: int | None
) -> tuple[Poll, PollResponse, PollQuestion] | None:
    """The poll, the person's response and the question, when that question is the one they
    are at; otherwise they are told what is wrong and nothing changes."""
    poll = await _poll_for(ctx, poll_id)
    if poll is None:
        return None
    question = next((q for q in poll.questions if q.id == question_id), None)
    response = await ctx.uow.polls.response(poll.id, ctx.user.id, for_update=True)
    if question is None or response is None:
        menu.stale_button(ctx)  # a question of another poll, or a poll never started
        return None
    if response.completed_at is not None:
        _already_done(ctx, poll)
        return None
    if question.position != response.position:
        ctx.reply("poll-question-passed")
        await ask(ctx, poll, response)
        return None
    return poll, response, question


def _record(response: PollResponse, question: PollQuestion, **values: object) -> PollAnswer:
    answer = _answer_of(response, question)
    if answer is None:
        answer = PollAnswer(question_id=question.id, choices=[], value=None, text=None)
        response.answers.append(answer)
    for name, value in values.items():
        setattr(answer, name, value)
    return answer


async def _next(ctx: Context, poll: Poll, response: PollResponse) -> None:
    response.position += 1
    if response.position < len(poll.questions):
        await ask(ctx, poll, response)
        return
    response.completed_at = ctx.now
    if ctx.state == TEXT:
        ctx.clear_state()
    ctx.reply(
        "poll-thanks",
        menu.main_keyboard(),
        title=poll.title,
        until=ctx.format_datetime(poll.closes_at),
        change="yes" if poll.allow_change else "no",
        share="yes" if poll.share_results else "no",
    )


async def choose(
    ctx: Context, action: str, poll_id: int | None, question_id: int | None, value: int
) -> None:
    current = await _current(ctx, poll_id, question_id)
    if current is None:
        return
    poll, response, question = current
    if action == "a" and question.kind is QuestionKind.SINGLE and value < len(question.options):
        _record(response, question, choices=[value])
    elif action == "a" and question.kind in SCALES and 1 <= value <= SCALES[question.kind]:
        _record(response, question, value=value)
    elif action == "t" and question.kind is QuestionKind.MULTI and value < len(question.options):
        answer = _answer_of(response, question)
        chosen = set(answer.choices) if answer else set()
        chosen ^= {value}
        _record(response, question, choices=sorted(chosen))
        await ask(ctx, poll, response)  # the same question, its marks updated
        return
    else:
        menu.stale_button(ctx)  # an option that does not belong to this question
        return
    await _next(ctx, poll, response)


async def finish_multi(ctx: Context, poll_id: int | None, question_id: int | None) -> None:
    current = await _current(ctx, poll_id, question_id)
    if current is None:
        return
    poll, response, question = current
    answer = _answer_of(response, question)
    if question.kind is not QuestionKind.MULTI:
        menu.stale_button(ctx)
    elif answer is None or not answer.choices:
        ctx.reply("poll-choose-one")
    else:
        await _next(ctx, poll, response)


async def on_text(ctx: Context) -> None:
    """A free-text answer to the question the person is at."""
    draft = ctx.draft(TextAnswer)
    ctx.clear_state()  # asking a text question again sets it anew
    current = await _current(ctx, draft.poll, draft.question)
    if current is None:
        return
    poll, response, question = current
    text = ctx.incoming.text.strip()
    if ctx.incoming.attachments or not text or len(text) > TEXT_MAX:
        ctx.set_state(TEXT, draft)
        if len(text) > TEXT_MAX:
            ctx.reply("poll-text-too-long", max=TEXT_MAX, length=len(text))
        else:
            ctx.reply("poll-text-only")
        return
    _record(response, question, text=text)
    await _next(ctx, poll, response)


async def change(ctx: Context, poll_id: int | None) -> None:
    """Answer again from the first question (only where the poll allows it, before it
    closes); the earlier answers stay until replaced."""
    poll = await _poll_for(ctx, poll_id)
    if poll is None:
        return
    response = await ctx.uow.polls.response(poll.id, ctx.user.id, for_update=True)
    if response is None or response.completed_at is None or not poll.allow_change:
        menu.stale_button(ctx)
        return
    response.completed_at = None
    response.position = 0
    await ask(ctx, poll, response)


# --- opening, reminding and closing (the scheduler, or an operator) -----------------------


async def announce(work: Work, poll: Poll) -> int:
    """Open the poll and tell its audience through the mailer (paced, resumable, with the
    ways to stop mailings); the number told."""
    publishing.mark_open(work, poll)
    poll.audience_size = await mailing_schedule.announce(
        work,
        author_id=poll.created_by_id,
        template=f"poll:{poll.id}",
        text=Text(
            "poll-announce",
            {
                "title": poll.title,
                "description": poll.description,
                "questions": len(poll.questions),
                "until": work.format_datetime(poll.closes_at),
            },
        ),
        action=Button(Text("btn-poll-take"), OPEN.encode(poll.id)),
        audience=poll.audience,
    )
    return poll.audience_size


async def remind(work: Work, poll: Poll) -> int:
    """Before closing: those asked who have not finished; the number reminded."""
    poll.reminded_at = work.now
    opened = poll.announced_at or poll.opens_at or work.now
    if poll.closes_at - opened <= work.settings.poll_reminder_hours * timedelta(hours=1):
        return 0  # a poll shorter than the reminder window was announced just now
    done = await work.uow.polls.completed_user_ids(poll.id)
    reminded = 0
    for member in await audiences.members(work, poll.audience, poll.created_by_id):
        if member.id in done:
            continue
        reminded += 1
        work.send(
            audiences.chat_of(member.platform, member.external_id),
            (
                Text(
                    "poll-reminder",
                    {"title": poll.title, "until": work.format_datetime(poll.closes_at)},
                ),
            ),
            locale=member.language,
            keyboard=take_button(poll),
        )
    return reminded


FEATURE = Feature(
    "polls",
    commands=(Command("polls", lambda ctx, _: list_open(ctx), in_menu=True),),
    buttons=(
        Buttons(
            "pl",
            presses=(
                Press(OPEN, open_poll),
                Press(CHANGE, change),
                Press(
                    ANSWER,
                    lambda ctx, poll, question, value: choose(ctx, "a", poll, question, value),
                ),
                Press(
                    TOGGLE,
                    lambda ctx, poll, question, value: choose(ctx, "t", poll, question, value),
                ),
                Press(DONE, finish_multi),
            ),
        ),
    ),
    steps=(Steps(frozenset({TEXT}), on_text),),
)
