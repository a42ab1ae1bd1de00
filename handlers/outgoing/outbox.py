"""What the bot says is written with the change that caused it, and what became of it is
recorded: the domain side of the outbox.

:func:`record` writes a piece of work's messages into the outbox in the work's own
transaction. Once the sender has tried them, :func:`settle` records each outcome in one
transaction and adds what follows from it: where a live card or a staff post went, the
operator's receipt ("sent to the citizen" only once it was), the appeal's history when a
message cannot be delivered, and the admins told instead when a staff chat cannot be reached.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.context import Work
from handlers.contracts import ChatRef, Outgoing, Sent, Text
from handlers.outgoing.outbox_reasons import UNDELIVERED, reason_text
from handlers.outgoing.outgoing_codec import encode
from handlers.staff import staff_threads
from storage.models import Appeal, AppealEvent
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Delivered:
    message: Outgoing
    sent: Sent | None


@dataclass(frozen=True, slots=True)
class Retrying:
    """Failed for now (a 429, a 5xx, a timeout): tried again at ``next_at``."""

    message: Outgoing
    attempts: int
    next_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Undeliverable:
    """Refused for good (blocked, chat gone), or still failing past the limit."""

    message: Outgoing
    attempts: int
    reason: str


@dataclass(frozen=True, slots=True)
class Superseded:
    """A version of an edited message (a live card) that a later one replaced unsent."""

    message: Outgoing


Outcome = Delivered | Retrying | Undeliverable | Superseded


# After this many failed tries of a message with a receipt, its sender hears it is delayed.
DELAYED_AFTER = 2


@dataclass(frozen=True, slots=True)
class Holder:
    """The instance that sends what it writes, right after the commit, and how long the
    rows stay its own without renewal."""

    instance: str
    lease: timedelta


async def record(work: Work, holder: Holder | None) -> None:
    """Every message of this work into the outbox, in its transaction (before its commit)."""
    work.outgoing = await write(work.uow, work.outgoing, work.now, holder)


async def write(
    uow: UnitOfWork, messages: Sequence[Outgoing], now: datetime, holder: Holder | None
) -> list[Outgoing]:
    """Messages into the outbox in ``uow``'s transaction: the same messages, each with the
    id of its row."""
    if not messages:
        return []
    owner = holder.instance if holder is not None else None
    until = now + holder.lease if holder is not None else None
    ids = await uow.outbox.add(
        [(m.chat.platform.value, m.chat.chat_id, encode(m)) for m in messages], now, owner, until
    )
    return [
        dataclasses.replace(message, outbox_id=outbox_id)
        for message, outbox_id in zip(messages, ids, strict=True)
    ]


async def settle(work: Work, outcomes: Sequence[Outcome]) -> None:
    """Record what the sender did, in ``work``'s transaction; follow-ups go to
    ``work.outgoing``."""
    uow = work.uow
    await uow.outbox.mark_sent(
        (o.message.outbox_id for o in outcomes if isinstance(o, Delivered) and o.message.outbox_id),
        work.now,
    )
    await uow.outbox.mark_superseded(
        o.message.outbox_id
        for o in outcomes
        if isinstance(o, Superseded) and o.message.outbox_id is not None
    )
    appeals = {appeal.id: appeal for appeal in await uow.appeals.listed(_appeals_needed(outcomes))}
    for outcome in outcomes:
        message = outcome.message
        if isinstance(outcome, Delivered):
            await _remember(work, message, outcome.sent, appeals)
            if message.receipt is not None:
                _tell(work, message, message.receipt.sent)
        elif isinstance(outcome, Retrying):
            if message.outbox_id is not None:
                await uow.outbox.mark_retry(
                    message.outbox_id, outcome.attempts, outcome.next_at, outcome.reason
                )
            receipt = message.receipt
            # A second failure in a row: no passing hiccup (a 429 waited out is one), so the
            # operator hears it, once, rather than wait in silence.
            if outcome.attempts == DELAYED_AFTER and receipt and receipt.delayed:
                _tell(work, message, receipt.delayed, outcome.reason)
        elif isinstance(outcome, Undeliverable):
            if message.outbox_id is not None:
                await uow.outbox.mark_undeliverable(
                    message.outbox_id, outcome.attempts, outcome.reason
                )
            about = message.about or message.post_of
            if about is not None and about in appeals:
                await uow.appeals.add_event(
                    AppealEvent(
                        appeal_id=about, at=work.now, action=UNDELIVERED, note=outcome.reason
                    )
                )
            if message.receipt is not None:
                _tell(work, message, message.receipt.failed, outcome.reason)
            _to_admins_instead(work, message)


def _appeals_needed(outcomes: Sequence[Outcome]) -> list[int]:
    """The appeals an outcome records something on (most record nothing: a card edited in
    place, an ordinary reply)."""
    needed: set[int] = set()
    for outcome in outcomes:
        message = outcome.message
        if isinstance(outcome, Delivered) and outcome.sent is not None:
            sent = outcome.sent
            if message.card_of is not None and sent.message_id not in (None, message.edit_id):
                needed.add(message.card_of)
            if message.post_of is not None and (sent.message_id or sent.thread_id):
                needed.add(message.post_of)
        elif isinstance(outcome, Undeliverable):
            needed.update(ref for ref in (message.about, message.post_of) if ref is not None)
    return sorted(needed)


def _tell(work: Work, message: Outgoing, text: Text, reason: str | None = None) -> None:
    receipt = message.receipt
    assert receipt is not None
    if reason is not None:
        text = Text(text.key, {**text.params, "reason": reason_text(reason)})
    work.outgoing.append(
        Outgoing(receipt.chat, (text,), locale=receipt.locale, thread_id=receipt.thread_id)
    )


def _to_admins_instead(work: Work, message: Outgoing) -> None:
    """A staff chat that cannot be reached (the bot removed from it, a wrong id): what was
    for it goes to the admins' private chats, so an appeal does not run to its deadline
    unseen."""
    if message.chat not in work.settings.staff_chats or message.rename_thread is not None:
        return
    for platform, user_id in sorted(work.settings.admins):
        chat = ChatRef(platform, user_id)
        if chat != message.chat:
            work.outgoing.append(
                dataclasses.replace(
                    message,
                    chat=chat,
                    thread_id=None,
                    open_thread=None,
                    outbox_id=None,
                    files=tuple(f for f in message.files if f.platform in ("", platform.value)),
                )
            )


async def _remember(
    work: Work, message: Outgoing, sent: Sent | None, appeals: dict[int, Appeal]
) -> None:
    """Where a message the core must find again went: a live card sent anew (the next change
    edits it), a staff post (replies to it reach its appeal), a mailing's progress."""
    if sent is None:
        return
    uow = work.uow
    chat = message.chat
    if (
        message.card_of is not None
        and message.card_of in appeals
        and sent.message_id not in (None, message.edit_id)
    ):
        await uow.cards.put(
            message.card_of, chat.platform.value, chat.chat_id, str(sent.message_id)
        )
    if (
        message.post_of is not None
        and message.post_of in appeals
        and (sent.message_id or sent.thread_id)
    ):
        appeal = appeals[message.post_of]
        await uow.posts.add(
            appeal.id,
            chat.platform.value,
            chat.chat_id,
            message_id=sent.message_id,
            thread_id=sent.thread_id,
            # A topic opened now has the appeal's present title.
            title=staff_threads.signature(appeal) if message.open_thread else "",
            now=work.now,
        )
    if message.progress_of is not None and sent.message_id:
        mailing = await uow.mailings.get(message.progress_of)
        if mailing is not None and mailing.progress_message_id != sent.message_id:
            mailing.progress_message_id = sent.message_id
