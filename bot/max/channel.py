"""The MAX channel (maxapi, the MAX Bot API): updates -> Incoming, Outgoing -> API calls.

Only MAX's quirks live here; what is sent for a message is the planner's (bot/planner.py):
MAX attaches pictures and files to a text message, as VK does, after putting them on its
upload server; buttons are an ``inline_keyboard`` attachment; a press comes as a
``message_callback`` and is answered (POST /answers) before it is handled.

maxapi makes the requests (its own retries are switched off: the outbox retries, by the one
policy of bot/retry.py). Updates are read with long polling (GET /updates, the marker kept
under the data directory and moved on only once what was read is handled) or received by
webhook (POST /subscriptions; the secret checked on every post)."""

from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import orjson
from aiohttp import FormData, web
from maxapi import Bot
from maxapi.client.default import DefaultConnectionProperties
from maxapi.enums.attachment import AttachmentType
from maxapi.enums.parse_mode import TextFormat
from maxapi.enums.update import UpdateType
from maxapi.enums.upload_type import UploadType
from maxapi.exceptions.max import InvalidToken, MaxApiError, MaxConnection, MaxUploadFileFailed
from maxapi.types.attachments.attachment import ButtonsPayload
from maxapi.types.attachments.buttons.attachment_button import AttachmentButton
from maxapi.types.attachments.buttons.callback_button import CallbackButton
from maxapi.types.attachments.buttons.link_button import LinkButton
from maxapi.types.attachments.upload import AttachmentPayload, AttachmentUpload
from maxapi.types.command import BotCommand

from bot import planner, qr
from bot.capabilities import Capabilities, Rows, lay_out
from bot.delivery import Deliverer, Outcome, Steps
from bot.i18n import Renderer
from bot.mail_calls import mail_in_turn
from bot.max import events
from bot.retry import Fatal, Quiet, Verdict, backoff, transient, unexpected
from bot.textsplit import split_html
from bot.webhook import WebhookServer, read_capped, same_secret
from handlers.contracts import AttachmentKind, Outgoing, Platform, Sent, Text, Upload
from handlers.core import ConversationCore
from handlers.features import CITIZEN_MENU

log = logging.getLogger(__name__)

# MAX takes a text of fewer than 4,000 characters.
MESSAGE_LIMIT = 3999
CAPABILITIES = Capabilities(
    message_limit=MESSAGE_LIMIT,
    label_limit=64,
    # An inline keyboard: at most 210 buttons in at most 30 rows of at most 7.
    buttons_per_row=7,
    button_rows=30,
    buttons_total=210,
    edits=True,
    forum_topics=False,
    forced_reply=False,
    album=10,
    caption_limit=0,  # pictures and files ride on the text message itself
)
SECRET_HEADER = "X-Max-Bot-Api-Secret"  # noqa: S105 - a header's name
# An update is a few KB; more is not MAX.
WEBHOOK_BODY_LIMIT = 256 * 1024
POLL_LIMIT = 100
# Refused for good: the person blocked the bot or never wrote to it (a bot may write only to
# people who wrote first), or the chat is gone.
BLOCKED_STATUSES = frozenset({403})
GONE_STATUSES = frozenset({404})
NOT_READY = "attachment.not.ready"
UPDATE_TYPES = [UpdateType(kind) for kind in events.UPDATE_TYPES]


def verdict(exc: BaseException) -> Verdict:
    """What a refusal of the MAX API means (bot/retry.py: one policy for replies and
    mailings)."""
    if isinstance(exc, MaxApiError):
        status = exc.code
        code = exc.raw.get("code") if isinstance(exc.raw, dict) else None
        if status == 429:
            return Verdict(True, "busy", pause=True)
        if status >= 500 or code == NOT_READY:
            return Verdict(True, f"unavailable|{status}")
        if status in BLOCKED_STATUSES:
            return Verdict(False, "blocked")
        if status in GONE_STATUSES:
            return Verdict(False, "gone")
        return Verdict(False, f"other|{code or status}")
    if isinstance(exc, InvalidToken):
        # A revoked token stops the poll (and the process) anyway.
        return Verdict(True, "unavailable|401")
    if isinstance(exc, MaxConnection):
        return Verdict(True, "unavailable|connection")
    return transient(exc) or unexpected(exc)


def _target(chat_id: str) -> tuple[int | None, int | None]:
    """(chat_id, user_id) of POST /messages: a person's dialog is known by their (positive)
    user id, a group chat by its (negative) chat id (see bot/max/events.py)."""
    number = int(chat_id)
    return (number, None) if number < 0 else (None, number)


def _file(reference: str) -> AttachmentUpload:
    """``image:<token>`` or ``file:<token>`` (bot/max/events.py) as an attachment to send."""
    kind, _, token = reference.partition(":")
    upload_type = UploadType.IMAGE if kind == "image" else UploadType.FILE
    return AttachmentUpload(type=upload_type, payload=AttachmentPayload(token=token))


class MarkerFile:
    """Where long polling is: kept under the data directory, so that updates that came while
    the bot was down are read after a restart (MAX keeps them for a day)."""

    def __init__(self, folder: Path) -> None:
        self._path = folder / "max-marker.json"

    def load(self) -> int | None:
        try:
            marker = json.loads(self._path.read_text()).get("marker")
        except (OSError, ValueError, AttributeError):
            return None
        return marker if isinstance(marker, int) else None

    def save(self, marker: int) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        spare = self._path.with_suffix(".tmp")
        spare.write_text(json.dumps({"marker": marker}))
        spare.replace(self._path)


class MaxChannel:
    platform = Platform.MAX
    capabilities = CAPABILITIES
    verdict = staticmethod(verdict)
    mail_batch = 1  # POST /messages sends to one chat

    def __init__(
        self,
        *,
        token: str,
        api_url: str,
        core: ConversationCore,
        renderer: Renderer,
        deliverer: Deliverer,
        state_dir: Path,
        request_timeout: float = 20,
        wait: int = 30,
        webhook: tuple[str, str] | None = None,
    ) -> None:
        """``webhook``: (public URL, secret) to be served by webhook instead of polling."""
        self._core = core
        self._renderer = renderer
        self._deliverer = deliverer
        self._wait = wait
        self._webhook = webhook
        self._marker = MarkerFile(state_dir)
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._waiting = False
        self._username: str | None = None
        self.bot = Bot(
            token,
            # The outbox retries, by one policy for every channel: none of maxapi's own.
            default_connection=DefaultConnectionProperties(
                timeout=max(request_timeout, wait + 10), max_retries=0
            ),
            auto_requests=False,
            auto_check_subscriptions=False,
            disable_link_preview=True,
            # What a staff member or citizen reads after an upload: at once, not 2 s later
            # (a file not ready yet is refused with attachment.not.ready and tried again).
            after_input_media_delay=0.01,
            after_upload_attempts=1,
        )
        self.bot.set_api_url(api_url.rstrip("/"))

    # --- updates --------------------------------------------------------------------------

    async def _handle(self, update: Any) -> None:
        incoming = events.to_incoming(update)
        if incoming is None:
            return
        callback = update.get("callback", {}).get("callback_id") if incoming.payload else None
        if isinstance(callback, str):
            try:
                # The button's spinner stops first; the reply comes as a message.
                await self.bot.send_callback(callback_id=callback)
            except Exception as exc:
                log.info("answering a MAX button press failed: %s", type(exc).__name__)
        # Committed with its replies in the outbox: they go out on their own.
        self._deliverer.post(await self._core.handle(incoming))

    async def _handle_all(self, updates: list[Any]) -> None:
        """The updates of one answer together, each person's in order."""
        lanes: dict[object, list[Any]] = {}
        for update in updates:
            lanes.setdefault(events.person(update), []).append(update)
        await asyncio.gather(*(self._handle_lane(lane) for lane in lanes.values()))

    async def _handle_lane(self, updates: list[Any]) -> None:
        for update in updates:
            try:
                await self._handle(update)
            except Exception:
                # One update that cannot be handled must not stop the others.
                log.exception("a MAX update could not be handled")

    async def _poll(self) -> None:
        """Long polling whose marker moves on only once the updates read are handled, so
        what an instance had in hand when it died is read again (the ledger of handled
        updates keeps what it committed from happening twice). Whatever MAX answers, the
        poll goes on after a backoff, with a log line a minute; only a refused token stops
        it, and the process with it."""
        quiet = Quiet(log)
        marker = self._marker.load()
        attempt = 0
        while not self._stopped.is_set():
            self._waiting = True
            try:
                answer = await self.bot.get_updates(
                    limit=POLL_LIMIT, timeout=self._wait, marker=marker, types=UPDATE_TYPES
                )
            except InvalidToken as exc:
                raise Fatal("MAX refuses the token (401): check MAX_BOT_TOKEN") from exc
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                answer = None
                quiet.warning("poll", "MAX long poll failed: %s; trying again", _why(exc))
            finally:
                self._waiting = False
            updates = answer.get("updates") if isinstance(answer, dict) else None
            if not isinstance(updates, list):
                attempt += 1
                await asyncio.sleep(min(backoff(attempt), 30))
                continue
            attempt = 0
            await self._handle_all(updates)
            following = answer.get("marker") if isinstance(answer, dict) else None
            if isinstance(following, int) and following != marker:
                # The marker moves on only now: what was in hand at a crash is read again.
                marker = following
                await asyncio.to_thread(self._marker.save, marker)

    def attach(self, server: WebhookServer, path: str = "/max") -> None:
        server.app.router.add_post(path, self._on_post)

    async def _on_post(self, request: web.Request) -> web.Response:
        """One update posted by MAX, answered only once it is handled (committed), so that
        an instance that dies leaves MAX to post it again."""
        assert self._webhook is not None
        given = request.headers.get(SECRET_HEADER)
        if given is None or not same_secret(given, self._webhook[1]):
            return web.Response(status=403, text="wrong secret")
        if request.content_type != "application/json":
            return web.Response(status=415, text="json only")
        body = await read_capped(request, WEBHOOK_BODY_LIMIT)
        try:
            update = orjson.loads(body)  # refuses nesting deeper than 1,024
        except orjson.JSONDecodeError:
            return web.Response(status=400, text="bad json")
        if not isinstance(update, dict):
            return web.Response(status=400, text="bad update")
        try:
            await self._handle(update)
        except Exception:
            # A broken update must not make MAX post it for ever.
            log.exception("a MAX update could not be handled")
        return web.Response(text="ok")

    async def run(self) -> None:
        self._task = asyncio.current_task()
        try:
            await self._introduce()
            if self._webhook is not None:
                await self._until_done(
                    "subscriptions",
                    lambda: self.bot.subscribe_webhook(
                        self._webhook[0],  # type: ignore[index]
                        update_types=list(UPDATE_TYPES),
                        secret=self._webhook[1],  # type: ignore[index]
                    ),
                )
                log.info("MAX webhook set")
                await self._stopped.wait()
            else:
                await self._poll()
        except asyncio.CancelledError:
            pass  # stop(): the long-poll request in flight is simply dropped
        finally:
            await self.bot.close_session()

    async def _introduce(self) -> None:
        """Who the bot is (its name makes the deep links), and its command menu; the menu is
        cosmetic, a failure to set it never stops the bot."""
        me = await self._until_done("me", self.bot.get_me)
        self._username = getattr(me, "username", None) or None
        locale = self._renderer.default
        commands = [
            BotCommand(
                name=name,
                description=self._renderer.render_plain(locale, (Text(f"cmd-{name}"),)),
            )
            for name in CITIZEN_MENU
        ]
        try:
            await self.bot.set_commands(*commands)
        except Exception as exc:
            log.warning("MAX command menu not set: %s", _why(exc))

    async def _until_done(self, what: str, call: Callable[[], Awaitable[Any]]) -> Any:
        """A call made at start, however long MAX takes to answer it; a refused token stops
        the process."""
        quiet = Quiet(log)
        attempt = 0
        while True:
            try:
                return await call()
            except InvalidToken as exc:
                raise Fatal("MAX refuses the token (401): check MAX_BOT_TOKEN") from exc
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                attempt += 1
                quiet.warning(what, "MAX %s failed: %s; trying again", what, _why(exc))
                await asyncio.sleep(min(backoff(attempt), 30))

    async def stop(self) -> None:
        self._stopped.set()
        # Waiting for updates: no more wait. Handling them: they are finished first.
        task = self._task
        if (self._webhook is not None or self._waiting) and task is not None and not task.done():
            task.cancel()

    # --- delivery: the planner's primitive calls (bot/planner.py decides which) ----------

    async def deliver(self, message: Outgoing, steps: Steps) -> Sent | None:
        return await planner.deliver(self, message, steps)

    def render(self, message: Outgoing, texts: tuple[Text, ...]) -> str:
        return self._renderer.render(message.locale, texts, plain=message.plain)

    async def deep_link(self, target: str) -> str:
        if self._username is None:
            me = await self.bot.get_me()
            self._username = getattr(me, "username", None) or None
        return qr.max_link(self._username or "", target)

    def _keyboard(self, message: Outgoing, rows: Rows) -> AttachmentButton | None:
        if not rows:
            return None
        buttons: list[list[Any]] = []
        for row in rows:
            line: list[Any] = []
            for button in row:
                label = self._renderer.render_plain(
                    message.locale, (button.label,), plain=message.plain
                )[: CAPABILITIES.label_limit]
                if button.url:
                    line.append(LinkButton(text=label, url=button.url))
                else:
                    line.append(CallbackButton(text=label, payload=button.payload))
            buttons.append(line)
        return AttachmentButton.model_validate(
            {"type": AttachmentType.INLINE_KEYBOARD, "payload": ButtonsPayload(buttons=buttons)}
        )

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
        keyboard = self._keyboard(message, rows)
        parts: list[Any] = [_file(reference) for reference in attachments]
        if keyboard is not None:
            parts.append(keyboard)
        sent = await steps.call(
            lambda: self.bot.send_message(
                *_target(message.chat.chat_id),
                text=text,
                attachments=parts or None,
                format=TextFormat.HTML,
            )
        )
        body = sent.message.body if sent is not None else None
        return str(body.mid) if body is not None else ""

    async def attach_upload(self, message: Outgoing, upload: Upload, steps: Steps) -> str | None:
        """A file the bot made, put on MAX's upload server: what a message attaches; None
        (and a log line) if MAX refuses it for good."""
        kind = UploadType.IMAGE if upload.kind is AttachmentKind.PHOTO else UploadType.FILE

        async def put() -> str:
            uploaded = await self.bot.get_upload_url(kind)
            # Posted here, not by maxapi's upload_file_buffer: that one appends the extension
            # it guesses from the bytes, and takes a spreadsheet (a zip) for "….xlsx.docx".
            form = FormData(quote_fields=False)
            content_type = mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
            form.add_field("data", upload.data, filename=upload.name, content_type=content_type)
            session = await self.bot.ensure_session()
            async with session.post(uploaded.url, data=form) as response:
                if response.status >= 400:
                    raise MaxApiError(code=response.status, raw={"code": "upload"})
                answer = await response.text()
            return f"{kind.value}:{_token(kind, answer)}"

        try:
            return await steps.call(put)
        except (MaxApiError, MaxUploadFileFailed, ValueError) as exc:
            if verdict(exc).retry and not isinstance(exc, MaxUploadFileFailed | ValueError):
                raise
            log.warning("file upload to MAX failed: %s", _why(exc))
            return None

    async def edit(self, message: Outgoing, text: str, rows: Rows, steps: Steps) -> bool:
        """A live card edited in place (PUT /messages); False when MAX will not (then it is
        sent anew). A refusal for now is tried again, as an edit."""
        if not message.edit_id:
            return False
        keyboard = self._keyboard(message, rows)
        # No keyboard: an empty list takes the old one away.
        parts: list[Any] = [keyboard] if keyboard is not None else []

        async def edit() -> bool:
            try:
                await self.bot.edit_message(
                    message_id=message.edit_id or "",
                    text=text,
                    attachments=parts,
                    format=TextFormat.HTML,
                )
            except MaxApiError as exc:
                if verdict(exc).retry:
                    raise
                return False
            return True

        return await steps.call(edit)

    # --- mailings -----------------------------------------------------------------------

    async def mail(self, chats: list[str], message: Outgoing, key: int) -> dict[str, Outcome]:
        pacer = self._deliverer.pacers[Platform.MAX]
        text = self._renderer.render(message.locale, message.texts, plain=message.plain)
        keyboard = self._keyboard(message, lay_out(message.keyboard, CAPABILITIES))
        pieces = split_html(text, MESSAGE_LIMIT)
        files = [_file(f.file_id) for f in message.files if f.platform in ("", Platform.MAX)]
        outcomes: dict[str, Outcome] = {}
        for chat in chats:
            calls: list[Callable[[], Awaitable[object]]] = []
            for number, piece in enumerate(pieces, start=1):
                attached: list[Any] = list(files) if number == 1 else []
                if number == len(pieces) and keyboard is not None:
                    attached.append(keyboard)

                def send(
                    piece: str = piece, attached: list[Any] = attached, chat: str = chat
                ) -> Awaitable[object]:
                    return self.bot.send_message(
                        *_target(chat),
                        text=piece,
                        attachments=attached or None,
                        format=TextFormat.HTML,
                    )

                calls.append(send)
            outcomes[chat] = await mail_in_turn(calls, pacer, verdict, log)
        return outcomes


def _token(kind: UploadType, answer: str) -> str:
    """The token in the upload server's answer: ``{"photos": {<id>: {"token": …}}}`` for a
    picture, ``{"token": …}`` for a file."""
    data = json.loads(answer)
    if kind is UploadType.IMAGE:
        photos = data.get("photos") if isinstance(data, dict) else None
        first = next(iter(photos.values()), None) if isinstance(photos, dict) else None
        token = first.get("token") if isinstance(first, dict) else None
    else:
        token = data.get("token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        raise ValueError("no token in the upload server's answer")
    return token


def _why(exc: BaseException) -> str:
    """A refusal in a log line: its status and MAX's code, never the request (no token, no
    personal data)."""
    if isinstance(exc, MaxApiError):
        code = exc.raw.get("code") if isinstance(exc.raw, dict) else None
        return f"HTTP {exc.code}" + (f" {code}" if isinstance(code, str) else "")
    return type(exc).__name__
