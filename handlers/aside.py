"""A flow kept aside, not lost, when its person goes elsewhere.

Someone halfway through an appeal who types /start, answers an operator's question about an
older appeal or takes a poll would otherwise lose the draft: a conversation has one flow at a
time. A flow whose :class:`~handlers.registry.Steps` declares ``keep_aside`` (the appeal, once
its text is written) is set aside instead: carried in the data of the flow that replaced it
(under ``_aside``) and, when no flow is under way, kept in the conversation's row as the
state ``aside``. The person is told once, when it happens; the flow's own feature brings it
back (``/new`` offers to go on with it). A flow that ends on purpose (sent, cancelled, started
anew, erased with /forget) calls ``ctx.drop_aside()``, and nothing is kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from handlers.contracts import Outgoing, Text

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.registry import Steps

ASIDE = "_aside"  # in a flow's data: the flow set aside for it
PARKED = "aside"  # the state while no flow is under way and one waits aside


def held(ctx: Context) -> dict[str, Any] | None:
    """The flow set aside (``state``, ``data``, ``reminder``), if one waits."""
    kept = ctx.data.get(ASIDE)
    return kept if isinstance(kept, dict) and not ctx.aside_dropped else None


def settle(
    ctx: Context, began: str | None, began_data: Mapping[str, Any], states: Mapping[str, Steps]
) -> None:
    """After a handler: the flow the update began in is set aside if it asks to be and the
    handler left it for another (or for none); one set aside earlier is carried on."""
    kept = None if ctx.aside_dropped else began_data.get(ASIDE)
    steps = states.get(began) if began is not None else None
    newly = (
        steps is not None
        and steps.keep_aside is not None
        and not ctx.aside_dropped
        and ctx.state not in steps.states
        and steps.keep_aside(began_data)
    )
    if newly:
        assert steps is not None
        data = {k: v for k, v in began_data.items() if k != ASIDE}
        kept = {"state": began, "data": data, "reminder": steps.reminder}
    if not isinstance(kept, dict):
        if ctx.state == PARKED:
            ctx.clear_state()
        elif ASIDE in ctx.data:
            ctx.set_data({k: v for k, v in ctx.data.items() if k != ASIDE})
        return
    if ctx.state is None or ctx.state == PARKED:
        if ctx.state != PARKED or ctx.data.get(ASIDE) != kept:
            ctx.park(PARKED, {ASIDE: kept})
    elif ctx.data.get(ASIDE) != kept:
        ctx.set_data({**ctx.data, ASIDE: kept})
    reminder = kept.get("reminder")
    if newly and reminder and not ctx.incoming.is_group:
        # Before the handler's own answer: that one may be the prompt the person answers next.
        ctx.outgoing.insert(0, Outgoing(ctx.incoming.chat, (Text(reminder),), locale=ctx.locale))
