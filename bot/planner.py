"""One delivery planner for every messenger: an :class:`Outgoing` becomes the primitive calls a
channel implements, decided here once from the channel's :class:`Capabilities`.

Decided the same way everywhere:

- a thread rename goes only where there are forum topics; it is cosmetic;
- a live card is edited in place where the channel edits and the text fits; an edit the
  platform will no longer make falls back to a new message;
- a thread of its own is opened for a staff post that asks for one, where there are topics;
- a QR code is a picture with its link written under the text (a terminal or a screen reader
  still has the link);
- text longer than one message is split without breaking markup; the buttons go under the last
  piece, where the reader ends up;
- files: a channel that attaches files to a text message (VK) gets the files people sent on the
  first piece and the files the bot made on the last; a channel that sends files as messages
  of their own (Telegram) gets photos in albums and documents before the text, the files the
  bot made after it, and a QR code as a photo with the text as its caption when it fits.

Each primitive call goes through ``steps`` (paced, bounded in time, not made twice when the
message is tried again), so the order of calls must not depend on anything but the message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, cast, runtime_checkable

from bot import qr
from bot.capabilities import Capabilities, Rows, lay_out
from bot.delivery import Steps
from bot.textsplit import split_html
from handlers.contracts import Attachment, AttachmentKind, Outgoing, Sent, Text, Upload


@runtime_checkable
class Primitives(Protocol):
    """What every messenger's adapter implements; everything else is the planner's."""

    capabilities: Capabilities

    def render(self, message: Outgoing, texts: tuple[Text, ...]) -> str:
        """The texts in the recipient's language, in the channel's markup."""

    async def deep_link(self, target: str) -> str:
        """The link that opens the bot at ``target`` (``/start target``)."""

    async def send_text(
        self,
        message: Outgoing,
        text: str,
        rows: Rows,
        *,
        thread: str | None,
        attachments: Sequence[str],
        ask_reply: bool,
        steps: Steps,
    ) -> str:
        """One text message (with attachments, where the channel attaches files; asking for a
        reply, where it can); its id."""

    async def edit(self, message: Outgoing, text: str, rows: Rows, steps: Steps) -> bool:
        """``message.edit_id`` edited in place; False when the platform will not."""


@runtime_checkable
class Attaching(Primitives, Protocol):
    """A channel whose text messages carry files (VK)."""

    async def attach_upload(self, message: Outgoing, upload: Upload, steps: Steps) -> str | None:
        """A file the bot made, put where a message can attach it; None if refused for good."""


@runtime_checkable
class FilesApart(Primitives, Protocol):
    """A channel that sends files as messages of their own (Telegram), with forum topics."""

    async def send_photos(
        self, message: Outgoing, photos: Sequence[Attachment], *, thread: str | None, steps: Steps
    ) -> None:
        """Photos people sent, as one album (or one photo)."""

    async def send_document(
        self, message: Outgoing, document: Attachment, *, thread: str | None, steps: Steps
    ) -> None: ...

    async def send_upload(
        self,
        message: Outgoing,
        upload: Upload,
        *,
        thread: str | None,
        caption: str | None,
        steps: Steps,
    ) -> str:
        """A file the bot made, as a message of its own; its id."""


@runtime_checkable
class Threads(Primitives, Protocol):
    """A channel with forum topics in staff chats."""

    def thread_title(self, message: Outgoing, title: Text) -> str: ...

    async def open_thread(self, message: Outgoing, title: str, steps: Steps) -> str | None:
        """A topic for the message; None: the chat has none, it goes to the general one."""

    async def rename_thread(self, message: Outgoing, title: str, steps: Steps) -> None: ...


_SHAPES: dict[type, tuple[bool, bool, bool]] = {}


def _shape(channel: Primitives) -> tuple[bool, bool, bool]:
    """Whether a channel attaches files, sends them apart, and has threads: checked once per
    class (a protocol check inspects every method: some tens of microseconds)."""
    kind = type(channel)
    shape = _SHAPES.get(kind)
    if shape is None:
        shape = _SHAPES[kind] = (
            isinstance(channel, Attaching),
            isinstance(channel, FilesApart),
            isinstance(channel, Threads),
        )
    return shape


async def deliver(channel: Primitives, message: Outgoing, steps: Steps) -> Sent | None:
    caps = channel.capabilities
    attaches, apart, has_threads = _shape(channel)
    threads = cast(Threads, channel) if caps.forum_topics and has_threads else None
    if message.rename_thread is not None:
        if threads is not None and message.thread_id:
            title = threads.thread_title(message, message.rename_thread)
            await threads.rename_thread(message, title, steps)
        return None
    texts, made = message.texts, list(message.uploads)
    if message.deep_link is not None:
        link = await channel.deep_link(message.deep_link)
        texts = (*texts, Text("btn-raw", {"label": link}))
        picture = Upload(
            f"qr-{message.deep_link}.png", qr.png(link), AttachmentKind.PHOTO, link=link
        )
        made.insert(0, picture)
    text = channel.render(message, texts)
    rows = lay_out(message.keyboard, caps)
    if (
        message.edit_id is not None
        and caps.edits
        and len(text) <= caps.message_limit
        and await channel.edit(message, text, rows, steps)
    ):
        return Sent(message.edit_id, message.thread_id)
    thread = message.thread_id
    if thread is None and message.open_thread is not None and threads is not None:
        title = threads.thread_title(message, message.open_thread)
        thread = await threads.open_thread(message, title, steps)
    ask_reply = message.expects_reply and not rows and caps.forced_reply
    if attaches:
        sent = await _with_attachments(
            cast(Attaching, channel), message, text, rows, made, ask_reply, steps
        )
    elif apart:
        sent = await _files_apart(
            cast(FilesApart, channel), message, text, rows, made, thread, ask_reply, steps
        )
    else:
        raise TypeError(f"{type(channel).__name__} neither attaches files nor sends them apart")
    return Sent(sent, thread)


async def _with_attachments(
    channel: Attaching,
    message: Outgoing,
    text: str,
    rows: Rows,
    made: list[Upload],
    ask_reply: bool,
    steps: Steps,
) -> str | None:
    sent_files = [f.file_id for f in message.files]
    uploaded = [await channel.attach_upload(message, upload, steps) for upload in made]
    made_ids = [file_id for file_id in uploaded if file_id]
    pieces = split_html(text, channel.capabilities.message_limit)
    sent: str | None = None
    for number, piece in enumerate(pieces, start=1):
        last = number == len(pieces)
        attached = (sent_files if number == 1 else []) + (made_ids if last else [])
        sent = await channel.send_text(
            message,
            piece,
            rows if last else (),
            thread=None,
            attachments=attached,
            ask_reply=ask_reply and last,
            steps=steps,
        )
    return sent


async def _files_apart(
    channel: FilesApart,
    message: Outgoing,
    text: str,
    rows: Rows,
    made: list[Upload],
    thread: str | None,
    ask_reply: bool,
    steps: Steps,
) -> str | None:
    caps = channel.capabilities
    photos = [f for f in message.files if f.kind is AttachmentKind.PHOTO]
    for i in range(0, len(photos), caps.album):
        await channel.send_photos(message, photos[i : i + caps.album], thread=thread, steps=steps)
    for document in message.files:
        if document.kind is AttachmentKind.DOCUMENT:
            await channel.send_document(message, document, thread=thread, steps=steps)
    if message.deep_link is not None and not rows and len(text) <= caps.caption_limit:
        # The QR code with the text (and its link) as the picture's caption: one message.
        sent = await channel.send_upload(message, made[0], thread=thread, caption=text, steps=steps)
        for upload in made[1:]:
            await channel.send_upload(message, upload, thread=thread, caption=None, steps=steps)
        return sent
    sent_id: str | None = None
    pieces = split_html(text, caps.message_limit)
    for number, piece in enumerate(pieces, start=1):
        last = number == len(pieces)
        sent_id = await channel.send_text(
            message,
            piece,
            rows if last else (),
            thread=thread,
            attachments=(),
            ask_reply=ask_reply and last,
            steps=steps,
        )
    for upload in made:
        await channel.send_upload(message, upload, thread=thread, caption=None, steps=steps)
    return sent_id
