"""The main menu, help, and the answers to anything the bot did not expect."""

from __future__ import annotations

from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text


def main_keyboard() -> Keyboard:
    return Keyboard(
        (
            (Button(Text("btn-new"), "m:new"),),
            (Button(Text("btn-my"), "m:my"), Button(Text("btn-faq"), "m:faq")),
            (Button(Text("btn-info"), "m:info"), Button(Text("btn-help"), "m:help")),
            (Button(Text("btn-propose"), "m:propose"),),
            (Button(Text("btn-corruption"), "m:ac"),),
        )
    )


def start(ctx: Context) -> None:
    ctx.clear_state()
    ctx.reply("start", main_keyboard())


def help_(ctx: Context) -> None:
    texts = [Text("help")]
    if ctx.access.handles_appeals:
        texts.append(Text("help-operator"))
    if ctx.access.admin:
        texts.append(Text("help-admin"))
    if ctx.access.anticorruption:
        texts.append(Text("help-anticorruption"))
    ctx.reply_texts(tuple(texts), main_keyboard())


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


def operators_only(ctx: Context) -> None:
    ctx.reply("operators-only")
