"""MAX's updates (the JSON objects of GET /updates and of webhook posts) as Incoming.

Read from the raw objects rather than maxapi's models: an update of a shape nobody foresaw is
skipped here with a log line, without a validation error for each field of each kind of
update the bot never asked for.

Chats: a private dialog is known by the person's user id (as on Telegram, where the private
chat's id is the user's), so that ``ADMINS=max:<user id>`` and a citizen's answers find them;
a group chat by MAX's chat id, which is negative. The adapter sends to a positive id with
``user_id`` and to a negative one with ``chat_id``."""

from __future__ import annotations

from typing import Any

from handlers.contracts import Attachment, AttachmentKind, Incoming, Location, Platform

UPDATE_TYPES = ("message_created", "message_callback", "bot_started")

_KINDS = {
    "image": AttachmentKind.PHOTO,
    "file": AttachmentKind.DOCUMENT,
    "audio": AttachmentKind.VOICE,
    "video": AttachmentKind.VIDEO,
    "sticker": AttachmentKind.STICKER,
}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _name(user: dict[str, Any]) -> str:
    name = user.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    parts = [user.get("first_name"), user.get("last_name")]
    return " ".join(p for p in parts if isinstance(p, str) and p).strip()


def _attachment(item: dict[str, Any]) -> Attachment | None:
    kind_name = item.get("type")
    if kind_name in ("inline_keyboard", "location", "share", "contact"):
        return None
    kind = _KINDS.get(kind_name if isinstance(kind_name, str) else "", AttachmentKind.OTHER)
    token = _dict(item.get("payload")).get("token")
    if kind in (AttachmentKind.PHOTO, AttachmentKind.DOCUMENT) and isinstance(token, str) and token:
        # What POST /messages takes back as the same file: its kind and token.
        reference = f"{kind_name}:{token}"
        if kind is AttachmentKind.DOCUMENT:
            name = item.get("filename")
            return Attachment(
                kind,
                reference,
                name=name if isinstance(name, str) else "",
                size=_int(item.get("size")),
            )
        return Attachment(kind, reference)
    return Attachment(kind)


def _location(items: list[Any]) -> Location | None:
    for item in items:
        item = _dict(item)
        if item.get("type") == "location":
            latitude, longitude = item.get("latitude"), item.get("longitude")
            if isinstance(latitude, int | float) and isinstance(longitude, int | float):
                return Location(float(latitude), float(longitude))
    return None


def _chat(message: dict[str, Any], user_id: int) -> tuple[str, bool] | None:
    recipient = _dict(message.get("recipient"))
    if recipient.get("chat_type") == "chat":
        chat_id = _int(recipient.get("chat_id"))
        return (str(chat_id), True) if chat_id is not None else None
    return str(user_id), False


def _common(user: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    locale = update.get("user_locale")
    return {
        "platform": Platform.MAX,
        "user_id": str(user["user_id"]),
        "display_name": _name(user),
        "language_code": locale if isinstance(locale, str) else None,
        "update_id": str(update.get("timestamp", "")),
    }


def message_to_incoming(update: dict[str, Any]) -> Incoming | None:
    message = _dict(update.get("message"))
    sender = _dict(message.get("sender"))
    user_id = _int(sender.get("user_id"))
    if user_id is None or sender.get("is_bot"):
        return None  # a channel's post, another bot, the bot itself
    chat = _chat(message, user_id)
    if chat is None:
        return None
    body = _dict(message.get("body"))
    listed = body.get("attachments")
    items: list[Any] = listed if isinstance(listed, list) else []
    attachments = tuple(a for a in (_attachment(_dict(i)) for i in items) if a is not None)
    text = body.get("text")
    mid = body.get("mid")
    link = _dict(message.get("link"))
    replied = _dict(link.get("message")).get("mid") if link.get("type") == "reply" else None
    return Incoming(
        **_common(sender, update),
        chat_id=chat[0],
        is_group=chat[1],
        text=text if isinstance(text, str) else "",
        attachments=attachments,
        location=_location(items),
        # The message's id, the same however often MAX delivers it.
        delivery_key=f"m:{mid}" if isinstance(mid, str) and mid else None,
        # MAX's message ids are global: a reply in a staff group chat finds the post too.
        reply_to=replied if isinstance(replied, str) else None,
    )


def callback_to_incoming(update: dict[str, Any]) -> Incoming | None:
    callback = _dict(update.get("callback"))
    user = _dict(callback.get("user"))
    user_id = _int(user.get("user_id"))
    callback_id = callback.get("callback_id")
    if user_id is None or not isinstance(callback_id, str):
        return None
    chat = _chat(_dict(update.get("message")), user_id)
    if chat is None:
        return None
    payload = callback.get("payload")
    return Incoming(
        **_common(user, update),
        chat_id=chat[0],
        is_group=chat[1],
        # A press whose payload is not a string is a forged one: refused by the core.
        payload=payload if isinstance(payload, str) else "",
        delivery_key=f"c:{callback_id}",
    )


def started_to_incoming(update: dict[str, Any]) -> Incoming | None:
    """The person pressed "Начать" (or opened a deep link, max.ru/<bot>?start=<payload>)."""
    user = _dict(update.get("user"))
    user_id = _int(user.get("user_id"))
    if user_id is None:
        return None
    payload = update.get("payload")
    start = f"/start {payload[:64]}" if isinstance(payload, str) and payload else "/start"
    return Incoming(
        **_common(user, update),
        chat_id=str(user_id),
        text=start,
        delivery_key=f"s:{user_id}:{update.get('timestamp', '')}",
    )


def to_incoming(update: Any) -> Incoming | None:
    """None for what the bot does not answer (other kinds of update, other bots, garbage)."""
    if not isinstance(update, dict):
        return None
    kind = update.get("update_type")
    if kind == "message_created":
        return message_to_incoming(update)
    if kind == "message_callback":
        return callback_to_incoming(update)
    if kind == "bot_started":
        return started_to_incoming(update)
    return None


def person(update: Any) -> object:
    """Whose update it is: one person's updates are handled in order."""
    update = _dict(update)
    for where in (
        _dict(_dict(update.get("message")).get("sender")),
        _dict(_dict(update.get("callback")).get("user")),
        _dict(update.get("user")),
    ):
        if "user_id" in where:
            return where["user_id"]
    return None
