"""Information sections (/info) from templates/info.toml: who answers for appeals, reception
hours, the reference phone, how appeals are considered, official pages."""

from __future__ import annotations

from handlers import menu
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text


async def sections(ctx: Context) -> None:
    buttons = [
        Button(Text("btn-raw", {"label": s.title(ctx.locale)}), f"i:{s.code}")
        for s in ctx.faq.catalog.sections.values()
    ]
    ctx.reply("info-title", Keyboard.grid(buttons, 1))


async def show(ctx: Context, code: str) -> None:
    section = ctx.faq.catalog.sections.get(code)
    if section is None:
        menu.stale_button(ctx)
        return
    ctx.reply(
        "info-section",
        Keyboard.column(Button(Text("btn-info-back"), "i")),
        title=section.title(ctx.locale),
        text=section.text(ctx.locale),
    )


async def on_button(ctx: Context, parts: list[str]) -> None:
    if not parts:
        await sections(ctx)
    elif len(parts) == 1:
        await show(ctx, parts[0])
    else:
        menu.stale_button(ctx)
