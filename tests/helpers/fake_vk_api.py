"""A fake VK API and Bots Long Poll server on 127.0.0.1 for real vkbottle polling.

``/method/<name>`` answers API calls (recording messages.send and the rest); ``/lp`` is the
long-poll server that groups.getLongPollServer points to, fed by the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.helpers.fake_server import RateWindow, RecordingServer

GROUP_ID = 777


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None  # what the server answered

    @property
    def peer_id(self) -> int | None:
        value = self.params.get("peer_id")
        return int(value) if value is not None else None

    @property
    def peers(self) -> list[int]:
        """Whom a send reached: its peer_id, or each of its peer_ids (a mailing)."""
        many = str(self.params.get("peer_ids") or "")
        if many:
            return [int(peer) for peer in many.split(",")]
        return [self.peer_id] if self.peer_id is not None else []

    @property
    def text(self) -> str:
        return str(self.params.get("message", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        raw = self.params.get("keyboard")
        if not raw:
            return []
        keyboard = json.loads(raw)
        result = []
        for row in keyboard["buttons"]:
            for button in row:
                action = button["action"]
                payload = action.get("payload", "")
                # VK hands the payload back as the string it was given.
                if not isinstance(payload, str):
                    payload = json.dumps(payload)
                result.append((action["label"], payload))
        return result


class FakeVkApi(RecordingServer[Call]):
    def __init__(
        self, token: str = "vk1.a.TEST-group-token-never-logged", *, rate_limit: int | None = None
    ) -> None:
        super().__init__()
        # As VK does for a community: more than ``rate_limit`` requests a second get error 6;
        # peers in ``unreachable`` get error 901 (messages not allowed); a random_id a peer
        # already got is not delivered again. ``messages``: (peer, text) really delivered.
        self.rate = RateWindow(rate_limit)
        self.unreachable: set[int] = set()
        self.messages: list[tuple[int, str]] = []
        self._seen: set[tuple[int, int]] = set()
        self.token = token
        self._events: list[dict[str, Any]] = []
        self._errors: dict[str, tuple[int, str]] = {}
        self._ids = itertools.count(1)
        # (peer, random_id) -> the id of the message it sent: a repeat is not delivered.
        self._sent_ids: dict[tuple[int, int], int] = {}
        # Methods whose next call is carried out but whose answer is lost (an HTML 502 comes
        # back instead), as when a proxy fails after VK did the work.
        self.lose_answer: set[str] = set()
        # Long-poll requests still to be answered with an HTML error page.
        self.broken_polls = 0
        # What photos were uploaded (a QR code), by the photo id saveMessagesPhoto gave.
        self.uploads: dict[int, bytes] = {}
        self.titles: dict[int, str] = {}
        self._pending_upload: bytes | None = None

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/method/{method}", self._method)
        app.router.add_route("*", "/lp", self._long_poll)
        app.router.add_route("POST", "/upload", self._upload)

    @property
    def api_url(self) -> str:
        return f"{self.url}/method/"

    # --- what the test does ------------------------------------------------------------

    def fail(self, method: str, code: int, message: str) -> None:
        """Answer the next call of ``method`` with a VK error (``messages.send#peer_ids``:
        the next send to many peers, a mailing's)."""
        self._errors[method] = (code, message)

    async def push(self, event_type: str, obj: dict[str, Any]) -> None:
        async with self._changed:
            self._events.append(
                {
                    "type": event_type,
                    "object": obj,
                    "group_id": GROUP_ID,
                    "event_id": f"ev{len(self._events) + 1}",
                    "v": "5.199",
                }
            )
            self._changed.notify_all()

    async def send(
        self,
        from_id: int,
        text: str = "",
        *,
        payload: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
        geo: dict[str, Any] | None = None,
        peer_id: int | None = None,
        reply_to: int | None = None,
        ref: str | None = None,
    ) -> None:
        message: dict[str, Any] = {
            "id": next(self._ids),
            "conversation_message_id": next(self._ids),
            "date": int(time.time()),
            "from_id": from_id,
            "peer_id": peer_id or from_id,
            "out": 0,
            "text": text,
            "attachments": attachments or [],
            "fwd_messages": [],
            "important": False,
            "is_hidden": False,
            "version": 1,
        }
        if payload is not None:
            message["payload"] = payload
        if geo is not None:
            message["geo"] = geo
        if ref is not None:
            message["ref"] = ref  # opened through vk.me/club…?ref=…
        if reply_to is not None:
            # A reply quotes the community's message that messages.send returned the id of.
            message["reply_message"] = {
                "id": reply_to,
                "date": int(time.time()),
                "from_id": -GROUP_ID,
                "peer_id": peer_id or from_id,
                "text": "…",
                "conversation_message_id": reply_to,
            }
        client_info = {
            "button_actions": ["text", "location", "callback"],
            "keyboard": True,
            "inline_keyboard": True,
            "carousel": True,
            "lang_id": 0,
        }
        await self.push("message_new", {"message": message, "client_info": client_info})

    async def press(self, from_id: int, payload: str) -> None:
        """A text button of an inline keyboard: its label comes as text, with the payload."""
        await self.send(from_id, "", payload=payload)

    async def send_photo(self, from_id: int, owner_id: int, photo_id: int) -> None:
        photo = {
            "id": photo_id,
            "album_id": -3,
            "owner_id": owner_id,
            "access_key": "abc123",
            "date": int(time.time()),
            "sizes": [{"type": "x", "url": "http://127.0.0.1/p.jpg", "width": 604, "height": 453}],
            "text": "",
        }
        await self.send(from_id, attachments=[{"type": "photo", "photo": photo}])

    async def reply_to(self, peer_id: int, start: int, timeout: float = 10.0) -> Call:
        return await self.wait_for(
            lambda c: c.method == "messages.send" and peer_id in c.peers, timeout, start
        )

    def sent(self, peer_id: int) -> list[Call]:
        return [c for c in self.calls if c.method == "messages.send" and peer_id in c.peers]

    # --- the server ----------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            params.update({k: v for k, v in (await request.post()).items()})
        return params

    async def _method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if params.get("access_token") != self.token:
            return web.json_response(
                {"error": {"error_code": 5, "error_msg": "User authorization failed"}}
            )
        call = Call(method, params)
        error = self._errors.pop(method, None)
        if error is None and method == "messages.send" and "peer_ids" in params:
            error = self._errors.pop("messages.send#peer_ids", None)
        if error is None and self.rate.too_fast():
            error = (6, "Too many requests per second")
        if error is None:
            call.result = self._response(method, params)
        await self.record(call)
        if error is None and method in self.lose_answer:
            self.lose_answer.discard(method)
            return web.Response(status=502, text="<html>502 Bad Gateway</html>")
        if error is not None:
            code, message = error
            return web.json_response(
                {"error": {"error_code": code, "error_msg": message, "request_params": []}}
            )
        return web.json_response({"response": call.result})

    def _response(self, method: str, params: dict[str, Any]) -> Any:
        if method == "groups.getById":
            return {"groups": [{"id": GROUP_ID, "name": "Администрация", "screen_name": "adm"}]}
        if method == "groups.getLongPollServer":
            return {"server": f"{self.url}/lp", "key": "lp-key", "ts": "0"}
        if method == "messages.send" and "peer_ids" in params:
            return [self._deliver(int(peer), params) for peer in str(params["peer_ids"]).split(",")]
        if method == "messages.send":
            peer = int(params.get("peer_id", 0))
            random_id = int(params.get("random_id", 0))
            if random_id and (peer, random_id) in self._sent_ids:
                # Sent before with this random_id: VK does not send it again.
                return self._sent_ids[(peer, random_id)]
            self.messages.append((peer, str(params.get("message", ""))))
            message_id = next(self._ids)
            if random_id:
                self._sent_ids[(peer, random_id)] = message_id
            return message_id
        if method == "photos.getMessagesUploadServer":
            return {"upload_url": f"{self.url}/upload", "album_id": -3, "group_id": GROUP_ID}
        if method == "docs.getMessagesUploadServer":
            return {"upload_url": f"{self.url}/upload"}
        if method == "docs.save":
            doc_id = next(self._ids)
            self.uploads[doc_id] = self._pending_upload or b""
            self.titles[doc_id] = str(params.get("title", ""))
            return {"type": "doc", "doc": {"id": doc_id, "owner_id": -GROUP_ID, "title": ""}}
        if method == "photos.saveMessagesPhoto":
            photo_id = next(self._ids)
            self.uploads[photo_id] = self._pending_upload or b""
            return [{"id": photo_id, "owner_id": -GROUP_ID, "album_id": -3, "access_key": "qk"}]
        return 1

    def _deliver(self, peer: int, params: dict[str, Any]) -> dict[str, Any]:
        """One peer of a messages.send with peer_ids, as VK answers it."""
        if peer in self.unreachable:
            return {"peer_id": peer, "error": {"code": 901, "description": "Can't send messages"}}
        random_id = int(params.get("random_id", 0))
        if random_id and (peer, random_id) in self._seen:
            # Already sent with this random_id: VK does not send it again.
            return {"peer_id": peer, "message_id": 0, "conversation_message_id": 0}
        self._seen.add((peer, random_id))
        self.messages.append((peer, str(params.get("message", ""))))
        return {"peer_id": peer, "message_id": next(self._ids), "conversation_message_id": 1}

    def received(self, peer: int, fragment: str = "") -> int:
        return sum(1 for p, text in self.messages if p == peer and fragment in text)

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload server: takes a multipart "photo" (pictures) or "file" (documents)."""
        form = await request.post()
        photo, doc = form.get("photo"), form.get("file")
        if isinstance(photo, web.FileField):
            self._pending_upload = photo.file.read()
            return web.json_response({"server": 1, "photo": '[{"photo":"x"}]', "hash": "h"})
        if isinstance(doc, web.FileField):
            self._pending_upload = doc.file.read()
            return web.json_response({"file": "uploaded-doc"})
        return web.json_response({"error": "no file"})

    async def _long_poll(self, request: web.Request) -> web.Response:
        if self.broken_polls > 0:
            self.broken_polls -= 1
            return web.Response(status=502, text="<html>502 Bad Gateway</html>")
        params = await self._params(request)
        ts = int(params.get("ts") or 0)
        wait = min(float(params.get("wait") or 0), 1.0)
        async with self._changed:
            if len(self._events) <= ts and wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: len(self._events) > ts), wait
                    )
            updates = self._events[ts:]
            return web.json_response({"ts": str(len(self._events)), "updates": updates})
