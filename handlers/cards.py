"""The live case card: one message per appeal in the citizen's chat, edited in place as the
case moves (status, department, due date, what the citizen can do now). Notifications of the
changes still come as new messages, so nothing is missed."""

from __future__ import annotations

from handlers import ratings, views
from handlers.context import Work
from handlers.contracts import Button, ChatRef, Keyboard, Outgoing, Platform, Text
from storage.models import Appeal, AppealStatus


def _keyboard(appeal: Appeal) -> Keyboard:
    rows: list[tuple[Button, ...]] = []
    if appeal.status is AppealStatus.NEEDS_INFO:
        rows.append((Button(Text("btn-reply-question"), f"q:{appeal.id}"),))
    elif appeal.status in (AppealStatus.NEW, AppealStatus.IN_PROGRESS):
        rows.append((Button(Text("btn-add-to-appeal"), f"add:{appeal.id}"),))
    latest = appeal.answers[-1] if appeal.answers else None
    if appeal.status is AppealStatus.ANSWERED and latest is not None and latest.rating is None:
        rows.extend(ratings.keyboard(appeal.id, latest.number).rows)
    rows.append((Button(Text("btn-card-open"), f"my:{appeal.id}"),))
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
    stored = None if appeal.id in work.uow.created else await work.uow.cards.get(appeal.id)
    return Outgoing(
        ChatRef(Platform(appeal.platform), appeal.chat_id),
        texts,
        _keyboard(appeal),
        locale,
        card_of=appeal.id,
        edit_id=stored.message_id if stored else None,
    )
