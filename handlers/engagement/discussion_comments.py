"""Public discussions, the citizen's side: the open ones, reading one, and a comment on a
section or on the whole."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import menu
from handlers.appeals import views
from handlers.context import Context
from handlers.contracts import (
    Attachment,
    Button,
    Keyboard,
    Outgoing,
    Text,
)
from handlers.drafts import Draft
from handlers.payloads import ID, INDEX, Payload
from handlers.registry import Press, call
from storage.models import (
    Discussion,
    DiscussionComment,
    PollStatus,
)

COMMENT = "disc.comment"
COMMENT_MIN, COMMENT_MAX = 10, 2000

# The citizen's.
OPEN = Payload("dc", "o", ID)  # dc:o:<discussion>: read it
COMMENT_ON = Payload("dc", "c", ID)  # comment: on which section?
SECTION = Payload("dc", "s", ID, INDEX)  # dc:s:<discussion>:<section>
WHOLE = Payload("dc", "s", ID, "g")  # on the document as a whole


class CommentDraft(Draft):
    """A comment on a discussion (and one of its sections) being written."""

    discussion: int | None = None
    section: str = ""


async def list_open(ctx: Context) -> None:
    """``/discussions``: the drafts open for comments."""
    open_ = await ctx.uow.polls.discussions(PollStatus.OPEN)
    if not open_:
        ctx.reply("disc-none", menu.main_keyboard())
        return
    lines = [
        Text(
            "disc-line",
            {"n": n, "title": d.title, "until": ctx.format_datetime(d.closes_at)},
        )
        for n, d in enumerate(open_, start=1)
    ]
    buttons = [
        Button(Text("btn-raw", {"label": str(n)}), OPEN.encode(d.id))
        for n, d in enumerate(open_, start=1)
    ]
    ctx.reply_texts((Text("disc-list-title"), *lines), Keyboard.grid(buttons, 5))


async def _open_discussion(ctx: Context, number: int | None) -> Discussion | None:
    discussion = await ctx.uow.polls.discussion(number) if number else None
    if discussion is None or discussion.status in (PollStatus.DRAFT, PollStatus.SCHEDULED):
        menu.stale_button(ctx)
        return None
    if discussion.status is PollStatus.CLOSED or discussion.closes_at <= ctx.now:
        ctx.reply("disc-closed", title=discussion.title)
        return None
    return discussion


def _on_open(
    then: Callable[..., Awaitable[None] | None],
) -> Callable[..., Awaitable[None]]:
    """A citizen's button on a discussion: the discussion, if it is open."""

    async def pressed(ctx: Context, number: int, *values: object) -> None:
        discussion = await _open_discussion(ctx, number)
        if discussion is not None:
            await call(then(ctx, discussion, *values))

    return pressed


def _choose_section(ctx: Context, discussion: Discussion) -> None:
    if not discussion.sections:
        _ask_comment(ctx, discussion, "")
        return
    buttons = [
        Button(Text("btn-raw", {"label": section}), SECTION.encode(discussion.id, i))
        for i, section in enumerate(discussion.sections)
    ]
    buttons.append(Button(Text("btn-disc-whole"), WHOLE.encode(discussion.id)))
    ctx.reply("disc-choose-section", Keyboard.column(*buttons))


def _comment_on_section(ctx: Context, discussion: Discussion, index: int) -> None:
    if index >= len(discussion.sections):
        menu.stale_button(ctx)
    else:
        _ask_comment(ctx, discussion, discussion.sections[index])


def show(ctx: Context, discussion: Discussion) -> None:
    files = (Attachment.from_dict(discussion.document),) if discussion.document else ()
    usable = tuple(f for f in files if f.platform in ("", ctx.incoming.platform.value))
    texts = [
        Text(
            "disc-card",
            {
                "number": discussion.id,
                "title": discussion.title,
                "summary": discussion.summary,
                "until": ctx.format_datetime(discussion.closes_at),
                "link": discussion.link or "-",
            },
        )
    ]
    if discussion.sections:
        texts.append(Text("disc-card-sections", {"sections": "; ".join(discussion.sections)}))
    keyboard = Keyboard.column(Button(Text("btn-disc-comment"), COMMENT_ON.encode(discussion.id)))
    # The document goes along where it was sent from; elsewhere the link serves.
    ctx.outgoing.append(Outgoing(ctx.incoming.chat, tuple(texts), keyboard, ctx.locale, usable))


def _ask_comment(ctx: Context, discussion: Discussion, section: str) -> None:
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    ctx.set_state(COMMENT, CommentDraft(discussion=discussion.id, section=section))
    ctx.reply(
        "disc-comment-prompt",
        min=COMMENT_MIN,
        max=COMMENT_MAX,
        section=section,
        has_section="yes" if section else "no",
    )


async def on_comment(ctx: Context) -> None:
    data = ctx.draft(CommentDraft)
    text = ctx.incoming.text.strip()
    if ctx.incoming.attachments or not COMMENT_MIN <= len(text) <= COMMENT_MAX:
        ctx.reply("disc-comment-length", min=COMMENT_MIN, max=COMMENT_MAX, length=len(text))
        return
    ctx.clear_state()
    discussion = await _open_discussion(ctx, data.discussion)
    if discussion is None:
        return
    comment = await ctx.uow.polls.add_comment(
        DiscussionComment(
            discussion_id=discussion.id,
            user_id=ctx.user.id,
            platform=ctx.incoming.platform.value,
            chat_id=ctx.incoming.chat_id,
            section=data.section,
            text=text,
            created_at=ctx.now,
        )
    )
    ctx.reply("disc-comment-thanks", menu.main_keyboard(), number=comment.id)
    for chat in await views.staff_chats(ctx, ""):
        ctx.send(
            chat,
            (
                Text(
                    "disc-comment-staff",
                    {
                        "number": comment.id,
                        "discussion": discussion.id,
                        "title": discussion.title,
                        "section": comment.section or "-",
                        "text": text,
                    },
                ),
            ),
            locale=ctx.settings.default_locale,
        )


PRESSES = (
    Press(OPEN, _on_open(show)),
    Press(COMMENT_ON, _on_open(_choose_section)),
    Press(WHOLE, _on_open(lambda ctx, d: _ask_comment(ctx, d, ""))),
    Press(SECTION, _on_open(_comment_on_section)),
)
