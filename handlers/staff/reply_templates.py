"""Operators answer from templates: `/templates`, `/reply N #key`, buttons under a new appeal,
and `/template set|delete` to add and change them from the bot."""

from __future__ import annotations

import re

from handlers import choices
from handlers.appeals.topics import CODE
from handlers.context import Context, Work
from handlers.contracts import Button, Keyboard, Text
from handlers.staff import buttons as staff_buttons
from handlers.staff.replies import ANY_TOPIC, TITLE_MAX, ReplyTemplate, check_topics, problems
from storage.models import Appeal, ReplyTemplateRow

ANNOUNCEMENT_BUTTONS = 3  # template replies offered under a new appeal, beside take and answer
_NAMELESS = re.compile(r"^id\d+$")  # VK: we know the id, not the name


async def catalogue(work: Work) -> dict[str, ReplyTemplate]:
    """The file's templates, with those made in the bot over them (a bot-made one without a
    title of its own keeps the title of the file's template it replaces)."""
    templates = dict(work.settings.replies.templates)
    for row in await work.uow.replies.all():
        replaced = templates.get(row.key)
        titles = {"ru": row.title} if row.title else (replaced.titles if replaced else {})
        templates[row.key] = ReplyTemplate(row.key, tuple(row.topics), {"ru": row.text_ru}, titles)
    return templates


async def fitting(work: Work, topic: str) -> list[ReplyTemplate]:
    """The templates an appeal of this topic may be answered with: those written for the
    topic first, then those for any topic."""
    fit = [t for t in (await catalogue(work)).values() if t.fits(topic)]
    return sorted(fit, key=lambda t: not t.made_for(topic))


def _listing(work: Work, templates: list[ReplyTemplate]) -> str:
    return choices.listing((f"#{t.key}", t.title(work.locale)) for t in templates)


def fill(work: Work, template: ReplyTemplate, appeal: Appeal) -> str:
    locale = appeal.citizen.language
    name = appeal.citizen.display_name
    if not name or _NAMELESS.match(name):
        names = work.settings.replies.default_name
        name = names.get(locale) or names.get("ru", "")
    values = {
        "name": name,
        "number": appeal.number,
        "date": work.format_date(appeal.created_at),
        "due": work.format_date(appeal.due_at),
        "topic": work.topics.name(appeal.topic, locale),
        "department": work.departments.name(appeal.department, locale),
    }
    return template.fill(locale, values)


def buttons(appeal: Appeal, templates: list[ReplyTemplate], locale: str) -> tuple[Button, ...]:
    """The first few templates for the appeal (its topic's own first), by their titles."""
    return tuple(
        Button(
            Text("btn-template", {"tpl": t.title(locale)}),
            staff_buttons.TEMPLATE.encode(appeal.id, t.key),
        )
        for t in templates[:ANNOUNCEMENT_BUTTONS]
    )


async def find(ctx: Context, key: str, appeal: Appeal) -> ReplyTemplate | None:
    """The template by its key, if it fits the appeal; else the ones that do, by name."""
    template = (await catalogue(ctx)).get(key)
    if template is not None and template.fits(appeal.topic):
        return template
    fit = _listing(ctx, await fitting(ctx, appeal.topic))
    topic = ctx.topics.name(appeal.topic, ctx.locale)
    if template is None:
        ctx.reply("template-unknown", tpl=key[:32], topic=topic, fitting=fit)
    else:
        ctx.reply("template-wrong-topic", tpl=key, topic=topic, fitting=fit)
    return None


async def list_templates(ctx: Context, args: str) -> None:
    topic = args.strip()
    if topic and ctx.topics.get(topic) is None:
        ctx.reply("template-unknown-topic", topics=choices.topics(ctx))
        return
    templates = sorted((await catalogue(ctx)).values(), key=lambda t: t.key)
    if topic:
        templates = await fitting(ctx, topic)
    if not templates:
        ctx.reply("templates-empty")
        return
    texts = [Text("templates-header")]
    for t in templates:
        preview = t.text("ru")
        names = [
            ctx.word(ctx.locale, "templates-any-topic")
            if code == ANY_TOPIC
            else ctx.topics.name(code, ctx.locale)
            for code in t.topics
        ]
        texts.append(
            Text(
                "templates-line",
                {
                    "title": t.title(ctx.locale),
                    "tpl": t.key,
                    "topics": ", ".join(names),
                    "preview": preview[:90] + ("…" if len(preview) > 90 else ""),
                },
            )
        )
    texts.append(Text("templates-usage"))
    ctx.reply_texts(tuple(texts))


async def manage(ctx: Context, args: str) -> None:
    """``/template set #key topics text`` and ``/template delete #key``."""
    action, _, rest = args.strip().partition(" ")
    if action == "set":
        await _set(ctx, rest.strip())
    elif action == "delete":
        key = rest.strip().removeprefix("#")
        if await ctx.uow.replies.delete(key):
            ctx.reply("template-deleted", tpl=key)
        else:
            ctx.reply("template-not-in-bot", tpl=key)
    else:
        ctx.reply("template-usage")


async def _set(ctx: Context, rest: str) -> None:
    """``#key topics [Title |] text``: the title is what staff read on its button."""
    parts = rest.split(maxsplit=2)
    if len(parts) < 3 or not parts[0].startswith("#"):
        ctx.reply("template-usage")
        return
    key, topics_raw, text = parts[0][1:], parts[1], parts[2].strip()
    title: str | None = None
    head, bar, body = text.partition("|")
    if bar and 0 < len(head.strip()) <= TITLE_MAX and "\n" not in head:
        title, text = head.strip(), body.strip()
    topics = [t for t in topics_raw.split(",") if t]
    if not CODE.match(key):
        ctx.reply("template-bad-key")
        return
    unknown = check_topics(topics, ctx.topics)
    if unknown or not topics:
        any_topic = (ANY_TOPIC, ctx.word(ctx.locale, "templates-any-topic"))
        ctx.reply("template-unknown-topic", topics=choices.topics(ctx, any_topic))
        return
    wrong = problems(text)
    if wrong:
        ctx.reply(
            "template-invalid",
            problems="; ".join(wrong),
            allowed=", ".join(sorted(PLACEHOLDER_NAMES)),
        )
        return
    await ctx.uow.replies.put(
        ReplyTemplateRow(
            key=key,
            topics=topics,
            text_ru=text,
            title=title,
            updated_by_id=ctx.user.id,
            updated_at=ctx.now,
        )
    )
    ctx.reply("template-saved", tpl=key)


PLACEHOLDER_NAMES = ("{name}", "{number}", "{date}", "{due}", "{topic}", "{department}")


def preview_keyboard(appeal_id: int, key: str) -> Keyboard:
    return Keyboard.column(
        Button(Text("btn-send-template"), staff_buttons.SEND_TEMPLATE.encode(appeal_id, key))
    )
