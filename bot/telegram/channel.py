"""The Telegram channel (aiogram 3): Update -> Incoming, Outgoing -> Bot API calls."""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Sequence
from typing import Any

import orjson
from aiogram import Bot, Dispatcher, Router, methods
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatType, ContentType, ParseMode
from aiogram.exceptions import (
    ClientDecodeError,
    RestartingTelegram,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods.base import Response, TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    BufferedInputFile,
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    Update,
)
from aiohttp import BytesPayload

from bot import planner, qr
from bot.capabilities import Capabilities, Rows, lay_out
from bot.delivery import Deliverer, Outcome, Steps
from bot.i18n import Renderer
from bot.mail_calls import mail_in_turn
from bot.retry import Fatal, Quiet, Verdict, backoff, transient, unexpected
from bot.telegram.polling import ALLOWED_UPDATES, ConfirmingPoller, committed
from bot.telegram.webhook_guard import GuardedRequestHandler
from bot.textsplit import split_html
from bot.webhook import WebhookServer
from handlers.contracts import (
    Attachment,
    AttachmentKind,
    Incoming,
    Location,
    Outgoing,
    Platform,
    Sent,
    Text,
    Upload,
)
from handlers.core import ConversationCore
from handlers.features import CITIZEN_MENU, STAFF_MENU

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096
MEDIA_GROUP_LIMIT = 10
CAPTION_LIMIT = 1024
CAPABILITIES = Capabilities(
    message_limit=MESSAGE_LIMIT,
    label_limit=64,
    buttons_per_row=8,
    button_rows=100,
    buttons_total=100,
    edits=True,
    forum_topics=True,
    forced_reply=True,
    album=MEDIA_GROUP_LIMIT,
    caption_limit=CAPTION_LIMIT,
)
TOPIC_NAME_LIMIT = 128
# What a group shows of its own life (topics opened or renamed, members, pins): not for us.
SERVICE_CONTENT = frozenset(
    {
        ContentType.FORUM_TOPIC_CREATED,
        ContentType.FORUM_TOPIC_EDITED,
        ContentType.FORUM_TOPIC_CLOSED,
        ContentType.FORUM_TOPIC_REOPENED,
        ContentType.GENERAL_FORUM_TOPIC_HIDDEN,
        ContentType.GENERAL_FORUM_TOPIC_UNHIDDEN,
        ContentType.NEW_CHAT_MEMBERS,
        ContentType.LEFT_CHAT_MEMBER,
        ContentType.NEW_CHAT_TITLE,
        ContentType.NEW_CHAT_PHOTO,
        ContentType.DELETE_CHAT_PHOTO,
        ContentType.PINNED_MESSAGE,
    }
)
# What the Bot API says when a chat is gone for good.
GONE = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "bot was kicked",
    "chat_write_forbidden",
)


def _thread(thread: str | None) -> int | None:
    return int(thread) if thread and thread.isdigit() else None


def _attachments(message: Message) -> tuple[Attachment, ...]:
    if message.photo:
        # The largest size is the last one.
        largest = message.photo[-1]
        return (Attachment(AttachmentKind.PHOTO, largest.file_id, size=largest.file_size),)
    if message.document:
        document = message.document
        return (
            Attachment(
                AttachmentKind.DOCUMENT,
                document.file_id,
                name=document.file_name or "",
                size=document.file_size,
            ),
        )
    if message.voice or message.video_note or message.audio:
        return (Attachment(AttachmentKind.VOICE),)
    if message.sticker:
        return (Attachment(AttachmentKind.STICKER),)
    if message.video or message.animation:
        return (Attachment(AttachmentKind.VIDEO),)
    if message.text is None and message.location is None and message.caption is None:
        # Contacts, polls, dice, service messages...: something that is not text.
        return (Attachment(AttachmentKind.OTHER),)
    return ()


def message_to_incoming(message: Message, update_id: int | None = None) -> Incoming | None:
    user = message.from_user
    if user is None or user.is_bot or message.content_type in SERVICE_CONTENT:
        return None
    location = (
        Location(message.location.latitude, message.location.longitude)
        if message.location
        else None
    )
    return Incoming(
        platform=Platform.TELEGRAM,
        user_id=str(user.id),
        chat_id=str(message.chat.id),
        is_group=message.chat.type != ChatType.PRIVATE,
        text=message.text or message.caption or "",
        attachments=_attachments(message),
        location=location,
        display_name=user.full_name,
        language_code=user.language_code,
        update_id=str(update_id or ""),
        # A chat's message ids never repeat: the same message delivered again is known.
        delivery_key=f"m:{message.chat.id}:{message.message_id}",
        thread_id=str(message.message_thread_id)
        if message.is_topic_message and message.message_thread_id
        else None,
        reply_to=str(message.reply_to_message.message_id) if message.reply_to_message else None,
    )


def _thread_of(message: object) -> str | None:
    """The forum topic a (still accessible) message is in."""
    if isinstance(message, Message) and message.is_topic_message and message.message_thread_id:
        return str(message.message_thread_id)
    return None


def callback_to_incoming(query: CallbackQuery, update_id: int | None = None) -> Incoming:
    user = query.from_user
    chat = query.message.chat if query.message is not None else None
    return Incoming(
        platform=Platform.TELEGRAM,
        user_id=str(user.id),
        chat_id=str(chat.id if chat else user.id),
        is_group=chat is not None and chat.type != ChatType.PRIVATE,
        payload=query.data or "",
        thread_id=_thread_of(query.message),
        display_name=user.full_name,
        language_code=user.language_code,
        update_id=str(update_id or ""),
        delivery_key=f"c:{query.id}" if query.id else None,
    )


def verdict(exc: BaseException) -> Verdict:
    """What a refusal of the Bot API means (bot/retry.py: one policy for replies and
    mailings)."""
    if isinstance(exc, TelegramRetryAfter):
        return Verdict(True, "busy", after=float(exc.retry_after), pause=True)
    if isinstance(exc, TelegramForbiddenError):
        return Verdict(False, "blocked")
    if isinstance(exc, TelegramNotFound):
        return Verdict(False, "gone")
    if isinstance(exc, TelegramBadRequest):
        description = exc.message.lower()
        if any(words in description for words in GONE):
            return Verdict(False, "gone")
        return Verdict(False, f"other|{exc.message[:150]}")
    if isinstance(
        exc,
        TelegramServerError
        | TelegramNetworkError
        | ClientDecodeError
        | RestartingTelegram
        | TelegramConflictError
        # A revoked token stops the poll (and the process) anyway; until then, nothing is lost.
        | TelegramUnauthorizedError,
    ):
        return Verdict(True, f"unavailable|{type(exc).__name__}")
    return transient(exc) or unexpected(exc)


def _retryable(exc: BaseException) -> bool:
    return verdict(exc).retry


def _response_types() -> tuple[type, ...]:
    """aiogram reads every answer through ``Response[<method's result type>]``, a pydantic
    generic class that pydantic caches only weakly: once the garbage collector takes one,
    the next request builds it again, which cost more than handling the update itself
    (bench/inbound.py). Built once here and held, they stay cached."""
    held = []
    for name in dir(methods):
        method = getattr(methods, name)
        if (
            isinstance(method, type)
            and issubclass(method, TelegramMethod)
            and method is not TelegramMethod
        ):
            returning = getattr(method, "__returning__", None)
            if returning is not None:
                held.append(Response[returning])  # type: ignore[valid-type]
    return tuple(held)


_RESPONSE_TYPES = _response_types()


def _json(value: Any) -> str:
    """JSON for the Bot API through orjson: every answer is parsed, and the standard module's
    parsing was most of what reading getUpdates cost (bench/inbound.py)."""
    return orjson.dumps(value).decode()


class JsonSession(AiohttpSession):
    """Requests without files as one JSON body, which the Bot API accepts, rather than a
    form whose every field aiogram dumps and aiohttp percent-encodes: at a paid broadcast's
    1,000 messages a second that encoding was a tenth of the bot's time (bench/mailer.py)."""

    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        files: dict[str, Any] = {}
        body = {
            key: prepared
            for key, value in method.model_dump(warnings=False).items()
            if (prepared := self.prepare_value(value, bot=bot, files=files, _dumps_json=False))
            is not None
        }
        if files:  # an upload: the form it needs
            return super().build_form_data(bot, method)
        return BytesPayload(orjson.dumps(body), content_type="application/json")


class TelegramChannel:
    platform = Platform.TELEGRAM

    def __init__(
        self,
        *,
        token: str,
        api_url: str,
        core: ConversationCore,
        renderer: Renderer,
        deliverer: Deliverer,
        operator_ids: tuple[int, ...] = (),
        polling_timeout: int = 30,
        webhook: tuple[str, str] | None = None,
        request_timeout: float = 20.0,
    ) -> None:
        """``webhook``: (public URL, secret token) to be served by webhook instead of polling."""
        self._webhook = webhook
        self._stopped = asyncio.Event()
        self._operator_ids = operator_ids
        # Which staff groups have topics (getChat), asked once per chat.
        self._forums: dict[int, bool] = {}
        self._task: asyncio.Task[None] | None = None
        self._polling = False
        self._core = core
        self._renderer = renderer
        self._deliverer = deliverer
        # Per mailing: paid broadcast messages accepted, not yet recorded by the mailer.
        self._paid_calls: collections.Counter[int] = collections.Counter()
        # Mailing messages rendered, by the identity of the message (kept, so it stays unique).
        self._rendered: collections.OrderedDict[
            int, tuple[Outgoing, str, InlineKeyboardMarkup | None]
        ] = collections.OrderedDict()
        session = JsonSession(
            api=TelegramAPIServer.from_base(api_url),
            json_loads=orjson.loads,
            json_dumps=_json,
            # A request that hangs is abandoned well under a minute and tried again; the long
            # poll sets its own.
            timeout=request_timeout,
        )
        self.bot = Bot(
            token,
            session=session,
            default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
        )
        # Conversation state lives in our database: aiogram's own FSM would only cost time.
        self.dispatcher = Dispatcher(disable_fsm=True)
        self.dispatcher.include_router(self._router())
        self._poller = ConfirmingPoller(self.bot, self.dispatcher, timeout=polling_timeout)

    def _router(self) -> Router:
        router = Router(name="conversation")
        router.message.register(self._on_message)
        router.callback_query.register(self._on_callback)
        return router

    async def _addressed_elsewhere(self, incoming: Incoming) -> bool:
        """In a group, ``/cmd@other_bot`` is for another bot."""
        first = incoming.text.split(maxsplit=1)[0] if incoming.text.startswith("/") else ""
        if not incoming.is_group or "@" not in first:
            return False
        me = await self.bot.me()
        return first.partition("@")[2].lower() != (me.username or "").lower()

    async def _on_message(self, message: Message, event_update: Update) -> None:
        incoming = message_to_incoming(message, event_update.update_id)
        if incoming is not None and not await self._addressed_elsewhere(incoming):
            await self._handle(incoming)

    async def _on_callback(self, query: CallbackQuery, event_update: Update) -> None:
        try:
            # Stop the button's spinner first; the reply comes as a message.
            await query.answer()
        except TelegramAPIError as exc:
            log.info("answerCallbackQuery failed: %s", type(exc).__name__)
        await self._handle(callback_to_incoming(query, event_update.update_id))

    async def _handle(self, incoming: Incoming) -> None:
        replies = await self._core.handle(incoming)
        # Committed (or refused with nothing to commit), the replies in the outbox with it:
        # a redelivery would change nothing, so the poll may confirm it (and a webhook is
        # answered) while the replies go out on their own.
        committed()
        self._deliverer.post(replies)

    verdict = staticmethod(verdict)

    def _markup(self, message: Outgoing, rows: Rows) -> InlineKeyboardMarkup | None:
        if not rows:
            return None
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=self._renderer.render_plain(
                            message.locale, (button.label,), plain=message.plain
                        ),
                        callback_data=None if button.url else button.payload,
                        url=button.url or None,
                    )
                    for button in row
                ]
                for row in rows
            ]
        )

    # --- delivery: the planner's primitive calls (bot/planner.py decides which) --------------

    capabilities = CAPABILITIES

    async def deliver(self, message: Outgoing, steps: Steps) -> Sent | None:
        return await planner.deliver(self, message, steps)

    def render(self, message: Outgoing, texts: tuple[Text, ...]) -> str:
        return self._renderer.render(message.locale, texts, plain=message.plain)

    async def deep_link(self, target: str) -> str:
        me = await self.bot.me()
        return qr.telegram_link(me.username or "", target)

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
        markup = ForceReply(selective=True) if ask_reply else self._markup(message, rows)
        sent = await steps.call(
            lambda: self.bot.send_message(
                int(message.chat.chat_id),
                text,
                message_thread_id=_thread(thread),
                reply_markup=markup,
            )
        )
        return str(sent.message_id)

    async def send_photos(
        self, message: Outgoing, photos: Sequence[Attachment], *, thread: str | None, steps: Steps
    ) -> None:
        chat_id = int(message.chat.chat_id)
        file_ids = [photo.file_id for photo in photos]
        if len(file_ids) == 1:
            await steps.call(
                lambda: self.bot.send_photo(chat_id, file_ids[0], message_thread_id=_thread(thread))
            )
        else:
            await steps.call(
                lambda: self.bot.send_media_group(
                    chat_id,
                    [InputMediaPhoto(media=p) for p in file_ids],
                    message_thread_id=_thread(thread),
                )
            )

    async def send_document(
        self, message: Outgoing, document: Attachment, *, thread: str | None, steps: Steps
    ) -> None:
        await steps.call(
            lambda: self.bot.send_document(
                int(message.chat.chat_id), document.file_id, message_thread_id=_thread(thread)
            )
        )

    async def send_upload(
        self,
        message: Outgoing,
        upload: Upload,
        *,
        thread: str | None,
        caption: str | None,
        steps: Steps,
    ) -> str:
        """A file the bot made: a picture as a photo, anything else as a document."""
        chat_id = int(message.chat.chat_id)

        async def send() -> Message:
            file = BufferedInputFile(upload.data, filename=upload.name)
            if upload.kind is AttachmentKind.PHOTO:
                return await self.bot.send_photo(
                    chat_id, file, caption=caption, message_thread_id=_thread(thread)
                )
            return await self.bot.send_document(
                chat_id, file, caption=caption, message_thread_id=_thread(thread)
            )

        sent = await steps.call(send)
        return str(sent.message_id)

    async def edit(self, message: Outgoing, text: str, rows: Rows, steps: Steps) -> bool:
        """A live card edited in place; False when it cannot be (deleted, too old): then it is
        sent anew. A refusal for now (429, 5xx) is tried again, as an edit."""
        if not (message.edit_id or "").isdigit():
            return False
        markup = self._markup(message, rows)

        async def edit() -> bool:
            try:
                await self.bot.edit_message_text(
                    text,
                    chat_id=int(message.chat.chat_id),
                    message_id=int(message.edit_id or 0),
                    reply_markup=markup,
                )
            except TelegramBadRequest as exc:
                # Nothing changed on the card: that is as good as an edit.
                return "not modified" in str(exc)
            return True

        return await steps.call(edit)

    def thread_title(self, message: Outgoing, title: Text) -> str:
        name = self._renderer.render_plain(message.locale, (title,))
        return name[:TOPIC_NAME_LIMIT] or "—"

    async def _is_forum(self, chat_id: int) -> bool:
        """Whether a group is a forum, asked once per chat. Called through ``steps`` every
        time, answered from memory after the first, so a retried message makes its calls in
        the same order."""
        if chat_id not in self._forums:
            try:
                chat = await self.bot.get_chat(chat_id)
            except Exception as exc:
                if _retryable(exc):
                    raise
                # The announcement goes out to the general chat anyway.
                log.warning("getChat of a staff chat failed: %s", type(exc).__name__)
                return False
            self._forums[chat_id] = bool(chat.is_forum)
        return self._forums[chat_id]

    async def open_thread(self, message: Outgoing, title: str, steps: Steps) -> str | None:
        """A topic of its own for the appeal; None (the general chat) when there cannot be
        one: no topics, or the bot may not manage them."""
        chat_id = int(message.chat.chat_id)
        # A private chat never has topics (known without asking: the same on every try); a
        # group is asked through the message's steps, so a retry replays the same calls.
        if chat_id > 0 or not await steps.call(lambda: self._is_forum(chat_id)):
            return None
        try:
            topic = await steps.call(lambda: self.bot.create_forum_topic(chat_id, title))
        except Exception as exc:
            if _retryable(exc):
                raise
            log.warning("createForumTopic failed: %s", type(exc).__name__)
            return None
        return str(topic.message_thread_id)

    async def rename_thread(self, message: Outgoing, title: str, steps: Steps) -> None:
        thread = _thread(message.thread_id)
        if thread is None:
            return
        try:
            await steps.call(
                lambda: self.bot.edit_forum_topic(int(message.chat.chat_id), thread, name=title)
            )
        except Exception as exc:
            if _retryable(exc):
                raise
            # e.g. TOPIC_NOT_MODIFIED, or a topic someone deleted: the title is cosmetic.
            log.info("editForumTopic failed: %s", type(exc).__name__)

    # --- mailings -----------------------------------------------------------------------

    mail_batch = 1  # the Bot API sends to one chat per call

    async def mail(self, chats: list[str], message: Outgoing, key: int) -> dict[str, Outcome]:
        outcomes = {}
        for chat in chats:
            outcomes[chat] = await self._mail_one(int(chat), message, key)
        return outcomes

    def paid_calls(self, key: int) -> int:
        """The paid broadcast's messages Telegram accepted since last asked (each costs)."""
        return self._paid_calls.pop(key, 0)

    def _mail_rendered(self, message: Outgoing) -> tuple[str, InlineKeyboardMarkup | None]:
        """A mailing's text and buttons, rendered once for all who read the same message."""
        found = self._rendered.get(id(message))
        if found is not None and found[0] is message:
            return found[1], found[2]
        text = self._renderer.render(message.locale, message.texts, plain=message.plain)
        markup = self._markup(message, lay_out(message.keyboard, CAPABILITIES))
        self._rendered[id(message)] = (message, text, markup)
        while len(self._rendered) > 32:  # the messages of the chunks being sent
            self._rendered.popitem(last=False)
        return text, markup

    async def _mail_one(self, chat_id: int, message: Outgoing, key: int) -> Outcome:
        """One recipient: paced by the token's pacer; a 429 pauses every sender for
        ``retry_after`` and the message is tried again; 403 means the person blocked the bot
        (or was deactivated) and is not tried again. A paid broadcast goes by the paid pacer
        (up to 1,000 a second) with allow_paid_broadcast, each accepted message counted."""
        paid_pacer = self._deliverer.paid_pacer if message.paid_broadcast else None
        paid = paid_pacer is not None
        pacer = paid_pacer or self._deliverer.pacers[Platform.TELEGRAM]
        extra: dict[str, Any] = {"allow_paid_broadcast": True} if paid else {}
        text, markup = self._mail_rendered(message)
        file = message.files[0] if message.files else None
        calls = []
        if file is not None and len(text) <= CAPTION_LIMIT:
            send = (
                self.bot.send_photo if file.kind is AttachmentKind.PHOTO else self.bot.send_document
            )
            calls.append(
                lambda: send(chat_id, file.file_id, caption=text, reply_markup=markup, **extra)
            )
        else:
            if file is not None:
                send = (
                    self.bot.send_photo
                    if file.kind is AttachmentKind.PHOTO
                    else self.bot.send_document
                )
                calls.append(lambda: send(chat_id, file.file_id, **extra))
            pieces = split_html(text, MESSAGE_LIMIT)
            for number, piece in enumerate(pieces, start=1):
                last = number == len(pieces)
                calls.append(
                    lambda piece=piece, last=last: self.bot.send_message(  # type: ignore[misc]
                        chat_id, piece, reply_markup=markup if last else None, **extra
                    )
                )

        def made() -> None:
            self._paid_calls[key] += 1

        return await mail_in_turn(calls, pacer, verdict, log, made if paid else None)

    def _commands(self, names: tuple[str, ...], locale: str) -> list[BotCommand]:
        return [
            BotCommand(
                command=name,
                description=self._renderer.render_plain(locale, (Text(f"cmd-{name}"),)),
            )
            for name in names
        ]

    async def _set_commands(self) -> None:
        """The command menu is cosmetic: a failure is logged and never stops the bot."""
        scopes: list[tuple[BotCommandScopeDefault | BotCommandScopeChat, tuple[str, ...]]] = [
            (BotCommandScopeDefault(), CITIZEN_MENU)
        ]
        scopes += [
            (BotCommandScopeChat(chat_id=chat_id), STAFF_MENU) for chat_id in self._operator_ids
        ]
        for scope, names in scopes:
            for locale in self._renderer.locales:
                language = None if locale == self._renderer.default else locale
                try:
                    await self.bot.set_my_commands(
                        self._commands(names, locale), scope=scope, language_code=language
                    )
                except Exception as exc:
                    # e.g. an operator who has not opened the bot yet: "chat not found".
                    log.warning("setMyCommands (%s) failed: %s", locale, type(exc).__name__)

    def attach(self, server: WebhookServer, path: str = "/telegram") -> None:
        """Serve updates posted to ``path``. Each is answered only once handled, so what it
        changed is committed first: if this instance dies, Telegram delivers it again."""
        assert self._webhook is not None
        GuardedRequestHandler(
            self.dispatcher, self.bot, secret_token=self._webhook[1], handle_in_background=False
        ).register(server.app, path=path)

    async def run(self) -> None:
        self._task = asyncio.current_task()
        try:
            await self._set_commands()
        except asyncio.CancelledError:
            await self.bot.session.close()  # stopped while starting up
            return
        if self._webhook is not None:
            await self._set_webhook(*self._webhook)
            log.info("Telegram webhook set")
            await self._stopped.wait()
            await self.bot.session.close()
            return
        self._polling = True
        try:
            await self._poller.run(self._stopped)
        except asyncio.CancelledError:
            pass  # stop(): the long-poll request in flight is simply dropped
        finally:
            await self.bot.session.close()

    async def _set_webhook(self, url: str, secret: str) -> None:
        """Told where to post, however long Telegram takes to answer; a refused token stops
        the process."""
        quiet = Quiet(log)
        attempt = 0
        while True:
            try:
                await self.bot.set_webhook(
                    url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
                )
                return
            except TelegramUnauthorizedError as exc:
                raise Fatal("Telegram refuses the token (401): check TELEGRAM_BOT_TOKEN") from exc
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                attempt += 1
                quiet.warning(
                    "setWebhook", "setWebhook failed: %s; trying again", type(exc).__name__
                )
                await asyncio.sleep(min(backoff(attempt), 30))

    async def stop(self) -> None:
        self._stopped.set()
        # Waiting for updates: no more wait. Handling some: they are finished, then the
        # loop ends (the updates in hand are not cut off halfway).
        task = self._task
        if (not self._polling or self._poller.idle) and task is not None and not task.done():
            task.cancel()
