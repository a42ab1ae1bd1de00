"""The life of an appeal as an explicit state machine with an audit trail."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from storage.models import Appeal, AppealEvent, AppealStatus

if TYPE_CHECKING:
    from handlers.context import Work


class Action(enum.StrEnum):
    CREATE = "create"
    TAKE = "take"
    ANSWER = "answer"
    CLOSE = "close"
    ASSIGN = "assign"
    EXTEND = "extend"
    OVERDUE = "overdue"
    REOPEN = "reopen"
    ASK = "ask"
    MERGE = "merge"  # a duplicate folded into another appeal
    ABSORB = "absorb"  # the appeal that took a duplicate in
    CLARIFY = "clarify"
    ADD = "add"  # the citizen adds to their appeal unasked


OPEN = frozenset({AppealStatus.NEW, AppealStatus.IN_PROGRESS, AppealStatus.NEEDS_INFO})

# action -> {from status: to status}. Anything not listed is refused.
TRANSITIONS: dict[Action, dict[AppealStatus, AppealStatus]] = {
    Action.TAKE: {AppealStatus.NEW: AppealStatus.IN_PROGRESS},
    Action.ANSWER: {
        AppealStatus.IN_PROGRESS: AppealStatus.ANSWERED,
        AppealStatus.NEEDS_INFO: AppealStatus.ANSWERED,
    },
    # A question to the citizen (the deadline keeps running), and the citizen's reply.
    Action.ASK: {
        AppealStatus.NEW: AppealStatus.NEEDS_INFO,
        AppealStatus.IN_PROGRESS: AppealStatus.NEEDS_INFO,
        AppealStatus.NEEDS_INFO: AppealStatus.NEEDS_INFO,
    },
    Action.CLARIFY: {AppealStatus.NEEDS_INFO: AppealStatus.IN_PROGRESS},
    Action.MERGE: {status: AppealStatus.CLOSED for status in OPEN},
    Action.ABSORB: {status: status for status in (*OPEN, AppealStatus.ANSWERED)},
    Action.CLOSE: {AppealStatus.ANSWERED: AppealStatus.CLOSED},
    # Another department starts afresh: whoever had taken it in the old one lets it go.
    Action.ASSIGN: {
        AppealStatus.NEW: AppealStatus.NEW,
        AppealStatus.IN_PROGRESS: AppealStatus.NEW,
        AppealStatus.NEEDS_INFO: AppealStatus.NEEDS_INFO,
    },
    # A low rating: the case is not over.
    Action.REOPEN: {AppealStatus.ANSWERED: AppealStatus.IN_PROGRESS},
    # Recorded on open appeals only; the status stays.
    Action.EXTEND: {
        AppealStatus.NEW: AppealStatus.NEW,
        AppealStatus.IN_PROGRESS: AppealStatus.IN_PROGRESS,
    },
    Action.ADD: {
        AppealStatus.NEW: AppealStatus.NEW,
        AppealStatus.IN_PROGRESS: AppealStatus.IN_PROGRESS,
    },
    Action.OVERDUE: {
        AppealStatus.NEW: AppealStatus.NEW,
        AppealStatus.IN_PROGRESS: AppealStatus.IN_PROGRESS,
    },
}


class TransitionRefused(Exception):
    def __init__(self, action: Action, status: AppealStatus) -> None:
        super().__init__(f"{action} is not allowed from {status}")
        self.action = action
        self.status = status


def next_status(action: Action, current: AppealStatus) -> AppealStatus:
    target = TRANSITIONS.get(action, {}).get(current)
    if target is None:
        raise TransitionRefused(action, current)
    return target


async def _record(
    work: Work,
    appeal: Appeal,
    action: str,
    actor_id: int | None,
    before: AppealStatus | None,
    note: str | None = None,
) -> None:
    """One line of the appeal's history: who did what, from which status to its current."""
    await work.uow.appeals.add_event(
        AppealEvent(
            appeal_id=appeal.id,
            at=work.now,
            actor_id=actor_id,
            action=action,
            from_status=before,
            to_status=appeal.status,
            note=note,
        )
    )


async def record_created(work: Work, appeal: Appeal, actor_id: int) -> None:
    work.touched[appeal.id] = appeal
    work.created.add(appeal.id)
    await _record(work, appeal, Action.CREATE.value, actor_id, None)


# Recorded in the history, but no step of the state machine: a closed appeal's published text
# can be taken off the public page too.
UNPUBLISH = "unpublish"


async def record_unpublished(work: Work, appeal: Appeal, actor_id: int) -> None:
    await _record(work, appeal, UNPUBLISH, actor_id, appeal.status)


async def transition(
    work: Work,
    appeal: Appeal,
    action: Action,
    *,
    actor_id: int | None,
    note: str | None = None,
) -> None:
    """Move the appeal on, or raise :class:`TransitionRefused` and change nothing."""
    now = work.now
    before = appeal.status
    after = next_status(action, before)
    work.touched[appeal.id] = appeal
    appeal.status = after
    if action is Action.TAKE or (action is Action.ASK and appeal.assignee_id is None):
        appeal.assignee_id = actor_id
    elif action is Action.ANSWER:
        appeal.answered_at = now
        if appeal.first_answered_at is None:
            appeal.first_answered_at = now
    elif action in (Action.CLOSE, Action.MERGE):
        appeal.closed_at = now
    elif action is Action.ASSIGN:
        appeal.assignee_id = None
    await _record(work, appeal, action.value, actor_id, before, note)
