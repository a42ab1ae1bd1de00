"""Talking to the conversation core as people do, and reading what they would read.

The harness plays the part of the channels: it renders every outgoing message in its
recipient's language exactly as the adapters do, and keeps an inbox per chat.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from bot.delivery import Deliverer, Outcome, Steps
from bot.i18n import Renderer
from bot.outbox_store import DatabaseOutbox
from bot.retry import transient, unexpected
from bot.telegram.channel import CAPABILITIES as TELEGRAM
from bot.vk.channel import CAPABILITIES as VK
from handlers.contracts import (
    Attachment,
    AttachmentKind,
    ChatRef,
    Incoming,
    Location,
    Outgoing,
    Platform,
    Sent,
    Text,
)
from handlers.core import ConversationCore
from handlers.outgoing import outbox
from storage.uow import UnitOfWork


@dataclass
class Shown:
    """A message as its reader sees it: plain text and button labels with their payloads."""

    chat: ChatRef
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)
    photos: tuple[str, ...] = ()
    deep_link: str | None = None
    message_id: str = ""
    thread_id: str | None = None
    # Files the bot made: name -> bytes.
    uploads: dict[str, bytes] = field(default_factory=dict)
    # Link buttons: label -> the address they open.
    links: dict[str, str] = field(default_factory=dict)

    def payload(self, label_part: str) -> str:
        matches = [payload for label, payload in self.buttons if label_part in label]
        assert len(matches) == 1, f"no single button with {label_part!r} in {self.buttons}"
        return matches[0]


class Harness:
    def __init__(self, core: ConversationCore, renderer: Renderer) -> None:
        self.core = core
        self.renderer = renderer
        self.inbox: dict[ChatRef, list[Shown]] = {}
        # Live cards are messages edited in place: the latest of each, and how it got there.
        self.cards: dict[int, Shown] = {}
        self.card_edits: dict[int, int] = {}
        self._message_ids = 0
        # Staff chats with forum topics, and the titles of the topics opened in them.
        self.forums: set[ChatRef] = set()
        self.topics: dict[tuple[ChatRef, str], str] = {}

    def show(self, message: Outgoing, *, record: bool = True) -> Shown:
        shown = Shown(
            message.chat,
            self.renderer.render_plain(message.locale, message.texts, plain=message.plain),
            [
                (
                    self.renderer.render_plain(message.locale, (b.label,), plain=message.plain),
                    b.payload,
                )
                for b in (message.keyboard.buttons if message.keyboard else ())
            ],
            tuple(f.file_id for f in message.files),
            message.deep_link,
            uploads={u.name: u.data for u in message.uploads},
            links={
                self.renderer.render_plain(message.locale, (b.label,)): b.url
                for b in (message.keyboard.buttons if message.keyboard else ())
                if b.url
            },
        )
        if record:
            self.inbox.setdefault(message.chat, []).append(shown)
        return shown

    async def deliver(self, incoming: Incoming) -> list[Shown]:
        return await self.deliver_all(await self.core.handle(incoming))

    async def deliver_all(self, messages: list[Outgoing]) -> list[Shown]:
        """Show each message to its reader, then record that it was delivered, as the sender
        does, and show what follows from that (an operator's "sent to the citizen")."""
        shown: list[Shown] = []
        while messages:
            outcomes: list[outbox.Outcome] = []
            shown += await self._show_all(messages, outcomes)
            messages = await self.core.settle(outcomes) if outcomes else []
        return shown

    async def _show_all(
        self, messages: list[Outgoing], outcomes: list[outbox.Outcome]
    ) -> list[Shown]:
        shown = []
        for message in messages:
            if message.rename_thread is not None:
                key = (message.chat, str(message.thread_id))
                assert key in self.topics, "a topic that was never opened was renamed"
                self.topics[key] = self._plain(message.locale, message.rename_thread)
                outcomes.append(outbox.Delivered(message, None))
                continue
            self._message_ids += 1
            message_id = str(self._message_ids)
            if message.card_of is not None:
                # As an adapter does: edit where the card is, or send it and say where it went.
                self.cards[message.card_of] = self.show(message, record=False)
                if message.edit_id is None:
                    outcomes.append(outbox.Delivered(message, Sent(message_id)))
                else:
                    self.card_edits[message.card_of] = self.card_edits.get(message.card_of, 0) + 1
                    outcomes.append(outbox.Delivered(message, Sent(message.edit_id)))
                continue
            thread_id = message.thread_id
            if thread_id is None and message.open_thread and message.chat in self.forums:
                thread_id = f"{900 + len(self.topics)}"
                title = self._plain(message.locale, message.open_thread)
                self.topics[(message.chat, thread_id)] = title
            one = self.show(message)
            one.message_id, one.thread_id = message_id, thread_id
            shown.append(one)
            outcomes.append(outbox.Delivered(message, Sent(message_id, thread_id)))
        return shown

    def deliverer(self) -> Deliverer:
        """A sender for the mailer's own messages (progress, summary), recording their
        outcomes in the outbox as the bot's does."""
        holder = outbox.Holder("harness", timedelta(seconds=30))
        return Deliverer(DatabaseOutbox(self.core, holder))

    async def send_mailings(self) -> dict[Platform, MailRecorder]:
        """Run the mailer over every mailing in progress (poll announcements included), as
        the bot's mailer task does; its recipients' inboxes get what they would read."""
        from bot.mailer import Mailer  # the harness plays the channels for it

        deliverer = self.deliverer()
        recorders = {p: MailRecorder(self, p) for p in Platform}
        for recorder in recorders.values():
            deliverer.register(recorder)
        mailer = Mailer(self.core.session_factory, deliverer)
        async with UnitOfWork(self.core.session_factory) as uow:
            ids = await uow.mailings.sending()
        for mailing_id in ids:
            await mailer.send(mailing_id)
        await deliverer.idle()
        return recorders

    def _plain(self, locale: str, text: Text) -> str:
        return self.renderer.render_plain(locale, (text,))

    def person(self, user_id: str, platform: Platform = Platform.TELEGRAM, **kw: str) -> Person:
        return Person(self, platform, user_id, **kw)


class Person:
    def __init__(
        self,
        harness: Harness,
        platform: Platform,
        user_id: str,
        *,
        name: str = "Иван Петров",
        language: str = "ru",
    ) -> None:
        self.h = harness
        self.platform = platform
        self.user_id = user_id
        self.name = name
        self.language = language

    @property
    def chat(self) -> ChatRef:
        return ChatRef(self.platform, self.user_id)

    @property
    def last(self) -> Shown:
        return self.h.inbox[self.chat][-1]

    def _incoming(self, **fields: object) -> Incoming:
        fields.setdefault("chat_id", self.user_id)
        return Incoming(
            platform=self.platform,
            user_id=self.user_id,
            display_name=self.name,
            language_code=self.language,
            **fields,  # type: ignore[arg-type]
        )

    async def say(self, text: str) -> list[Shown]:
        return await self.h.deliver(self._incoming(text=text))

    async def write_in(
        self,
        chat: ChatRef,
        text: str,
        *,
        thread_id: str | None = None,
        reply_to: str | None = None,
        attachments: tuple[Attachment, ...] = (),
    ) -> list[Shown]:
        """Write in a group chat (e.g. the staff chat): in a forum topic, or as a reply."""
        return await self.h.deliver(
            self._incoming(
                chat_id=chat.chat_id,
                is_group=True,
                text=text,
                thread_id=thread_id,
                reply_to=reply_to,
                attachments=attachments,
            )
        )

    async def send_payload(self, payload: str) -> list[Shown]:
        return await self.h.deliver(self._incoming(payload=payload))

    async def press(self, label_part: str) -> list[Shown]:
        """Press a button on the last message that showed buttons to this person."""
        for shown in reversed(self.h.inbox.get(self.chat, [])):
            if shown.buttons:
                return await self.send_payload(shown.payload(label_part))
        raise AssertionError("no buttons were shown")

    async def photo(self, file_id: str, caption: str = "") -> list[Shown]:
        attachment = Attachment(AttachmentKind.PHOTO, file_id)
        return await self.h.deliver(self._incoming(text=caption, attachments=(attachment,)))

    async def document(self, name: str, size: int = 50_000, caption: str = "") -> list[Shown]:
        attachment = Attachment(AttachmentKind.DOCUMENT, f"doc-{name}", name=name, size=size)
        return await self.h.deliver(self._incoming(text=caption, attachments=(attachment,)))

    async def voice(self) -> list[Shown]:
        attachment = Attachment(AttachmentKind.VOICE)
        return await self.h.deliver(self._incoming(attachments=(attachment,)))

    async def sticker(self) -> list[Shown]:
        attachment = Attachment(AttachmentKind.STICKER)
        return await self.h.deliver(self._incoming(attachments=(attachment,)))

    async def location(self, latitude: float, longitude: float) -> list[Shown]:
        return await self.h.deliver(self._incoming(location=Location(latitude, longitude)))


class MailRecorder:
    """A channel for the mailer in flow tests: what it sends lands in the harness's inboxes
    as the recipients would read it; chats in ``blocked`` have blocked the bot."""

    mail_batch = 2  # small, so a mailing to a few people takes several requests

    def __init__(self, harness: Harness, platform: Platform) -> None:
        self.h = harness
        self.platform = platform
        # The real channel's limits, as the composition root would read them.
        self.capabilities = VK if platform is Platform.VK else TELEGRAM
        self.blocked: set[str] = set()
        self.requests = 0
        self.edits = 0
        # Run once, right after the first request (what people do while a mailing goes).
        self.after_first: Callable[[], Awaitable[None]] | None = None

    verdict = staticmethod(lambda exc: transient(exc) or unexpected(exc))

    async def deliver(self, message: Outgoing, steps: Steps) -> Sent | None:
        if message.edit_id is not None:
            self.edits += 1
            self.h.show(message)
            return Sent(message.edit_id)
        shown = await self.h._show_all([message], [])
        return Sent(shown[0].message_id) if shown else None

    async def mail(self, chats: list[str], message: Outgoing, key: int) -> dict[str, Outcome]:
        self.requests += 1
        outcomes = {}
        for chat in chats:
            if chat in self.blocked:
                outcomes[chat] = Outcome.BLOCKED
                continue
            self.h.show(replace(message, chat=ChatRef(self.platform, chat)))
            outcomes[chat] = Outcome.SENT
        if self.after_first is not None:
            then, self.after_first = self.after_first, None
            await then()
        return outcomes

    async def run(self) -> None:
        return None

    async def stop(self) -> None:
        return None
