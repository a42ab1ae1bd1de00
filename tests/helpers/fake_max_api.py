"""A fake MAX Bot API on 127.0.0.1 for the real maxapi client: the updates a test feeds it
(read by long polling, GET /updates with a marker), and the calls the bot makes, recorded.

The shapes are MAX's as published (dev.max.ru) and as captured from the real API: a message
is ``{sender, recipient: {chat_id, chat_type, user_id}, timestamp, body: {mid, seq, text,
attachments}}``; an error is an HTTP status with ``{"code": …, "message": …}``; a picture is
put on the upload server (POST /uploads gives its address) and sent by the token it answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

from tests.helpers.fake_server import RateWindow, RecordingServer

BOT_ID = 900_000
BOT_NAME = "adm_bot"
# The dialog's chat id MAX gives each person (negative, as MAX's chat ids are).
DIALOG_BASE = -70_000_000_000


@dataclass
class Call:
    method: str  # "POST /messages", "PUT /messages", "POST /answers", …
    params: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)
    result: Any = None  # what the server answered (None: refused)

    @property
    def to(self) -> int | None:
        """Whom a message went to: the user id, or the chat id of a group chat."""
        for key in ("user_id", "chat_id"):
            if key in self.params:
                return int(self.params[key])
        return None

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def attachments(self) -> list[dict[str, Any]]:
        items = self.body.get("attachments") or []
        return [a for a in items if a.get("type") != "inline_keyboard"]

    @property
    def buttons(self) -> list[tuple[str, str]]:
        result = []
        for item in self.body.get("attachments") or []:
            if item.get("type") == "inline_keyboard":
                for row in item["payload"]["buttons"]:
                    for button in row:
                        result.append((button["text"], button.get("payload") or button.get("url")))
        return result


@dataclass
class Failure:
    status: int
    code: str
    times: int = 1
    html: bool = False  # a proxy's page instead of JSON


class FakeMaxApi(RecordingServer[Call]):
    def __init__(
        self, token: str = "max-TEST-token-never-logged", *, rate_limit: int | None = None
    ) -> None:
        super().__init__()
        self.token = token
        # As MAX does for a bot: more than ``rate_limit`` requests within a second get 429;
        # people in ``blocked`` (who blocked the bot, or never wrote to it) get 403.
        self.rate = RateWindow(rate_limit)
        self.blocked: set[int] = set()
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, Failure] = {}
        self._mids = itertools.count(1)
        self._callbacks = itertools.count(1)
        self._uploads = itertools.count(1)
        # Messages the bot sent, by mid: what an edit may change.
        self.messages: dict[str, dict[str, Any]] = {}
        # Files put on the upload server, by the token it answered, and their names.
        self.files: dict[str, bytes] = {}
        self.file_names: dict[str, str] = {}
        self._upload_kinds: dict[int, str] = {}
        # GET /updates requests still to be answered with an HTML error page.
        self.broken_polls = 0

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/upload/{n}", self._upload)
        app.router.add_route("*", "/{path:.*}", self._handle)

    # --- what the test does ------------------------------------------------------------

    def fail(self, method: str, status: int, code: str, **kw: Any) -> None:
        """Answer the next call(s) of ``method`` ("POST /messages", …) with an error."""
        self._failures[method] = Failure(status, code, **kw)

    async def push(self, update: dict[str, Any]) -> None:
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    @staticmethod
    def user(user_id: int, name: str | None = None) -> dict[str, Any]:
        first = name or f"Житель{user_id}"
        return {
            "user_id": user_id,
            "first_name": first,
            "last_name": "",
            "name": first,
            "is_bot": False,
            "last_activity_time": int(time.time() * 1000),
        }

    def _message(
        self, user_id: int, chat_id: int | None, body: dict[str, Any], **more: Any
    ) -> dict[str, Any]:
        group = chat_id is not None
        return {
            "sender": self.user(user_id),
            "recipient": {
                "chat_id": chat_id if group else DIALOG_BASE - user_id,
                "chat_type": "chat" if group else "dialog",
                "user_id": None if group else BOT_ID,
            },
            "timestamp": int(time.time() * 1000),
            "body": {"mid": f"mid.in.{next(self._mids)}", "seq": 1, **body},
            **more,
        }

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        attachments: list[dict[str, Any]] | None = None,
        reply_to: str | None = None,
    ) -> None:
        more: dict[str, Any] = {}
        if reply_to is not None:
            more["link"] = {"type": "reply", "message": {"mid": reply_to, "seq": 1, "text": ""}}
        message = self._message(
            user_id, chat_id, {"text": text, "attachments": attachments or []}, **more
        )
        await self.push(
            {
                "update_type": "message_created",
                "timestamp": message["timestamp"],
                "message": message,
                "user_locale": "ru",
            }
        )

    async def send_photo(self, user_id: int, token: str = "photo-token-1") -> None:
        image = {
            "type": "image",
            "payload": {"photo_id": 1, "token": token, "url": "https://i.oneme.ru/i?r=x"},
        }
        await self.send_text(user_id, "", attachments=[image])

    async def send_file(self, user_id: int, name: str, size: int, token: str = "file-1") -> None:
        item = {
            "type": "file",
            "payload": {"url": "https://files.max.ru/x", "token": token},
            "filename": name,
            "size": size,
        }
        await self.send_text(user_id, "", attachments=[item])

    async def send_location(self, user_id: int, latitude: float, longitude: float) -> None:
        item = {"type": "location", "latitude": latitude, "longitude": longitude}
        await self.send_text(user_id, "", attachments=[item])

    async def press(self, user_id: int, payload: str, *, chat_id: int | None = None) -> str:
        callback_id = f"cb.{next(self._callbacks)}"
        message = self._message(BOT_ID, chat_id, {"text": "…"})
        message["sender"] = {**self.user(BOT_ID, BOT_NAME), "is_bot": True}
        if chat_id is None:
            message["recipient"]["user_id"] = user_id
        await self.push(
            {
                "update_type": "message_callback",
                "timestamp": int(time.time() * 1000),
                "callback": {
                    "timestamp": int(time.time() * 1000),
                    "callback_id": callback_id,
                    "payload": payload,
                    "user": self.user(user_id),
                },
                "message": message,
                "user_locale": "ru",
            }
        )
        return callback_id

    async def open_bot(self, user_id: int, payload: str | None = None) -> None:
        """The person pressed "Начать", or opened max.ru/<bot>?start=<payload>."""
        update: dict[str, Any] = {
            "update_type": "bot_started",
            "timestamp": int(time.time() * 1000),
            "chat_id": DIALOG_BASE - user_id,
            "user": self.user(user_id),
            "user_locale": "ru",
        }
        if payload is not None:
            update["payload"] = payload
        await self.push(update)

    def sent(self, to: int) -> list[Call]:
        """Messages that reached ``to`` (a user id, or a group chat's id)."""
        return [c for c in self.calls if c.method == "POST /messages" and c.to == to and c.result]

    async def reply_to(self, to: int, start: int, timeout: float = 10.0) -> Call:
        return await self.wait_for(
            lambda c: c.method == "POST /messages" and c.to == to and c.result is not None,
            timeout,
            start,
        )

    def pending(self) -> int:
        return len(self._updates)

    # --- the server ----------------------------------------------------------------------

    def _error(self, status: int, code: str, message: str = "") -> web.Response:
        return web.json_response({"code": code, "message": message or code}, status=status)

    async def _handle(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != self.token:
            return self._error(401, "verify.token", "Invalid access_token")
        method = f"{request.method} /{request.match_info['path']}"
        params = dict(request.query)
        if method == "GET /updates":
            await self.record(Call(method, params))
            return await self._get_updates(params)
        body: dict[str, Any] = {}
        if request.can_read_body:
            raw = await request.read()
            parsed = orjson.loads(raw) if raw else {}
            body = parsed if isinstance(parsed, dict) else {}
        call = Call(method, params, body)
        failure = self._failures.get(method)
        if failure is not None:
            failure.times -= 1
            if failure.times <= 0:
                del self._failures[method]
            await self.record(call)
            if failure.html:
                page = f"<html><body><h1>{failure.status}</h1></body></html>"
                return web.Response(status=failure.status, text=page, content_type="text/html")
            return self._error(failure.status, failure.code)
        if self.rate.too_fast():
            await self.record(call)
            return self._error(429, "too.many.requests", "Too many requests")
        if method == "POST /messages" and call.to in self.blocked:
            await self.record(call)
            return self._error(403, "chat.denied", "The user has blocked the bot")
        try:
            call.result = self._result(method, params, body)
        except web.HTTPNotFound:
            await self.record(call)
            return self._error(404, "not.found", "Message not found")
        await self.record(call)
        return web.json_response(call.result)

    def _result(self, method: str, params: dict[str, str], body: dict[str, Any]) -> Any:
        if method == "GET /me":
            return {**self.user(BOT_ID, BOT_NAME), "is_bot": True, "username": BOT_NAME}
        if method == "PATCH /me/commands":
            return {"commands": body.get("commands") or []}
        if method == "POST /messages":
            mid = f"mid.out.{next(self._mids)}"
            to = int(params.get("user_id") or params.get("chat_id") or 0)
            message = {
                "sender": {**self.user(BOT_ID, BOT_NAME), "is_bot": True},
                "recipient": {
                    "chat_id": to if "chat_id" in params else DIALOG_BASE - to,
                    "chat_type": "chat" if "chat_id" in params else "dialog",
                    "user_id": None if "chat_id" in params else to,
                },
                "timestamp": int(time.time() * 1000),
                "body": {
                    "mid": mid,
                    "seq": 1,
                    "text": body.get("text"),
                    "attachments": body.get("attachments") or [],
                },
            }
            self.messages[mid] = message
            return {"message": message}
        if method == "PUT /messages":
            mid = params.get("message_id", "")
            if mid not in self.messages:
                raise web.HTTPNotFound()
            self.messages[mid]["body"]["text"] = body.get("text")
            return {"success": True}
        if method in ("POST /answers", "POST /subscriptions", "DELETE /subscriptions"):
            return {"success": True}
        if method == "POST /uploads":
            number = next(self._uploads)
            self._upload_kinds[number] = params.get("type", "file")
            return {"url": f"{self.url}/upload/{number}"}
        raise web.HTTPNotFound()

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload server: takes a multipart "data" part; a picture's token comes in
        ``photos``, a file's as ``token``."""
        number = int(request.match_info["n"])
        kind = self._upload_kinds.get(number)
        form = await request.post()
        data = form.get("data")
        if kind is None or not isinstance(data, web.FileField):
            return web.json_response({"error": "no file"}, status=400)
        token = f"{kind}-up-{number}"
        self.files[token] = data.file.read()
        self.file_names[token] = data.filename
        if kind == "image":
            return web.json_response({"photos": {f"p{number}": {"token": token}}})
        return web.json_response({"token": token})

    async def _get_updates(self, params: dict[str, str]) -> web.Response:
        if self.broken_polls > 0:
            self.broken_polls -= 1
            return web.Response(status=502, text="<html>502 Bad Gateway</html>")
        marker = int(params.get("marker") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), 1.0)
        async with self._changed:
            if len(self._updates) <= marker and wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: len(self._updates) > marker), wait
                    )
            updates = self._updates[marker : marker + limit]
            return web.json_response({"updates": updates, "marker": marker + len(updates)})
