"""The live case card: one message per appeal in the citizen's chat, edited in place as the
case moves (status, department, due date, what the citizen can do now). Notifications of the
changes still come as new messages, so nothing is missed."""

from __future__ import annotations

from handlers.appeals import buttons as citizen_buttons
from handlers.appeals import ratings, views
from handlers.context import Work
from handlers.contracts import Button, ChatRef, Keyboard, Outgoing, Platform, Text
from storage.models import Appeal, AppealStatus


def _keyboard(appeal: Appeal) -> Keyboard:
    rows: list[tuple[Button, ...]] = []
    if appeal.status is AppealStatus.NEEDS_INFO:
        rows.append(
            (Button(Text("btn-reply-question"), citizen_buttons.ANSWER_QUESTION.encode(appeal.id)),)
        )
    elif appeal.status in (AppealStatus.NEW, AppealStatus.IN_PROGRESS):
        rows.append((Button(Text("btn-add-to-appeal"), citizen_buttons.ADD_TO.encode(appeal.id)),))
    awaiting = ratings.awaiting(appeal)
    if awaiting is not None:
        rows.extend(ratings.keyboard(appeal.id, awaiting.number).rows)
    rows.append((Button(Text("btn-card-open"), citizen_buttons.OPEN_MINE.encode(appeal.id)),))
    return Keyboard(tuple(rows))


async def card(work: Work, appeal: Appeal) -> Outgoing:
    locale = appeal.citizen.language
    texts = (
        Text(
            "card-title",
            {"number": appeal.number, "status": views.status_text(appeal.status.value)},
        ),
        Text("line-topic", {"topic": work.topics.name(appeal.topic, locale)}),
        Text("line-department", {"department": work.departments.name(appeal.department, locale)}),
        Text(
            "card-due",
            {
                "due": work.format_date(appeal.due_at),
                "extended": "yes" if appeal.extended_days else "no",
            },
        ),
        Text(f"card-now-{appeal.status.value.replace('_', '-')}"),
    )
    stored = None if appeal.id in work.created else await work.uow.cards.get(appeal.id)
    return Outgoing(
        ChatRef(Platform(appeal.platform), appeal.chat_id),
        texts,
        _keyboard(appeal),
        locale,
        card_of=appeal.id,
        edit_id=stored.message_id if stored else None,
    )
