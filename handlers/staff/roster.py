"""Admins manage people from the bot: /operator add|remove, /operators."""

from __future__ import annotations

from handlers import choices
from handlers.context import Context
from handlers.contracts import ChatRef, Platform, Text
from handlers.registry import Audience, Feature, family
from storage.models import Role, StaffMember

# Roles that belong to a department, and those that do not.
DEPARTMENT_ROLES = {"operator": Role.OPERATOR, "head": Role.HEAD}
GLOBAL_ROLES = {"admin": Role.ADMIN, "anticorruption": Role.ANTICORRUPTION}


def _person(token: str) -> ChatRef | None:
    try:
        ref = ChatRef.parse(token)
    except ValueError:
        return None
    if ref.platform is Platform.CONSOLE or not ref.chat_id.lstrip("-").isdigit():
        return None
    return ref


async def command(ctx: Context, name: str, args: str) -> None:
    if not ctx.access.admin:
        ctx.reply("admins-only")
        return
    if name == "operators":
        await list_staff(ctx)
        return
    tokens = args.split()
    action = tokens[0].lower() if tokens else ""
    if action == "add":
        await add(ctx, tokens[1:])
    elif action == "remove":
        await remove(ctx, tokens[1:])
    else:
        ctx.reply("staff-usage", departments=_codes(ctx))


def _codes(ctx: Context) -> str:
    return choices.departments(ctx)


async def add(ctx: Context, tokens: list[str]) -> None:
    """``add tg:123 <department> [operator|head]`` or ``add tg:123 admin|anticorruption``."""
    person = _person(tokens[0]) if tokens else None
    if person is None or len(tokens) not in (2, 3):
        ctx.reply("staff-usage", departments=_codes(ctx))
        return
    second = tokens[1].lower()
    if second in GLOBAL_ROLES and len(tokens) == 2:
        department, role = "", GLOBAL_ROLES[second]
    else:
        if ctx.departments.get(second) is None:
            ctx.reply("op-unknown-department", departments=_codes(ctx))
            return
        role_name = tokens[2].lower() if len(tokens) == 3 else "operator"
        if role_name not in DEPARTMENT_ROLES:
            ctx.reply("staff-usage", departments=_codes(ctx))
            return
        department, role = second, DEPARTMENT_ROLES[role_name]
    await ctx.uow.staff.put(
        StaffMember(
            platform=person.platform.value,
            external_id=person.chat_id,
            department=department,
            role=role,
            added_by_id=ctx.user.id,
            created_at=ctx.now,
        )
    )
    ctx.reply("staff-added", person=str(person), role=_role_text(ctx, role, department))


async def remove(ctx: Context, tokens: list[str]) -> None:
    """``remove tg:123 [department]``: from one department, or from every role."""
    person = _person(tokens[0]) if tokens else None
    if person is None or len(tokens) > 2:
        ctx.reply("staff-usage", departments=_codes(ctx))
        return
    department = tokens[1].lower() if len(tokens) == 2 else None
    removed = await ctx.uow.staff.remove(person.platform.value, person.chat_id, department)
    configured = ctx.settings.is_admin(person.platform, person.chat_id)
    ctx.reply("staff-removed", person=str(person), count=removed)
    if configured:
        ctx.reply("staff-configured-admin", person=str(person))


def _role_text(ctx: Context, role: Role, department: str) -> Text:
    return Text(
        f"role-{role.value}",
        {"department": ctx.departments.name(department, ctx.locale) if department else ""},
    )


async def list_staff(ctx: Context) -> None:
    texts = [Text("staff-header")]
    for platform, user_id in sorted(ctx.settings.admins):
        texts.append(
            Text(
                "staff-line",
                {"person": f"{platform.value}:{user_id}", "role": Text("role-configured")},
            )
        )
    for member in await ctx.uow.staff.all():
        texts.append(
            Text(
                "staff-line",
                {
                    "person": f"{member.platform}:{member.external_id}",
                    "role": _role_text(ctx, member.role, member.department),
                },
            )
        )
    ctx.reply_texts(tuple(texts))


FEATURE = Feature("staff", commands=family(("operator", "operators"), command, Audience.ADMINS))
