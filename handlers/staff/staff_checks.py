"""Checks every staff action on an appeal goes through: it exists, and it is theirs to touch."""

from __future__ import annotations

from handlers.appeals import views
from handlers.appeals.lifecycle import Action, TransitionRefused, transition
from handlers.context import Context
from handlers.contracts import Text
from handlers.parsing import AppealRef, parse_command
from storage.models import Appeal


async def load_for_staff(ctx: Context, ref: AppealRef | None, usage: str) -> Appeal | None:
    """The appeal, locked for the change; or None after telling the person why not."""
    if ref is None:
        ctx.reply(usage)
        return None
    appeal = await ctx.uow.appeals.get(ref.appeal_id, for_update=True)
    if appeal is None or (ref.year is not None and appeal.created_at.year != ref.year):
        ctx.reply("op-appeal-not-found", ref=str(ref.appeal_id))
        return None
    if not ctx.access.can_work(appeal.department):
        ctx.reply(
            "op-not-your-department",
            number=appeal.number,
            department=ctx.departments.name(appeal.department, ctx.locale),
        )
        return None
    # 152-ФЗ: who opened or changed a citizen's appeal, when, and how.
    ctx.uow.personal.log_access(ctx.user.id, appeal.id, _via(ctx), ctx.now)
    return appeal


def _via(ctx: Context) -> str:
    """The command or button by which staff reached the appeal (never their text)."""
    if ctx.incoming.payload:
        return "button:" + ":".join(ctx.incoming.payload.split(":")[:2])
    command = parse_command(ctx.incoming.text)
    return f"/{command.name}" if command else "message"


async def step(ctx: Context, appeal: Appeal, action: Action, note: str | None = None) -> bool:
    """Move the appeal on as this person; or say why not, change nothing, and return False."""
    try:
        await transition(ctx, appeal, action, actor_id=ctx.user.id, note=note)
    except TransitionRefused as exc:
        refused(ctx, appeal, exc)
        return False
    return True


def refused(ctx: Context, appeal: Appeal, exc: TransitionRefused) -> None:
    ctx.reply(
        "op-transition-refused",
        number=appeal.number,
        status=views.status_text(exc.status.value),
        action=Text(f"action-{exc.action.value}"),
    )
