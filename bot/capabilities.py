"""What a channel can show and do, declared once per channel, and the decisions every channel
makes the same way from it: here, how a keyboard is laid out within the channel's limits.

A feature lays its buttons out as reads best (a column of choices, a grid of numbers); the
channel's limits are applied here, not in the features: rows too wide are wrapped, and when
there are more rows than the channel shows, the narrowest neighbouring rows are put side by
side. No button is lost while the channel can show them all; past its total, the last are left
out and the error logged (a feature's page was larger than any channel shows)."""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

from handlers.contracts import Button, Keyboard

log = logging.getLogger(__name__)

Rows = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Capabilities:
    message_limit: int  # characters in one text message; longer texts are split
    label_limit: int  # characters of a button's label
    buttons_per_row: int
    button_rows: int
    buttons_total: int
    edits: bool  # a message sent can be edited in place (live cards)
    forum_topics: bool  # threads in a staff chat, opened and renamed by the bot
    forced_reply: bool  # the client can be asked to answer a message
    album: int  # photos sent as one album
    caption_limit: int  # characters of a picture's caption; 0: no captions


def lay_out(keyboard: Keyboard | None, capabilities: Capabilities) -> Rows:
    if keyboard is None:
        return ()
    per_row = capabilities.buttons_per_row
    kept, room = [], capabilities.buttons_total
    for row in keyboard.rows:
        if room <= 0:
            break
        kept.append(row[:room])
        room -= len(kept[-1])
    if len(keyboard.buttons) > capabilities.buttons_total:
        log.error(
            "a keyboard of %d buttons, the channel shows %d: the rest are left out",
            len(keyboard.buttons),
            capabilities.buttons_total,
        )
    rows = [row[i : i + per_row] for row in kept for i in range(0, len(row), per_row)]
    while len(rows) > capabilities.button_rows:
        widths = [
            (len(a) + len(b), i)
            for i, (a, b) in enumerate(itertools.pairwise(rows))
            if len(a) + len(b) <= per_row
        ]
        if not widths:
            log.error(
                "a keyboard of %d rows, the channel shows %d: the rest are left out",
                len(rows),
                capabilities.button_rows,
            )
            rows = rows[: capabilities.button_rows]
            break
        _, i = min(widths)
        rows[i : i + 2] = [rows[i] + rows[i + 1]]
    return tuple(rows)
