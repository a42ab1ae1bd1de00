"""Reference groups: citizens browse, join (consenting to the group's mailings) and leave;
requests to groups by approval wait for an operator; operators make groups, list, add,
import and remove members."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from handlers import choices, menu
from handlers.appeals import views
from handlers.catalog_files import CODE
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Platform, Text
from handlers.engagement import audiences
from handlers.engagement.group_catalog import GroupCatalog
from handlers.payloads import ID, KEY, Payload
from handlers.registry import Audience, Buttons, Command, Feature, Press, family
from storage.models import GroupMember, MemberStatus, RefGroup, User
from storage.uow import UnitOfWork

MEMBERS_SHOWN = 50
NAME_MAX, DESCRIPTION_MAX = 100, 1000
IMPORT_MAX = 1000
OPEN = Payload("g", "open", KEY)  # g:open:<group>: its card
JOIN = Payload("g", "join", KEY)
LEAVE = Payload("g", "leave", KEY)
MAILINGS_ON = Payload("g", "on")  # mailings back on, for one who turned them off
REQUESTS = Payload("g", "list")  # staff: the requests to join
APPROVE = Payload("g", "ok", ID)  # g:ok:<membership>
DECLINE = Payload("g", "no", ID)
# "tg:123", "vk:456": people as the messengers know them, in a pasted list.
_PERSON = re.compile(
    rf"\b({'|'.join(p.value for p in Platform if p is not Platform.CONSOLE)}):(\d{{1,20}})\b"
)


async def seed(uow: UnitOfWork, catalog: GroupCatalog) -> None:
    """Groups of templates/groups.toml that the database does not have yet; those made or
    changed in the bot stay as they are."""
    known = await uow.mailings.known_codes()
    for group in catalog.groups:
        if group.code not in known:
            await uow.mailings.add_group(
                RefGroup(
                    code=group.code,
                    name=dict(group.names),
                    description=dict(group.description),
                    who=dict(group.who),
                    open=group.open,
                )
            )


def name(group: RefGroup, locale: str) -> str:
    return group.name.get(locale) or next(iter(group.name.values()), group.code)


def _text(values: dict[str, str], locale: str) -> str:
    return values.get(locale) or next(iter(values.values()), "")


# --- citizens -------------------------------------------------------------------------------


async def browse(ctx: Context) -> None:
    if ctx.incoming.is_group:
        ctx.reply("private-only")
        return
    groups = await ctx.uow.mailings.groups()
    mine = await ctx.uow.mailings.memberships_of(ctx.user.id)
    lines = [
        Text(
            "groups-line",
            {
                "n": number,
                "name": name(group, ctx.locale),
                "open": "yes" if group.open else "no",
                "status": (mine[group.id].value if group.id in mine else "none"),
                # Staff see the code their commands take (/group_members code).
                "code": f" [{group.code}]" if ctx.access.handles_appeals else "",
            },
        )
        for number, group in enumerate(groups, start=1)
    ]
    buttons = [
        Button(Text("btn-raw", {"label": name(group, ctx.locale)}), OPEN.encode(group.code))
        for group in groups
    ]
    if ctx.user.mailings_off:
        lines.append(Text("groups-mailings-off"))
        buttons.append(Button(Text("btn-mailings-on"), MAILINGS_ON.encode()))
    # Two a row: the list stays short on a phone's screen (bot/capabilities.py fits any
    # layout to what a channel shows).
    ctx.reply_texts((Text("groups-intro"), *lines), Keyboard.grid(buttons, 2))


def _mailings_on(ctx: Context) -> None:
    ctx.user.mailings_off = False
    ctx.reply("mailings-on")


async def _requests_button(ctx: Context) -> None:
    if ctx.access.handles_appeals:
        await requests(ctx)
    else:
        menu.operators_only(ctx)


def _on_group(
    then: Callable[[Context, RefGroup], Awaitable[None]],
) -> Callable[[Context, str], Awaitable[None]]:
    """A button about a group by its code: the group, if it is still there."""

    async def pressed(ctx: Context, code: str) -> None:
        group = await ctx.uow.mailings.group(code)
        if group is None or group.archived:
            ctx.reply("group-unknown", code=code)
            return
        await then(ctx, group)

    return pressed


async def _card(ctx: Context, group: RefGroup) -> None:
    member = await ctx.uow.mailings.membership(group.id, ctx.user.id)
    status = member.status.value if member else "none"
    action = (
        Button(
            Text("btn-group-join", {"open": "yes" if group.open else "no"}), JOIN.encode(group.code)
        )
        if member is None
        else Button(Text("btn-group-leave", {"status": status}), LEAVE.encode(group.code))
    )
    ctx.reply_texts(
        (
            Text(
                "group-card",
                {
                    "name": name(group, ctx.locale),
                    "description": _text(group.description, ctx.locale),
                    "who": _text(group.who, ctx.locale),
                    "open": "yes" if group.open else "no",
                    "status": status,
                },
            ),
        ),
        Keyboard.column(action, Button(Text("btn-back"), menu.MAIN.encode("groups"))),
    )


async def join(ctx: Context, group: RefGroup) -> None:
    """Pressing "Вступить" is the explicit consent to the group's mailings; it is recorded
    with its moment."""
    if await ctx.uow.mailings.membership(group.id, ctx.user.id) is not None:
        await _card(ctx, group)
        return
    status = MemberStatus.MEMBER if group.open else MemberStatus.PENDING
    await ctx.uow.mailings.add_member(
        GroupMember(
            group_id=group.id,
            user_id=ctx.user.id,
            status=status,
            consent="self",
            consent_at=ctx.now,
        )
    )
    # Joining is asking for mailings again, after "stop all" too.
    ctx.user.mailings_off = False
    if status is MemberStatus.MEMBER:
        ctx.reply("group-joined", name=name(group, ctx.locale))
        return
    ctx.reply("group-requested", name=name(group, ctx.locale))
    await _tell_staff_of_request(ctx, group)


async def _tell_staff_of_request(ctx: Context, group: RefGroup) -> None:
    # Where proposals go too: STAFF_CHAT, or the admins' private chats.
    for chat in await views.staff_chats(ctx, ""):
        ctx.send(
            chat,
            (
                Text(
                    "group-request-staff",
                    {
                        "name": name(group, ctx.settings.default_locale),
                        "who": ctx.user.display_name,
                    },
                ),
            ),
            locale=ctx.settings.default_locale,
            keyboard=Keyboard.column(Button(Text("btn-group-requests"), REQUESTS.encode())),
        )


async def leave(ctx: Context, group: RefGroup) -> None:
    member = await ctx.uow.mailings.membership(group.id, ctx.user.id)
    if member is None:
        ctx.reply("group-not-member", name=name(group, ctx.locale))
        return
    await ctx.uow.mailings.remove_member(member)
    ctx.reply("group-left", name=name(group, ctx.locale))


# --- operators ------------------------------------------------------------------------------


async def command(ctx: Context, command_name: str, args: str) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    if command_name == "group_requests":
        await requests(ctx)
        return
    if command_name == "group_new":
        await create(ctx, args)
        return
    code, _, rest = args.strip().replace("\n", " ", 1).partition(" ")
    group = await ctx.uow.mailings.group(code) if code else None
    if group is None:
        await _usage(ctx, command_name, code)
        return
    if command_name == "group_members":
        await members(ctx, group)
    elif command_name == "group_set":
        await change(ctx, group, rest.strip())
    elif command_name == "group_add":
        await add_people(ctx, group, rest)
    else:
        await remove_people(ctx, group, rest)


async def _usage(ctx: Context, command_name: str, code: str) -> None:
    """A missing or wrong code: the groups by name with their codes (archived ones too, so
    that `/group_set code restore` can be written)."""
    everyone = await ctx.uow.mailings.groups(archived=True)
    listed = choices.listing(
        (
            g.code,
            name(g, ctx.locale) + (ctx.word(ctx.locale, "group-archived") if g.archived else ""),
        )
        for g in everyone
    )
    ctx.reply(
        "group-usage",
        command=command_name,
        code=code[:32],
        missing="yes" if not code else "no",
        groups=listed,
    )


async def create(ctx: Context, args: str) -> None:
    """``/group_new code open|closed Name | description | who it is for``."""
    head, _, tail = args.strip().partition(" ")
    kind, _, described = tail.strip().partition(" ")
    parts = [part.strip() for part in described.split("|")]
    if (
        not CODE.match(head)
        or kind not in ("open", "closed")
        or not parts[0]
        or len(parts[0]) > NAME_MAX
        or any(len(part) > DESCRIPTION_MAX for part in parts)
    ):
        ctx.reply("group-new-usage")
        return
    if await ctx.uow.mailings.group(head) is not None:
        ctx.reply("group-exists", code=head)
        return
    description = parts[1] if len(parts) > 1 else ""
    who = parts[2] if len(parts) > 2 else ""
    locales = ctx.settings.locales
    await ctx.uow.mailings.add_group(
        RefGroup(
            code=head,
            name=dict.fromkeys(locales, parts[0]),
            description=dict.fromkeys(locales, description),
            who=dict.fromkeys(locales, who),
            open=kind == "open",
        )
    )
    ctx.reply("group-created", code=head, name=parts[0])


async def change(ctx: Context, group: RefGroup, what: str) -> None:
    if what == "open":
        group.open = True
    elif what == "closed":
        group.open = False
    elif what == "archive":
        group.archived = True
    elif what == "restore":
        group.archived = False
    else:
        ctx.reply("group-set-usage")
        return
    ctx.reply("group-changed", code=group.code, what=what)


async def members(ctx: Context, group: RefGroup) -> None:
    counts = (await ctx.uow.mailings.member_counts()).get(group.id, (0, 0))
    shown = await ctx.uow.mailings.members(group.id, MemberStatus.MEMBER, MEMBERS_SHOWN)
    lines = [
        Text(
            "group-member-line",
            {
                "who": _who(member.user),
                "since": ctx.format_date(member.consent_at),
                "consent": member.consent,
            },
        )
        for member in shown
    ]
    ctx.reply_texts(
        (
            Text(
                "group-members",
                {
                    "name": name(group, ctx.locale),
                    "members": counts[0],
                    "pending": counts[1],
                    "shown": len(shown),
                },
            ),
            *lines,
        )
    )


def _who(user: User) -> str:
    return f"{user.platform}:{user.external_id} {user.display_name}".strip()


async def add_people(ctx: Context, group: RefGroup, text: str) -> None:
    """``/group_add code tg:1 vk:2 …``: a list pasted from elsewhere (import). The people
    gave the administration their consent; the bot records that an operator added them."""
    found = list(dict.fromkeys(_PERSON.findall(text)))
    if not found or len(found) > IMPORT_MAX:
        ctx.reply("group-add-usage", limit=IMPORT_MAX)
        return
    added = already = 0
    for platform, external_id in found:
        user = await ctx.uow.users.get_or_create(
            Platform(platform).value,
            external_id,
            display_name="",
            language=ctx.settings.default_locale,
        )
        member = await ctx.uow.mailings.membership(group.id, user.id)
        if member is not None and member.status is MemberStatus.MEMBER:
            already += 1
            continue
        if member is not None:
            member.status = MemberStatus.MEMBER
        else:
            await ctx.uow.mailings.add_member(
                GroupMember(
                    group_id=group.id,
                    user_id=user.id,
                    status=MemberStatus.MEMBER,
                    consent="operator",
                    consent_at=ctx.now,
                    added_by_id=ctx.user.id,
                )
            )
        added += 1
    ctx.reply("group-added", name=name(group, ctx.locale), added=added, already=already)


async def remove_people(ctx: Context, group: RefGroup, text: str) -> None:
    found = list(dict.fromkeys(_PERSON.findall(text)))
    if not found:
        ctx.reply("group-remove-usage")
        return
    removed = 0
    for platform, external_id in found:
        user = await ctx.uow.users.find(platform, external_id)
        member = await ctx.uow.mailings.membership(group.id, user.id) if user else None
        if member is not None:
            await ctx.uow.mailings.remove_member(member)
            removed += 1
    ctx.reply("group-removed", name=name(group, ctx.locale), removed=removed)


async def requests(ctx: Context) -> None:
    waiting = await ctx.uow.mailings.requests(MEMBERS_SHOWN)
    if not waiting:
        ctx.reply("group-requests-none")
        return
    for member in waiting:
        group = await ctx.uow.mailings.group_by_id(member.group_id)
        assert group is not None
        ctx.reply(
            "group-request",
            Keyboard(
                (
                    (
                        Button(Text("btn-group-approve"), APPROVE.encode(member.id)),
                        Button(Text("btn-group-decline"), DECLINE.encode(member.id)),
                    ),
                )
            ),
            name=name(group, ctx.locale),
            who=_who(member.user),
            since=ctx.format_datetime(member.consent_at),
        )


async def _decide(ctx: Context, member_id: int, *, approve: bool) -> None:
    if not ctx.access.handles_appeals:
        menu.operators_only(ctx)
        return
    member = await ctx.uow.mailings.member_by_id(member_id)
    if member is None or member.status is not MemberStatus.PENDING:
        ctx.reply("group-request-gone")
        return
    group = await ctx.uow.mailings.group_by_id(member.group_id)
    assert group is not None
    person = member.user
    if approve:
        member.status = MemberStatus.MEMBER
        member.added_by_id = ctx.user.id
    else:
        await ctx.uow.mailings.remove_member(member)
    ctx.reply("group-decided", approved="yes" if approve else "no", who=_who(person))
    ctx.send(
        audiences.chat_of(person.platform, person.external_id),
        (
            Text(
                "group-request-answer",
                {"name": name(group, person.language), "approved": "yes" if approve else "no"},
            ),
        ),
        locale=person.language,
    )


FEATURE = Feature(
    "groups",
    commands=(
        Command("groups", lambda ctx, _: browse(ctx), in_menu=True, shortcut="groups"),
        *family(
            (
                "group_requests",
                "group_new",
                "group_set",
                "group_members",
                "group_add",
                "group_remove",
            ),
            command,
            Audience.OPERATORS,
            menu=("group_requests",),
        ),
    ),
    buttons=(
        Buttons(
            "g",
            presses=(
                Press(MAILINGS_ON, _mailings_on),
                Press(REQUESTS, _requests_button),
                Press(OPEN, _on_group(_card)),
                Press(JOIN, _on_group(join)),
                Press(LEAVE, _on_group(leave)),
                Press(APPROVE, lambda ctx, member_id: _decide(ctx, member_id, approve=True)),
                Press(DECLINE, lambda ctx, member_id: _decide(ctx, member_id, approve=False)),
            ),
        ),
    ),
)
