"""A terminal channel: try every flow with no tokens, as a citizen and as an operator.

Buttons are printed as a numbered list; typing the number presses the button. The numbers
run on through everything one line brings (a reply, then a live card): each number is printed
once, beside the button it presses. ``/as operator`` (an admin), ``/as head``, ``/as clerk``,
``/as officer`` (anti-corruption) and ``/as citizen`` switch who is typing;
messages for the other person are printed under a header, and their buttons can be pressed
after switching. A line of three double quotes starts and ends a message of several lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import IO, Any

from bot import planner
from bot.capabilities import Capabilities, Rows
from bot.config import CONSOLE_CLERK, CONSOLE_HEAD, CONSOLE_OFFICER, CONSOLE_OPERATOR
from bot.console.input import read_lines
from bot.delivery import Deliverer, Outcome, Steps
from bot.i18n import Renderer
from bot.retry import Verdict, transient, unexpected
from bot.webhook import WebhookServer
from handlers.contracts import (
    Attachment,
    AttachmentKind,
    Button,
    ChatRef,
    Incoming,
    Location,
    Outgoing,
    Platform,
    Sent,
    Text,
    Upload,
)
from handlers.core import ConversationCore

IDENTITIES = ("citizen", CONSOLE_OPERATOR, CONSOLE_HEAD, CONSOLE_CLERK, CONSOLE_OFFICER)
# A line of its own that starts and ends a message of several lines.
PASTE = '"""'
# The log, in the data folder: log lines would break into the chat.
CONSOLE_LOG = "console.log"
# A terminal shows any length and any number of buttons (as a numbered list), edits nothing
# (a card is printed again), and has no threads.
CAPABILITIES = Capabilities(
    message_limit=1_000_000,
    label_limit=1_000,
    buttons_per_row=1_000,
    button_rows=1_000,
    buttons_total=1_000,
    edits=False,
    forum_topics=False,
    forced_reply=False,
    album=1_000,
    caption_limit=0,
)


class ConsoleChannel:
    platform = Platform.CONSOLE

    def __init__(
        self,
        *,
        core: ConversationCore,
        renderer: Renderer,
        deliverer: Deliverer,
        locale: str,
        lines: AsyncIterator[str] | None = None,
        output: IO[str] | None = None,
        data_dir: Path = Path("data"),
        web: WebhookServer | None = None,
    ) -> None:
        self._data_dir = data_dir
        # The public page's server: its address is shown in the welcome, once it listens.
        self._web = web
        self._core = core
        self._renderer = renderer
        self._deliverer = deliverer
        self._locale = locale
        self._locales: dict[str, str] = {}  # each identity's language, as the bot last wrote
        self._lines = lines
        self._out = output or sys.stdout
        self.identity = IDENTITIES[0]
        # The buttons shown to each identity since its last line, pressed by their number;
        # who has been shown buttons since the line being handled.
        self._buttons: dict[str, list[Button]] = {}
        self._numbered: set[str] = set()
        self._files = 0
        self._sent = 0
        self._heading: Outgoing | None = None
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._waiting = False

    def _say(self, key: str, **params: object) -> None:
        locale = self._locales.get(self.identity, self._locale)
        self._print(self._renderer.render_plain(locale, (Text(key, params),)))

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    @staticmethod
    def verdict(exc: BaseException) -> Verdict:
        return transient(exc) or unexpected(exc)

    # --- delivery: the planner's primitive calls (bot/planner.py decides which) --------------

    capabilities = CAPABILITIES

    async def deliver(self, message: Outgoing, steps: Steps) -> Sent | None:
        return await planner.deliver(self, message, steps)

    def render(self, message: Outgoing, texts: tuple[Text, ...]) -> str:
        return self._renderer.render_plain(message.locale, texts, plain=message.plain)

    async def deep_link(self, target: str) -> str:
        return f"/start {target}"

    def _head(self, message: Outgoing) -> None:
        """Once a message: whom it is for, when not the one typing; a card, marked as one."""
        if message is self._heading:
            return
        self._heading = message
        # The terminal's own lines are in the language of the one typing (theirs after /lang).
        self._locales[message.chat.chat_id] = message.locale
        if message.chat.chat_id != self.identity:
            self._say("console-to", identity=message.chat.chat_id)
        if message.card_of is not None:
            # A terminal cannot edit what it printed: the card is printed again, marked so.
            self._say("console-card")

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
        self._head(message)
        self._print(text)
        buttons = [button for row in rows for button in row]
        reader = message.chat.chat_id
        if buttons and reader not in self._numbered:
            # The first buttons since the reader's last line: numbering starts again.
            self._numbered.add(reader)
            self._buttons[reader] = []
        shown = self._buttons.setdefault(reader, [])
        first = len(shown) + 1
        shown.extend(buttons)
        for number, button in enumerate(buttons, start=first):
            label = self._renderer.render_plain(
                message.locale, (button.label,), plain=message.plain
            )
            self._print(f"  [{number}] {label}" + (f" — {button.url}" if button.url else ""))
        self._print("")
        return self._next_id()

    async def edit(self, message: Outgoing, text: str, rows: Rows, steps: Steps) -> bool:
        return False  # never asked: the capabilities say a terminal does not edit

    async def send_photos(
        self, message: Outgoing, photos: Sequence[Attachment], *, thread: str | None, steps: Steps
    ) -> None:
        self._head(message)
        for photo in photos:
            self._print(f"[{photo.kind.value}: {photo.name or photo.file_id}]")

    async def send_document(
        self, message: Outgoing, document: Attachment, *, thread: str | None, steps: Steps
    ) -> None:
        self._head(message)
        self._print(f"[{document.kind.value}: {document.name or document.file_id}]")

    async def send_upload(
        self,
        message: Outgoing,
        upload: Upload,
        *,
        thread: str | None,
        caption: str | None,
        steps: Steps,
    ) -> str:
        """A file the bot made (a chart, a spreadsheet, a QR code): written beside the
        database, and where it is said."""
        self._head(message)
        path = self._data_dir / upload.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(upload.data)
        if caption:
            self._print(caption)
        if upload.link is not None:
            self._say("console-qr", path=str(path))
        else:
            self._say("console-file", path=str(path))
        return self._next_id()

    def _next_id(self) -> str:
        self._sent += 1
        return str(self._sent)

    mail_batch = 50

    async def mail(self, chats: list[str], message: Outgoing, key: int) -> dict[str, Outcome]:
        """A mailing in the terminal: printed for each of its (console) recipients."""
        for chat in chats:
            await self.deliver(
                dataclasses.replace(message, chat=ChatRef(Platform.CONSOLE, chat)),
                Steps(None, None, 10.0),
            )
        return dict.fromkeys(chats, Outcome.SENT)

    def _event(self, **fields: Any) -> Incoming:
        return Incoming(
            platform=Platform.CONSOLE,
            user_id=self.identity,
            chat_id=self.identity,
            display_name=self.identity,
            **fields,
        )

    def _incoming(self, line: str) -> Incoming | None:
        """The typed line as an event, or None when the console itself handled it."""
        command, _, rest = line.partition(" ")
        if command == "/as":
            if rest.strip() in IDENTITIES:
                self.identity = rest.strip()
                self._say("console-as", identity=self.identity)
            else:
                self._say("console-unknown-identity", known=", ".join(IDENTITIES))
            return None
        if command == "/photo":
            self._files += 1
            photo = Attachment(AttachmentKind.PHOTO, f"console-photo-{self._files}")
            return self._event(text=rest.strip(), attachments=(photo,))
        if command == "/file":
            # "/file act.pdf caption": a pretend document of that name (size unknown).
            name, _, caption = rest.strip().partition(" ")
            self._files += 1
            document = Attachment(AttachmentKind.DOCUMENT, f"console-file-{self._files}", name)
            return self._event(text=caption.strip(), attachments=(document,))
        if command == "/geo":
            try:
                latitude, longitude = (float(value) for value in rest.split())
            except ValueError:
                self._say("console-geo-usage")
                return None
            return self._event(location=Location(latitude, longitude))
        buttons = self._buttons.get(self.identity, [])
        if line.isdigit() and 1 <= int(line) <= len(buttons):
            button = buttons[int(line) - 1]
            if button.url:  # a link: the terminal can only show it
                self._print(button.url)
                return None
            return self._event(payload=button.payload)
        return self._event(text=line)

    async def run(self) -> None:
        self._task = asyncio.current_task()
        # stop() cancels the wait for input (SIGTERM / Ctrl-C): that is a normal end.
        with contextlib.suppress(asyncio.CancelledError):
            await self._serve()
        self._say("console-bye")

    async def _serve(self) -> None:
        self._say(
            "console-welcome",
            identity=self.identity,
            log=str(self._data_dir / CONSOLE_LOG),
        )
        if self._web is not None and self._web.port is not None:
            self._say("console-web", address=self._web.address)
        lines = aiter(self._lines or read_lines(sys.stdin))
        while not self._stopped.is_set():
            self._waiting = True
            try:
                raw = await anext(lines)
            except StopAsyncIteration:
                return
            finally:
                self._waiting = False
            line = raw.strip()
            if line == PASTE:
                line = await self._pasted(lines)
            if line in ("/quit", "/exit"):
                break
            if not line:
                # Nothing typed (Enter by mistake, or a number pressed with nothing shown):
                # say what can be typed rather than stay silent.
                self._say("console-empty")
                continue
            # Numbers of buttons shown from now on start again for whoever is shown them.
            self._numbered.clear()
            incoming = self._incoming(line)
            if incoming is not None:
                await self._deliverer.deliver(await self._core.handle(incoming))
                # What follows from it too (an operator's "sent to the citizen"), before the
                # next line is read.
                await self._deliverer.idle()

    async def _pasted(self, lines: AsyncIterator[str]) -> str:
        """The lines up to the closing three quotes, as one message."""
        taken: list[str] = []
        self._say("console-paste")
        async for raw in lines:
            if raw.strip() == PASTE:
                break
            taken.append(raw.rstrip("\r\n"))
        return "\n".join(taken).strip()

    async def stop(self) -> None:
        # Only the wait for input is interrupted: a line being handled is finished first.
        self._stopped.set()
        if self._task is not None and self._waiting:
            self._task.cancel()
