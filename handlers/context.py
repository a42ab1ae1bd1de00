"""What a piece of work sees: the database, the catalogues, the moment, what to send.

:class:`Work` serves scheduled jobs; :class:`Context` adds what one person did (the incoming
event, who they are, what they may do, where they are in a flow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from handlers.access import Access
from handlers.appeals.departments import DepartmentCatalog
from handlers.appeals.topics import TopicCatalog
from handlers.contracts import (
    Attachment,
    ChatRef,
    Incoming,
    Keyboard,
    Outgoing,
    Receipt,
    Text,
    Upload,
)
from handlers.drafts import Draft
from handlers.faq.faq_library import FaqLibrary
from handlers.reports.tally import UsageTally
from handlers.settings import CoreSettings
from storage.models import Appeal, User
from storage.uow import UnitOfWork


@dataclass(kw_only=True)
class Work:
    uow: UnitOfWork
    settings: CoreSettings
    topics: TopicCatalog
    departments: DepartmentCatalog
    faq: FaqLibrary
    # The moment of the work; one value for everything it records.
    now: datetime
    outgoing: list[Outgoing] = field(default_factory=list)
    # A mailing was started: the mailer is woken once this work is committed.
    mailing_started: bool = False
    # Kept by the core between updates, in this process: what is costly and changes at most
    # daily (the day's open-data archive).
    memo: dict[str, Any] = field(default_factory=dict)
    # The appeals this work moved on: their live cards are brought up to date.
    touched: dict[int, Appeal] = field(default_factory=dict)
    # The appeals filed in it: they have no live card or staff topic to look up yet.
    created: set[int] = field(default_factory=set)

    def send(
        self,
        chat: ChatRef,
        texts: tuple[Text, ...],
        *,
        locale: str,
        keyboard: Keyboard | None = None,
        files: tuple[Attachment, ...] = (),
        post_of: int | None = None,
        open_thread: Text | None = None,
        uploads: tuple[Upload, ...] = (),
        about: int | None = None,
        receipt: Receipt | None = None,
    ) -> None:
        """A message to a chat: the staff chat, or a citizen in their own channel. Files go
        only where they came from: a file id means nothing on another platform.

        ``post_of``: a staff message about that appeal (it goes into the appeal's forum topic
        in that chat, and replies to it reach the appeal); ``open_thread``: the topic's title
        when this message opens it; ``about``: the appeal whose history notes it if it cannot
        be delivered; ``receipt``: who is told once it is delivered, or why it could not be."""
        usable = tuple(f for f in files if f.platform in ("", chat.platform.value))
        self.outgoing.append(
            Outgoing(
                chat,
                texts,
                keyboard,
                locale,
                usable,
                post_of=post_of,
                open_thread=open_thread,
                uploads=uploads,
                about=about if about is not None else post_of,
                receipt=receipt,
            )
        )

    def word(self, locale: str, key: str, **params: object) -> str:
        """One text as plain words in that language: a heading in a file, a chart label."""
        return self.settings.words.render_plain(locale, (Text(key, params),))

    def format_date(self, moment: datetime) -> str:
        return moment.astimezone(self.settings.timezone).strftime("%d.%m.%Y")

    def format_datetime(self, moment: datetime) -> str:
        return moment.astimezone(self.settings.timezone).strftime("%d.%m.%Y %H:%M")

    @property
    def locale(self) -> str:
        return self.settings.default_locale


STEPS_SEEN = "_steps"
D = TypeVar("D", bound=Draft)


@dataclass(kw_only=True)
class Context(Work):
    incoming: Incoming
    user: User
    # What this person may do as staff (nothing, for a citizen).
    access: Access
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    _state_changed: bool = False
    # The draft read from ``data`` (its kind, and the dict it was read from): read once an
    # update, however many buttons ask for its nonce.
    _draft: tuple[type[Draft], dict[str, Any], Draft] | None = None
    # What the event was, for usage analytics: our own names (a command, a section, a step
    # of a flow), never what the person wrote.
    events: list[str] = field(default_factory=list)
    # This process's usage counts not yet written (the events are added after the commit).
    tally: UsageTally = field(default_factory=UsageTally)
    # The command or button was not understood (unknown, stale or forged).
    unrecognised: bool = False
    # The flow ended on purpose: nothing of it, nor of one set aside, is kept (handlers/aside.py).
    aside_dropped: bool = False

    @property
    def locale(self) -> str:
        return self.user.language

    def track(self, event: str) -> None:
        self.events.append(event)

    def receipt(self, sent: Text, failed: Text, delayed: Text | None = None) -> Receipt:
        """This person is told how a message went: ``sent`` once it was delivered."""
        return Receipt(
            self.incoming.chat, self.locale, sent, failed, delayed, self.incoming.thread_id
        )

    def reply(self, key: str, keyboard: Keyboard | None = None, **params: Any) -> None:
        """Answer in the chat the event came from."""
        self.reply_texts((Text(key, params),), keyboard)

    def reply_texts(
        self,
        texts: tuple[Text, ...],
        keyboard: Keyboard | None = None,
        *,
        expects_reply: bool = False,
        uploads: tuple[Upload, ...] = (),
    ) -> None:
        # In a forum topic the answer stays in that topic.
        self.outgoing.append(
            Outgoing(
                self.incoming.chat,
                texts,
                keyboard,
                self.locale,
                expects_reply=expects_reply,
                thread_id=self.incoming.thread_id,
                uploads=uploads,
            )
        )

    def draft(self, kind: type[D]) -> D:
        """The flow's draft as its typed model, read from the conversation's row once an
        update; the same object after that, changes included (as the dict was). Changes are
        kept by ``set_state(state, draft)``."""
        cached = self._draft
        if cached is not None and cached[0] is kind and cached[1] is self.data:
            return cached[2]  # type: ignore[return-value]
        draft = kind.load(self.data)
        self._draft = (kind, self.data, draft)
        return draft

    def set_state(self, state: str, data: dict[str, Any] | Draft | None = None) -> None:
        self.state = state
        if isinstance(data, Draft):
            self.data = data.dump()
        elif data is not None:
            self.data = data
        self._state_changed = True
        # Each step of a flow counts once per run of it (going back to edit is not a new
        # visit): the funnels of the usage analytics.
        seen = self.data.setdefault(STEPS_SEEN, [])
        if state not in seen:
            seen.append(state)
            self.track(f"step:{state}")
        if isinstance(data, Draft):
            # The draft given stays the flow's draft, the step just counted included: set
            # again later in this update, it keeps it.
            data.steps_seen = list(seen)
            self._draft = (type(data), self.data, data)

    def clear_state(self) -> None:
        self.state = None
        self.data = {}
        self._state_changed = True

    def drop_aside(self) -> None:
        """The flow is over on purpose (sent, cancelled, started anew, erased): it is not set
        aside, and a flow set aside earlier is dropped too."""
        self.aside_dropped = True

    def park(self, state: str, data: dict[str, Any]) -> None:
        """A state that is no step of a flow (not counted in the usage funnels)."""
        self.state, self.data, self._state_changed = state, data, True

    def set_data(self, data: dict[str, Any]) -> None:
        self.data, self._state_changed = data, True

    async def save_state(self) -> None:
        if not self._state_changed:
            return
        if self.state is None:
            await self.uow.conversations.clear(self.user.id)
        else:
            await self.uow.conversations.save(self.user.id, self.state, self.data)
