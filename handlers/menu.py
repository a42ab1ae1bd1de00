"""The main menu, help, and the answers to anything the bot did not expect."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import aside
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.payloads import KEY, Payload
from handlers.registry import Outcome, call

# The main menu's buttons: m:<shortcut>, each doing what its command does (the registry's
# Command.shortcut).
MAIN = Payload("m", KEY)


def main_keyboard() -> Keyboard:
    return Keyboard(
        (
            (Button(Text("btn-new"), MAIN.encode("new")),),
            (
                Button(Text("btn-my"), MAIN.encode("my")),
                Button(Text("btn-faq"), MAIN.encode("faq")),
            ),
            (
                Button(Text("btn-info"), MAIN.encode("info")),
                Button(Text("btn-help"), MAIN.encode("help")),
            ),
            (Button(Text("btn-propose"), MAIN.encode("propose")),),
            (Button(Text("btn-corruption"), MAIN.encode("ac")),),
        )
    )


def start(ctx: Context) -> None:
    kept = aside.held(ctx)
    ctx.clear_state()
    reminder = (Text(str(kept["reminder"])),) if kept and kept.get("reminder") else ()
    ctx.reply_texts((Text("start"), *reminder), main_keyboard())


def fallback(ctx: Context) -> None:
    """Free text, a photo or a sticker outside any flow."""
    ctx.reply("fallback", main_keyboard())


def unknown_command(ctx: Context) -> None:
    ctx.unrecognised = True
    ctx.reply("unknown-command", main_keyboard())


def stale_button(ctx: Context) -> None:
    """A button that is stale, forged, garbled or not the presser's: refused, nothing changes."""
    ctx.unrecognised = True
    ctx.reply("button-stale")


def in_a_group(ctx: Context) -> bool:
    """Appeals carry personal data: they are filed and read in a private chat only. True
    (and the person told so) when this is a group."""
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return True
    return False


def staff_only(run: Callable[..., Outcome]) -> Callable[..., Awaitable[None]]:
    """A button for those who handle appeals; anyone else is told so and nothing changes."""

    async def pressed(ctx: Context, *values: object) -> None:
        if not ctx.access.handles_appeals:
            operators_only(ctx)
            return
        await call(run(ctx, *values))

    return pressed


def operators_only(ctx: Context) -> None:
    ctx.reply("operators-only")
