"""The appeal's state machine, every (action, status) pair: what it leads to, or that it is
refused. Written out here from the rules, not read from the table it checks."""

from __future__ import annotations

import pytest

from handlers.appeals.lifecycle import OPEN, Action, TransitionRefused, next_status
from storage.models import AppealStatus

NEW, WORK, INFO, ANSWERED, CLOSED = (
    AppealStatus.NEW,
    AppealStatus.IN_PROGRESS,
    AppealStatus.NEEDS_INFO,
    AppealStatus.ANSWERED,
    AppealStatus.CLOSED,
)
REFUSED = None

# Columns: from NEW, IN_PROGRESS, NEEDS_INFO, ANSWERED, CLOSED.
EXPECTED: dict[Action, tuple[AppealStatus | None, ...]] = {
    # An operator takes a new appeal.
    Action.TAKE: (WORK, REFUSED, REFUSED, REFUSED, REFUSED),
    # An answer needs the appeal taken; a question to the citizen may be pending.
    Action.ANSWER: (REFUSED, ANSWERED, ANSWERED, REFUSED, REFUSED),
    # Asking the citizen: possible while open, asking again keeps it waiting.
    Action.ASK: (INFO, INFO, INFO, REFUSED, REFUSED),
    # The citizen's clarification puts it back to work.
    Action.CLARIFY: (REFUSED, REFUSED, WORK, REFUSED, REFUSED),
    # A duplicate folded into another is closed; only open ones can be.
    Action.MERGE: (CLOSED, CLOSED, CLOSED, REFUSED, REFUSED),
    # The appeal that takes a duplicate in keeps its status, even once answered.
    Action.ABSORB: (NEW, WORK, INFO, ANSWERED, REFUSED),
    # Closing follows the answer.
    Action.CLOSE: (REFUSED, REFUSED, REFUSED, CLOSED, REFUSED),
    # Another department starts afresh; a pending question stays pending.
    Action.ASSIGN: (NEW, NEW, INFO, REFUSED, REFUSED),
    # A low rating reopens an answered appeal (a closed one stays closed).
    Action.REOPEN: (REFUSED, REFUSED, REFUSED, WORK, REFUSED),
    # 59-ФЗ's extension, the citizen's additions and the overdue mark: open and not waiting
    # for the citizen; the status stays.
    Action.EXTEND: (NEW, WORK, REFUSED, REFUSED, REFUSED),
    Action.ADD: (NEW, WORK, REFUSED, REFUSED, REFUSED),
    Action.OVERDUE: (NEW, WORK, REFUSED, REFUSED, REFUSED),
    # Creation is recorded on its own, never as a transition.
    Action.CREATE: (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),
}
COLUMNS = (NEW, WORK, INFO, ANSWERED, CLOSED)


def test_every_action_and_status_is_covered() -> None:
    assert set(EXPECTED) == set(Action)
    assert set(COLUMNS) == set(AppealStatus)


@pytest.mark.parametrize("action", list(Action))
def test_each_transition(action: Action) -> None:
    for current, expected in zip(COLUMNS, EXPECTED[action], strict=True):
        if expected is REFUSED:
            with pytest.raises(TransitionRefused):
                next_status(action, current)
        else:
            assert next_status(action, current) == expected, (action, current)


def test_closed_is_final_and_every_open_appeal_can_be_answered_eventually() -> None:
    assert all(EXPECTED[action][COLUMNS.index(CLOSED)] is REFUSED for action in Action)
    # From any open status a path leads to an answer within two steps (take, or clarify).
    for status in OPEN:
        reachable = {status} | {
            next_status(a, status) for a in Action if EXPECTED[a][COLUMNS.index(status)]
        }
        two_steps = reachable | {
            next_status(a, s)
            for s in reachable
            for a in Action
            if EXPECTED[a][COLUMNS.index(s)] is not REFUSED
        }
        assert ANSWERED in two_steps, status
