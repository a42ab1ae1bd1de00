"""What a mailing sends: the message as each recipient reads it, and the author's progress
message and summary (the mailer in bot/ sends them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from handlers.contracts import Attachment, Button, ChatRef, Keyboard, Outgoing, Platform, Text
from handlers.engagement.mailing_buttons import (
    CANCEL,
    COMING,
    LEAVE,
    NOT_COMING,
    PAUSE,
    STOP,
)
from storage.models import DeliveryStatus, Mailing
from storage.repositories.mailings import audience_codes
from storage.uow import UnitOfWork


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


async def composer(uow: UnitOfWork, mailing: Mailing) -> Callable[[ChatRef, str, bool], Outgoing]:
    """The mailing as its recipients read it, for a chat, a language and the accessible
    mode: the text, the file where its platform can show it, links, RSVP, the poll's button,
    and the ways to leave."""
    groups: list[dict[str, str]] = []
    for code in audience_codes(mailing.audience):
        group = await uow.mailings.group(code)
        if group is not None:
            groups.append({**group.name, "": group.code})
    # Plain values, read now: the mailer composes long after this unit of work has ended.
    file = Attachment.from_dict(mailing.file) if mailing.file else None
    message = dict(mailing.message or {})
    action = dict(mailing.action or {})
    links = [dict(link) for link in mailing.links]
    text, rsvp, mailing_id, paid = mailing.text, mailing.rsvp, mailing.id, mailing.paid

    def compose(chat: ChatRef, locale: str, plain: bool) -> Outgoing:
        if message:
            body = Text(str(message["key"]), dict(message.get("params", {})))
        else:
            body = Text("mailing-text", {"text": text})
        names = ", ".join(g.get(locale) or g[""] for g in groups)
        footer = Text("mailing-footer", {"groups": names, "count": len(groups)})
        rows: list[tuple[Button, ...]] = [
            (Button(Text("btn-raw", {"label": link["label"]}), "", url=link["url"]),)
            for link in links
        ]
        if action:
            rows.append((Button(Text(str(action["label"])), str(action["payload"])),))
        if rsvp:
            rows.append(
                (
                    Button(Text("btn-rsvp-yes"), COMING.encode(mailing_id)),
                    Button(Text("btn-rsvp-no"), NOT_COMING.encode(mailing_id)),
                )
            )
        leave = [Button(Text("btn-mailing-leave"), LEAVE.encode(mailing_id))] if groups else []
        rows.append((*leave, Button(Text("btn-mailings-stop"), STOP.encode())))
        files = (file,) if file is not None and file.platform == chat.platform.value else ()
        return Outgoing(
            chat,
            (body, footer),
            Keyboard(tuple(rows)),
            locale,
            files,
            plain=plain,
            # Telegram's alone: elsewhere the mailing goes at the platform's own rate.
            paid_broadcast=paid and chat.platform is Platform.TELEGRAM,
        )

    return compose


def progress(
    mailing: Mailing,
    tally: Mapping[DeliveryStatus, int],
    *,
    rate: float,
    final: bool,
    rsvp: tuple[int, int],
) -> Outgoing | None:
    """The author's progress message (edited in place as the mailing goes)."""
    if not mailing.progress_chat:
        return None
    sent = tally.get(DeliveryStatus.SENT, 0)
    pending = tally.get(DeliveryStatus.PENDING, 0)
    left = round(pending / rate) if rate > 0 and pending else 0
    keyboard = None
    if not final:
        keyboard = Keyboard(
            (
                (
                    Button(Text("btn-mailing-pause"), PAUSE.encode(mailing.id)),
                    Button(Text("btn-mailing-cancel"), CANCEL.encode(mailing.id)),
                ),
            )
        )
    return Outgoing(
        ChatRef.parse(mailing.progress_chat),
        (
            Text(
                "mailing-progress",
                {
                    "number": mailing.id,
                    "sent": sent,
                    "total": mailing.total,
                    "blocked": tally.get(DeliveryStatus.BLOCKED, 0),
                    "failed": tally.get(DeliveryStatus.FAILED, 0),
                    "skipped": tally.get(DeliveryStatus.SKIPPED, 0),
                    "rate": f"{rate:.1f}",
                    "left": left,
                    "final": yes_no(final),
                },
            ),
        ),
        keyboard,
        mailing.author.language,
        edit_id=mailing.progress_message_id,
    )


def summary(
    mailing: Mailing, tally: Mapping[DeliveryStatus, int], rsvp: tuple[int, int]
) -> Outgoing | None:
    """The author's summary at the end (none for an announcement of a poll or discussion,
    whose author follows it there)."""
    if not mailing.progress_chat:
        return None
    return Outgoing(
        ChatRef.parse(mailing.progress_chat),
        (
            Text(
                "mailing-summary",
                {
                    "number": mailing.id,
                    "total": mailing.total,
                    "sent": tally.get(DeliveryStatus.SENT, 0),
                    "blocked": tally.get(DeliveryStatus.BLOCKED, 0),
                    "failed": tally.get(DeliveryStatus.FAILED, 0),
                    "skipped": tally.get(DeliveryStatus.SKIPPED, 0),
                    "rsvp": yes_no(mailing.rsvp),
                    "coming": rsvp[0],
                    "declined": rsvp[1],
                    "paid": yes_no(mailing.paid),
                    "stars": mailing.paid_spent / 10,
                },
            ),
        ),
        locale=mailing.author.language,
    )
