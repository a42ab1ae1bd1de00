"""The citizen's side of appeals: filing one step by step, listing them, opening one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from handlers import aside, menu
from handlers.appeals import files, similar, views
from handlers.appeals.draft import AppealDraft
from handlers.appeals.lifecycle import OPEN, record_created
from handlers.appeals.public_text import publishable
from handlers.context import Context
from handlers.contracts import Attachment, Button, Keyboard, Text
from handlers.faq import faq_answers, gosuslugi
from handlers.faq.faq_catalog import FaqEntry
from handlers.payloads import ID, KEY, NONCE, Payload
from handlers.registry import Buttons, Command, Feature, Press, Steps, call
from storage.models import Appeal, AppealFile, AppealStatus

TOPIC = "appeal.topic"
TEXT = "appeal.text"
PHOTOS = "appeal.photos"
LOCATION = "appeal.location"
CONFIRM = "appeal.confirm"
# After the text: answers from the FAQ that may make the appeal unnecessary.
DEFLECT = "appeal.faq"
STATES = (TOPIC, TEXT, DEFLECT, PHOTOS, LOCATION, CONFIRM)

# The flow's buttons: f:<nonce>:<action>[:<what>].
CANCEL = Payload("f", NONCE, "cancel")
TOPIC_CHOSEN = Payload("f", NONCE, "topic", KEY)  # f:<nonce>:topic:<topic>
CONTINUE = Payload("f", NONCE, "cont")  # the FAQ answers offered did not help: go on
SUGGESTED = Payload("f", NONCE, "faq", KEY)  # f:<nonce>:faq:<entry>: read an answer offered
SUGGESTIONS = Payload("f", NONCE, "faqs")  # back to the answers offered
DONE = Payload("f", NONCE, "done")  # no (more) files
SKIP = Payload("f", NONCE, "skip")  # no place
SEND = Payload("f", NONCE, "ok")
EDIT = Payload("f", NONCE, "edit")  # which part to change?
EDIT_PART = Payload("f", NONCE, "edit", KEY)  # f:<nonce>:edit:<part>
FOLLOW = Payload("f", NONCE, "follow", ID)  # f:<nonce>:follow:<appeal>: join a similar one
BACK = Payload("f", NONCE, "back")  # back to the summary
PUBLISH = Payload("f", NONCE, "pub")  # publish the text without personal data, or not
# /new over a draft whose text is not sent yet: go on with it, or drop it and start again
# (with the topic a deep link chose, or "-").
RESUME = Payload("f", NONCE, "resume")
RESTART = Payload("f", NONCE, "restart", KEY)
DRAFT_EXCERPT = 80  # characters of the pending draft's text quoted
EDITABLE = {"topic": TOPIC, "text": TEXT, "photos": PHOTOS, "location": LOCATION}


def _draft(ctx: Context) -> AppealDraft:
    return ctx.draft(AppealDraft)


def _button(ctx: Context, key: str, payload: Payload, *values: object, **params: Any) -> Button:
    # Every flow button carries the draft's nonce: a button from an earlier draft is stale.
    return Button(Text(key, params), payload.encode(_draft(ctx).nonce, *values))


def _cancel_button(ctx: Context) -> Button:
    return _button(ctx, "btn-cancel", CANCEL)


async def start(ctx: Context, topic: str | None = None) -> None:
    """A new draft; with a known ``topic`` (a deep link from a stand), its step is skipped.
    Someone reading the FAQ answers offered for their text who chooses to file after all goes
    on with that draft, text kept."""
    if menu.in_a_group(ctx):
        return
    if ctx.state == DEFLECT and topic is None and _draft(ctx).text:
        await _after_step(ctx, PHOTOS, _draft(ctx))
        return
    if has_pending_draft(ctx):
        # A new draft is not started over one whose text is not sent yet, unasked.
        ask_keep_or_restart(ctx, topic)
        return
    await _start_afresh(ctx, topic)


async def _start_afresh(ctx: Context, topic: str | None = None) -> None:
    draft = AppealDraft()
    ctx.set_state(TOPIC, draft)
    if topic is not None and ctx.topics.get(topic) is not None:
        draft.topic = topic
        await _after_step(ctx, TEXT, draft)
        return
    ask_topic(ctx)


def _pending(ctx: Context) -> tuple[str, AppealDraft, bool] | None:
    """An appeal begun whose text is written but not sent: its step, its draft, and whether it
    was set aside (for /start, another flow…) rather than being the flow under way."""
    if ctx.state in STATES and _draft(ctx).text:
        return ctx.state or TOPIC, _draft(ctx), False
    kept = aside.held(ctx)
    if kept is not None and kept.get("state") in STATES:
        draft = AppealDraft.load(kept.get("data") or {})
        if draft.text:
            return str(kept["state"]), draft, True
    return None


def has_pending_draft(ctx: Context) -> bool:
    return _pending(ctx) is not None


def pending_export(ctx: Context) -> dict[str, Any] | None:
    """The unsent appeal as /mydata shows it: it is the person's data too."""
    pending = _pending(ctx)
    if pending is None:
        return None
    draft = pending[1]
    return {
        "topic": ctx.topics.name(draft.topic or "", ctx.locale),
        "text": draft.text,
        "files": len(draft.files),
        "address": draft.address,
        "location": [draft.latitude, draft.longitude] if draft.latitude is not None else None,
    }


def _unsent(data: Mapping[str, Any]) -> bool:
    """Kept aside when the person goes elsewhere: an appeal with its text written (read as
    the draft it is, the same test as ``_pending``'s)."""
    return bool(AppealDraft.load(data).text)


def ask_keep_or_restart(ctx: Context, topic: str | None) -> None:
    pending = _pending(ctx)
    assert pending is not None
    _, draft, _ = pending
    text = draft.text or ""
    ctx.reply(
        "appeal-draft-pending",
        Keyboard.column(
            Button(Text("btn-draft-resume"), RESUME.encode(draft.nonce)),
            Button(Text("btn-draft-restart"), RESTART.encode(draft.nonce, topic or "-")),
        ),
        topic=ctx.topics.name(draft.topic or "", ctx.locale),
        text=text if len(text) <= DRAFT_EXCERPT else text[: DRAFT_EXCERPT - 1].rstrip() + "…",
    )


async def _resume(ctx: Context, nonce: str) -> None:
    """The pending draft again, at the step it was left."""
    pending = _pending(ctx)
    if pending is None or pending[1].nonce != nonce:
        menu.stale_button(ctx)
        return
    step, draft, was_aside = pending
    if was_aside:
        ctx.drop_aside()
        ctx.set_state(step, draft)
    if step == CONFIRM:
        await show_summary(ctx, draft)
    elif step == DEFLECT:
        await _suggestions(ctx, draft)
    else:
        {TOPIC: ask_topic, TEXT: ask_text, PHOTOS: ask_photos, LOCATION: ask_location}[step](ctx)


async def _restart(ctx: Context, nonce: str, topic: str) -> None:
    pending = _pending(ctx)
    if pending is None or pending[1].nonce != nonce:
        menu.stale_button(ctx)
        return
    ctx.drop_aside()
    await _start_afresh(ctx, None if topic == "-" else topic)


def _place(ctx: Context, state: str) -> dict[str, int]:
    """ "Step N of M" for a step: the files step is counted only when files are allowed."""
    steps = (TOPIC, TEXT, *((PHOTOS,) if ctx.settings.max_photos else ()), LOCATION)
    return {"step": steps.index(state) + 1, "steps": len(steps)}


def ask_topic(ctx: Context) -> None:
    buttons = [
        _button(ctx, "btn-raw", TOPIC_CHOSEN, topic.code, label=topic.name(ctx.locale))
        for topic in ctx.topics
    ]
    buttons.append(_cancel_button(ctx))
    ctx.reply("appeal-ask-topic", Keyboard.grid(buttons), **_place(ctx, TOPIC))


def ask_text(ctx: Context) -> None:
    s = ctx.settings
    ctx.reply(
        "appeal-ask-text",
        Keyboard.column(_cancel_button(ctx)),
        topic=ctx.topics.name(_draft(ctx).topic or "", ctx.locale),
        min=s.text_min,
        max=s.text_max,
        **_place(ctx, TEXT),
    )


def ask_photos(ctx: Context) -> None:
    ctx.reply(
        "appeal-ask-photos",
        Keyboard.column(_button(ctx, "btn-skip", DONE), _cancel_button(ctx)),
        max=ctx.settings.max_photos,
        **_place(ctx, PHOTOS),
    )


def ask_location(ctx: Context) -> None:
    ctx.reply(
        "appeal-ask-location",
        Keyboard.column(_button(ctx, "btn-skip", SKIP), _cancel_button(ctx)),
        channel=ctx.incoming.platform.value,  # where each messenger keeps its location button
        **_place(ctx, LOCATION),
    )


async def show_summary(ctx: Context, draft: AppealDraft | None = None) -> None:
    draft = draft or _draft(ctx)
    alike = await similar.find(ctx, draft, ctx.user.id)
    # Only these may be followed from this summary: a forged id changes nothing.
    draft.editing, draft.similar = False, [a.id for a in alike]
    ctx.set_state(CONFIRM, draft)
    texts = [Text("appeal-summary-title"), *views.draft_lines(ctx, draft)]
    if alike:
        texts.append(Text("similar-header"))
        texts.extend(views.appeal_line(ctx, appeal) for appeal in alike)
        texts.append(Text("similar-hint"))
    if gosuslugi.offered(ctx):
        texts.append(gosuslugi.note())
    if ctx.settings.public_texts:
        texts.append(_publication(draft))
    texts.append(Text("appeal-summary-question"))
    keyboard = Keyboard(
        (
            (_button(ctx, "btn-send", SEND),),
            (_button(ctx, "btn-edit", EDIT), _button(ctx, "btn-cancel", CANCEL)),
            *(
                (_button(ctx, "btn-follow", FOLLOW, appeal.id, number=appeal.number),)
                for appeal in alike
            ),
            *(((gosuslugi.button(ctx),),) if gosuslugi.offered(ctx) else ()),
            *(((_publish_button(ctx, draft),),) if ctx.settings.public_texts else ()),
        )
    )
    ctx.reply_texts(tuple(texts), keyboard)


def _publication(draft: AppealDraft) -> Text:
    """What the public page and Open311 will show of this appeal: the author reads the very
    text that would be published before agreeing."""
    if draft.publish:
        return Text("appeal-publish-on", {"text": publishable(draft.text or "")})
    return Text("appeal-publish-off")


def _publish_button(ctx: Context, draft: AppealDraft) -> Button:
    return _button(ctx, "btn-publish-off" if draft.publish else "btn-publish-on", PUBLISH)


async def _toggle_publish(ctx: Context, draft: AppealDraft) -> None:
    if not ctx.settings.public_texts:
        menu.stale_button(ctx)
        return
    draft.publish = not draft.publish
    await show_summary(ctx, draft)


async def _after_step(ctx: Context, next_state: str, draft: AppealDraft) -> None:
    """Go on to the next step, or back to the summary when the citizen was editing."""
    if draft.editing:
        await show_summary(ctx, draft)
        return
    if next_state == PHOTOS and ctx.settings.max_photos == 0:
        next_state = LOCATION  # photos are switched off
    ctx.set_state(next_state, draft)
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
            "deflect-use-buttons", Keyboard.column(_button(ctx, "btn-deflect-continue", CONTINUE))
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
    draft = _draft(ctx)
    draft.text = text
    # A photo or document sent with the text as its caption is kept with the appeal.
    taken, refused = files.incoming(ctx)
    files.tell_refusals(ctx, refused)
    if taken and not draft.editing:
        draft.files = (draft.files + [f.to_dict() for f in taken])[: s.max_photos]
    if not draft.editing and not draft.deflected:
        found = await faq_answers.find(ctx, text, deflecting=True)
        if found:
            # Offered once per draft: "Это ответ на ваш вопрос?"
            draft.deflected = True
            ctx.set_state(DEFLECT, draft)
            ask_deflect(ctx, found)
            return
    await _after_step(ctx, PHOTOS, draft)


def ask_deflect(ctx: Context, found: list[FaqEntry]) -> None:
    numbers = tuple(
        _button(ctx, "btn-raw", SUGGESTED, entry.code, label=str(n))
        for n, entry in enumerate(found, start=1)
    )
    ctx.reply_texts(
        (Text("deflect-title"), *faq_answers.question_lines(ctx, found), Text("deflect-hint")),
        Keyboard(
            (
                numbers,
                (_button(ctx, "btn-deflect-continue", CONTINUE),),
                (_cancel_button(ctx),),
            )
        ),
    )


async def _suggested(ctx: Context, draft: AppealDraft, code: str) -> None:
    """An answer offered for the text, read within the flow: the ways on are the draft's."""
    if code not in {e.code for e in await faq_answers.find(ctx, draft.text or "", deflecting=True)}:
        menu.stale_button(ctx)
        return
    await faq_answers.show(
        ctx,
        code,
        ways=(
            (_button(ctx, "btn-deflect-continue", CONTINUE),),
            (_button(ctx, "btn-deflect-back", SUGGESTIONS),),
            (_cancel_button(ctx),),
        ),
    )


async def _suggestions(ctx: Context, draft: AppealDraft) -> None:
    found = await faq_answers.find(ctx, draft.text or "", deflecting=True)
    if not found:
        await _after_step(ctx, PHOTOS, draft)
        return
    ask_deflect(ctx, found)


async def _on_photo(ctx: Context) -> None:
    taken, refused = files.incoming(ctx)
    limit = ctx.settings.max_photos
    if refused:
        files.tell_refusals(ctx, refused)
    if not taken:
        if not refused:
            ctx.reply(
                "appeal-photo-expected",
                Keyboard.column(_button(ctx, "btn-skip", DONE), _cancel_button(ctx)),
            )
        return
    draft = _draft(ctx)
    room = limit - len(draft.files)
    if room <= 0:
        ctx.reply("appeal-photo-limit", max=limit)
        await _photos_done(ctx, draft)
        return
    draft.files = [*draft.files, *(f.to_dict() for f in taken[:room])]
    stored = draft.files
    ctx.set_state(PHOTOS, draft)
    if len(stored) >= limit:
        ctx.reply("appeal-photo-limit", max=limit)
        await _photos_done(ctx, draft)
        return
    ctx.reply(
        "appeal-photo-added",
        Keyboard.column(_button(ctx, "btn-done", DONE), _cancel_button(ctx)),
        count=len(stored),
        max=limit,
    )


async def _photos_done(ctx: Context, draft: AppealDraft) -> None:
    await _after_step(ctx, LOCATION, draft)


async def _on_location(ctx: Context) -> None:
    location = ctx.incoming.location
    draft = _draft(ctx)
    if location is not None:
        draft.latitude, draft.longitude = location.latitude, location.longitude
        draft.address = None
        await show_summary(ctx, draft)
        return
    address = ctx.incoming.text.strip()
    if not address:
        ctx.reply(
            "appeal-location-expected",
            Keyboard.column(_button(ctx, "btn-skip", SKIP), _cancel_button(ctx)),
        )
        return
    if len(address) > ctx.settings.address_max:
        ctx.reply("appeal-address-too-long", max=ctx.settings.address_max)
        return
    draft.address, draft.latitude, draft.longitude = address, None, None
    await show_summary(ctx, draft)


# --- buttons --------------------------------------------------------------------------------


def _flow_button(
    step: str | None, then: Callable[..., Awaitable[None] | None]
) -> Callable[..., Awaitable[None]]:
    """A flow button, honoured only in the draft it was made for (its nonce) and, with
    ``step``, only at that step."""

    async def pressed(ctx: Context, nonce: str, *values: object) -> None:
        draft = _draft(ctx)
        if ctx.state not in STATES or draft.nonce != nonce or step not in (None, ctx.state):
            menu.stale_button(ctx)
            return
        await call(then(ctx, draft, *values))

    return pressed


async def _topic_chosen(ctx: Context, draft: AppealDraft, code: str) -> None:
    if ctx.topics.get(code) is None:
        menu.stale_button(ctx)
        return
    draft.topic = code
    await _after_step(ctx, TEXT, draft)


def _edit_part(ctx: Context, draft: AppealDraft, part: str) -> None:
    if part not in EDITABLE or (part == "photos" and ctx.settings.max_photos == 0):
        menu.stale_button(ctx)
        return
    _edit(ctx, part)


_PRESSES = (
    Press(CANCEL, _flow_button(None, lambda ctx, draft: cancel(ctx))),
    Press(TOPIC_CHOSEN, _flow_button(TOPIC, _topic_chosen)),
    Press(CONTINUE, _flow_button(DEFLECT, lambda ctx, draft: _after_step(ctx, PHOTOS, draft))),
    Press(SUGGESTED, _flow_button(DEFLECT, _suggested)),
    Press(SUGGESTIONS, _flow_button(DEFLECT, _suggestions)),
    Press(DONE, _flow_button(PHOTOS, _photos_done)),
    Press(SKIP, _flow_button(LOCATION, lambda ctx, draft: show_summary(ctx))),
    Press(SEND, _flow_button(CONFIRM, lambda ctx, draft: submit(ctx))),
    Press(EDIT, _flow_button(CONFIRM, lambda ctx, draft: _ask_what_to_edit(ctx))),
    Press(EDIT_PART, _flow_button(CONFIRM, _edit_part)),
    Press(
        FOLLOW, _flow_button(CONFIRM, lambda ctx, draft, appeal_id: _follow(ctx, draft, appeal_id))
    ),
    Press(BACK, _flow_button(CONFIRM, lambda ctx, draft: show_summary(ctx))),
    Press(PUBLISH, _flow_button(CONFIRM, _toggle_publish)),
    # Offered by /new over an unsent draft, which may be set aside: checked against it.
    Press(RESUME, _resume),
    Press(RESTART, _restart),
)


def _ask_what_to_edit(ctx: Context) -> None:
    parts = [
        _button(ctx, "btn-edit-topic", EDIT_PART, "topic"),
        _button(ctx, "btn-edit-text", EDIT_PART, "text"),
        _button(ctx, "btn-edit-photos", EDIT_PART, "photos"),
        _button(ctx, "btn-edit-location", EDIT_PART, "location"),
    ]
    if ctx.settings.max_photos == 0:
        del parts[2]
    ctx.reply("appeal-edit-what", Keyboard.grid([*parts, _button(ctx, "btn-back", BACK)]))


def _edit(ctx: Context, part: str) -> None:
    draft = _draft(ctx)
    draft.editing = True
    if part == "photos":
        draft.files = []
    ctx.set_state(EDITABLE[part], draft)
    {"topic": ask_topic, "text": ask_text, "photos": ask_photos, "location": ask_location}[part](
        ctx
    )


async def _follow(ctx: Context, draft: AppealDraft, appeal_id: int) -> None:
    if appeal_id not in draft.similar:
        menu.stale_button(ctx)
        return
    appeal = await ctx.uow.appeals.get(appeal_id)
    if appeal is None or appeal.status not in OPEN:
        ctx.reply("follow-closed")
        await show_summary(ctx)
        return
    views.add_follower(appeal, ctx.user, ctx.incoming.chat, ctx.now)
    ctx.drop_aside()
    ctx.clear_state()
    ctx.reply("follow-done", menu.main_keyboard(), number=appeal.number)


def cancel(ctx: Context) -> None:
    ctx.drop_aside()
    ctx.clear_state()
    ctx.reply("appeal-cancelled", menu.main_keyboard())


async def submit(ctx: Context) -> None:
    d = _draft(ctx)
    if d.topic is None or ctx.topics.get(d.topic) is None or not d.text:
        # The draft lost a part (e.g. the topic was removed from the catalogue meanwhile).
        ctx.reply("appeal-draft-incomplete")
        d.editing = False
        ctx.set_state(TOPIC, d)
        ask_topic(ctx)
        return
    urgent = ctx.settings.urgency.is_urgent(d.topic, d.text)
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
        topic=d.topic,
        department=ctx.departments.for_topic(d.topic),
        text=d.text,
        public_text=publishable(d.text) if d.publish and ctx.settings.public_texts else None,
        address=d.address,
        latitude=d.latitude,
        longitude=d.longitude,
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
            for position, f in enumerate(map(Attachment.from_dict, d.files))
        ],
    )
    await ctx.uow.appeals.add(appeal)
    await record_created(ctx, appeal, ctx.user.id)
    ctx.drop_aside()
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


FEATURE = Feature(
    "appeals",
    commands=(Command("new", lambda ctx, _: start(ctx), in_menu=True, shortcut="new"),),
    buttons=(Buttons("f", presses=_PRESSES),),
    steps=(Steps(STATES, on_input, keep_aside=_unsent, reminder="appeal-kept-aside"),),
)
