"""The Telegram channel (aiogram 3): Update -> Incoming, Outgoing -> Bot API calls."""

from __future__ import annotations

import asyncio
import html
import logging
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

from bot import qr
from bot.delivery import Deliverer, Outcome, Steps
from bot.i18n import Renderer
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

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096
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
MEDIA_GROUP_LIMIT = 10
CAPTION_LIMIT = 1024
# A mailing message is tried this many times through 429s and network errors (the retry
# policy of bot/retry.py); then it is recorded as failed.
MAIL_ATTEMPTS = 5
# What the Bot API says when a chat is gone for good.
GONE = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "bot was kicked",
    "chat_write_forbidden",
)
# The command menu: citizens' commands for everyone, and the operators' too in their chats.
MENU_COMMANDS = (
    "start",
    "new",
    "my",
    "faq",
    "info",
    "propose",
    "polls",
    "discussions",
    "groups",
    "corruption",
    "opendata",
    "mydata",
    "forget",
    "lang",
    "access",
    "help",
    "cancel",
)
OPERATOR_COMMANDS = (
    "queue",
    "take",
    "reply",
    "templates",
    "ask",
    "close",
    "assign",
    "merge",
    "history",
    "extend",
    "faqstats",
    "proposals",
    "qr",
    "poll_new",
    "poll_list",
    "poll_results",
    "discussion_new",
    "decide",
    "mailing_new",
    "mailings",
    "group_requests",
    "report",
    "usage",
)


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
        session = AiohttpSession(
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

    def _markup(self, message: Outgoing) -> InlineKeyboardMarkup | ForceReply | None:
        keyboard, locale = message.keyboard, message.locale
        if keyboard is None:
            return ForceReply(selective=True) if message.expects_reply else None
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=self._renderer.render_plain(
                            locale, (button.label,), plain=message.plain
                        ),
                        callback_data=None if button.url else button.payload,
                        url=button.url or None,
                    )
                    for button in row
                ]
                for row in keyboard.rows
            ]
        )

    async def deliver(self, message: Outgoing, steps: Steps) -> Sent | None:
        chat_id = int(message.chat.chat_id)
        if message.rename_thread is not None:
            await self._rename_topic(chat_id, message, steps)
            return None
        if message.edit_id is not None and await self._edit(chat_id, message, steps):
            return Sent(message.edit_id, message.thread_id)
        if message.deep_link is not None:
            return await self._send_qr(chat_id, message, message.deep_link, steps)
        thread_id = message.thread_id
        if thread_id is None and message.open_thread is not None:
            thread_id = await self._open_topic(chat_id, message, steps)
        thread = int(thread_id) if thread_id and thread_id.isdigit() else None
        photos = [f.file_id for f in message.files if f.kind is AttachmentKind.PHOTO]
        for i in range(0, len(photos), MEDIA_GROUP_LIMIT):
            group = photos[i : i + MEDIA_GROUP_LIMIT]
            if len(group) == 1:
                await steps.call(
                    lambda group=group: self.bot.send_photo(  # type: ignore[misc]
                        chat_id, group[0], message_thread_id=thread
                    )
                )
            else:
                await steps.call(
                    lambda group=group: self.bot.send_media_group(  # type: ignore[misc]
                        chat_id,
                        [InputMediaPhoto(media=p) for p in group],
                        message_thread_id=thread,
                    )
                )
        for document in message.files:
            if document.kind is AttachmentKind.DOCUMENT:
                await steps.call(
                    lambda document=document: self.bot.send_document(  # type: ignore[misc]
                        chat_id, document.file_id, message_thread_id=thread
                    )
                )
        pieces = split_html(
            self._renderer.render(message.locale, message.texts, plain=message.plain), MESSAGE_LIMIT
        )
        markup = self._markup(message)
        sent_id: str | None = None
        for number, piece in enumerate(pieces, start=1):
            # The buttons go under the last piece, where the reader ends up.
            sent = await steps.call(
                lambda piece=piece, number=number: self.bot.send_message(  # type: ignore[misc]
                    chat_id,
                    piece,
                    message_thread_id=thread,
                    reply_markup=markup if number == len(pieces) else None,
                )
            )
            sent_id = str(sent.message_id)
        for upload in message.uploads:
            await steps.call(
                lambda upload=upload: self._upload(chat_id, upload, thread)  # type: ignore[misc]
            )
        return Sent(sent_id, str(thread) if thread else None)

    # --- mailings -----------------------------------------------------------------------

    mail_batch = 1  # the Bot API sends to one chat per call

    async def mail(self, chats: list[str], message: Outgoing, key: int) -> dict[str, Outcome]:
        outcomes = {}
        for chat in chats:
            outcomes[chat] = await self._mail_one(int(chat), message)
        return outcomes

    async def _mail_one(self, chat_id: int, message: Outgoing) -> Outcome:
        """One recipient: paced by the token's pacer; a 429 pauses every sender for
        ``retry_after`` and the message is tried again; 403 means the person blocked the bot
        (or was deactivated) and is not tried again."""
        pacer = self._deliverer.pacers[Platform.TELEGRAM]
        text = self._renderer.render(message.locale, message.texts, plain=message.plain)
        markup = self._markup(message)
        file = message.files[0] if message.files else None
        calls = []
        if file is not None and len(text) <= CAPTION_LIMIT:
            send = (
                self.bot.send_photo if file.kind is AttachmentKind.PHOTO else self.bot.send_document
            )
            calls.append(lambda: send(chat_id, file.file_id, caption=text, reply_markup=markup))
        else:
            if file is not None:
                send = (
                    self.bot.send_photo
                    if file.kind is AttachmentKind.PHOTO
                    else self.bot.send_document
                )
                calls.append(lambda: send(chat_id, file.file_id))
            pieces = split_html(text, MESSAGE_LIMIT)
            for number, piece in enumerate(pieces, start=1):
                last = number == len(pieces)
                calls.append(
                    lambda piece=piece, last=last: self.bot.send_message(  # type: ignore[misc]
                        chat_id, piece, reply_markup=markup if last else None
                    )
                )
        done = 0
        for attempt in range(1, MAIL_ATTEMPTS + 1):
            try:
                while done < len(calls):
                    async with pacer:
                        await calls[done]()
                    done += 1
                return Outcome.SENT
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                judged = verdict(exc)
                if not judged.retry:
                    if judged.reason in ("blocked", "gone"):
                        return Outcome.BLOCKED
                    log.warning("a mailing message was refused: %s", type(exc).__name__)
                    return Outcome.FAILED
                if judged.pause and judged.after:
                    pacer.pause(judged.after)  # everyone on the token waits; then again
                    continue
                log.info("a mailing message will be retried: %s", type(exc).__name__)
                await asyncio.sleep(backoff(attempt))
        return Outcome.FAILED

    async def _upload(self, chat_id: int, upload: Upload, thread: int | None) -> None:
        """A file the bot made: a picture as a photo, anything else as a document."""
        file = BufferedInputFile(upload.data, filename=upload.name)
        if upload.kind is AttachmentKind.PHOTO:
            await self.bot.send_photo(chat_id, file, message_thread_id=thread)
        else:
            await self.bot.send_document(chat_id, file, message_thread_id=thread)

    async def _send_qr(self, chat_id: int, message: Outgoing, target: str, steps: Steps) -> Sent:
        me = await self.bot.me()
        link = qr.telegram_link(me.username or "", target)
        caption = self._renderer.render(message.locale, message.texts, plain=message.plain)
        thread_id = message.thread_id or ""
        thread = int(thread_id) if thread_id.isdigit() else None
        sent = await steps.call(
            lambda: self.bot.send_photo(
                chat_id,
                BufferedInputFile(qr.png(link), filename=f"qr-{target}.png"),
                caption=f"{caption}\n{html.escape(link)}",
                message_thread_id=thread,
            )
        )
        return Sent(str(sent.message_id), message.thread_id)

    async def _has_topics(self, chat_id: int, steps: Steps) -> bool:
        """Whether a group is a forum; asked once per chat (private chats never are). When
        Telegram cannot say for now, the message is tried again later."""
        if chat_id > 0:
            return False
        if chat_id not in self._forums:
            try:
                chat = await steps.call(lambda: self.bot.get_chat(chat_id))
            except Exception as exc:
                if _retryable(exc):
                    raise
                # The announcement goes out to the general chat anyway.
                log.warning("getChat of a staff chat failed: %s", type(exc).__name__)
                return False
            self._forums[chat_id] = bool(chat.is_forum)
        return self._forums[chat_id]

    def _topic_name(self, locale: str, title: Text) -> str:
        name = self._renderer.render_plain(locale, (title,))
        return name[:TOPIC_NAME_LIMIT] or "—"

    async def _open_topic(self, chat_id: int, message: Outgoing, steps: Steps) -> str | None:
        """A topic of its own for the appeal; None (the general chat) when there cannot be
        one: no topics, or the bot may not manage them."""
        assert message.open_thread is not None
        if not await self._has_topics(chat_id, steps):
            return None
        name = self._topic_name(message.locale, message.open_thread)
        try:
            topic = await steps.call(lambda: self.bot.create_forum_topic(chat_id, name))
        except Exception as exc:
            if _retryable(exc):
                raise
            log.warning("createForumTopic failed: %s", type(exc).__name__)
            return None
        return str(topic.message_thread_id)

    async def _rename_topic(self, chat_id: int, message: Outgoing, steps: Steps) -> None:
        assert message.rename_thread is not None
        if not (message.thread_id or "").isdigit():
            return
        name = self._topic_name(message.locale, message.rename_thread)
        try:
            await steps.call(
                lambda: self.bot.edit_forum_topic(chat_id, int(message.thread_id or 0), name=name)
            )
        except Exception as exc:
            if _retryable(exc):
                raise
            # e.g. TOPIC_NOT_MODIFIED, or a topic someone deleted: the title is cosmetic.
            log.info("editForumTopic failed: %s", type(exc).__name__)

    async def _edit(self, chat_id: int, message: Outgoing, steps: Steps) -> bool:
        """Edit a live card in place; False when it cannot be (deleted, too old, too long):
        then it is sent anew. A refusal for now (429, 5xx) is tried again, as an edit."""
        text = self._renderer.render(message.locale, message.texts, plain=message.plain)
        markup = self._markup(message)
        if len(text) > MESSAGE_LIMIT or not (message.edit_id or "").isdigit():
            return False

        async def edit() -> bool:
            try:
                await self.bot.edit_message_text(
                    text,
                    chat_id=chat_id,
                    message_id=int(message.edit_id or 0),
                    reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
                )
            except TelegramBadRequest as exc:
                # Nothing changed on the card: that is as good as an edit.
                return "not modified" in str(exc)
            return True

        return await steps.call(edit)

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
            (BotCommandScopeDefault(), MENU_COMMANDS)
        ]
        scopes += [
            (BotCommandScopeChat(chat_id=chat_id), MENU_COMMANDS + OPERATOR_COMMANDS)
            for chat_id in self._operator_ids
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
