"""The platform-neutral language between the conversation core and the channel adapters.

An adapter turns a platform update into an :class:`Incoming`, hands it to the core and
delivers the :class:`Outgoing` messages the core returns. Nothing here knows aiogram or
vkbottle.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class Platform(enum.StrEnum):
    TELEGRAM = "tg"
    VK = "vk"
    MAX = "max"
    CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class ChatRef:
    """Where a message goes: a chat on one platform (private chat, group, VK peer)."""

    platform: Platform
    chat_id: str

    @classmethod
    def parse(cls, value: str) -> ChatRef:
        """Parse ``tg:123`` / ``vk:456`` / ``max:789`` / ``console:operator``."""
        prefix, sep, ident = value.strip().partition(":")
        if not sep or not ident.strip():
            raise ValueError(f"expected '<platform>:<id>', got {value!r}")
        return cls(Platform(prefix.strip()), ident.strip())

    def __str__(self) -> str:
        return f"{self.platform.value}:{self.chat_id}"


class AttachmentKind(enum.StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    STICKER = "sticker"
    VIDEO = "video"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Attachment:
    kind: AttachmentKind
    # An identifier the same platform can send again (Telegram file_id, VK "photo<owner>_<id>").
    file_id: str = ""
    # For documents: what the platform tells of the file.
    name: str = ""
    size: int | None = None
    platform: str = ""  # where file_id is valid; set by the core when it stores the file

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "file_id": self.file_id,
            "name": self.name,
            "size": self.size,
            "platform": self.platform,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Attachment:
        size = data.get("size")
        return cls(
            AttachmentKind(str(data["kind"])),
            str(data.get("file_id", "")),
            str(data.get("name", "")),
            size if isinstance(size, int) else None,
            str(data.get("platform", "")),
        )


@dataclass(frozen=True, slots=True)
class Upload:
    """A file the bot made (a chart, a spreadsheet, a report): its bytes go to any platform."""

    name: str
    data: bytes = field(repr=False)
    kind: AttachmentKind = AttachmentKind.DOCUMENT  # PHOTO: shown as a picture
    # A picture of this link (a QR code): a channel that shows no picture can say so.
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a person did: a message (text, attachments, location) or a button press."""

    platform: Platform
    user_id: str
    chat_id: str
    text: str = ""
    payload: str | None = None
    attachments: tuple[Attachment, ...] = ()
    location: Location | None = None
    display_name: str = ""
    language_code: str | None = None
    # A group chat (e.g. the staff chat): the bot answers commands and buttons there, and
    # stays silent on ordinary conversation.
    is_group: bool = False
    # The platform's id of the update, only for log lines that tie an error to an update.
    update_id: str = ""
    # What the platform delivers again as the same update (a chat's message id, a button
    # press's id): an update handled once is not handled twice, on any instance.
    delivery_key: str | None = None
    # Written in a forum topic of a group (Telegram supergroups with topics).
    thread_id: str | None = None
    # The id of the message this one answers (a reply), in the same chat.
    reply_to: str | None = None

    @property
    def chat(self) -> ChatRef:
        return ChatRef(self.platform, self.chat_id)


@dataclass(frozen=True, slots=True)
class Text:
    """A text a person reads: a key in templates/<locale>/*.ftl plus its parameters.

    Parameters are user data or values; the renderer escapes every string parameter, so a
    template may use markup while nothing a user typed can.
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


class Words(Protocol):
    """Texts as plain words, for what the core writes itself: workbook headings, chart
    labels, a JSON file. The composition root gives the templates' renderer."""

    def render_plain(self, locale: str, texts: Iterable[Text], *, plain: bool = False) -> str: ...


class KeysAsWords:
    """Without templates (a unit test of the core alone): each text is its key."""

    def render_plain(self, locale: str, texts: Iterable[Text], *, plain: bool = False) -> str:
        return "\n".join(text.key for text in texts)


@dataclass(frozen=True, slots=True)
class Button:
    label: Text
    payload: str
    # A link button: opens this address instead of sending a payload.
    url: str = ""


@dataclass(frozen=True, slots=True)
class Keyboard:
    rows: tuple[tuple[Button, ...], ...]

    @property
    def buttons(self) -> tuple[Button, ...]:
        return tuple(button for row in self.rows for button in row)

    @classmethod
    def column(cls, *buttons: Button) -> Keyboard:
        return cls(tuple((button,) for button in buttons))

    @classmethod
    def grid(cls, buttons: list[Button], width: int = 2) -> Keyboard:
        return cls(tuple(tuple(buttons[i : i + width]) for i in range(0, len(buttons), width)))


@dataclass(frozen=True, slots=True)
class Receipt:
    """Who hears how a message went: an operator is told "sent to the citizen" only once it
    was, or why it could not be (``failed`` gets a ``reason`` parameter)."""

    chat: ChatRef
    locale: str
    sent: Text
    failed: Text
    # Still trying after failures (said once): the operator does not wait in silence.
    delayed: Text | None = None
    thread_id: str | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to deliver: rendered in ``locale`` by the adapter of ``chat.platform``."""

    chat: ChatRef
    texts: tuple[Text, ...]
    keyboard: Keyboard | None = None
    locale: str = "ru"
    # Files the target platform can send by id (only when it is the platform they came from).
    files: tuple[Attachment, ...] = ()
    # The next message should answer this one (Telegram: ForceReply, which also reaches a
    # bot in privacy mode in a group).
    expects_reply: bool = False
    # The live card of this appeal: edit message ``edit_id`` in place when there is one (else,
    # or when editing fails, send it anew); the id it ends up with is remembered.
    card_of: int | None = None
    edit_id: str | None = None
    # A staff message about this appeal: where it lands is remembered, so what staff write
    # in its forum topic or in reply to it reaches the appeal.
    post_of: int | None = None
    # Post in this forum topic of the chat.
    thread_id: str | None = None
    # Without thread_id, in a chat with topics: open a topic with this title and post there.
    open_thread: Text | None = None
    # With thread_id: give that topic this title (the texts are not sent).
    rename_thread: Text | None = None
    # For a reader in the accessible mode: no emoji or pseudo-graphics.
    plain: bool = False
    # Show a deep link (and its QR code) that opens the bot at this start parameter.
    deep_link: str | None = None
    # Files the bot made, sent after the text.
    uploads: tuple[Upload, ...] = ()
    # A mailing's message sent as a paid broadcast (Telegram: allow_paid_broadcast).
    paid_broadcast: bool = False
    # The appeal this message is about: a message that cannot be delivered is noted in its
    # history ("не доставлено: причина").
    about: int | None = None
    # Told once this message is delivered, or could not be.
    receipt: Receipt | None = None
    # The progress message of this mailing: edited in place, where it is remembered.
    progress_of: int | None = None
    # Its row in the outbox, written with the change that caused it (None: a message with
    # nothing committed behind it, such as the flood notice, sent from memory).
    outbox_id: int | None = None

    @property
    def replaces(self) -> str | None:
        """Messages edited in place: of several versions waiting, only the latest is sent."""
        if self.card_of is not None:
            return f"card:{self.card_of}"
        if self.progress_of is not None:
            return f"progress:{self.progress_of}"
        return None


@dataclass(frozen=True, slots=True)
class Sent:
    """Where a delivered message ended up, where the platform tells it."""

    message_id: str | None
    thread_id: str | None = None
