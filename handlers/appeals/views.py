"""How appeals look in messages: the same wording for citizens and staff, on every channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from handlers.appeals.draft import AppealDraft
from handlers.appeals.lifecycle import OPEN
from handlers.context import Context, Work
from handlers.contracts import (
    Attachment,
    AttachmentKind,
    Button,
    ChatRef,
    Keyboard,
    Platform,
    Receipt,
    Text,
)
from handlers.outgoing.outbox_reasons import UNDELIVERED
from handlers.outgoing.outbox_reasons import reason_text as outbox_reason
from handlers.staff import buttons as staff_buttons
from handlers.staff import reply_templates
from storage.models import Appeal, AppealEvent, AppealFollower, AppealStatus, Role, User
from storage.repositories.appeals import LOW_SCORE


def status_text(appeal_status: str) -> Text:
    return Text(f"status-{appeal_status.replace('_', '-')}")


def place_text(data: AppealDraft | Appeal) -> Text:
    if data.address:
        return Text("line-address", {"address": data.address})
    if data.latitude is not None and data.longitude is not None:
        return Text(
            "line-coordinates", {"lat": f"{data.latitude:.6f}", "lon": f"{data.longitude:.6f}"}
        )
    return Text("line-no-place")


def draft_lines(ctx: Context, data: AppealDraft) -> tuple[Text, ...]:
    files = len(data.files)
    return (
        Text("line-topic", {"topic": ctx.topics.name(data.topic or "", ctx.locale)}),
        Text("line-text", {"text": data.text or ""}),
        # With files switched off, "Files: 0" would only puzzle the citizen.
        *((Text("line-photos", {"count": files}),) if files or ctx.settings.max_photos else ()),
        place_text(data),
    )


def appeal_line(ctx: Work, appeal: Appeal, locale: str | None = None) -> Text:
    overdue = appeal.status in OPEN and appeal.due_at < ctx.now
    return Text(
        "appeal-line",
        {
            "urgent": "yes" if appeal.urgent and appeal.status in OPEN else "no",
            "number": appeal.number,
            "date": ctx.format_date(appeal.created_at),
            "topic": ctx.topics.name(appeal.topic, locale or ctx.locale),
            "status": status_text(appeal.status.value),
            "due": ctx.format_date(appeal.due_at),
            "overdue": "yes" if overdue else "no",
        },
    )


def published_lines(appeal: Appeal) -> tuple[Text, ...]:
    """For staff: the text as the public page shows it, and how to take it off."""
    if appeal.public_text is None:
        return ()
    return (Text("line-published", {"text": appeal.public_text, "number": appeal.number}),)


def appeal_card(
    ctx: Context, appeal: Appeal, events: Sequence[AppealEvent], *, for_staff: bool
) -> tuple[Text, ...]:
    texts = [
        Text(
            "appeal-card",
            {
                "number": appeal.number,
                "status": status_text(appeal.status.value),
                "date": ctx.format_date(appeal.created_at),
                "due": ctx.format_date(appeal.due_at),
            },
        ),
        Text("line-topic", {"topic": ctx.topics.name(appeal.topic, ctx.locale)}),
        Text(
            "line-department",
            {"department": ctx.departments.name(appeal.department, ctx.locale)},
        ),
        Text("line-text", {"text": appeal.text}),
        Text("line-photos", {"count": len(appeal.files)}),
        place_text(appeal),
    ]
    if for_staff:
        texts.append(Text("line-channel", {"channel": appeal.platform}))
        texts.extend(published_lines(appeal))
    texts.extend(note_lines(ctx, appeal))
    texts.extend(answer_lines(ctx, appeal))
    texts.append(Text("history-title"))
    texts.extend(
        Text(
            "history-line",
            {"when": ctx.format_datetime(event.at), "action": history_action(event)},
        )
        for event in events
        if for_staff or event.action != UNDELIVERED
    )
    return tuple(texts)


def history_action(event: AppealEvent) -> Text:
    """What happened, as the history reads it; a message that could not be delivered says
    why («не доставлено: причина»)."""
    if event.action == UNDELIVERED:
        return Text("history-undelivered", {"reason": outbox_reason(event.note or "")})
    return Text(f"history-{event.action}")


def note_lines(ctx: Work, appeal: Appeal) -> list[Text]:
    """Questions to the citizen and their replies."""
    return [
        Text(
            f"line-{note.kind.value}",
            {
                "date": ctx.format_date(note.created_at),
                "text": note.text,
                "photos": len(note.files),
            },
        )
        for note in appeal.notes
    ]


def answer_lines(ctx: Work, appeal: Appeal) -> list[Text]:
    """Every answer with its date and, once rated, the rating: a reopened appeal keeps them."""
    lines = []
    for answer in appeal.answers:
        lines.append(
            Text(
                "line-answer",
                {
                    "n": answer.number,
                    "date": ctx.format_date(answer.created_at),
                    "answer": answer.text,
                },
            )
        )
        rating = answer.rating
        if rating is not None and rating.score > LOW_SCORE and not rating.reason:
            # A good rating is not asked for a reason: none is missing.
            lines.append(Text("line-rating-good", {"score": rating.score}))
        elif rating is not None:
            reason = (
                Text(f"rate-reason-{rating.reason}") if rating.reason else Text("rate-no-reason")
            )
            lines.append(Text("line-rating", {"score": rating.score, "reason": reason}))
        if rating is not None and rating.comment:
            lines.append(Text("line-rating-comment", {"comment": rating.comment}))
    return lines


def thread_title(work: Work, appeal: Appeal) -> Text:
    """The title of the appeal's forum topic among staff: number, topic, status."""
    return Text(
        "thread-title",
        {
            "number": appeal.number,
            "topic": work.topics.name(appeal.topic, work.settings.default_locale),
            "status": status_text(appeal.status.value),
        },
    )


def staff_keyboard(appeal: Appeal, templates: tuple[Button, ...] = ()) -> Keyboard | None:
    """What an operator can do next with the appeal (and, when new, the template replies)."""
    take = Button(Text("btn-take"), staff_buttons.TAKE.encode(appeal.id))
    answer = Button(Text("btn-answer"), staff_buttons.ANSWER.encode(appeal.id))
    if appeal.status is AppealStatus.NEW:
        return Keyboard(((take, answer), *((b,) for b in templates)))
    if appeal.status in (AppealStatus.IN_PROGRESS, AppealStatus.NEEDS_INFO):
        return Keyboard(((answer,),))
    return None


async def staff_chats(ctx: Work, department: str) -> list[ChatRef]:
    """Where news of a department's appeal goes: STAFF_CHAT, or else the private chats of
    the admins and of the department's heads and operators (there the chat id is the user id)."""
    if ctx.settings.staff_chats:
        return list(ctx.settings.staff_chats)
    people = set(ctx.settings.admins)
    readers = await ctx.uow.staff.news_readers(department)
    people |= {(Platform(m.platform), m.external_id) for m in readers}
    return [ChatRef(platform, user_id) for platform, user_id in sorted(people)]


async def heads_or_admins(work: Work, department: str) -> list[ChatRef]:
    """Who answers for a department: its heads, or the admins where it has none."""
    heads = await work.uow.staff.in_department(department, (Role.HEAD,))
    if heads:
        return [ChatRef(Platform(h.platform), h.external_id) for h in heads]
    admins = await work.uow.staff.in_department("", (Role.ADMIN,))
    people = set(work.settings.admins) | {(Platform(a.platform), a.external_id) for a in admins}
    return [ChatRef(platform, user_id) for platform, user_id in sorted(people)]


async def announce_to_staff(ctx: Context, appeal: Appeal, citizen: User) -> None:
    attached = tuple(
        Attachment(AttachmentKind(f.kind), f.file_id, f.name, f.size, f.platform)
        for f in appeal.files
    )
    chats = await staff_chats(ctx, appeal.department)
    if not chats:
        return
    locale = ctx.settings.default_locale
    templates = reply_templates.buttons(
        appeal, await reply_templates.fitting(ctx, appeal.topic), locale
    )
    for chat in chats:
        texts = (
            Text(
                "staff-new-appeal",
                {
                    "number": appeal.number,
                    "name": citizen.display_name or "—",
                    "channel": appeal.platform,
                    "date": ctx.format_datetime(appeal.created_at),
                    "due": ctx.format_date(appeal.due_at),
                },
            ),
            Text("line-topic", {"topic": ctx.topics.name(appeal.topic, locale)}),
            Text(
                "line-department", {"department": ctx.departments.name(appeal.department, locale)}
            ),
            Text("line-text", {"text": appeal.text}),
            Text("line-photos", {"count": len(attached)}),
            place_text(appeal),
            *published_lines(appeal),
        )
        ctx.send(
            chat,
            texts,
            locale=locale,
            keyboard=staff_keyboard(appeal, templates),
            files=attached,
            post_of=appeal.id,
            open_thread=thread_title(ctx, appeal),
        )


def notify_citizen(
    ctx: Work,
    appeal: Appeal,
    texts: tuple[Text, ...],
    keyboard: Keyboard | None = None,
    *,
    followers: tuple[Text, ...] | None = None,
    files: tuple[Attachment, ...] = (),
    receipt: Receipt | None = None,
) -> None:
    """Tell the citizen, in the messenger they wrote from and in their language; and those who
    follow the appeal (``followers``: what they get instead, () for nothing; the buttons are
    the citizen's alone). ``receipt``: who hears once the citizen has it, or why not."""
    chat = ChatRef(Platform(appeal.platform), appeal.chat_id)
    ctx.send(
        chat,
        texts,
        locale=appeal.citizen.language,
        keyboard=keyboard,
        files=files,
        about=appeal.id,
        receipt=receipt,
    )
    for follower in appeal.followers:
        news = texts if followers is None else followers
        if news:
            ctx.send(
                ChatRef(Platform(follower.platform), follower.chat_id),
                (Text("follower-news"), *news),
                locale=follower.user.language,
                files=files if news else (),
            )


def add_follower(appeal: Appeal, user: User, chat: ChatRef, now: datetime) -> None:
    if user.id == appeal.citizen_id or any(f.user_id == user.id for f in appeal.followers):
        return
    appeal.followers.append(
        AppealFollower(
            user_id=user.id,
            user=user,
            platform=chat.platform.value,
            chat_id=chat.chat_id,
            created_at=now,
        )
    )
