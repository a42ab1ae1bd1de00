"""Polls, the operators' side: a guided dialog or a ready template makes a draft; a settings
card (anonymity, audience, changing answers, sharing results, opening and closing time)
publishes it; ``/poll_list``, ``/poll_results N`` and ``/poll_close N`` follow it."""

from __future__ import annotations

from datetime import timedelta

from handlers import audiences, menu, poll_results, polls
from handlers.context import Context, Work
from handlers.contracts import Button, ChatRef, Keyboard, Platform, Text
from handlers.parsing import parse_int
from handlers.poll_templates import (
    OPTION_MAX,
    OPTIONS_MAX,
    OPTIONS_MIN,
    QUESTION_MAX,
    QUESTIONS_MAX,
    TITLE_MAX,
    PollTemplate,
)
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
STAFF_COMMANDS = frozenset({"poll_new", "poll_list", "poll_results", "poll_close", "poll_edit"})


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
            ctx.reply("poll-template-unknown", code=template_code, known=", ".join(templates))
            return
        await _from_template(ctx, template)
        return
    ctx.set_state(TITLE, {"questions": []})
    buttons = [
        Button(Text("btn-raw", {"label": t.title.get(ctx.locale, t.code)}), f"pb:tpl:{t.code}")
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
    ctx.set_state(SETTINGS, {"poll": poll.id})
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
    base = f"pb:s:{poll.id}"
    keyboard = Keyboard(
        (
            (
                Button(Text("btn-poll-anonymous"), f"{base}:anon"),
                Button(Text("btn-poll-audience"), f"{base}:aud"),
            ),
            (
                Button(Text("btn-poll-allow-change"), f"{base}:chg"),
                Button(Text("btn-poll-share"), f"{base}:share"),
            ),
            (Button(Text("btn-poll-days"), f"{base}:days"),),
            (
                Button(Text("btn-poll-publish"), f"pb:pub:{poll.id}"),
                Button(Text("btn-poll-delete"), f"pb:del:{poll.id}"),
            ),
        )
    )
    ctx.reply_texts(tuple(texts), keyboard)


# --- the guided dialog --------------------------------------------------------------------


async def on_input(ctx: Context) -> None:
    text = ctx.incoming.text.strip()
    data = dict(ctx.data)
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
        data["title"] = text
        ctx.set_state(QUESTION, data)
        ctx.reply("poll-new-question", n=1, max=QUESTION_MAX)
    elif ctx.state == QUESTION:
        if len(text) > QUESTION_MAX:
            ctx.reply("poll-too-long", max=QUESTION_MAX, length=len(text))
            return
        data["current"] = text
        ctx.set_state(KIND, data)
        kinds = [Button(Text(f"btn-kind-{k.value}"), f"pb:k:{k.value}") for k in QuestionKind]
        ctx.reply("poll-new-kind", Keyboard.column(*kinds))
    elif ctx.state == OPTIONS:
        options = [line.strip() for line in text.splitlines() if line.strip()]
        if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX or any(
            len(o) > OPTION_MAX for o in options
        ):
            ctx.reply("poll-new-options", min=OPTIONS_MIN, max=OPTIONS_MAX, length=OPTION_MAX)
            return
        _add_question(ctx, data, data.get("kind", QuestionKind.SINGLE.value), options)


def _add_question(ctx: Context, data: dict[str, object], kind: str, options: list[str]) -> None:
    questions = list(data.get("questions", []))  # type: ignore[call-overload]
    questions.append({"kind": kind, "text": data.pop("current", ""), "options": options})
    data["questions"] = questions
    data.pop("kind", None)
    ctx.set_state(MORE, data)
    buttons = [Button(Text("btn-poll-finish"), "pb:done")]
    if len(questions) < QUESTIONS_MAX:
        buttons.insert(0, Button(Text("btn-poll-more"), "pb:more"))
    ctx.reply("poll-question-added", Keyboard.column(*buttons), count=len(questions))


async def on_button(ctx: Context, rest: list[str]) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    action = rest[0] if rest else ""
    data = dict(ctx.data)
    if action == "tpl" and len(rest) == 2 and ctx.state == TITLE:
        template = ctx.settings.polls.templates.get(rest[1])
        if template is None:
            menu.stale_button(ctx)
        else:
            await _from_template(ctx, template)
    elif action == "k" and len(rest) == 2 and ctx.state == KIND:
        kind = next((k for k in QuestionKind if k.value == rest[1]), None)
        if kind is None:
            menu.stale_button(ctx)
        elif kind in polls.CHOICES:
            data["kind"] = kind.value
            ctx.set_state(OPTIONS, data)
            ctx.reply("poll-new-options", min=OPTIONS_MIN, max=OPTIONS_MAX, length=OPTION_MAX)
        else:
            _add_question(ctx, data, kind.value, [])
    elif action == "more" and ctx.state == MORE:
        ctx.set_state(QUESTION, data)
        ctx.reply("poll-new-question", n=len(data.get("questions", [])) + 1, max=QUESTION_MAX)
    elif action == "done" and ctx.state == MORE:
        await _draft_from_dialog(ctx, data)
    elif action in ("s", "pub", "del") and len(rest) >= 2:
        await _on_draft_button(ctx, action, parse_int(rest[1]), rest[2:])
    else:
        menu.stale_button(ctx)


async def _draft_from_dialog(ctx: Context, data: dict[str, object]) -> None:
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        menu.stale_button(ctx)
        return
    poll = Poll(
        title=str(data.get("title", "")),
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
            PollQuestion(
                position=n,
                kind=QuestionKind(q["kind"]),
                text=q["text"],
                options=list(q.get("options", [])),
            )
            for n, q in enumerate(questions)
        ],
    )
    await _draft_made(ctx, poll)


async def _draft(ctx: Context, poll_id: int | None) -> Poll | None:
    poll = await ctx.uow.polls.get(poll_id, for_update=True) if poll_id else None
    if poll is None or poll.status is not PollStatus.DRAFT:
        menu.stale_button(ctx)  # published, deleted, or never there
        return None
    return poll


async def _on_draft_button(ctx: Context, action: str, poll_id: int | None, rest: list[str]) -> None:
    poll = await _draft(ctx, poll_id)
    if poll is None:
        return
    if action == "del":
        await ctx.uow.polls.delete(poll)
        if ctx.state == SETTINGS:
            ctx.clear_state()
        ctx.reply("poll-deleted", number=poll.id)
    elif action == "pub":
        await publish(ctx, poll)
    elif rest == ["anon"]:
        poll.anonymous = not poll.anonymous
        await settings_card(ctx, poll)
    elif rest == ["chg"]:
        poll.allow_change = not poll.allow_change
        await settings_card(ctx, poll)
    elif rest == ["share"]:
        poll.share_results = not poll.share_results
        await settings_card(ctx, poll)
    elif rest == ["aud"]:
        poll.audience = await audiences.following(ctx, poll.audience)
        await settings_card(ctx, poll)
    elif rest == ["days"]:
        poll.closes_at = audiences.longer(poll.opens_at or ctx.now, poll.closes_at, DAYS)
        await settings_card(ctx, poll)
    else:
        menu.stale_button(ctx)


async def _settings_text(ctx: Context, data: dict[str, object], text: str) -> None:
    poll_id = data.get("poll")
    poll = await _draft(ctx, poll_id if isinstance(poll_id, int) else None)
    if poll is None:
        ctx.clear_state()
        return
    if not audiences.set_when(ctx, poll, text):
        ctx.reply("poll-when-usage")
        return
    await settings_card(ctx, poll)


async def publish(ctx: Context, poll: Poll) -> None:
    opens = poll.opens_at
    if poll.closes_at <= max(opens or ctx.now, ctx.now):
        ctx.reply("poll-closes-too-early")
        return
    if ctx.state == SETTINGS:
        ctx.clear_state()
    if opens is not None and opens > ctx.now:
        poll.status = PollStatus.SCHEDULED
        ctx.reply("poll-scheduled", number=poll.id, opens=ctx.format_datetime(opens))
        return
    told = await polls.announce(ctx, poll)
    ctx.reply("poll-published", number=poll.id, told=told)


async def edit(ctx: Context, number: int) -> None:
    poll = await ctx.uow.polls.get(number)
    if poll is None or poll.status is not PollStatus.DRAFT:
        ctx.reply("poll-not-draft", number=str(number))
        return
    ctx.set_state(SETTINGS, {"poll": poll.id})
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
                    "number": poll.id,
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
        uploads=poll_results.files(tally, poll_results.chart(tally)),
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
        uploads=poll_results.files(tally, picture),
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
