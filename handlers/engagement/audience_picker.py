"""Choosing who a draft poll, public discussion or mailing is for: one list to pick from,
instead of a button cycling through every possibility.

The list holds everyone (for mailings: every subscriber), each reference group (several may
be ticked) and each topic of appeals (those who wrote on it; one at a time). It is paged to
the fewest buttons a running channel shows, and ends with the way back to the draft's card.
The drafts declare the same buttons under their own payload prefix (``pb`` for polls, ``pd``
for discussions, ``mb`` for mailings)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from handlers import menu
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.engagement import audiences
from handlers.engagement.groups import name as group_name
from handlers.payloads import ID, KEY, PAGE, Payload
from handlers.registry import Press
from storage.repositories.mailings import audience_codes

TOPIC = "topic:"
GROUPS = "groups:"


class Targeted(Protocol):
    """A draft poll or discussion: who it is for."""

    id: int
    audience: str


def with_group(audience: str, code: str, everyone: str = audiences.ALL) -> str:
    """The group ticked or unticked; the last one unticked leaves everyone."""
    chosen = audience_codes(audience)
    chosen = [c for c in chosen if c != code] if code in chosen else [*chosen, code]
    return f"{GROUPS}{','.join(chosen)}" if chosen else everyone


def with_topic(audience: str, code: str, everyone: str = audiences.ALL) -> str:
    """Those who wrote on the topic; pressed again, everyone."""
    return everyone if audience == f"{TOPIC}{code}" else f"{TOPIC}{code}"


T = TypeVar("T", bound=Targeted)


@dataclass(frozen=True)
class Picker(Generic[T]):
    """The audience list of one kind of draft. ``load`` finds the draft by its id (and
    refuses a stale one itself); ``card`` shows the draft's card again."""

    prefix: str
    load: Callable[[Context, int], Awaitable[T | None]]
    card: Callable[[Context, T], Awaitable[None]]
    # Who "everyone" is: all who use the bot (polls, discussions) or, for mailings, all who
    # subscribed to some group ("subscribers").
    everyone: str = audiences.ALL

    @property
    def open(self) -> Payload:
        return Payload(self.prefix, "s", ID, "aud")

    @property
    def page(self) -> Payload:
        return Payload(self.prefix, "s", ID, "aud", PAGE)

    @property
    def to_everyone(self) -> Payload:
        return Payload(self.prefix, "s", ID, "all")

    @property
    def group(self) -> Payload:
        return Payload(self.prefix, "s", ID, "g", KEY)

    @property
    def topic(self) -> Payload:
        return Payload(self.prefix, "s", ID, "t", KEY)

    @property
    def back(self) -> Payload:
        return Payload(self.prefix, "s", ID, "card")

    def presses(self) -> tuple[Press, ...]:
        return (
            Press(self.open, menu.staff_only(self._loaded(lambda ctx, item: self.show(ctx, item)))),
            Press(self.page, menu.staff_only(self._loaded(self.show))),
            Press(self.to_everyone, menu.staff_only(self._loaded(self._everyone))),
            Press(self.group, menu.staff_only(self._loaded(self._group))),
            Press(self.topic, menu.staff_only(self._loaded(self._topic))),
            Press(self.back, menu.staff_only(self._loaded(self.card))),
        )

    def _loaded(self, then: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        async def pressed(ctx: Context, item_id: int, *rest: object) -> None:
            item = await self.load(ctx, item_id)
            if item is not None:
                await then(ctx, item, *rest)

        return pressed

    async def _entries(self, ctx: Context, item: T) -> list[Button]:
        audience = item.audience
        chosen = audience_codes(audience)
        entries = [
            Button(
                Text(
                    "btn-audience-all",
                    {"who": self.everyone, "on": _yes(audience == self.everyone)},
                ),
                self.to_everyone.encode(item.id),
            )
        ]
        entries += [
            Button(
                Text(
                    "btn-audience-group",
                    {"name": group_name(g, ctx.locale), "on": _yes(g.code in chosen)},
                ),
                self.group.encode(item.id, g.code),
            )
            for g in await ctx.uow.mailings.groups()
        ]
        entries += [
            Button(
                Text(
                    "btn-audience-topic",
                    {"name": t.name(ctx.locale), "on": _yes(audience == f"{TOPIC}{t.code}")},
                ),
                self.topic.encode(item.id, t.code),
            )
            for t in ctx.topics
        ]
        return entries

    @staticmethod
    def _page_size(ctx: Context) -> int:
        # Room for "more" and the way back on the channel that shows the fewest buttons.
        return max(1, ctx.settings.buttons_max - 2)

    async def show(self, ctx: Context, item: T, page: int = 0, *, at: str | None = None) -> None:
        """The list at ``page``, or with ``at`` at the page of that entry (the one just
        pressed)."""
        entries = await self._entries(ctx, item)
        size = self._page_size(ctx)
        if at is not None:
            page = next((i for i, b in enumerate(entries) if b.payload == at), 0) // size
        pages = (len(entries) + size - 1) // size
        page = page if page < pages else 0
        rows = [(b,) for b in entries[page * size : (page + 1) * size]]
        if pages > 1:
            following = (page + 1) % pages
            rows.append(
                (
                    Button(
                        Text("btn-audience-more", {"page": following + 1, "pages": pages}),
                        self.page.encode(item.id, following),
                    ),
                )
            )
        rows.append((Button(Text("btn-audience-card"), self.back.encode(item.id)),))
        ctx.reply_texts(
            (Text("audience-pick", await audiences.described(ctx, item.audience)),),
            Keyboard(tuple(rows)),
        )

    async def _everyone(self, ctx: Context, item: T) -> None:
        item.audience = self.everyone
        await self.show(ctx, item, at=self.to_everyone.encode(item.id))

    async def _group(self, ctx: Context, item: T, code: str) -> None:
        group = await ctx.uow.mailings.group(code)
        if group is None or group.archived:
            menu.stale_button(ctx)
            return
        item.audience = with_group(item.audience, code, self.everyone)
        await self.show(ctx, item, at=self.group.encode(item.id, code))

    async def _topic(self, ctx: Context, item: T, code: str) -> None:
        if ctx.topics.get(code) is None:
            menu.stale_button(ctx)
            return
        item.audience = with_topic(item.audience, code, self.everyone)
        await self.show(ctx, item, at=self.topic.encode(item.id, code))


def _yes(on: bool) -> str:
    return "yes" if on else "no"
