"""Public discussions, the operators' decisions: on each comment, with a reason; and at the end,
the summary report to everyone who took part."""

from __future__ import annotations

import functools
import io
from collections import Counter

from handlers.context import Context, Work
from handlers.contracts import (
    Text,
    Upload,
)
from handlers.engagement import audiences
from handlers.parsing import parse_int
from storage.models import (
    Decision,
    Discussion,
    DiscussionComment,
    PollStatus,
)

REASON_MAX = 1000
SHOWN_IN_SUMMARY = 10
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
    reports: dict[str, Upload] = {}  # one workbook per language
    author = discussion.created_by
    recipients = [(audiences.chat_of(author.platform, author.external_id), author.language)]
    recipients += [
        (audiences.chat_of(c.platform, c.chat_id), c.user.language)
        for c in people.values()
        if c.user_id != author.id
    ]
    for chat, locale in recipients:
        if locale not in reports:
            reports[locale] = _report_file(work, discussion, comments, locale)
        work.send(chat, texts, locale=locale, uploads=(reports[locale],))


def _report_file(
    work: Work, discussion: Discussion, comments: list[DiscussionComment], locale: str
) -> Upload:
    """Every comment with its section, decision and reason; no names (152-ФЗ)."""
    from openpyxl import Workbook

    word = functools.partial(work.word, locale)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = word("disc-file-sheet")
    sheet.append([word("disc-file-title", number=str(discussion.id), title=discussion.title)])
    sheet.append(
        [
            word(f"disc-file-{k}")
            for k in ("number", "section", "comment", "decision", "reason", "date")
        ]
    )
    whole = word("disc-file-whole")
    for c in comments:
        sheet.append(
            [
                c.id,
                c.section or whole,
                c.text,
                word("disc-file-decided", decision=c.decision.value if c.decision else "none"),
                c.reason or "",
                c.created_at.date().isoformat(),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return Upload(f"discussion-{discussion.id}.xlsx", buffer.getvalue())
