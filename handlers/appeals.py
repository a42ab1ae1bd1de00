"""The citizen's side of appeals: filing one step by step, listing them, opening one."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from handlers import faq, files, menu, similar, views
from handlers.context import Context
from handlers.contracts import Attachment, Button, Keyboard, Text
from handlers.faq_catalog import FaqEntry
from handlers.lifecycle import OPEN, record_created
from handlers.parsing import parse_int
from storage.models import Appeal, AppealFile, AppealStatus

TOPIC = "appeal.topic"
TEXT = "appeal.text"
PHOTOS = "appeal.photos"
LOCATION = "appeal.location"
CONFIRM = "appeal.confirm"
# After the text: answers from the FAQ that may make the appeal unnecessary.
DEFLECT = "appeal.faq"
STATES = (TOPIC, TEXT, DEFLECT, PHOTOS, LOCATION, CONFIRM)

EDITABLE = {"topic": TOPIC, "text": TEXT, "photos": PHOTOS, "location": LOCATION}


def _button(ctx: Context, key: str, action: str, **params: Any) -> Button:
    # Every flow button carries the draft's nonce: a button from an earlier draft is stale.
    return Button(Text(key, params), f"f:{ctx.data['nonce']}:{action}")


def _cancel_button(ctx: Context) -> Button:
    return _button(ctx, "btn-cancel", "cancel")


def _private_only(ctx: Context) -> bool:
    """Appeals carry personal data: they are filed and read in a private chat only."""
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return True
    return False


async def start(ctx: Context, topic: str | None = None) -> None:
    """A new draft; with a known ``topic`` (a deep link from a stand), its step is skipped."""
    if _private_only(ctx):
        return
    ctx.set_state(TOPIC, {"nonce": secrets.token_hex(3), "files": []})
    if topic is not None and ctx.topics.get(topic) is not None:
        ctx.data["topic"] = topic
        await _after_step(ctx, TEXT)
        return
    ask_topic(ctx)


def ask_topic(ctx: Context) -> None:
    buttons = [
        _button(ctx, "btn-raw", f"topic:{topic.code}", label=topic.name(ctx.locale))
        for topic in ctx.topics
    ]
    buttons.append(_cancel_button(ctx))
    ctx.reply("appeal-ask-topic", Keyboard.grid(buttons))


def ask_text(ctx: Context) -> None:
    s = ctx.settings
    ctx.reply(
        "appeal-ask-text",
        Keyboard.column(_cancel_button(ctx)),
        topic=ctx.topics.name(ctx.data["topic"], ctx.locale),
        min=s.text_min,
        max=s.text_max,
    )


def ask_photos(ctx: Context) -> None:
    ctx.reply(
        "appeal-ask-photos",
        Keyboard.column(_button(ctx, "btn-skip", "done"), _cancel_button(ctx)),
        max=ctx.settings.max_photos,
    )


def ask_location(ctx: Context) -> None:
    ctx.reply(
        "appeal-ask-location",
        Keyboard.column(_button(ctx, "btn-skip", "skip"), _cancel_button(ctx)),
    )


async def show_summary(ctx: Context) -> None:
    alike = await similar.find(ctx, ctx.data, ctx.user.id)
    # Only these may be followed from this summary: a forged id changes nothing.
    ctx.set_state(CONFIRM, {**ctx.data, "editing": False, "similar": [a.id for a in alike]})
    texts = [Text("appeal-summary-title"), *views.draft_lines(ctx, ctx.data)]
    if alike:
        texts.append(Text("similar-header"))
        texts.extend(views.appeal_line(ctx, appeal) for appeal in alike)
        texts.append(Text("similar-hint"))
    texts.append(Text("appeal-summary-question"))
    keyboard = Keyboard(
        (
            (_button(ctx, "btn-send", "ok"),),
            (_button(ctx, "btn-edit", "edit"), _button(ctx, "btn-cancel", "cancel")),
            *(
                (_button(ctx, "btn-follow", f"follow:{appeal.id}", number=appeal.number),)
                for appeal in alike
            ),
        )
    )
    ctx.reply_texts(tuple(texts), keyboard)


async def _after_step(ctx: Context, next_state: str) -> None:
    """Go on to the next step, or back to the summary when the citizen was editing."""
    if ctx.data.get("editing"):
        await show_summary(ctx)
        return
    if next_state == PHOTOS and ctx.settings.max_photos == 0:
        next_state = LOCATION  # photos are switched off
    ctx.set_state(next_state, ctx.data)
    {TEXT: ask_text, PHOTOS: ask_photos, LOCATION: ask_location}[next_state](ctx)


# --- free input in each step -------------------------------------------------------------


async def on_input(ctx: Context) -> None:
    step = ctx.state
    if step == TOPIC:
        ctx.reply("appeal-topic-use-buttons")
        ask_topic(ctx)
    elif step == TEXT:
        await _on_text(ctx)
    elif step == DEFLECT:
        ctx.reply(
            "deflect-use-buttons", Keyboard.column(_button(ctx, "btn-deflect-continue", "cont"))
        )
    elif step == PHOTOS:
        await _on_photo(ctx)
    elif step == LOCATION:
        await _on_location(ctx)
    elif step == CONFIRM:
        ctx.reply("appeal-confirm-use-buttons")
        await show_summary(ctx)


async def _on_text(ctx: Context) -> None:
    text = ctx.incoming.text.strip()
    s = ctx.settings
    if not text:
        # A sticker, voice message or file where text is expected.
        ctx.reply("appeal-text-expected", Keyboard.column(_cancel_button(ctx)))
        return
    if len(text) < s.text_min:
        ctx.reply(
            "appeal-text-too-short",
            Keyboard.column(_cancel_button(ctx)),
            min=s.text_min,
            length=len(text),
        )
        return
    if len(text) > s.text_max:
        ctx.reply(
            "appeal-text-too-long",
            Keyboard.column(_cancel_button(ctx)),
            max=s.text_max,
            length=len(text),
        )
        return
    ctx.data["text"] = text
    # A photo or document sent with the text as its caption is kept with the appeal.
    taken, refused = files.incoming(ctx)
    files.tell_refusals(ctx, refused)
    if taken and not ctx.data.get("editing"):
        stored = ctx.data.get("files", []) + [f.to_dict() for f in taken]
        ctx.data["files"] = stored[: s.max_photos]
    if not ctx.data.get("editing") and not ctx.data.get("deflected"):
        found = await faq.find(ctx, text, deflecting=True)
        if found:
            # Offered once per draft: "Это ответ на ваш вопрос?"
            ctx.set_state(DEFLECT, {**ctx.data, "deflected": True})
            ask_deflect(ctx, found)
            return
    await _after_step(ctx, PHOTOS)


def ask_deflect(ctx: Context, found: list[FaqEntry]) -> None:
    ctx.reply_texts(
        (Text("deflect-title"), *faq.question_lines(ctx, found), Text("deflect-hint")),
        Keyboard(
            (
                tuple(faq.numbered_buttons(found)),
                (_button(ctx, "btn-deflect-continue", "cont"),),
                (_cancel_button(ctx),),
            )
        ),
    )


async def _on_photo(ctx: Context) -> None:
    taken, refused = files.incoming(ctx)
    limit = ctx.settings.max_photos
    if refused:
        files.tell_refusals(ctx, refused)
    if not taken:
        if not refused:
            ctx.reply(
                "appeal-photo-expected",
                Keyboard.column(_button(ctx, "btn-skip", "done"), _cancel_button(ctx)),
            )
        return
    stored: list[dict[str, Any]] = list(ctx.data.get("files", []))
    room = limit - len(stored)
    if room <= 0:
        ctx.reply("appeal-photo-limit", max=limit)
        await _photos_done(ctx)
        return
    stored.extend(f.to_dict() for f in taken[:room])
    ctx.data["files"] = stored
    ctx.set_state(PHOTOS, ctx.data)
    if len(stored) >= limit:
        ctx.reply("appeal-photo-limit", max=limit)
        await _photos_done(ctx)
        return
    ctx.reply(
        "appeal-photo-added",
        Keyboard.column(_button(ctx, "btn-done", "done"), _cancel_button(ctx)),
        count=len(stored),
        max=limit,
    )


async def _photos_done(ctx: Context) -> None:
    await _after_step(ctx, LOCATION)


async def _on_location(ctx: Context) -> None:
    location = ctx.incoming.location
    if location is not None:
        ctx.data.update(latitude=location.latitude, longitude=location.longitude, address=None)
        await show_summary(ctx)
        return
    address = ctx.incoming.text.strip()
    if not address:
        ctx.reply(
            "appeal-location-expected",
            Keyboard.column(_button(ctx, "btn-skip", "skip"), _cancel_button(ctx)),
        )
        return
    if len(address) > ctx.settings.address_max:
        ctx.reply("appeal-address-too-long", max=ctx.settings.address_max)
        return
    ctx.data.update(address=address, latitude=None, longitude=None)
    await show_summary(ctx)


# --- buttons --------------------------------------------------------------------------------


async def on_button(ctx: Context, nonce: str, action: list[str]) -> None:
    """A flow button ``f:<nonce>:<action>``, honoured only in the draft and step it was made for."""
    if ctx.state not in STATES or ctx.data.get("nonce") != nonce:
        menu.stale_button(ctx)
        return
    name = action[0]
    if name == "cancel" and len(action) == 1:
        cancel(ctx)
    elif name == "topic" and len(action) == 2 and ctx.state == TOPIC:
        if ctx.topics.get(action[1]) is None:
            menu.stale_button(ctx)
            return
        ctx.data["topic"] = action[1]
        await _after_step(ctx, TEXT)
    elif name == "cont" and len(action) == 1 and ctx.state == DEFLECT:
        await _after_step(ctx, PHOTOS)
    elif name == "done" and len(action) == 1 and ctx.state == PHOTOS:
        await _photos_done(ctx)
    elif name == "skip" and len(action) == 1 and ctx.state == LOCATION:
        await show_summary(ctx)
    elif name == "ok" and len(action) == 1 and ctx.state == CONFIRM:
        await submit(ctx)
    elif name == "edit" and len(action) == 1 and ctx.state == CONFIRM:
        _ask_what_to_edit(ctx)
    elif (
        name == "edit"
        and len(action) == 2
        and ctx.state == CONFIRM
        and action[1] in EDITABLE
        and not (action[1] == "photos" and ctx.settings.max_photos == 0)
    ):
        _edit(ctx, action[1])
    elif name == "follow" and len(action) == 2 and ctx.state == CONFIRM:
        await _follow(ctx, action[1])
    elif name == "back" and len(action) == 1 and ctx.state == CONFIRM:
        await show_summary(ctx)
    else:
        menu.stale_button(ctx)


def _ask_what_to_edit(ctx: Context) -> None:
    parts = [
        _button(ctx, "btn-edit-topic", "edit:topic"),
        _button(ctx, "btn-edit-text", "edit:text"),
        _button(ctx, "btn-edit-photos", "edit:photos"),
        _button(ctx, "btn-edit-location", "edit:location"),
    ]
    if ctx.settings.max_photos == 0:
        del parts[2]
    ctx.reply("appeal-edit-what", Keyboard.grid([*parts, _button(ctx, "btn-back", "back")]))


def _edit(ctx: Context, part: str) -> None:
    ctx.data["editing"] = True
    if part == "photos":
        ctx.data["files"] = []
    ctx.set_state(EDITABLE[part], ctx.data)
    {"topic": ask_topic, "text": ask_text, "photos": ask_photos, "location": ask_location}[part](
        ctx
    )


async def _follow(ctx: Context, raw_id: str) -> None:
    appeal_id = parse_int(raw_id)
    if appeal_id is None or appeal_id not in ctx.data.get("similar", []):
        menu.stale_button(ctx)
        return
    appeal = await ctx.uow.appeals.get(appeal_id)
    if appeal is None or appeal.status not in OPEN:
        ctx.reply("follow-closed")
        await show_summary(ctx)
        return
    views.add_follower(appeal, ctx.user, ctx.incoming.chat, ctx.now)
    ctx.clear_state()
    ctx.reply("follow-done", menu.main_keyboard(), number=appeal.number)


def cancel(ctx: Context) -> None:
    ctx.clear_state()
    ctx.reply("appeal-cancelled", menu.main_keyboard())


async def submit(ctx: Context) -> None:
    d = ctx.data
    if ctx.topics.get(d.get("topic", "")) is None or not d.get("text"):
        # The draft lost a part (e.g. the topic was removed from the catalogue meanwhile).
        ctx.reply("appeal-draft-incomplete")
        ctx.set_state(TOPIC, {**d, "editing": False})
        ask_topic(ctx)
        return
    urgent = ctx.settings.urgency.is_urgent(d["topic"], d["text"])
    days = (
        min(ctx.settings.urgency.days, ctx.settings.due_days) if urgent else ctx.settings.due_days
    )
    appeal = Appeal(
        citizen_id=ctx.user.id,
        citizen=ctx.user,
        answers=[],
        notes=[],
        followers=[],
        platform=ctx.incoming.platform.value,
        chat_id=ctx.incoming.chat_id,
        topic=d["topic"],
        department=ctx.departments.for_topic(d["topic"]),
        text=d["text"],
        address=d.get("address"),
        latitude=d.get("latitude"),
        longitude=d.get("longitude"),
        status=AppealStatus.NEW,
        created_at=ctx.now,
        due_at=ctx.now + timedelta(days=days),
        urgent=urgent,
        files=[
            AppealFile(
                position=position,
                kind=f.kind.value,
                platform=f.platform,
                file_id=f.file_id,
                name=f.name,
                size=f.size,
            )
            for position, f in enumerate(map(Attachment.from_dict, d.get("files", [])))
        ],
    )
    await ctx.uow.appeals.add(appeal)
    await record_created(ctx.uow, appeal, ctx.user.id, ctx.now)
    ctx.clear_state()
    ctx.track("done:appeal")
    registered = Text(
        "appeal-registered",
        {
            "number": appeal.number,
            "date": ctx.format_date(appeal.created_at),
            "due": ctx.format_date(appeal.due_at),
            "days": days,
        },
    )
    fast_track = (Text("appeal-fast-track"),) if urgent else ()
    ctx.reply_texts((registered, *fast_track), menu.main_keyboard())
    await views.announce_to_staff(ctx, appeal, ctx.user)


# --- my appeals -----------------------------------------------------------------------------


async def list_mine(ctx: Context) -> None:
    if _private_only(ctx):
        return
    appeals = await ctx.uow.appeals.list_by_citizen(ctx.user.id, ctx.settings.my_limit)
    if not appeals:
        ctx.reply("my-empty", menu.main_keyboard())
        return
    total = await ctx.uow.appeals.count_by_citizen(ctx.user.id)
    texts = [Text("my-header", {"shown": len(appeals), "total": total})]
    buttons = []
    for appeal in appeals:
        texts.append(views.appeal_line(ctx, appeal))
        buttons.append(Button(Text("btn-appeal", {"number": appeal.number}), f"my:{appeal.id}"))
    ctx.reply_texts(tuple(texts), Keyboard.grid(buttons))


async def open_mine(ctx: Context, raw_id: str) -> None:
    if _private_only(ctx):
        return
    appeal_id = parse_int(raw_id)
    appeal = await ctx.uow.appeals.get(appeal_id) if appeal_id else None
    if appeal is None or appeal.citizen_id != ctx.user.id:
        # Someone else's appeal looks exactly like a missing one.
        menu.stale_button(ctx)
        return
    events = await ctx.uow.appeals.events(appeal.id)
    ctx.reply_texts(views.appeal_card(ctx, appeal, events, for_staff=False))
