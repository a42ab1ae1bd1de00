"""A fake Telegram Bot API server on 127.0.0.1 for real aiogram polling.

It serves getUpdates from a queue the test fills, records every other call (sendMessage,
sendPhoto, answerCallbackQuery, setMyCommands...) and can answer errors on demand.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.helpers.fake_server import RateWindow, RecordingServer

BOT_USER: dict[str, Any] = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Обращения",
    "username": "civic_test_bot",
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None  # what the server answered (None for an error)
    at: float = field(default_factory=time.monotonic)  # when it reached the server

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        markup = self.params.get("reply_markup") or {}
        return [
            (button["text"], button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]


@dataclass
class Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None = None
    times: int = 1
    chat_id: int | None = None  # only calls to this chat fail
    # An HTML page instead of JSON (a proxy's 502), and how long the answer is held back
    # first (a request that hangs).
    html: bool = False
    stall: float = 0.0
    # Held back until the test sets this (a request in flight for as long as the test wants).
    hold: asyncio.Event | None = None


class FakeError(Exception):
    """What Telegram itself would refuse (not an error the test asked for)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


SENDS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup"})


def paid_broadcast(call: Call) -> bool:
    """Sent as a paid broadcast (aiogram sends the flag as a form field)."""
    return call.params.get("allow_paid_broadcast") in (True, "true", "True")


class FakeBotApi(RecordingServer[Call]):
    def __init__(
        self,
        token: str = "123456:TEST-token-never-logged",
        *,
        rate_limit: int | None = None,
        paid_limit: int | None = None,
    ) -> None:
        super().__init__()
        # As Telegram does for a bot: more than ``rate_limit`` messages within a second are
        # refused with 429 and retry_after; chats in ``blocked`` answer 403. Paid broadcasts
        # (allow_paid_broadcast) have their own limit, ``paid_limit`` a second.
        self.rate = RateWindow(rate_limit)
        self.paid_rate = RateWindow(paid_limit)
        self.blocked: set[int] = set()
        self.token = token
        self._updates: list[dict[str, Any]] = []
        self.polls = 0  # getUpdates calls (not kept among the calls: there are many)
        self._failures: dict[str, Failure] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        # Supergroups with topics (forums), and the topics opened in them: thread id -> name.
        self.forums: set[int] = set()
        self.topics: dict[int, dict[int, str]] = {}

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._handle)

    # --- what the test does ------------------------------------------------------------

    def fail(self, method: str, status: int, description: str, **kw: Any) -> None:
        """Answer the next call(s) of ``method`` with an error."""
        self._failures[method] = Failure(status, description, **kw)

    async def push(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        async with self._changed:
            self._updates.append({"update_id": update_id, **update})
            self._changed.notify_all()
        return update_id

    def pending(self) -> list[int]:
        """The update ids not yet confirmed by the bot (as of its last getUpdates)."""
        return [u["update_id"] for u in self._updates]

    @staticmethod
    def user(user_id: int, **kw: Any) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": kw.get("first_name", f"User{user_id}"),
            "last_name": kw.get("last_name"),
            "language_code": kw.get("language_code", "ru"),
        }

    def _message(self, user_id: int, chat_id: int | None, **content: Any) -> dict[str, Any]:
        chat_id = chat_id or user_id
        chat_type = "private" if chat_id > 0 else "supergroup"
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, "title": "staff"},
            "from": self.user(user_id, **content.pop("user", {})),
            **content,
        }

    async def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
        language_code: str = "ru",
    ) -> int:
        """A text message; in a forum topic (``thread_id``), or replying to message
        ``reply_to`` of the bot; from a user whose Telegram speaks ``language_code``."""
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        message = self._message(
            user_id, chat_id, text=text, entities=entities, user={"language_code": language_code}
        )
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
            # In a topic, a message that answers nothing in particular answers its opening.
            reply_to = reply_to or thread_id
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to,
                "date": int(time.time()),
                "chat": message["chat"],
                "from": BOT_USER,
                "text": "…",
            }
        return await self.push({"message": message})

    async def send_photo(self, user_id: int, file_id: str, caption: str | None = None) -> int:
        sizes = [
            {
                "file_id": f"{file_id}-small",
                "file_unique_id": f"{file_id}s",
                "width": 90,
                "height": 90,
            },
            {"file_id": file_id, "file_unique_id": f"{file_id}u", "width": 1280, "height": 960},
        ]
        content: dict[str, Any] = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return await self.push({"message": self._message(user_id, None, **content)})

    async def send_document(
        self, user_id: int, file_id: str, name: str, size: int, caption: str | None = None
    ) -> int:
        document = {
            "file_id": file_id,
            "file_unique_id": f"{file_id}u",
            "file_name": name,
            "file_size": size,
        }
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return await self.push({"message": self._message(user_id, None, **content)})

    async def send_location(self, user_id: int, latitude: float, longitude: float) -> int:
        location = {"latitude": latitude, "longitude": longitude}
        return await self.push({"message": self._message(user_id, None, location=location)})

    async def send_sticker(self, user_id: int) -> int:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "st1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return await self.push({"message": self._message(user_id, None, sticker=sticker)})

    async def press(self, user_id: int, data: str, chat_id: int | None = None) -> int:
        message = self._message(BOT_USER["id"], chat_id or user_id, text="…")
        message["from"] = BOT_USER
        query = {
            "id": f"cb{next(self._message_ids)}",
            "from": self.user(user_id),
            "chat_instance": "ci",
            "message": message,
            "data": data,
        }
        return await self.push({"callback_query": query})

    async def reply_to(self, chat_id: int, start: int, timeout: float = 10.0) -> Call:
        """The next sendMessage to ``chat_id`` after call number ``start``."""
        return await self.wait_for(
            lambda c: c.method == "sendMessage" and c.chat_id == chat_id, timeout, start
        )

    def sent(self, chat_id: int, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls if c.method == method and c.chat_id == chat_id]

    # --- the server ----------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                raw.update(await request.json())
            else:
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        # An uploaded file (a QR code): its bytes, and a name for the result.
                        raw[f"{key}_bytes"] = value.file.read()
                        raw[key] = value.filename
                    else:
                        raw[key] = value
        params: dict[str, Any] = {}
        for key, value in raw.items():
            # aiogram sends nested objects as JSON strings in form fields.
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            params[key] = value
        for key, value in list(params.items()):
            # aiogram uploads a file as a form part and names it with "attach://<part>".
            if isinstance(value, str) and value.startswith("attach://"):
                params[f"{key}_bytes"] = raw.get(f"{value.removeprefix('attach://')}_bytes")
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        if method == "getUpdates":
            self.polls += 1
            failure = self._failures.get(method)
            if failure is not None:
                return await self._answer_failure(method, failure)
            return web.json_response({"ok": True, "result": await self._get_updates(params)})
        call = Call(method, params)
        if method in SENDS:
            refusal = self._refuse_send(call)
            if refusal is not None:
                await self.record(call)
                return refusal
        failure = self._failures.get(method)
        if failure is not None and failure.chat_id not in (None, call.chat_id):
            failure = None
        if failure is None:
            try:
                call.result = self._result(method, params)
            except FakeError as exc:
                failure = Failure(exc.status, exc.description)
        await self.record(call)
        if failure is not None:
            return await self._answer_failure(method, failure)
        return web.json_response({"ok": True, "result": call.result})

    async def _answer_failure(self, method: str, failure: Failure) -> web.Response:
        if failure is self._failures.get(method):
            failure.times -= 1
            if failure.times <= 0:
                del self._failures[method]
        if failure.stall:
            await asyncio.sleep(failure.stall)
        if failure.hold is not None:
            await failure.hold.wait()
        if failure.html:
            page = f"<html><body><h1>{failure.status} {failure.description}</h1></body></html>"
            return web.Response(status=failure.status, text=page, content_type="text/html")
        body: dict[str, Any] = {
            "ok": False,
            "error_code": failure.status,
            "description": failure.description,
        }
        if failure.parameters:
            body["parameters"] = failure.parameters
        return web.json_response(body, status=failure.status)

    def _refuse_send(self, call: Call) -> web.Response | None:
        if call.chat_id in self.blocked:
            body = {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
            return web.json_response(body, status=403)
        window = self.paid_rate if paid_broadcast(call) else self.rate
        if window.too_fast():
            body = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
            return web.json_response(body, status=429)
        return None

    def delivered(self, chat_id: int) -> list[Call]:
        """Messages that reached a chat (refused ones are recorded but did not)."""
        return [c for c in self.calls if c.method in SENDS and c.chat_id == chat_id and c.result]

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        # Long polling, but never longer than a second: tests and shutdown stay quick.
        timeout = min(float(params.get("timeout") or 0), 1.0)

        def pending() -> list[dict[str, Any]]:
            return [u for u in self._updates if u["update_id"] >= offset]

        async with self._changed:
            # Confirmed updates are dropped, as Telegram does.
            self._updates[:] = pending()
            if not self._updates and timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(pending())), timeout)
            return pending()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getChat":
            chat_id = int(params["chat_id"])
            return {
                "id": chat_id,
                "type": "private" if chat_id > 0 else "supergroup",
                "title": "staff",
                "is_forum": chat_id in self.forums,
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        if method == "createForumTopic":
            chat_id = int(params["chat_id"])
            if chat_id not in self.forums:
                raise FakeError(400, "Bad Request: the chat is not a forum")
            thread_id = next(self._message_ids)
            self.topics.setdefault(chat_id, {})[thread_id] = str(params["name"])
            return {"message_thread_id": thread_id, "name": params["name"], "icon_color": 7322096}
        if method == "editForumTopic":
            chat_id, thread_id = int(params["chat_id"]), int(params["message_thread_id"])
            if thread_id not in self.topics.get(chat_id, {}):
                raise FakeError(400, "Bad Request: TOPIC_ID_INVALID")
            if self.topics[chat_id][thread_id] == params.get("name"):
                raise FakeError(400, "Bad Request: TOPIC_NOT_MODIFIED")
            self.topics[chat_id][thread_id] = str(params["name"])
            return True
        if method in ("sendMessage", "sendPhoto", "sendDocument", "editMessageText"):
            chat_id = int(params["chat_id"])
            message: dict[str, Any] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER,
            }
            if method == "sendDocument":
                message["document"] = {"file_id": str(params["document"]), "file_unique_id": "u"}
            elif method == "sendPhoto":
                message["photo"] = [
                    {
                        "file_id": str(params["photo"]),
                        "file_unique_id": "u",
                        "width": 1,
                        "height": 1,
                    }
                ]
            else:
                message["text"] = params.get("text", "")
            return message
        if method == "sendMediaGroup":
            chat_id = int(params["chat_id"])
            return [
                {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "photo": [
                        {
                            "file_id": str(item["media"]),
                            "file_unique_id": "u",
                            "width": 1,
                            "height": 1,
                        }
                    ],
                }
                for item in params["media"]
            ]
        return True
