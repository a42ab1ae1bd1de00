"""The hand-off to Госуслуги. Since 547-ФЗ an appeal filed through an information system must
identify the citizen, and a messenger account does not: whoever needs an identified, formally
registered appeal is offered the administration's form on the feedback platform (ПОС). Shown
only when POS_FORM_URL is set."""

from __future__ import annotations

from handlers.context import Context
from handlers.contracts import Button, Text

# FAQ answers that end with the form: what the platform is, and how to file.
ENTRIES = frozenset({"pos", "how_to_file", "anonymous_appeal"})


def offered(ctx: Context) -> bool:
    return bool(ctx.settings.pos_url)


def note() -> Text:
    """The one sentence that says how the two differ."""
    return Text("pos-note")


def button(ctx: Context) -> Button:
    return Button(Text("btn-pos"), "", url=ctx.settings.pos_url)
