"""Answers that already exist: the FAQ by category, search in free text, usefulness ratings,
and the staff's side (statistics, adding and editing entries, reloading the files)."""

from __future__ import annotations

from handlers import choices, menu
from handlers.catalog_files import CODE, CatalogError
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.faq import gosuslugi
from handlers.faq.faq_catalog import ANSWER_MAX, QUESTION_MAX, FaqCatalog, FaqEntry
from handlers.faq.faq_search import FaqSearch, Hit, anonymous_terms
from handlers.payloads import KEY, SCORE, Payload
from handlers.payloads import PAGE as PAGE_NUMBER
from handlers.registry import Audience, Buttons, Command, Feature, Press, family

CATEGORIES = Payload("faq")  # the list of categories
CATEGORY = Payload("faq", "c", KEY)  # faq:c:<category>
CATEGORY_PAGE = Payload("faq", "c", KEY, PAGE_NUMBER)  # faq:c:<category>:<page>
ENTRY = Payload("faq", "e", KEY)  # faq:e:<entry>
USEFUL = Payload("faq", "u", KEY, SCORE)  # faq:u:<entry>:<1-5>: how useful the answer was
PAGE = 8  # entries per page of a category, at most (two more buttons go under them)
SCORES = range(1, 6)
UNANSWERED_TEXT_MAX = 300
STATS_LINES = 5
# Offering FAQ answers instead of an appeal needs a surer match (tests/data/deflection.toml
# measures it), and each answer offered at least half as sure as the best; entries of these
# categories only tell how to file an appeal on a topic, so they are never offered instead.
DEFLECT_MIN = 0.28
DEFLECT_RELATIVE = 0.5
NOT_DEFLECTING = frozenset({"topics"})


def rating_keyboard(code: str) -> tuple[Button, ...]:
    return tuple(Button(Text("btn-raw", {"label": str(s)}), USEFUL.encode(code, s)) for s in SCORES)


def numbered_buttons(entries: list[FaqEntry]) -> list[Button]:
    return [
        Button(Text("btn-raw", {"label": str(n)}), ENTRY.encode(entry.code))
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
        Button(Text("btn-raw", {"label": c.name(ctx.locale)}), CATEGORY.encode(c.code))
        for c in catalog.categories.values()
    ]
    ctx.reply("faq-categories", Keyboard.grid(buttons, 1))


async def category(ctx: Context, code: str, page: int = 0) -> None:
    await ctx.faq.ensure(ctx.uow)
    found = ctx.faq.catalog.categories.get(code)
    entries = ctx.faq.catalog.in_category(code)
    size = max(1, min(PAGE, ctx.settings.buttons_max - 2))
    pages = max((len(entries) + size - 1) // size, 1)
    if found is None or not 0 <= page < pages:
        menu.stale_button(ctx)
        return
    shown = entries[page * size : (page + 1) * size]
    rows: list[tuple[Button, ...]] = list(Keyboard.grid(numbered_buttons(shown), 4).rows)
    if page + 1 < pages:
        rows.append((Button(Text("btn-faq-more"), CATEGORY_PAGE.encode(code, page + 1)),))
    rows.append((Button(Text("btn-faq-categories"), CATEGORIES.encode()),))
    ctx.reply_texts(
        (Text("faq-category", {"category": found.name(ctx.locale)}), *question_lines(ctx, shown)),
        Keyboard(tuple(rows)),
    )


async def show(
    ctx: Context, code: str, *, ways: tuple[tuple[Button, ...], ...] | None = None
) -> None:
    """An answer with its usefulness buttons; ``ways``: where to go from it (by default, its
    category and filing an appeal)."""
    await ctx.faq.ensure(ctx.uow)
    entry = ctx.faq.catalog.entries.get(code)
    if entry is None:
        menu.stale_button(ctx)
        return
    await ctx.uow.faq.viewed(code)
    wording = entry.wording(ctx.locale)
    category_name = ctx.faq.catalog.categories[entry.category].name(ctx.locale)
    pos = gosuslugi.offered(ctx) and code in gosuslugi.ENTRIES
    ctx.reply_texts(
        (
            Text("faq-answer", {"question": wording.question, "answer": wording.answer}),
            # Staff see the code /faq_set and /faq_delete take.
            *((Text("faq-code", {"code": code}),) if ctx.access.handles_appeals else ()),
            *((gosuslugi.note(),) if pos else ()),
            Text("faq-rate-prompt"),
        ),
        Keyboard(
            (
                rating_keyboard(code),
                *(((gosuslugi.button(ctx),),) if pos else ()),
                *(
                    ways
                    or (
                        (
                            Button(
                                Text("btn-faq-back", {"category": category_name}),
                                CATEGORY.encode(entry.category),
                            ),
                        ),
                        (Button(Text("btn-faq-file"), menu.MAIN.encode("new")),),
                    )
                ),
            )
        ),
    )


async def rate(ctx: Context, code: str, score: int) -> None:
    await ctx.faq.ensure(ctx.uow)
    if code not in ctx.faq.catalog.entries or score not in SCORES:
        menu.stale_button(ctx)
        return
    again = await ctx.uow.faq.rate(ctx.user.id, code, score, ctx.now)
    ctx.reply("faq-rated-again" if again else "faq-rated", score=score)


# --- free text ------------------------------------------------------------------------------


async def find(ctx: Context, text: str, *, deflecting: bool = False) -> list[FaqEntry]:
    """The FAQ answers that fit a question; ``deflecting``: those that may make an appeal
    unnecessary (each a sure match, and not an entry that only says how to file one)."""
    await ctx.faq.ensure(ctx.uow)
    catalog = ctx.faq.catalog
    if not deflecting:
        return [catalog.entries[h.code] for h in ctx.faq.search.found(text, ctx.locale)]
    return [catalog.entries[code] for code in offered(ctx.faq.search, catalog, text, ctx.locale)]


def offered(search: FaqSearch, catalog: FaqCatalog, text: str, locale: str) -> list[str]:
    """The entries offered before an appeal with this text: sure matches only, and never one
    that only says how to file an appeal on a topic."""
    hits: list[Hit] = [
        h
        for h in search.search(text, locale, limit=5)
        if catalog.entries[h.code].category not in NOT_DEFLECTING
    ]
    if not hits:
        return []
    floor = max(DEFLECT_MIN, DEFLECT_RELATIVE * hits[0].confidence)
    return [h.code for h in hits if h.confidence >= floor][:3]


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
                    (Button(Text("btn-faq-file"), menu.MAIN.encode("new")),),
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
        categories = choices.listing(
            (c.code, c.name(ctx.locale)) for c in catalog.categories.values()
        )
        ctx.reply("faq-unknown-category", categories=categories)
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
        # Only what was added or changed in the bot can be deleted from it: those, by name.
        made = {o.code for o in await ctx.uow.faq.overrides()}
        entries = ctx.faq.catalog.entries
        listed = choices.listing(
            (c, entries[c].wording(ctx.locale).question if c in entries else c)
            for c in sorted(made)
        )
        texts = [Text("faq-delete-none", {"code": code})]
        if made:
            texts.append(Text("faq-made-in-bot", {"made": listed}))
        ctx.reply_texts(tuple(texts))
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


FEATURE = Feature(
    "faq",
    commands=(
        Command("faq", lambda ctx, _: categories(ctx), in_menu=True, shortcut="faq"),
        *family(
            ("faqstats", "faq_set", "faq_delete", "faq_reload"),
            staff_command,
            Audience.OPERATORS,
            menu=("faqstats",),
        ),
    ),
    buttons=(
        Buttons(
            "faq",
            presses=(
                Press(CATEGORIES, categories),
                Press(CATEGORY, category),
                Press(CATEGORY_PAGE, category),
                Press(ENTRY, show),
                Press(USEFUL, rate),
            ),
        ),
    ),
)
