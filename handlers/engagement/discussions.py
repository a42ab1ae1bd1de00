"""Public discussions (общественные обсуждения) of draft documents: an operator publishes a
draft; citizens read it and comment, on a section or on the whole; operators decide on each
comment with a reason; at the end everyone who took part gets the summary report.

Here, the operator's side: describing a new discussion, its settings card, publishing, the
clock. (discussion_comments: the citizen's side; discussion_decisions: decisions and the
summary.)"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from handlers import menu
from handlers.context import Context, Work
from handlers.contracts import (
    Attachment,
    AttachmentKind,
    Button,
    Keyboard,
    Text,
)
from handlers.drafts import Draft
from handlers.engagement import (
    audience_picker,
    audiences,
    discussion_comments,
    discussion_decisions,
    mailing_schedule,
    publishing,
)
from handlers.parsing import parse_int
from handlers.payloads import ID, Payload
from handlers.registry import Audience, Buttons, Command, Feature, Press, Steps, family
from storage.models import (
    Discussion,
    PollStatus,
)

TITLE, SUMMARY, DOCUMENT, SECTIONS = (
    "disc.title",
    "disc.summary",
    "disc.document",
    "disc.sections",
)
SETTINGS = "disc.settings"
BUILDER_STATES = frozenset({TITLE, SUMMARY, DOCUMENT, SECTIONS, SETTINGS})
TITLE_MAX, SUMMARY_MAX, SECTION_MAX, SECTIONS_MAX = 200, 3000, 100, 20
DAYS = (7, 14, 30)
DEFAULT_DAYS = 14
_LINK = re.compile(r"^https?://\S{3,490}$")


# --- the operator's side ------------------------------------------------------------------


# The author's buttons on a new discussion.
SKIP = Payload("pd", "skip")  # no document, or no sections
LONGER = Payload("pd", "s", ID, "days")  # pd:s:<discussion>:days: open a few days longer
PUBLISH = Payload("pd", "pub", ID)
DELETE = Payload("pd", "del", ID)


class DiscussionDialog(Draft):
    """A new public discussion being described (title, summary, the document or its link,
    sections), or, in SETTINGS, the draft whose dates are being typed."""

    title: str = ""
    summary: str = ""
    link: str = ""
    document: dict[str, Any] | None = None  # Attachment.to_dict()
    discussion: int | None = None


async def command(ctx: Context, name: str, args: str) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    if name == "discussion_new":
        if ctx.incoming.is_group:
            ctx.reply("private-only")
            return
        ctx.set_state(TITLE, DiscussionDialog())
        ctx.reply("disc-new-title", max=TITLE_MAX)
    elif name == "decide":
        await discussion_decisions.decide(ctx, args)
    else:
        number = parse_int(args.strip().lstrip("№"))
        discussion = await ctx.uow.polls.discussion(number, for_update=True) if number else None
        if discussion is None or discussion.status is PollStatus.DRAFT:
            ctx.reply("disc-not-found", number=args.strip() or "?")
        elif name == "comments":
            await discussion_decisions.list_comments(ctx, discussion)
        elif discussion.status is not PollStatus.OPEN:
            ctx.reply("disc-not-open", number=discussion.id)
        else:
            await discussion_decisions.close(ctx, discussion)


async def on_builder_input(ctx: Context) -> None:
    text = ctx.incoming.text.strip()
    data = ctx.draft(DiscussionDialog)
    if ctx.state == SETTINGS:
        await _settings_text(ctx, text)
        return
    if ctx.state == DOCUMENT:
        document = next(
            (a for a in ctx.incoming.attachments if a.kind is AttachmentKind.DOCUMENT), None
        )
        if document is not None:
            data.document = Attachment(
                document.kind,
                document.file_id,
                document.name,
                document.size,
                ctx.incoming.platform.value,
            ).to_dict()
        elif _LINK.fullmatch(text):
            data.link = text
        else:
            ctx.reply("disc-new-document")
            return
        _ask_sections(ctx, data)
        return
    if not text or ctx.incoming.attachments:
        ctx.reply("poll-builder-text-only")
        return
    if ctx.state == TITLE:
        if len(text) > TITLE_MAX:
            ctx.reply("poll-too-long", max=TITLE_MAX, length=len(text))
            return
        data.title = text
        ctx.set_state(SUMMARY, data)
        ctx.reply("disc-new-summary", max=SUMMARY_MAX)
    elif ctx.state == SUMMARY:
        if len(text) > SUMMARY_MAX:
            ctx.reply("poll-too-long", max=SUMMARY_MAX, length=len(text))
            return
        data.summary = text
        ctx.set_state(DOCUMENT, data)
        skip = Keyboard.column(Button(Text("btn-skip"), SKIP.encode()))
        ctx.reply("disc-new-document", skip)
    elif ctx.state == SECTIONS:
        sections = [line.strip() for line in text.splitlines() if line.strip()]
        if len(sections) > SECTIONS_MAX or any(len(s) > SECTION_MAX for s in sections):
            ctx.reply("disc-new-sections", max=SECTIONS_MAX, length=SECTION_MAX)
            return
        await _draft(ctx, data, sections)


def _ask_sections(ctx: Context, data: DiscussionDialog) -> None:
    ctx.set_state(SECTIONS, data)
    skip = Keyboard.column(Button(Text("btn-skip"), SKIP.encode()))
    ctx.reply("disc-new-sections", skip, max=SECTIONS_MAX, length=SECTION_MAX)


async def _draft(ctx: Context, data: DiscussionDialog, sections: list[str]) -> None:
    discussion = await ctx.uow.polls.add_discussion(
        Discussion(
            title=data.title,
            summary=data.summary,
            link=data.link,
            document=data.document,
            sections=sections,
            audience="all",
            status=PollStatus.DRAFT,
            closes_at=ctx.now + timedelta(days=DEFAULT_DAYS),
            created_by_id=ctx.user.id,
            created_at=ctx.now,
        )
    )
    discussion.created_by = ctx.user
    ctx.set_state(SETTINGS, DiscussionDialog(discussion=discussion.id))
    await settings_card(ctx, discussion)


async def _settings_text(ctx: Context, text: str) -> None:
    """On the settings card: "с 25.11.2026 10:00" opens it then, "до …" closes it then."""
    number = ctx.draft(DiscussionDialog).discussion
    discussion = await ctx.uow.polls.discussion(number, for_update=True) if number else None
    if discussion is None or discussion.status is not PollStatus.DRAFT:
        ctx.clear_state()
        menu.stale_button(ctx)
        return
    if not audiences.set_when(ctx, discussion, text):
        ctx.reply("poll-when-usage")
        return
    await settings_card(ctx, discussion)


async def settings_card(ctx: Context, discussion: Discussion) -> None:
    ctx.reply_texts(
        (
            Text(
                "disc-draft",
                {
                    "number": discussion.id,
                    "title": discussion.title,
                    "sections": len(discussion.sections),
                    "document": "yes" if discussion.document or discussion.link else "no",
                    **await audiences.described(ctx, discussion.audience),
                    "opens": ctx.format_datetime(discussion.opens_at)
                    if discussion.opens_at
                    else "now",
                    "closes": ctx.format_datetime(discussion.closes_at),
                },
            ),
        ),
        Keyboard(
            (
                (
                    Button(Text("btn-disc-days"), LONGER.encode(discussion.id)),
                    Button(Text("btn-poll-audience"), PICKER.open.encode(discussion.id)),
                ),
                (
                    Button(Text("btn-poll-publish"), PUBLISH.encode(discussion.id)),
                    Button(Text("btn-poll-delete"), DELETE.encode(discussion.id)),
                ),
            )
        ),
    )


async def _skip(ctx: Context) -> None:
    """No document (or link), or no sections: the next step, or the draft."""
    if ctx.state == DOCUMENT:
        _ask_sections(ctx, ctx.draft(DiscussionDialog))
    elif ctx.state == SECTIONS:
        await _draft(ctx, ctx.draft(DiscussionDialog), [])
    else:
        menu.stale_button(ctx)


def _on_draft(
    then: Callable[[Context, Discussion], Awaitable[None]],
) -> Callable[[Context, int], Awaitable[None]]:
    """A button on a draft's settings card: the draft, if it still is one."""

    async def pressed(ctx: Context, number: int) -> None:
        discussion = await _draft_by_id(ctx, number)
        if discussion is not None:
            await then(ctx, discussion)

    return pressed


async def _delete(ctx: Context, discussion: Discussion) -> None:
    await ctx.uow.session.delete(discussion)
    if ctx.state == SETTINGS:
        ctx.clear_state()
    ctx.reply("disc-deleted", number=discussion.id)


async def _longer(ctx: Context, discussion: Discussion) -> None:
    discussion.closes_at = audiences.longer(ctx.now, discussion.closes_at, DAYS)
    await settings_card(ctx, discussion)


async def _draft_by_id(ctx: Context, number: int) -> Discussion | None:
    discussion = await ctx.uow.polls.discussion(number, for_update=True)
    if discussion is None or discussion.status is not PollStatus.DRAFT:
        menu.stale_button(ctx)
        return None
    return discussion


# Who is invited: a list to pick from (several groups, or a topic), then the card again.
PICKER = audience_picker.Picker("pd", _draft_by_id, settings_card)


async def publish(ctx: Context, discussion: Discussion) -> None:
    await publishing.publish(
        ctx,
        discussion,
        announce,
        settings_state=SETTINGS,
        scheduled="disc-scheduled",
        published="disc-published",
    )


async def announce(work: Work, discussion: Discussion) -> int:
    """Open the discussion and invite its audience through the mailer; the number invited."""
    publishing.mark_open(work, discussion)
    return await mailing_schedule.announce(
        work,
        author_id=discussion.created_by_id,
        template=f"discussion:{discussion.id}",
        text=Text(
            "disc-announce",
            {
                "title": discussion.title,
                "summary": discussion.summary,
                "until": work.format_datetime(discussion.closes_at),
            },
        ),
        action=Button(Text("btn-disc-open"), discussion_comments.OPEN.encode(discussion.id)),
        audience=discussion.audience,
        links=[{"label": discussion.title[:40], "url": discussion.link}] if discussion.link else [],
    )


async def tick(work: Work) -> None:
    """Open what is due (invitations through the mailer), close what is over; each step is
    marked on the discussion in the same transaction, so none repeats or is skipped."""
    for discussion in await work.uow.polls.discussions_due_to_open(work.now):
        await announce(work, discussion)
    for discussion in await work.uow.polls.discussions_due_to_close(work.now):
        await discussion_decisions.close(work, discussion)


FEATURE = Feature(
    "discussions",
    commands=(
        Command("discussions", lambda ctx, _: discussion_comments.list_open(ctx), in_menu=True),
        *family(
            ("discussion_new", "decide", "comments", "discussion_close"),
            command,
            Audience.OPERATORS,
            menu=("discussion_new", "decide"),
        ),
    ),
    buttons=(
        Buttons(
            "pd",
            presses=(
                Press(SKIP, menu.staff_only(_skip)),
                Press(LONGER, menu.staff_only(_on_draft(_longer))),
                *PICKER.presses(),
                Press(PUBLISH, menu.staff_only(_on_draft(publish))),
                Press(DELETE, menu.staff_only(_on_draft(_delete))),
            ),
        ),
        Buttons("dc", presses=discussion_comments.PRESSES),
    ),
    steps=(
        Steps(BUILDER_STATES, on_builder_input),
        Steps(frozenset({discussion_comments.COMMENT}), discussion_comments.on_comment),
    ),
)
