"""The commands every conversation starts and ends with: /start (with a deep link's target or
without), /help and /cancel."""

from __future__ import annotations

from handlers import aside, deeplinks, menu
from handlers.appeals import intake
from handlers.context import Context
from handlers.contracts import Text
from handlers.registry import Audience, Command, Feature


async def start(ctx: Context, args: str) -> None:
    if args:
        await deeplinks.open_target(ctx, args.split()[0])
    else:
        menu.start(ctx)


def help_(ctx: Context) -> None:
    """Every command the person may use, a section per role they have, in the registry's
    order: a command declared is in /help (its line is the text ``about-<name>``). A staff
    section drawn from several features is parted by feature (``help-part-<feature>``)."""
    # Imported here: the registry is built from the features, this one included.
    from handlers.features import REGISTRY

    texts: list[Text] = []
    for audience in Audience:
        if not audience.admits(ctx.access):
            continue
        texts.append(Text(f"help-title-{audience.value}"))
        headed = REGISTRY.headed(audience)
        for feature, commands in REGISTRY.sections(audience):
            if headed:
                texts.append(Text(f"help-part-{feature}"))
            texts.extend(Text(f"about-{command.name}") for command in commands)
    ctx.reply_texts(tuple(texts), menu.main_keyboard())


def cancel(ctx: Context) -> None:
    if ctx.state is None:
        ctx.reply("nothing-to-cancel", menu.main_keyboard())
    elif ctx.state in intake.STATES or ctx.state == aside.PARKED:
        # No flow under way but an appeal kept aside: /cancel is about that one.
        intake.cancel(ctx)
    else:
        ctx.clear_state()
        ctx.reply("cancelled", menu.main_keyboard())


# Two features, so that the command menu opens with /start and closes with /help and /cancel.
WELCOME = Feature("welcome", commands=(Command("start", start, in_menu=True),))
HELP = Feature(
    "help",
    commands=(
        Command("help", lambda ctx, _: help_(ctx), in_menu=True, shortcut="help"),
        Command("cancel", lambda ctx, _: cancel(ctx), in_menu=True),
    ),
)
