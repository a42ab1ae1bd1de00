"""An :class:`Outgoing` as JSON and back, for its row in the outbox.

Text parameters keep what the renderer tells apart (nested texts, numbers, booleans, None);
anything else is rendered through ``str()``, so it is stored as that string and reads the
same after the round trip. Files the bot made travel as base64.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from handlers.contracts import (
    Attachment,
    AttachmentKind,
    Button,
    ChatRef,
    Keyboard,
    Outgoing,
    Receipt,
    Text,
    Upload,
)

_TEXT = "$t"


def _param(value: Any) -> Any:
    if isinstance(value, Text):
        return {_TEXT: value.key, "p": _params(value.params)}
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _param(value) for name, value in params.items()}


def _text(text: Text) -> dict[str, Any]:
    return {"k": text.key, "p": _params(text.params)} if text.params else {"k": text.key}


def _read_param(value: Any) -> Any:
    if isinstance(value, dict) and _TEXT in value:
        return Text(value[_TEXT], _read_params(value.get("p") or {}))
    return value


def _read_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _read_param(value) for name, value in params.items()}


def _read_text(data: Mapping[str, Any] | None) -> Text | None:
    if data is None:
        return None
    return Text(str(data["k"]), _read_params(data.get("p") or {}))


def _must_text(data: Mapping[str, Any]) -> Text:
    text = _read_text(data)
    assert text is not None
    return text


def encode(message: Outgoing) -> dict[str, Any]:
    """What the outbox keeps of a message: everything an adapter needs to send it."""
    data: dict[str, Any] = {
        "chat": str(message.chat),
        "texts": [_text(text) for text in message.texts],
        "locale": message.locale,
    }
    if message.keyboard is not None:
        data["keyboard"] = [
            [
                {
                    "l": _text(button.label),
                    "p": button.payload,
                    **({"u": button.url} if button.url else {}),
                }
                for button in row
            ]
            for row in message.keyboard.rows
        ]
    if message.files:
        data["files"] = [attachment.to_dict() for attachment in message.files]
    if message.uploads:
        data["uploads"] = [
            {
                "name": upload.name,
                "kind": upload.kind.value,
                "data": base64.b64encode(upload.data).decode("ascii"),
            }
            for upload in message.uploads
        ]
    receipt = message.receipt
    if receipt is not None:
        data["receipt"] = {
            "chat": str(receipt.chat),
            "locale": receipt.locale,
            "sent": _text(receipt.sent),
            "failed": _text(receipt.failed),
            "delayed": _text(receipt.delayed) if receipt.delayed is not None else None,
            "thread_id": receipt.thread_id,
        }
    for name in ("open_thread", "rename_thread"):
        value = getattr(message, name)
        if value is not None:
            data[name] = _text(value)
    for name in (
        "expects_reply",
        "card_of",
        "edit_id",
        "post_of",
        "thread_id",
        "plain",
        "deep_link",
        "about",
        "progress_of",
    ):
        value = getattr(message, name)
        if value not in (None, False):
            data[name] = value
    return data


def decode(data: Mapping[str, Any], outbox_id: int | None = None) -> Outgoing:
    keyboard = None
    if "keyboard" in data:
        keyboard = Keyboard(
            tuple(
                tuple(
                    Button(_must_text(button["l"]), str(button["p"]), str(button.get("u", "")))
                    for button in row
                )
                for row in data["keyboard"]
            )
        )
    receipt = None
    if data.get("receipt"):
        raw = data["receipt"]
        receipt = Receipt(
            ChatRef.parse(raw["chat"]),
            str(raw["locale"]),
            _must_text(raw["sent"]),
            _must_text(raw["failed"]),
            _read_text(raw.get("delayed")),
            raw.get("thread_id"),
        )
    return Outgoing(
        ChatRef.parse(str(data["chat"])),
        tuple(_must_text(text) for text in data["texts"]),
        keyboard,
        str(data.get("locale", "ru")),
        tuple(Attachment.from_dict(item) for item in data.get("files", ())),
        expects_reply=bool(data.get("expects_reply", False)),
        card_of=data.get("card_of"),
        edit_id=data.get("edit_id"),
        post_of=data.get("post_of"),
        thread_id=data.get("thread_id"),
        open_thread=_read_text(data.get("open_thread")),
        rename_thread=_read_text(data.get("rename_thread")),
        plain=bool(data.get("plain", False)),
        deep_link=data.get("deep_link"),
        uploads=tuple(
            Upload(
                str(item["name"]),
                base64.b64decode(item["data"]),
                AttachmentKind(item.get("kind", AttachmentKind.DOCUMENT.value)),
            )
            for item in data.get("uploads", ())
        ),
        about=data.get("about"),
        receipt=receipt,
        progress_of=data.get("progress_of"),
        outbox_id=outbox_id,
    )
