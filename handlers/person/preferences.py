"""How a person wants the bot to talk to them: the language (/lang) and the accessible mode
(/access)."""

from __future__ import annotations

from handlers import menu
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.payloads import KEY, Payload
from handlers.registry import Buttons, Command, Feature, Press

LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}
LANGUAGE = Payload("lang", KEY)  # lang:<code>


def choose_language(ctx: Context) -> None:
    buttons = [
        Button(Text("btn-raw", {"label": LANGUAGE_NAMES.get(code, code)}), LANGUAGE.encode(code))
        for code in ctx.settings.locales
    ]
    ctx.reply("lang-choose", Keyboard.grid(buttons, 2))


def set_language(ctx: Context, code: str) -> None:
    if code not in ctx.settings.locales:
        menu.stale_button(ctx)
        return
    ctx.user.language = code
    ctx.reply("lang-set", menu.main_keyboard())  # already in the new language


def language(ctx: Context, args: str) -> None:
    """``/lang``: the choice; ``/lang en``: that language at once (an unknown one: the choice)."""
    code = args.strip().lower()
    if code in ctx.settings.locales:
        set_language(ctx, code)
    else:
        choose_language(ctx)


def toggle_access(ctx: Context) -> None:
    ctx.user.accessible = not ctx.user.accessible
    if not ctx.user.accessible:
        ctx.user.numbered = []
    ctx.reply("access-on" if ctx.user.accessible else "access-off", menu.main_keyboard())


FEATURE = Feature(
    "preferences",
    commands=(
        Command("lang", language, in_menu=True),
        Command("access", lambda ctx, _: toggle_access(ctx), in_menu=True),
    ),
    buttons=(Buttons("lang", presses=(Press(LANGUAGE, set_language),)),),
)
