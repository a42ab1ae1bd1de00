"""Public discussions (общественные обсуждения) of draft documents: an operator publishes a
draft; citizens read it and comment, on a section or on the whole; operators decide on each
comment with a reason; at the end everyone who took part gets the summary report."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import timedelta

from handlers import audiences, mailings, menu, views
from handlers.context import Context, Work
from handlers.contracts import (
    Attachment,
    AttachmentKind,
    Button,
    Keyboard,
    Outgoing,
    Text,
    Upload,
)
from handlers.parsing import parse_int
from storage.models import (
    Decision,
    Discussion,
    DiscussionComment,
    PollStatus,
)

TITLE, SUMMARY, DOCUMENT, SECTIONS, COMMENT = (
    "disc.title",
    "disc.summary",
    "disc.document",
    "disc.sections",
    "disc.comment",
)
SETTINGS = "disc.settings"
BUILDER_STATES = frozenset({TITLE, SUMMARY, DOCUMENT, SECTIONS, SETTINGS})
TITLE_MAX, SUMMARY_MAX, SECTION_MAX, SECTIONS_MAX = 200, 3000, 100, 20
COMMENT_MIN, COMMENT_MAX, REASON_MAX = 10, 2000, 1000
DAYS = (7, 14, 30)
DEFAULT_DAYS = 14
SHOWN_IN_SUMMARY = 10
STAFF_COMMANDS = frozenset({"discussion_new", "comments", "decide", "discussion_close"})
_LINK = re.compile(r"^https?://\S{3,490}$")
_DECISIONS = {
    "accept": Decision.ACCEPTED,
    "учесть": Decision.ACCEPTED,
    "учтено": Decision.ACCEPTED,
    "partly": Decision.PARTLY,
    "частично": Decision.PARTLY,
    "reject": Decision.REJECTED,
    "отклонить": Decision.REJECTED,
    "отклонено": Decision.REJECTED,
}


# --- the operator's side ------------------------------------------------------------------


async def command(ctx: Context, name: str, args: str) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    if name == "discussion_new":
        if ctx.incoming.is_group:
            ctx.reply("private-only")
            return
        ctx.set_state(TITLE, {})
        ctx.reply("disc-new-title", max=TITLE_MAX)
    elif name == "decide":
        await decide(ctx, args)
    else:
        number = parse_int(args.strip().lstrip("№"))
        discussion = await ctx.uow.polls.discussion(number, for_update=True) if number else None
        if discussion is None or discussion.status is PollStatus.DRAFT:
            ctx.reply("disc-not-found", number=args.strip() or "?")
        elif name == "comments":
            await list_comments(ctx, discussion)
        elif discussion.status is not PollStatus.OPEN:
            ctx.reply("disc-not-open", number=discussion.id)
        else:
            await close(ctx, discussion)


async def on_builder_input(ctx: Context) -> None:
    text = ctx.incoming.text.strip()
    data = dict(ctx.data)
    if ctx.state == SETTINGS:
        await _settings_text(ctx, text)
        return
    if ctx.state == DOCUMENT:
        document = next(
            (a for a in ctx.incoming.attachments if a.kind is AttachmentKind.DOCUMENT), None
        )
        if document is not None:
            data["document"] = Attachment(
                document.kind,
                document.file_id,
                document.name,
                document.size,
                ctx.incoming.platform.value,
            ).to_dict()
        elif _LINK.fullmatch(text):
            data["link"] = text
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
        data["title"] = text
        ctx.set_state(SUMMARY, data)
        ctx.reply("disc-new-summary", max=SUMMARY_MAX)
    elif ctx.state == SUMMARY:
        if len(text) > SUMMARY_MAX:
            ctx.reply("poll-too-long", max=SUMMARY_MAX, length=len(text))
            return
        data["summary"] = text
        ctx.set_state(DOCUMENT, data)
        skip = Keyboard.column(Button(Text("btn-skip"), "pd:skip"))
        ctx.reply("disc-new-document", skip)
    elif ctx.state == SECTIONS:
        sections = [line.strip() for line in text.splitlines() if line.strip()]
        if len(sections) > SECTIONS_MAX or any(len(s) > SECTION_MAX for s in sections):
            ctx.reply("disc-new-sections", max=SECTIONS_MAX, length=SECTION_MAX)
            return
        await _draft(ctx, data, sections)


def _ask_sections(ctx: Context, data: dict[str, object]) -> None:
    ctx.set_state(SECTIONS, data)
    skip = Keyboard.column(Button(Text("btn-skip"), "pd:skip"))
    ctx.reply("disc-new-sections", skip, max=SECTIONS_MAX, length=SECTION_MAX)


async def _draft(ctx: Context, data: dict[str, object], sections: list[str]) -> None:
    document = data.get("document")
    discussion = await ctx.uow.polls.add_discussion(
        Discussion(
            title=str(data.get("title", "")),
            summary=str(data.get("summary", "")),
            link=str(data.get("link", "")),
            document=document if isinstance(document, dict) else None,
            sections=sections,
            audience="all",
            status=PollStatus.DRAFT,
            closes_at=ctx.now + timedelta(days=DEFAULT_DAYS),
            created_by_id=ctx.user.id,
            created_at=ctx.now,
        )
    )
    discussion.created_by = ctx.user
    ctx.set_state(SETTINGS, {"discussion": discussion.id})
    await settings_card(ctx, discussion)


async def _settings_text(ctx: Context, text: str) -> None:
    """On the settings card: "с 25.11.2026 10:00" opens it then, "до …" closes it then."""
    number = ctx.data.get("discussion")
    discussion = (
        await ctx.uow.polls.discussion(number, for_update=True) if isinstance(number, int) else None
    )
    if discussion is None or discussion.status is not PollStatus.DRAFT:
        ctx.clear_state()
        menu.stale_button(ctx)
        return
    if not audiences.set_when(ctx, discussion, text):
        ctx.reply("poll-when-usage")
        return
    await settings_card(ctx, discussion)


async def settings_card(ctx: Context, discussion: Discussion) -> None:
    base = f"pd:s:{discussion.id}"
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
                    Button(Text("btn-disc-days"), f"{base}:days"),
                    Button(Text("btn-poll-audience"), f"{base}:aud"),
                ),
                (
                    Button(Text("btn-poll-publish"), f"pd:pub:{discussion.id}"),
                    Button(Text("btn-poll-delete"), f"pd:del:{discussion.id}"),
                ),
            )
        ),
    )


async def on_builder_button(ctx: Context, rest: list[str]) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    action = rest[0] if rest else ""
    if action == "skip" and ctx.state == DOCUMENT:
        _ask_sections(ctx, dict(ctx.data))
        return
    if action == "skip" and ctx.state == SECTIONS:
        await _draft(ctx, dict(ctx.data), [])
        return
    number = parse_int(rest[1]) if len(rest) >= 2 else None
    discussion = await ctx.uow.polls.discussion(number, for_update=True) if number else None
    if discussion is None or discussion.status is not PollStatus.DRAFT:
        menu.stale_button(ctx)
    elif action == "del":
        await ctx.uow.session.delete(discussion)
        if ctx.state == SETTINGS:
            ctx.clear_state()
        ctx.reply("disc-deleted", number=discussion.id)
    elif action == "pub":
        await publish(ctx, discussion)
    elif rest[2:] == ["days"]:
        discussion.closes_at = audiences.longer(ctx.now, discussion.closes_at, DAYS)
        await settings_card(ctx, discussion)
    elif rest[2:] == ["aud"]:
        discussion.audience = await audiences.following(ctx, discussion.audience)
        await settings_card(ctx, discussion)
    else:
        menu.stale_button(ctx)


async def publish(ctx: Context, discussion: Discussion) -> None:
    opens = discussion.opens_at
    if discussion.closes_at <= max(opens or ctx.now, ctx.now):
        ctx.reply("poll-closes-too-early")
        return
    if ctx.state == SETTINGS:
        ctx.clear_state()
    if opens is not None and opens > ctx.now:
        discussion.status = PollStatus.SCHEDULED
        ctx.reply("disc-scheduled", number=discussion.id, opens=ctx.format_datetime(opens))
        return
    told = await announce(ctx, discussion)
    ctx.reply("disc-published", number=discussion.id, told=told)


async def announce(work: Work, discussion: Discussion) -> int:
    """Open the discussion and invite its audience through the mailer; the number invited."""
    discussion.status = PollStatus.OPEN
    opens = discussion.opens_at
    discussion.opens_at = opens if opens is not None and opens <= work.now else work.now
    discussion.announced_at = work.now
    return await mailings.announce(
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
        action=Button(Text("btn-disc-open"), f"dc:o:{discussion.id}"),
        audience=discussion.audience,
        links=[{"label": discussion.title[:40], "url": discussion.link}] if discussion.link else [],
    )


# --- the citizen's side -------------------------------------------------------------------


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
        Button(Text("btn-raw", {"label": str(n)}), f"dc:o:{d.id}")
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


async def on_button(ctx: Context, rest: list[str]) -> None:
    action = rest[0] if rest else ""
    if action not in ("o", "c", "s") or len(rest) < 2:
        menu.stale_button(ctx)
        return
    discussion = await _open_discussion(ctx, parse_int(rest[1]))
    if discussion is None:
        return
    if action == "o":
        show(ctx, discussion)
    elif action == "c" and discussion.sections:
        buttons = [
            Button(Text("btn-raw", {"label": section}), f"dc:s:{discussion.id}:{i}")
            for i, section in enumerate(discussion.sections)
        ]
        buttons.append(Button(Text("btn-disc-whole"), f"dc:s:{discussion.id}:g"))
        ctx.reply("disc-choose-section", Keyboard.column(*buttons))
    elif action == "c" or (action == "s" and len(rest) == 3 and rest[2] == "g"):
        _ask_comment(ctx, discussion, "")
    elif action == "s" and len(rest) == 3:
        index = parse_int(rest[2])
        if index is None or index >= len(discussion.sections):
            menu.stale_button(ctx)
        else:
            _ask_comment(ctx, discussion, discussion.sections[index])
    else:
        menu.stale_button(ctx)


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
    keyboard = Keyboard.column(Button(Text("btn-disc-comment"), f"dc:c:{discussion.id}"))
    # The document goes along where it was sent from; elsewhere the link serves.
    ctx.outgoing.append(Outgoing(ctx.incoming.chat, tuple(texts), keyboard, ctx.locale, usable))


def _ask_comment(ctx: Context, discussion: Discussion, section: str) -> None:
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    ctx.set_state(COMMENT, {"discussion": discussion.id, "section": section})
    ctx.reply(
        "disc-comment-prompt",
        min=COMMENT_MIN,
        max=COMMENT_MAX,
        section=section,
        has_section="yes" if section else "no",
    )


async def on_comment(ctx: Context) -> None:
    data = dict(ctx.data)
    text = ctx.incoming.text.strip()
    if ctx.incoming.attachments or not COMMENT_MIN <= len(text) <= COMMENT_MAX:
        ctx.reply("disc-comment-length", min=COMMENT_MIN, max=COMMENT_MAX, length=len(text))
        return
    ctx.clear_state()
    number = data.get("discussion")
    discussion = await _open_discussion(ctx, number if isinstance(number, int) else None)
    if discussion is None:
        return
    comment = await ctx.uow.polls.add_comment(
        DiscussionComment(
            discussion_id=discussion.id,
            user_id=ctx.user.id,
            platform=ctx.incoming.platform.value,
            chat_id=ctx.incoming.chat_id,
            section=str(data.get("section", "")),
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


# --- decisions and the summary --------------------------------------------------------------


async def decide(ctx: Context, args: str) -> None:
    """``/decide N accept|partly|reject reason``: the reason is required unless accepted."""
    parts = args.split(maxsplit=2)
    number = parse_int(parts[0].lstrip("№")) if parts else None
    decision = _DECISIONS.get(parts[1].lower()) if len(parts) > 1 else None
    reason = parts[2].strip() if len(parts) > 2 else ""
    if number is None or decision is None or (decision is not Decision.ACCEPTED and not reason):
        ctx.reply("disc-decide-usage")
        return
    if len(reason) > REASON_MAX:
        ctx.reply("poll-too-long", max=REASON_MAX, length=len(reason))
        return
    comment = await ctx.uow.polls.comment(number, for_update=True)
    discussion = await ctx.uow.polls.discussion(comment.discussion_id) if comment else None
    if comment is None or discussion is None:
        ctx.reply("disc-comment-not-found", number=str(number))
        return
    if discussion.status is not PollStatus.OPEN:
        ctx.reply("disc-not-open", number=discussion.id)
        return
    comment.decision, comment.reason = decision, reason or None
    comment.decided_at, comment.decided_by_id = ctx.now, ctx.user.id
    ctx.reply("disc-decided", number=comment.id, decision=decision.value)
    ctx.send(
        audiences.chat_of(comment.platform, comment.chat_id),
        (
            Text(
                "disc-decision-for-you",
                {
                    "number": comment.id,
                    "title": discussion.title,
                    "decision": decision.value,
                    "reason": reason,
                    "has_reason": "yes" if reason else "no",
                },
            ),
        ),
        locale=comment.user.language,
    )


async def list_comments(ctx: Context, discussion: Discussion) -> None:
    comments = await ctx.uow.polls.comments(discussion.id)
    ctx.reply_texts(
        (
            Text("disc-comments-title", {"number": discussion.id, "count": len(comments)}),
            *(_comment_line(c) for c in comments[-20:]),
        )
    )


def _comment_line(comment: DiscussionComment) -> Text:
    return Text(
        "disc-comment-line",
        {
            "number": comment.id,
            "section": comment.section or "-",
            "text": comment.text,
            "decision": comment.decision.value if comment.decision else "none",
            "reason": comment.reason or "",
            "has_reason": "yes" if comment.reason else "no",
        },
    )


async def close(work: Work, discussion: Discussion) -> None:
    """End the discussion; its report goes to the author and to everyone who commented."""
    discussion.status = PollStatus.CLOSED
    discussion.closed_at = work.now
    comments = list(await work.uow.polls.comments(discussion.id))
    decisions = Counter(c.decision.value if c.decision else "none" for c in comments)
    sections: dict[str, Counter[str]] = {}
    for comment in comments:
        sections.setdefault(comment.section or "-", Counter())[
            comment.decision.value if comment.decision else "none"
        ] += 1
    people = {c.user_id: c for c in comments}
    texts = (
        Text(
            "disc-summary",
            {
                "number": discussion.id,
                "title": discussion.title,
                "opened": work.format_date(discussion.opens_at or discussion.created_at),
                "closed": work.format_date(work.now),
                "comments": len(comments),
                "people": len(people),
                "accepted": decisions["accepted"],
                "partly": decisions["partly"],
                "rejected": decisions["rejected"],
                "undecided": decisions["none"],
            },
        ),
        *(
            Text(
                "disc-summary-section",
                {
                    "section": name,
                    "count": sum(counts.values()),
                    "accepted": counts["accepted"],
                    "partly": counts["partly"],
                    "rejected": counts["rejected"],
                },
            )
            for name, counts in sections.items()
        ),
        *(_comment_line(c) for c in comments[:SHOWN_IN_SUMMARY]),
    )
    report = _report_file(discussion, comments)
    author = discussion.created_by
    recipients = [(audiences.chat_of(author.platform, author.external_id), author.language)]
    recipients += [
        (audiences.chat_of(c.platform, c.chat_id), c.user.language)
        for c in people.values()
        if c.user_id != author.id
    ]
    for chat, locale in recipients:
        work.send(chat, texts, locale=locale, uploads=(report,))


_DECISION_NAMES = {"accepted": "учтено", "partly": "учтено частично", "rejected": "отклонено"}


def _report_file(discussion: Discussion, comments: list[DiscussionComment]) -> Upload:
    """Every comment with its section, decision and reason; no names (152-ФЗ)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Замечания"
    sheet.append([f"Общественное обсуждение № {discussion.id}: {discussion.title}"])
    sheet.append(["№", "Раздел", "Замечание или предложение", "Решение", "Обоснование", "Дата"])
    for c in comments:
        sheet.append(
            [
                c.id,
                c.section or "в целом",
                c.text,
                _DECISION_NAMES.get(c.decision.value, "") if c.decision else "без решения",
                c.reason or "",
                c.created_at.date().isoformat(),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return Upload(f"discussion-{discussion.id}.xlsx", buffer.getvalue())


async def tick(work: Work) -> None:
    """Open what is due (invitations through the mailer), close what is over; each step is
    marked on the discussion in the same transaction, so none repeats or is skipped."""
    for discussion in await work.uow.polls.discussions_due_to_open(work.now):
        await announce(work, discussion)
    for discussion in await work.uow.polls.discussions_due_to_close(work.now):
        await close(work, discussion)
