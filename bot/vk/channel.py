"""The VK channel (vkbottle 4, community long poll): event -> Incoming, Outgoing -> API calls."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
from aiohttp import ClientError, web
from vkbottle import (
    API,
    BotPolling,
    DocMessagesUploader,
    OpenLink,
    PhotoMessageUploader,
    VKAPIError,
)
from vkbottle import Keyboard as VkKeyboard
from vkbottle import Text as VkText
from vkbottle.bot import Bot, BotLabeler, Message

from bot import planner, qr
from bot.capabilities import Capabilities, Rows, lay_out
from bot.delivery import Deliverer, Outcome, Steps
from bot.i18n import Renderer, to_plain
from bot.retry import Fatal, Quiet, Verdict, backoff, transient, unexpected
from bot.textsplit import split_html
from bot.webhook import WebhookServer, read_capped, same_secret
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
# Peer ids of group conversations start here; below are private chats with users.
GROUP_CHAT_PEER = 2_000_000_000
# "[club777|@admin] /take 5": a mention of the community in a group conversation.
_MENTION = re.compile(r"^\s*\[club\d+\|[^\]]*\][,:]?\s*")
LABEL_LIMIT = 40
CAPABILITIES = Capabilities(
    message_limit=MESSAGE_LIMIT,
    label_limit=LABEL_LIMIT,
    # Inline keyboards: at most 10 buttons in at most 6 rows of at most 5.
    buttons_per_row=5,
    button_rows=6,
    buttons_total=10,
    edits=True,
    forum_topics=False,
    forced_reply=False,
    album=10,  # photos attached to one message
    caption_limit=0,  # files ride on the text message itself
)
# messages.send takes up to 100 peer_ids: one request for a hundred recipients.
PEERS_PER_SEND = 100
MAIL_ATTEMPTS = 5
# A Callback API event is a few KB; more is not VK.
CALLBACK_BODY_LIMIT = 64 * 1024
TOO_MANY_REQUESTS, FLOOD_CONTROL, SERVER_ERROR = 6, 9, 10
UNKNOWN_ERROR, AUTHORIZATION_FAILED = 1, 5
# The person blocked the community, is on its blacklist, or has not allowed its messages.
UNREACHABLE = frozenset({900, 901, 902})
# Permission denied, no access to the conversation, the conversation is gone.
GONE = frozenset({7, 917, 936, 945, 946})


def verdict(exc: BaseException) -> Verdict:
    """What a refusal of the VK API means (bot/retry.py: one policy for replies and
    mailings)."""
    if isinstance(exc, VKAPIError):
        code = exc.code
        if code in (TOO_MANY_REQUESTS, FLOOD_CONTROL):
            return Verdict(True, "busy")
        if code in (SERVER_ERROR, UNKNOWN_ERROR):
            return Verdict(True, f"unavailable|error {code}")
        if code == AUTHORIZATION_FAILED:
            # A revoked token stops the poll (and the process) anyway.
            return Verdict(True, f"unavailable|error {code}")
        if code in UNREACHABLE:
            return Verdict(False, "blocked")
        if code in GONE:
            return Verdict(False, "gone")
        return Verdict(False, f"other|error {code}")
    return transient(exc) or unexpected(exc)


_KINDS = {
    "photo": AttachmentKind.PHOTO,
    "doc": AttachmentKind.DOCUMENT,
    "audio_message": AttachmentKind.VOICE,
    "audio": AttachmentKind.VOICE,
    "sticker": AttachmentKind.STICKER,
    "graffiti": AttachmentKind.STICKER,
    "video": AttachmentKind.VIDEO,
}


def _attachment(item: Any) -> Attachment:
    kind_name = getattr(item.type, "value", str(item.type))
    kind = _KINDS.get(kind_name, AttachmentKind.OTHER)
    if kind is AttachmentKind.PHOTO and item.photo is not None:
        photo = item.photo
        return Attachment(kind, _reference("photo", photo.owner_id, photo.id, photo.access_key))
    if kind is AttachmentKind.DOCUMENT and item.doc is not None:
        doc = item.doc
        name = doc.title or ""
        if doc.ext and not name.lower().endswith("." + doc.ext.lower()):
            name = f"{name}.{doc.ext}"
        return Attachment(
            kind,
            _reference("doc", doc.owner_id, doc.id, doc.access_key),
            name=name,
            size=doc.size,
        )
    return Attachment(kind)


def _reference(kind: str, owner_id: int, item_id: int, access_key: str | None) -> str:
    """What messages.send takes as an attachment: photo<owner>_<id>[_<access key>]."""
    reference = f"{kind}{owner_id}_{item_id}"
    return f"{reference}_{access_key}" if access_key else reference


def _payload(raw: str | None) -> tuple[str | None, str | None]:
    """(our button payload, a command) from VK's JSON payload; garbled data gives ''."""
    if raw is None:
        return None, None
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return "", None
    if isinstance(data, dict) and data.get("command") == "start":
        return None, "/start"  # VK's own "Начать" button
    if isinstance(data, dict) and isinstance(data.get("p"), str):
        return data["p"], None
    return "", None


def message_to_incoming(message: Message) -> Incoming | None:
    if message.from_id is None or message.from_id <= 0:
        return None  # communities and the bot itself
    payload, command = _payload(message.payload)
    location = None
    if message.geo is not None and message.geo.coordinates is not None:
        location = Location(message.geo.coordinates.latitude, message.geo.coordinates.longitude)
    return Incoming(
        platform=Platform.VK,
        user_id=str(message.from_id),
        chat_id=str(message.peer_id),
        is_group=message.peer_id >= GROUP_CHAT_PEER,
        text=_start_ref(message, command)
        or command
        or _MENTION.sub("", message.text or "", count=1),
        payload=payload,
        attachments=tuple(_attachment(item) for item in message.attachments or ()),
        location=location,
        # Names would cost a users.get call per message; the id links to the profile.
        display_name=f"id{message.from_id}",
        update_id=str(message.conversation_message_id or message.id or ""),
        # Numbered per conversation by VK: the same message delivered again is known.
        delivery_key=f"m:{message.peer_id}:{message.conversation_message_id}"
        if message.conversation_message_id
        else None,
        reply_to=_replied(message),
    )


def _start_ref(message: Message, command: str | None) -> str | None:
    """A deep link (vk.me/club…?ref=faq-…): the first message carries its ref."""
    ref = message.ref or ""
    if ref and (command == "/start" or not (message.text or "").strip()):
        return f"/start {ref[:64]}"
    return None


def _replied(message: Message) -> str | None:
    """The id of the message this one answers: in a private chat, the id messages.send gave
    (in group conversations a community sees only per-conversation ids)."""
    replied = message.reply_message
    if replied is None or message.peer_id >= GROUP_CHAT_PEER or not replied.id:
        return None
    return str(replied.id)


class ResumingPolling(BotPolling):
    """Keeps the long-poll position under our data directory, so events that arrive while the
    bot is down are read after a restart instead of skipped."""

    def __init__(self, state_dir: Path, **kwargs: Any) -> None:
        super().__init__(skip_old_events=False, **kwargs)
        self._state_dir = state_dir

    @property
    def ts_state_path(self) -> Path:
        return self._state_dir / f"vk-longpoll-{self.group_id}.json"


class VkChannel:
    platform = Platform.VK

    def __init__(
        self,
        *,
        token: str,
        group_id: int | None,
        api_url: str,
        core: ConversationCore,
        renderer: Renderer,
        deliverer: Deliverer,
        state_dir: Path,
        wait: int = 25,
        callback: tuple[str, str] | None = None,
    ) -> None:
        """``callback``: (confirmation code, secret key) to be served by the Callback API
        instead of long polling."""
        self._callback = callback
        self._stopped = asyncio.Event()
        self._core = core
        self._group_id = group_id
        self._renderer = renderer
        self._deliverer = deliverer
        self.api = API(token)
        self.api.API_URL = api_url
        labeler = BotLabeler()
        labeler.message()(self._on_message)
        polling = ResumingPolling(state_dir, api=self.api, group_id=group_id, wait=wait)
        self._polling = polling
        self.bot = Bot(api=self.api, labeler=labeler, polling=polling, skip_old_events=False)
        self._task: asyncio.Task[None] | None = None
        self._waiting = False

    async def _on_message(self, message: Message) -> None:
        incoming = message_to_incoming(message)
        if incoming is not None:
            # Committed with its replies in the outbox: they go out on their own.
            self._deliverer.post(await self._core.handle(incoming))

    verdict = staticmethod(verdict)

    def _keyboard(self, rows: Rows, locale: str, *, plain: bool = False) -> str | None:
        if not rows:
            return None
        vk = VkKeyboard(inline=True)
        for row_number, row in enumerate(rows):
            if row_number:
                vk.row()
            for button in row:
                label = self._renderer.render_plain(locale, (button.label,), plain=plain)
                # A JSON string, as VK documents it (at most 255 bytes; ours stay under 80).
                if button.url:
                    vk.add(OpenLink(button.url, label[:LABEL_LIMIT]))
                else:
                    payload = json.dumps({"p": button.payload}, separators=(",", ":"))
                    vk.add(VkText(label[:LABEL_LIMIT], payload=payload))
        return str(vk.get_json())

    # --- delivery: the planner's primitive calls (bot/planner.py decides which) --------------

    capabilities = CAPABILITIES

    async def deliver(self, message: Outgoing, steps: Steps) -> Sent | None:
        return await planner.deliver(self, message, steps)

    def render(self, message: Outgoing, texts: tuple[Text, ...]) -> str:
        # Rendered as HTML so that long texts split without breaking a tag; sent as plain text.
        return self._renderer.render(message.locale, texts, plain=message.plain)

    async def deep_link(self, target: str) -> str:
        # Without VK_GROUP_ID in the settings, polling has learned it from groups.getById.
        group_id = self._group_id or self._polling.group_id
        return qr.vk_link(group_id, target) if group_id else f"ref={target}"

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
        keyboard = self._keyboard(rows, message.locale, plain=message.plain)
        # The same on every try of this message: VK drops a send it has had already.
        random_id = steps.unique()
        sent = await steps.call(
            lambda: self.api.messages.send(
                peer_id=int(message.chat.chat_id),
                message=to_plain(text),
                random_id=random_id,
                keyboard=keyboard,
                attachment=",".join(attachments) or None,
                dont_parse_links=True,
            )
        )
        return str(sent)

    async def attach_upload(self, message: Outgoing, upload: Upload, steps: Steps) -> str | None:
        """A file the bot made, put on VK's upload server; None (and a log line) if VK
        refuses it for good. A refusal for now is tried again with the message."""
        peer_id = int(message.chat.chat_id)

        async def put() -> str | None:
            if upload.kind is AttachmentKind.PHOTO:
                uploader = PhotoMessageUploader(self.api, attachment_name=upload.name)
                return str(await uploader.upload(upload.data, peer_id=peer_id))
            return str(
                await DocMessagesUploader(self.api).upload(
                    upload.data, peer_id=peer_id, title=upload.name
                )
            )

        try:
            return await steps.call(put)
        except (VKAPIError, ClientError, KeyError, ValueError) as exc:
            if verdict(exc).retry and not isinstance(exc, KeyError):
                raise
            log.warning("file upload to VK failed: %s", type(exc).__name__)
            return None

    async def edit(self, message: Outgoing, text: str, rows: Rows, steps: Steps) -> bool:
        """A live card edited in place (messages.edit); False when VK will not (then it is
        sent anew). A refusal for now (6, 9, 10) is tried again, as an edit."""
        plain = to_plain(text)
        if len(plain) > MESSAGE_LIMIT or not (message.edit_id or "").isdigit():
            return False
        keyboard = self._keyboard(rows, message.locale, plain=message.plain)

        async def edit() -> bool:
            try:
                await self.api.messages.edit(
                    peer_id=int(message.chat.chat_id),
                    message_id=int(message.edit_id or 0),
                    message=plain,
                    keyboard=keyboard,
                    dont_parse_links=True,
                )
            except VKAPIError as exc:
                if verdict(exc).retry:
                    raise
                return False
            return True

        return await steps.call(edit)

    # --- mailings -----------------------------------------------------------------------

    mail_batch = PEERS_PER_SEND

    async def mail(self, chats: list[str], message: Outgoing, key: int) -> dict[str, Outcome]:
        """One identical message to up to 100 peers per messages.send. Its random_id comes
        from the mailing (``key``) and the piece, the same on every try: VK drops a send whose
        random_id a peer already got, so a retry after a crash repeats nothing."""
        pacer = self._deliverer.pacers[Platform.VK]
        rows = lay_out(message.keyboard, CAPABILITIES)
        keyboard = self._keyboard(rows, message.locale, plain=message.plain)
        text = self._renderer.render(message.locale, message.texts, plain=message.plain)
        pieces = split_html(text, MESSAGE_LIMIT)
        files = ",".join(f.file_id for f in message.files) or None
        outcomes: dict[str, Outcome] = {}
        waiting = list(chats)
        for number, piece in enumerate(pieces, start=1):
            last = number == len(pieces)
            params: dict[str, Any] = {
                "message": to_plain(piece),
                "random_id": mail_random_id(key, number),
                "dont_parse_links": 1,
            }
            if last and keyboard:
                params["keyboard"] = keyboard
            if number == 1 and files:
                params["attachment"] = files
            waiting = await self._mail_piece(pacer, waiting, params, outcomes)
        for peer in waiting:
            outcomes[peer] = Outcome.SENT
        return outcomes

    async def _mail_piece(
        self, pacer: Any, peers: list[str], params: dict[str, Any], outcomes: dict[str, Outcome]
    ) -> list[str]:
        """Send one piece to the peers; the ones it reached (the rest are in ``outcomes``)."""
        for attempt in range(1, MAIL_ATTEMPTS + 1):
            if not peers:
                return []
            try:
                async with pacer:
                    answer = await self.api.request(
                        "messages.send", {**params, "peer_ids": ",".join(peers)}
                    )
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                judged = verdict(exc)
                if judged.retry:
                    if judged.reason == "busy":
                        pacer.pause(backoff(attempt))  # the token's rate: everyone waits
                    else:
                        log.info("messages.send will be retried: %s", type(exc).__name__)
                        await asyncio.sleep(backoff(attempt))
                    continue
                # One peer that may not be written to refuses a single-peer send whole.
                failed = Outcome.BLOCKED if judged.reason in ("blocked", "gone") else Outcome.FAILED
                log.warning("messages.send to %d peers refused: %s", len(peers), judged.reason)
                outcomes.update(dict.fromkeys(peers, failed))
                return []
            reached = []
            for item in answer.get("response") or []:
                peer = str(item.get("peer_id", ""))
                error = item.get("error")
                if peer not in peers:
                    continue
                if error is None:
                    reached.append(peer)
                else:
                    code = error.get("code") if isinstance(error, dict) else None
                    outcomes[peer] = Outcome.BLOCKED if code in UNREACHABLE else Outcome.FAILED
            return reached
        outcomes.update(dict.fromkeys(peers, Outcome.FAILED))
        return []

    def attach(self, server: WebhookServer, path: str = "/vk") -> None:
        server.app.router.add_post(path, self._on_callback)

    async def _on_callback(self, request: web.Request) -> web.Response:
        """One Callback API event. "ok" is answered only once it is handled (committed), so
        an instance that dies leaves VK to send it again."""
        assert self._callback is not None
        confirmation, secret = self._callback
        # Refused before anything is read or parsed where it can be: VK's events are small
        # JSON objects.
        if request.content_type != "application/json":
            return web.Response(status=415, text="json only")
        body = await read_capped(request, CALLBACK_BODY_LIMIT)
        try:
            event = orjson.loads(body)  # refuses nesting deeper than 1,024
        except orjson.JSONDecodeError:
            return web.Response(status=400, text="bad json")
        if not isinstance(event, dict):
            return web.Response(status=400, text="bad event")
        group = self._group_id or self._polling.group_id
        if group is None:
            # Not known yet (found from the token at start): VK sends the event again.
            return web.Response(status=503, text="not ready")
        if event.get("group_id") != group:
            return web.Response(status=403, text="wrong group")
        if event.get("type") == "confirmation":
            return web.Response(text=confirmation)
        given = event.get("secret")
        if not isinstance(given, str) or not same_secret(given, secret):
            return web.Response(status=403, text="wrong secret")
        # VK sends an event again when "ok" came late: the ledger of handled updates (by
        # the message's id in its conversation) keeps it from being handled twice, on any
        # instance.
        event_id = str(event.get("event_id", ""))
        try:
            await self.bot.process_event(event)
        except Exception:
            # A broken event must not make VK retry it for ever.
            log.exception("VK event %s could not be handled", event_id or "-")
        return web.Response(text="ok")

    async def run(self) -> None:
        self._task = asyncio.current_task()
        if self._callback is not None:
            try:
                if self._group_id is None:
                    # Events for another community are refused: which one is ours, from the
                    # token, as polling finds it.
                    await self._find_group()
                await self._stopped.wait()
            finally:
                await self.api.http_client.close()
            return
        try:
            await self._poll()
        except asyncio.CancelledError:
            pass  # stop(): the long-poll request in flight is simply dropped
        finally:
            await self.api.http_client.close()

    async def _find_group(self) -> None:
        quiet = Quiet(log)
        attempt = 0
        while self._polling.group_id is None:
            try:
                answer = await self.api.request("groups.getById", {})
                groups = (answer.get("response") or {}).get("groups") or []
                self._polling.group_id = int(groups[0]["id"])
                log.info("VK community found from the token")
            except VKAPIError as exc:
                if exc.code == AUTHORIZATION_FAILED:
                    raise Fatal("VK refuses the token (error 5): check VK_GROUP_TOKEN") from exc
                quiet.warning("getById", "groups.getById failed: error %s", exc.code)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                quiet.warning("getById", "groups.getById failed: %s", type(exc).__name__)
            if self._polling.group_id is None:
                attempt += 1
                await asyncio.sleep(min(backoff(attempt), 30))

    async def _poll(self) -> None:
        """Long polling that keeps its position (``ts``) only once the events read are
        handled, so what an instance had in hand when it died is read again; the ledger of
        handled updates keeps what it had committed from happening twice. (vkbottle's
        run_polling moves on while its tasks still run.) The events of one answer are
        handled together, each person's in order. Whatever VK answers (an HTML page, an empty
        body, a 5xx, a network failure), the poll goes on after a backoff, with a log line a
        minute; only a refused token (error 5) stops it, and the process with it."""
        polling = self._polling
        quiet = Quiet(log)
        server: dict[str, Any] | None = None
        attempt = 0
        while not self._stopped.is_set():
            self._waiting = True
            try:
                if server is None:
                    server = polling.restore_server_ts(await polling.get_server())
                event = await polling.get_event(server)
            except VKAPIError as exc:
                if exc.code == AUTHORIZATION_FAILED:
                    raise Fatal("VK refuses the token (error 5): check VK_GROUP_TOKEN") from exc
                event = None
                quiet.warning("longpoll", "VK long poll failed: error %s; trying again", exc.code)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                event = None
                quiet.warning(
                    "longpoll", "VK long poll failed: %s; trying again", type(exc).__name__
                )
            finally:
                self._waiting = False
            if not isinstance(event, dict) or server is None:
                attempt += 1
                await asyncio.sleep(min(backoff(attempt), 30))
                continue
            attempt = 0
            if "failed" in event:
                try:
                    server = await polling.handle_failed_event(server, event) or None
                except Exception as exc:
                    quiet.warning("longpoll", "VK long poll failed: %s", type(exc).__name__)
                    server = None
                continue
            if "ts" not in event:
                server = None
                continue
            await self._handle_all(event.get("updates") or [])
            # The position moves on only now: what was in hand at a crash is read again.
            server["ts"] = event["ts"]
            await asyncio.to_thread(polling.save_server_ts, server)

    async def _handle_all(self, updates: list[Any]) -> None:
        lanes: dict[object, list[dict[str, Any]]] = {}
        for update in updates:
            if not isinstance(update, dict):
                continue
            message = (update.get("object") or {}).get("message") or {}
            lanes.setdefault(message.get("from_id"), []).append(update)
        await asyncio.gather(*(self._handle_lane(lane) for lane in lanes.values()))

    async def _handle_lane(self, updates: list[dict[str, Any]]) -> None:
        for update in updates:
            try:
                await self.bot.process_event(update)
            except Exception:
                # One event that cannot be handled must not stop the others.
                log.exception("a VK event could not be handled")

    async def stop(self) -> None:
        self._stopped.set()
        self.bot.polling.stop()
        # Waiting for events: no more wait. Handling them: they are finished first.
        task = self._task
        if (self._callback is not None or self._waiting) and task is not None and not task.done():
            task.cancel()


def mail_random_id(key: int, piece: int) -> int:
    """The random_id of a mailing's piece: the same for every try, and (from a hash) apart
    from the random ones of ordinary replies. VK keeps it per conversation, so one value
    serves every recipient of the mailing."""
    digest = hashlib.blake2b(f"mailing:{key}:{piece}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") & 0x7FFFFFFF
