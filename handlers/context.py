"""Everything one handler call sees: the incoming event, the person, the state, the replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from handlers.access import Access
from handlers.contracts import ChatRef, Incoming, Keyboard, Outgoing, Text
from handlers.departments import DepartmentCatalog
from handlers.settings import CoreSettings
from handlers.topics import TopicCatalog
from storage.models import User
from storage.uow import UnitOfWork


@dataclass
class Context:
    incoming: Incoming
    user: User
    uow: UnitOfWork
    settings: CoreSettings
    topics: TopicCatalog
    departments: DepartmentCatalog
    # What this person may do as staff (nothing, for a citizen).
    access: Access
    # The moment the event is handled; one value for everything it records.
    now: datetime
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    outgoing: list[Outgoing] = field(default_factory=list)
    _state_changed: bool = False

    @property
    def locale(self) -> str:
        return self.user.language

    def reply(self, key: str, keyboard: Keyboard | None = None, **params: Any) -> None:
        """Answer in the chat the event came from."""
        self.reply_texts((Text(key, params),), keyboard)

    def reply_texts(
        self,
        texts: tuple[Text, ...],
        keyboard: Keyboard | None = None,
        *,
        expects_reply: bool = False,
    ) -> None:
        self.outgoing.append(
            Outgoing(self.incoming.chat, texts, keyboard, self.locale, expects_reply=expects_reply)
        )

    def send(
        self,
        chat: ChatRef,
        texts: tuple[Text, ...],
        *,
        locale: str,
        keyboard: Keyboard | None = None,
        photos: tuple[str, ...] = (),
    ) -> None:
        """A message to another chat: the staff chat, or a citizen in their own channel."""
        self.outgoing.append(Outgoing(chat, texts, keyboard, locale, photos))

    def set_state(self, state: str, data: dict[str, Any] | None = None) -> None:
        self.state = state
        if data is not None:
            self.data = data
        self._state_changed = True

    def clear_state(self) -> None:
        self.state = None
        self.data = {}
        self._state_changed = True

    async def save_state(self) -> None:
        if not self._state_changed:
            return
        if self.state is None:
            await self.uow.conversations.clear(self.user.id)
        else:
            await self.uow.conversations.save(self.user.id, self.state, self.data)

    def format_date(self, moment: datetime) -> str:
        return moment.astimezone(self.settings.timezone).strftime("%d.%m.%Y")

    def format_datetime(self, moment: datetime) -> str:
        return moment.astimezone(self.settings.timezone).strftime("%d.%m.%Y %H:%M")
