"""The delivery planner's decisions, on channels that record the primitive calls they are asked
for. (The real adapters run the same planner against the fake Bot API and VK API servers in
tests/telegram and tests/vk.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot import planner
from bot.capabilities import Capabilities, Rows
from bot.delivery import Steps
from handlers.contracts import (
    Attachment,
    AttachmentKind,
    Button,
    ChatRef,
    Keyboard,
    Outgoing,
    Platform,
    Text,
    Upload,
)

CAPS = Capabilities(
    message_limit=50,
    label_limit=40,
    buttons_per_row=5,
    button_rows=6,
    buttons_total=10,
    edits=True,
    forum_topics=True,
    forced_reply=True,
    album=2,
    caption_limit=100,
)


class Recording:
    capabilities = CAPS

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.edits_work = True

    def render(self, message: Outgoing, texts: tuple[Text, ...]) -> str:
        return "\n".join(str(t.params.get("label", t.key)) for t in texts)

    async def deep_link(self, target: str) -> str:
        return f"https://example.org/start={target}"

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
        self.calls.append(("text", text, len(rows), thread, tuple(attachments), ask_reply))
        return str(len(self.calls))

    async def edit(self, message: Outgoing, text: str, rows: Rows, steps: Steps) -> bool:
        self.calls.append(("edit", text))
        return self.edits_work


class Apart(Recording):
    async def send_photos(
        self, message: Outgoing, photos: Sequence[Attachment], *, thread: str | None, steps: Steps
    ) -> None:
        self.calls.append(("photos", tuple(p.file_id for p in photos)))

    async def send_document(
        self, message: Outgoing, document: Attachment, *, thread: str | None, steps: Steps
    ) -> None:
        self.calls.append(("document", document.file_id))

    async def send_upload(
        self,
        message: Outgoing,
        upload: Upload,
        *,
        thread: str | None,
        caption: str | None,
        steps: Steps,
    ) -> str:
        self.calls.append(("upload", upload.name, caption))
        return str(len(self.calls))

    def thread_title(self, message: Outgoing, title: Text) -> str:
        return title.key

    async def open_thread(self, message: Outgoing, title: str, steps: Steps) -> str | None:
        self.calls.append(("open", title))
        return "77"

    async def rename_thread(self, message: Outgoing, title: str, steps: Steps) -> None:
        self.calls.append(("rename", title))


class Attaches(Recording):
    async def attach_upload(self, message: Outgoing, upload: Upload, steps: Steps) -> str | None:
        self.calls.append(("put", upload.name))
        return f"doc_{upload.name}"


CHAT = ChatRef(Platform.TELEGRAM, "5")
LONG = Text("btn-raw", {"label": "x" * 40})
KEYBOARD = Keyboard.column(Button(Text("btn-raw", {"label": "ok"}), "k:1"))


def _message(**fields: Any) -> Outgoing:
    return replace(Outgoing(CHAT, (LONG, LONG)), **fields)


def _steps() -> Steps:
    return Steps(None, None, 5.0)


async def test_long_text_is_split_with_the_buttons_under_the_last_piece() -> None:
    channel = Apart()
    sent = await planner.deliver(channel, _message(keyboard=KEYBOARD), _steps())
    assert [(c[0], c[2]) for c in channel.calls] == [("text", 0), ("text", 1)]
    assert sent is not None and sent.message_id == "2"


async def test_files_apart_photos_in_albums_first_and_the_bot_s_files_after() -> None:
    photos = tuple(Attachment(AttachmentKind.PHOTO, f"p{i}") for i in range(3))
    doc = Attachment(AttachmentKind.DOCUMENT, "d1")
    message = _message(
        texts=(Text("hello"),), files=(*photos, doc), uploads=(Upload("chart.png", b"1"),)
    )
    channel = Apart()
    await planner.deliver(channel, message, _steps())
    assert channel.calls == [
        ("photos", ("p0", "p1")),
        ("photos", ("p2",)),
        ("document", "d1"),
        ("text", "hello", 0, None, (), False),
        ("upload", "chart.png", None),
    ]


async def test_a_qr_code_is_a_photo_captioned_with_its_link() -> None:
    channel = Apart()
    await planner.deliver(channel, _message(texts=(Text("qr"),), deep_link="faq-1"), _steps())
    assert channel.calls == [
        ("upload", "qr-faq-1.png", "qr\nhttps://example.org/start=faq-1"),
    ]


async def test_attaching_channel_files_ride_on_the_first_and_last_pieces() -> None:
    message = _message(
        files=(Attachment(AttachmentKind.PHOTO, "photo1"),),
        uploads=(Upload("report.xlsx", b"1"),),
        keyboard=KEYBOARD,
    )
    channel = Attaches()
    await planner.deliver(channel, message, _steps())
    assert channel.calls[0] == ("put", "report.xlsx")
    first, last = channel.calls[1], channel.calls[2]
    assert first[4] == ("photo1",) and first[2] == 0
    assert last[4] == ("doc_report.xlsx",) and last[2] == 1


async def test_an_edit_refused_is_sent_anew_and_a_rename_needs_topics() -> None:
    channel = Apart()
    channel.edits_work = False
    sent = await planner.deliver(channel, _message(texts=(Text("card"),), edit_id="9"), _steps())
    assert [c[0] for c in channel.calls] == ["edit", "text"]
    assert sent is not None and sent.message_id == "2"
    attaching = Attaches()  # no forum topics: nothing to rename, nothing sent
    renamed = await planner.deliver(
        attaching, _message(rename_thread=Text("title"), thread_id="3"), _steps()
    )
    assert renamed is None and attaching.calls == []


async def test_a_staff_post_opens_its_thread_and_asks_for_a_reply() -> None:
    channel = Apart()
    message = _message(texts=(Text("post"),), open_thread=Text("topic"), expects_reply=True)
    sent = await planner.deliver(channel, message, _steps())
    assert channel.calls == [("open", "topic"), ("text", "post", 0, "77", (), True)]
    assert sent is not None and sent.thread_id == "77"
