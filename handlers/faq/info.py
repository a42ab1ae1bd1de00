"""Information sections (/info) from templates/info.toml: who answers for appeals, reception
hours, the reference phone, how appeals are considered, official pages."""

from __future__ import annotations

from handlers import menu
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.faq import gosuslugi
from handlers.payloads import KEY, Payload
from handlers.registry import Buttons, Command, Feature, Press

SECTIONS = Payload("i")  # the list of sections
SECTION = Payload("i", KEY)  # i:<section>


async def sections(ctx: Context) -> None:
    buttons = [
        Button(Text("btn-raw", {"label": s.title(ctx.locale)}), SECTION.encode(s.code))
        for s in ctx.faq.catalog.sections.values()
    ]
    if gosuslugi.offered(ctx):
        buttons.append(gosuslugi.button(ctx))
        ctx.reply_texts((Text("info-title"), gosuslugi.note()), Keyboard.grid(buttons, 1))
        return
    ctx.reply("info-title", Keyboard.grid(buttons, 1))


async def show(ctx: Context, code: str) -> None:
    section = ctx.faq.catalog.sections.get(code)
    if section is None:
        menu.stale_button(ctx)
        return
    ctx.reply(
        "info-section",
        Keyboard.column(Button(Text("btn-info-back"), SECTIONS.encode())),
        title=section.title(ctx.locale),
        text=section.text(ctx.locale),
    )


FEATURE = Feature(
    "info",
    commands=(Command("info", lambda ctx, _: sections(ctx), in_menu=True, shortcut="info"),),
    buttons=(Buttons("i", presses=(Press(SECTIONS, sections), Press(SECTION, show))),),
)
