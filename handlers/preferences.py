"""How a person wants the bot to talk to them: the language (/lang) and the accessible mode
(/access)."""

from __future__ import annotations

from handlers import menu
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text

LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}


def choose_language(ctx: Context) -> None:
    buttons = [
        Button(Text("btn-raw", {"label": LANGUAGE_NAMES.get(code, code)}), f"lang:{code}")
        for code in ctx.settings.locales
    ]
    ctx.reply("lang-choose", Keyboard.grid(buttons, 2))


def set_language(ctx: Context, parts: list[str]) -> None:
    if len(parts) != 1 or parts[0] not in ctx.settings.locales:
        menu.stale_button(ctx)
        return
    ctx.user.language = parts[0]
    ctx.reply("lang-set", menu.main_keyboard())  # already in the new language


def toggle_access(ctx: Context) -> None:
    ctx.user.accessible = not ctx.user.accessible
    if not ctx.user.accessible:
        ctx.user.numbered = []
    ctx.reply("access-on" if ctx.user.accessible else "access-off", menu.main_keyboard())
