"""The recipients' buttons under a mailing: coming or not, leaving its groups, no more
mailings. Each is honoured for one of the mailing's recipients only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import menu
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.engagement.groups import name as group_name
from handlers.engagement.mailing_buttons import COMING, LEAVE, NOT_COMING, STOP
from handlers.engagement.mailing_composer import yes_no
from handlers.registry import Press
from storage.models import Mailing, MailingStatus, Rsvp
from storage.repositories.mailings import audience_codes


def _stop(ctx: Context) -> None:
    ctx.user.mailings_off = True
    ctx.reply("mailings-stopped")


def _received(
    then: Callable[..., Awaitable[None]],
) -> Callable[..., Awaitable[None]]:
    """A button under a mailing: honoured for one of its recipients only."""

    async def pressed(ctx: Context, number: int, *values: object) -> None:
        mailing = await ctx.uow.mailings.get(number)
        if mailing is None:
            menu.stale_button(ctx)
            return
        if mailing.status is MailingStatus.DRAFT:
            ctx.reply("mailing-preview-button")
            return
        if not await ctx.uow.mailings.delivered_to(mailing.id, ctx.user.id):
            menu.stale_button(ctx)  # not a recipient: a forged button
            return
        await then(ctx, mailing, *values)

    return pressed


async def _answer_rsvp(ctx: Context, mailing: Mailing, *, coming: bool) -> None:
    if not mailing.rsvp:
        menu.stale_button(ctx)
        return
    await _rsvp(ctx, mailing, coming=coming)


async def _leave_groups(ctx: Context, mailing: Mailing) -> None:
    left = []
    for code in audience_codes(mailing.audience):
        group = await ctx.uow.mailings.group(code)
        member = await ctx.uow.mailings.membership(group.id, ctx.user.id) if group else None
        if group is not None and member is not None:
            await ctx.uow.mailings.remove_member(member)
            left.append(group_name(group, ctx.locale))
    ctx.reply(
        "mailing-left",
        Keyboard.column(Button(Text("btn-mailings-stop"), STOP.encode())),
        groups=", ".join(left),
        count=len(left),
    )


async def _rsvp(ctx: Context, mailing: Mailing, *, coming: bool) -> None:
    answer = await ctx.uow.mailings.rsvp(mailing.id, ctx.user.id)
    if answer is None:
        await ctx.uow.mailings.add_rsvp(
            Rsvp(mailing_id=mailing.id, user_id=ctx.user.id, coming=coming, at=ctx.now)
        )
    else:
        answer.coming, answer.at = coming, ctx.now
    ctx.reply("mailing-rsvp-thanks", coming=yes_no(coming))


PRESSES = (
    Press(STOP, _stop),
    Press(LEAVE, _received(_leave_groups)),
    Press(COMING, _received(lambda ctx, m: _answer_rsvp(ctx, m, coming=True))),
    Press(NOT_COMING, _received(lambda ctx, m: _answer_rsvp(ctx, m, coming=False))),
)
