"""Answers that already exist: the FAQ by category, search in free text, usefulness ratings,
and the staff's side (statistics, adding and editing entries, reloading the files)."""

from __future__ import annotations

from handlers import menu
from handlers.catalog_files import CODE, CatalogError
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.faq_catalog import ANSWER_MAX, QUESTION_MAX, FaqEntry
from handlers.faq_search import Hit, anonymous_terms
from handlers.parsing import parse_int

PAGE = 8  # entries per page of a category: VK shows at most 10 buttons
SCORES = range(1, 6)
UNANSWERED_TEXT_MAX = 300
STATS_LINES = 5
# Offering FAQ answers instead of an appeal needs a surer match; entries of these categories
# only tell how to file an appeal on a topic, so they are never offered instead of one.
DEFLECT_MIN = 0.25
NOT_DEFLECTING = frozenset({"topics"})


def rating_keyboard(code: str) -> tuple[Button, ...]:
    return tuple(Button(Text("btn-raw", {"label": str(s)}), f"faq:u:{code}:{s}") for s in SCORES)


def numbered_buttons(entries: list[FaqEntry]) -> list[Button]:
    return [
        Button(Text("btn-raw", {"label": str(n)}), f"faq:e:{entry.code}")
        for n, entry in enumerate(entries, start=1)
    ]


def question_lines(ctx: Context, entries: list[FaqEntry]) -> list[Text]:
    return [
        Text("faq-list-line", {"n": n, "question": entry.wording(ctx.locale).question})
        for n, entry in enumerate(entries, start=1)
    ]


async def categories(ctx: Context) -> None:
    await ctx.faq.ensure(ctx.uow)
    catalog = ctx.faq.catalog
    buttons = [
        Button(Text("btn-raw", {"label": c.name(ctx.locale)}), f"faq:c:{c.code}")
        for c in catalog.categories.values()
    ]
    ctx.reply("faq-categories", Keyboard.grid(buttons, 1))


async def category(ctx: Context, code: str, page: int = 0) -> None:
    await ctx.faq.ensure(ctx.uow)
    found = ctx.faq.catalog.categories.get(code)
    entries = ctx.faq.catalog.in_category(code)
    pages = max((len(entries) + PAGE - 1) // PAGE, 1)
    if found is None or not 0 <= page < pages:
        menu.stale_button(ctx)
        return
    shown = entries[page * PAGE : (page + 1) * PAGE]
    rows: list[tuple[Button, ...]] = list(Keyboard.grid(numbered_buttons(shown), 4).rows)
    if page + 1 < pages:
        rows.append((Button(Text("btn-faq-more"), f"faq:c:{code}:{page + 1}"),))
    rows.append((Button(Text("btn-faq-categories"), "faq"),))
    ctx.reply_texts(
        (Text("faq-category", {"category": found.name(ctx.locale)}), *question_lines(ctx, shown)),
        Keyboard(tuple(rows)),
    )


async def show(ctx: Context, code: str) -> None:
    await ctx.faq.ensure(ctx.uow)
    entry = ctx.faq.catalog.entries.get(code)
    if entry is None:
        menu.stale_button(ctx)
        return
    await ctx.uow.faq.viewed(code)
    wording = entry.wording(ctx.locale)
    category_name = ctx.faq.catalog.categories[entry.category].name(ctx.locale)
    ctx.reply_texts(
        (
            Text("faq-answer", {"question": wording.question, "answer": wording.answer}),
            Text("faq-rate-prompt"),
        ),
        Keyboard(
            (
                rating_keyboard(code),
                (
                    Button(
                        Text("btn-faq-back", {"category": category_name}),
                        f"faq:c:{entry.category}",
                    ),
                ),
                (Button(Text("btn-faq-file"), "m:new"),),
            )
        ),
    )


async def rate(ctx: Context, code: str, score_text: str) -> None:
    await ctx.faq.ensure(ctx.uow)
    score = parse_int(score_text)
    if code not in ctx.faq.catalog.entries or score is None or score not in SCORES:
        menu.stale_button(ctx)
        return
    again = await ctx.uow.faq.rate(ctx.user.id, code, score, ctx.now)
    ctx.reply("faq-rated-again" if again else "faq-rated", score=score)


async def on_button(ctx: Context, parts: list[str]) -> None:
    """``faq``, ``faq:c:<category>[:<page>]``, ``faq:e:<entry>``, ``faq:u:<entry>:<score>``."""
    if not parts:
        await categories(ctx)
    elif parts[0] == "c" and len(parts) in (2, 3):
        page = parse_int(parts[2]) if len(parts) == 3 else 0
        await category(ctx, parts[1], page if page is not None else -1)
    elif parts[0] == "e" and len(parts) == 2:
        await show(ctx, parts[1])
    elif parts[0] == "u" and len(parts) == 3:
        await rate(ctx, parts[1], parts[2])
    else:
        menu.stale_button(ctx)


# --- free text ------------------------------------------------------------------------------


async def find(ctx: Context, text: str, *, deflecting: bool = False) -> list[FaqEntry]:
    """The FAQ answers that fit a question; ``deflecting``: those that may make an appeal
    unnecessary (each a sure match, and not an entry that only says how to file one)."""
    await ctx.faq.ensure(ctx.uow)
    catalog = ctx.faq.catalog
    if not deflecting:
        return [catalog.entries[h.code] for h in ctx.faq.search.found(text, ctx.locale)]
    hits: list[Hit] = ctx.faq.search.search(text, ctx.locale, limit=5)
    entries = [
        catalog.entries[h.code]
        for h in hits
        if h.confidence >= DEFLECT_MIN and catalog.entries[h.code].category not in NOT_DEFLECTING
    ]
    return entries[:3]


async def answer_free_text(ctx: Context) -> None:
    """A question in the citizen's own words: the answers that fit, or the menu; a question
    nobody has answered yet is counted for the staff."""
    text = ctx.incoming.text.strip()
    if not text:
        menu.fallback(ctx)
        return
    found = await find(ctx, text)
    if found:
        ctx.reply_texts(
            (Text("faq-found"), *question_lines(ctx, found), Text("faq-found-hint")),
            Keyboard(
                (
                    tuple(numbered_buttons(found)),
                    (Button(Text("btn-faq-file"), "m:new"),),
                )
            ),
        )
        return
    # Kept for /faqstats as its words only, never as typed: not linked to the person, with
    # no numbers and no names (152-ФЗ: what it needs, nothing that tells who asked).
    asked = anonymous_terms(text)
    if asked:
        key = " ".join(sorted(asked))[:200]
        await ctx.uow.faq.unanswered(key, " ".join(asked)[:UNANSWERED_TEXT_MAX], ctx.now)
    ctx.reply("faq-nothing-found", menu.main_keyboard())


# --- staff --------------------------------------------------------------------------------

STAFF_COMMANDS = frozenset({"faqstats", "faq_set", "faq_delete", "faq_reload"})


async def staff_command(ctx: Context, name: str, args: str) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    await ctx.faq.ensure(ctx.uow)
    if name == "faqstats":
        await stats(ctx)
    elif name == "faq_set":
        await set_entry(ctx, args)
    elif name == "faq_delete":
        await delete_entry(ctx, args)
    elif name == "faq_reload":
        reload_files(ctx)


async def stats(ctx: Context) -> None:
    catalog = ctx.faq.catalog
    views = await ctx.uow.faq.views()
    ratings = await ctx.uow.faq.ratings()

    def question(code: str) -> str:
        entry = catalog.entries.get(code)
        return entry.wording(ctx.locale).question if entry else code

    def line(code: str) -> Text:
        average, count = ratings.get(code, (0.0, 0))
        return Text(
            "faqstats-line",
            {
                "question": question(code),
                "views": views.get(code, 0),
                "average": f"{average:.1f}" if count else "—",
                "count": count,
            },
        )

    unanswered = await ctx.uow.faq.top_unanswered(STATS_LINES * 2)
    popular = sorted(views, key=lambda c: views[c], reverse=True)[:STATS_LINES]
    lowest = sorted(ratings, key=lambda c: ratings[c][0])[:STATS_LINES]
    texts = [Text("faqstats-title", {"views": sum(views.values()), "ratings": len(ratings)})]
    for title, lines in (
        ("faqstats-popular", [line(c) for c in popular]),
        ("faqstats-lowest", [line(c) for c in lowest]),
        (
            "faqstats-unanswered",
            [
                Text("faqstats-unanswered-line", {"count": row.count, "text": row.text})
                for row in unanswered
            ],
        ),
    ):
        texts.append(Text(title))
        texts.extend(lines or [Text("faqstats-none")])
    ctx.reply_texts(tuple(texts))


async def set_entry(ctx: Context, args: str) -> None:
    """``/faq_set <code> <category> <ru|en> <question> | <answer>``."""
    head, bar, answer = args.partition("|")
    parts = head.split(maxsplit=3)
    if not bar or len(parts) < 4 or not answer.strip():
        ctx.reply("faq-set-usage")
        return
    code, category_code, locale, question = parts[0], parts[1], parts[2], parts[3].strip()
    answer = answer.strip()
    catalog = ctx.faq.catalog
    if not CODE.match(code) or locale not in ctx.settings.locales:
        ctx.reply("faq-set-usage")
        return
    if category_code not in catalog.categories:
        ctx.reply("faq-unknown-category", categories=", ".join(catalog.categories))
        return
    if len(question) > QUESTION_MAX or len(answer) > ANSWER_MAX:
        ctx.reply("faq-set-too-long", question=QUESTION_MAX, answer=ANSWER_MAX)
        return
    existed = code in catalog.entries
    await ctx.uow.faq.put_override(
        code, locale, category_code, question, answer, by=ctx.user.id, now=ctx.now
    )
    await ctx.uow.session.flush()
    await ctx.faq.refresh(ctx.uow)
    ctx.reply("faq-set-changed" if existed else "faq-set-added", code=code, locale=locale)


async def delete_entry(ctx: Context, args: str) -> None:
    code = args.strip()
    if not CODE.match(code):
        ctx.reply("faq-delete-usage")
        return
    removed = await ctx.uow.faq.delete_overrides(code)
    await ctx.faq.refresh(ctx.uow)
    still = code in ctx.faq.catalog.entries
    if not removed:
        ctx.reply("faq-delete-none", code=code)
    else:
        ctx.reply("faq-delete-file" if still else "faq-deleted", code=code)


def reload_files(ctx: Context) -> None:
    try:
        ctx.faq.reload_files()
    except CatalogError as exc:
        ctx.reply("faq-reload-failed", error=str(exc))
        return
    catalog = ctx.faq.catalog
    ctx.reply(
        "faq-reloaded",
        entries=len(catalog.entries),
        categories=len(catalog.categories),
        sections=len(catalog.sections),
    )
