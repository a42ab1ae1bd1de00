"""A terminal channel: try every flow with no tokens, as a citizen and as an operator.

Buttons are printed as a numbered list; typing the number presses the button. ``/as operator``
and ``/as citizen`` switch who is typing; messages for the other person are printed under a
header, and their buttons can be pressed after switching.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

from bot import qr
from bot.console.input import read_lines
from bot.delivery import Deliverer, Outcome, Steps
from bot.i18n import Renderer
from bot.retry import Verdict, transient, unexpected
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
)
from handlers.core import ConversationCore

IDENTITIES = ("citizen", "operator")


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
    ) -> None:
        self._data_dir = data_dir
        self._core = core
        self._renderer = renderer
        self._deliverer = deliverer
        self._locale = locale
        self._lines = lines
        self._out = output or sys.stdout
        self.identity = IDENTITIES[0]
        # The buttons last shown to each identity, pressed by typing their number.
        self._buttons: dict[str, list[Button]] = {}
        self._files = 0
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._waiting = False

    def _say(self, key: str, **params: object) -> None:
        self._print(self._renderer.render_plain(self._locale, (Text(key, params),)))

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    @staticmethod
    def verdict(exc: BaseException) -> Verdict:
        return transient(exc) or unexpected(exc)

    async def deliver(self, message: Outgoing, steps: Steps) -> Sent | None:
        if message.rename_thread is not None:
            return None  # a terminal has no forum topics
        recipient = message.chat.chat_id
        if recipient != self.identity:
            self._say("console-to", identity=recipient)
        if message.card_of is not None:
            # A terminal cannot edit what it printed: the card is printed again, marked so.
            self._say("console-card")
        for attached in message.files:
            self._print(f"[{attached.kind.value}: {attached.name or attached.file_id}]")
        self._print(self._renderer.render_plain(message.locale, message.texts, plain=message.plain))
        if message.deep_link is not None:
            # A terminal shows no picture: the QR code is written beside the database.
            path = self._data_dir / f"qr-{message.deep_link}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(qr.png(f"/start {message.deep_link}"))
            self._say("console-qr", link=f"/start {message.deep_link}", path=str(path))
        for upload in message.uploads:
            # A file the bot made (a chart, a spreadsheet) is written beside the database.
            path = self._data_dir / upload.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(upload.data)
            self._say("console-file", path=str(path))
        if message.keyboard is not None:
            buttons = list(message.keyboard.buttons)
            self._buttons[recipient] = buttons
            for number, button in enumerate(buttons, start=1):
                label = self._renderer.render_plain(
                    message.locale, (button.label,), plain=message.plain
                )
                self._print(f"  [{number}] {label}" + (f" — {button.url}" if button.url else ""))
        self._print("")
        return None

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
        self._say("console-welcome", identity=self.identity)
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
            if line in ("/quit", "/exit"):
                break
            if not line:
                continue
            incoming = self._incoming(line)
            if incoming is not None:
                await self._deliverer.deliver(await self._core.handle(incoming))
                # What follows from it too (an operator's "sent to the citizen"), before the
                # next line is read.
                await self._deliverer.idle()

    async def stop(self) -> None:
        # Only the wait for input is interrupted: a line being handled is finished first.
        self._stopped.set()
        if self._task is not None and self._waiting:
            self._task.cancel()
