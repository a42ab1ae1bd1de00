"""Usage analytics: which commands and sections are used and how far people get through each
flow, per channel. Only counters of our own names are kept (never who, never what was
written), added up per day; ``/usage week|month`` shows them to the admins."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from handlers.context import Context
from handlers.contracts import Text
from handlers.parsing import payload_parts
from handlers.registry import Audience, Command, Feature
from storage.repositories.usage import UsageKey

SPANS = {"week": 7, "month": 30}
TOP = 10  # commands and sections shown per channel
# A button's payload kind -> the section of the bot it belongs to.
SECTIONS = {
    "f": "appeal",
    "new": "appeal",
    "propose": "proposal",
    "my": "my",
    "r": "rating",
    "rr": "rating",
    "q": "clarify",
    "add": "clarify",
    "faq": "faq",
    "i": "info",
    "lang": "language",
    "ac": "corruption",
    "pl": "polls",
    "pd": "discussions",
    "g": "groups",
    "op": "staff",
    "pb": "staff",
    "mb": "staff",
    "mc": "staff",
    "ml": "mailing",
    "me": "mydata",
}
# Each flow's steps in order, the last being its completion: (label, event).
FUNNELS: dict[str, tuple[tuple[str, str], ...]] = {
    "appeal": (
        ("topic", "step:appeal.topic"),
        ("text", "step:appeal.text"),
        ("photos", "step:appeal.photos"),
        ("location", "step:appeal.location"),
        ("confirm", "step:appeal.confirm"),
        ("done", "done:appeal"),
    ),
    "proposal": (("text", "step:proposal.text"), ("done", "done:proposal")),
    "corruption": (
        ("text", "step:ac.text"),
        ("contact", "step:ac.contact"),
        ("done", "done:corruption"),
    ),
}


def note_command(ctx: Context, name: str) -> None:
    ctx.track("command:unknown" if ctx.unrecognised else f"command:{name}")


def note_button(ctx: Context, payload: str) -> None:
    parts = payload_parts(payload)
    if ctx.unrecognised or not parts:
        ctx.track("button:stale")
    elif parts[0] == "m" and len(parts) > 1:
        ctx.track(f"button:{SECTIONS.get(parts[1], parts[1])}")  # the main menu's sections
    else:
        ctx.track(f"button:{SECTIONS.get(parts[0], parts[0])}")


def counts(ctx: Context) -> dict[UsageKey, int]:
    """The event's counters (the core adds them to the tally once the update is committed)."""
    day = ctx.now.astimezone(ctx.settings.timezone).date()
    found: dict[UsageKey, int] = defaultdict(int)
    for event in ctx.events:
        found[(day, ctx.incoming.platform.value, event[:64])] += 1
    return found


def _line(event: str, count: int) -> Text | None:
    kind, _, name = event.partition(":")
    if kind == "command":
        return Text("usage-command", {"name": name, "count": count})
    if kind == "button":
        return Text("usage-section", {"section": name, "count": count})
    return None


def _funnel(flow: str, counts: dict[str, int]) -> tuple[Text, ...]:
    steps = FUNNELS[flow]
    first = counts.get(steps[0][1], 0)
    if not first:
        return ()
    lines = [Text("usage-funnel", {"flow": flow})]
    for label, event in steps:
        n = counts.get(event, 0)
        lines.append(
            Text("usage-step", {"step": label, "count": n, "share": round(100 * n / first)})
        )
    return tuple(lines)


async def command(ctx: Context, args: str) -> None:
    """``/usage week|month``: the last 7 or 30 days, today included, per channel."""
    if not ctx.access.admin:
        ctx.reply("usage-not-allowed")
        return
    span = args.strip().lower() or "week"
    if span not in SPANS:
        ctx.reply("usage-usage")
        return
    end = ctx.now.astimezone(ctx.settings.timezone).date() + timedelta(days=1)
    start = end - timedelta(days=SPANS[span])
    by_channel: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for channel, event, count in await ctx.uow.usage.totals(start, end):
        by_channel[channel][event] += count
    # And what this process counted in the last few seconds, not written yet.
    for (day, channel, event), count in ctx.tally.pending().items():
        if start <= day < end:
            by_channel[channel][event] += count
    header = Text(
        "usage-header",
        {
            "start": start.strftime("%d.%m.%Y"),
            "end": (end - timedelta(days=1)).strftime("%d.%m.%Y"),
        },
    )
    if not by_channel:
        ctx.reply_texts((header, Text("usage-empty")))
        return
    texts = [header]
    for channel, counts in sorted(by_channel.items()):
        used = [(e, n) for e, n in counts.items() if e.startswith(("command:", "button:"))]
        texts.append(Text("usage-channel", {"channel": channel, "total": sum(n for _, n in used)}))
        ranked = sorted(used, key=lambda item: (-item[1], item[0]))[:TOP]
        texts.extend(line for e, n in ranked if (line := _line(e, n)) is not None)
        for flow in FUNNELS:
            texts.extend(_funnel(flow, counts))
    ctx.reply_texts(tuple(texts))


FEATURE = Feature("usage", commands=(Command("usage", command, Audience.ADMINS, in_menu=True),))
