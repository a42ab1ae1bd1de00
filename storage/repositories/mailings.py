"""Reference groups and their members; mailings, their recipients and the RSVPs.

Recipients are chosen and written in SQL (INSERT ... SELECT) and read back in chunks, so a
mailing to a hundred thousand people never holds them all in memory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    case,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Update

from storage.models import (
    Appeal,
    AppealFollower,
    Delivery,
    DeliveryStatus,
    GroupMember,
    Mailing,
    MailingStatus,
    MemberStatus,
    RefGroup,
    Rsvp,
    User,
)


def _held(mailing_id: int, instance: str) -> Update:
    """The recipients of a mailing that ``instance`` claimed and has not sent yet."""
    return update(Delivery).where(
        Delivery.mailing_id == mailing_id,
        Delivery.claimed_by == instance,
        Delivery.status == DeliveryStatus.PENDING,
    )


def audience_codes(audience: str) -> list[str]:
    """The group codes of a "groups:a,b" audience (none for the others)."""
    kind, _, rest = audience.partition(":")
    return [code for code in rest.split(",") if code] if kind == "groups" else []


# MAX's terms restrict mass mailings: there, only to people who consented by joining a
# reference group (and to nobody when the deployment turns MAX mailings off).
ON_MAX = "max"


def _consented() -> ColumnElement[bool]:
    return exists().where(GroupMember.user_id == User.id, GroupMember.status == MemberStatus.MEMBER)


def _wanted(audience: str, max_mailings: bool = True) -> ColumnElement[bool]:
    """Who a mailing reaches, as a condition on users: never those who turned mailings off,
    and on MAX only those who joined a reference group."""
    allowed_on_max = _consented() if max_mailings else false()
    return (
        in_audience(audience)
        & (User.mailings_off == false())
        & or_(User.platform != ON_MAX, allowed_on_max)
    )


def in_audience(audience: str) -> ColumnElement[bool]:
    """Who an audience is, as a condition on users: "all", "subscribers" (members of any
    reference group), "groups:<code>,<code>" (their members), "topic:<code>" (those who filed
    or follow appeals on it). Correlated EXISTS, so checking a hundred people looks up a
    hundred rows by index, not the whole group."""
    kind, _, rest = audience.partition(":")
    member = GroupMember.user_id == User.id, GroupMember.status == MemberStatus.MEMBER
    if kind == "groups":
        return exists().where(
            *member,
            GroupMember.group_id == RefGroup.id,
            RefGroup.code.in_(audience_codes(audience)),
        )
    if kind == "subscribers":
        return exists().where(*member)
    if kind == "topic":
        filed = exists().where(Appeal.citizen_id == User.id, Appeal.topic == rest)
        follows = exists().where(
            AppealFollower.user_id == User.id,
            AppealFollower.appeal_id == Appeal.id,
            Appeal.topic == rest,
        )
        return or_(filed, follows)
    return true()  # "all": everyone the bot knows


class MailingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- groups -------------------------------------------------------------------------

    async def groups(self, *, archived: bool = False) -> Sequence[RefGroup]:
        query = select(RefGroup).order_by(RefGroup.id)
        if not archived:
            query = query.where(RefGroup.archived == false())
        return (await self._session.scalars(query)).all()

    async def group(self, code: str) -> RefGroup | None:
        return await self._session.scalar(select(RefGroup).where(RefGroup.code == code))

    async def group_by_id(self, group_id: int) -> RefGroup | None:
        return await self._session.get(RefGroup, group_id)

    async def add_group(self, group: RefGroup) -> RefGroup:
        self._session.add(group)
        await self._session.flush()
        return group

    async def known_codes(self) -> set[str]:
        return set((await self._session.scalars(select(RefGroup.code))).all())

    async def membership(self, group_id: int, user_id: int) -> GroupMember | None:
        return await self._session.scalar(
            select(GroupMember).where(
                GroupMember.group_id == group_id, GroupMember.user_id == user_id
            )
        )

    async def add_member(self, member: GroupMember) -> None:
        self._session.add(member)
        await self._session.flush()

    async def remove_member(self, member: GroupMember) -> None:
        await self._session.delete(member)
        await self._session.flush()

    async def memberships_of(self, user_id: int) -> dict[int, MemberStatus]:
        rows = await self._session.execute(
            select(GroupMember.group_id, GroupMember.status).where(GroupMember.user_id == user_id)
        )
        return {group_id: status for group_id, status in rows}

    async def member_counts(self) -> dict[int, tuple[int, int]]:
        """Per group: (members, requests waiting for approval)."""
        rows = await self._session.execute(
            select(GroupMember.group_id, GroupMember.status, func.count()).group_by(
                GroupMember.group_id, GroupMember.status
            )
        )
        counts: dict[int, tuple[int, int]] = {}
        for group_id, status, count in rows:
            members, pending = counts.get(group_id, (0, 0))
            if status is MemberStatus.MEMBER:
                members = count
            else:
                pending = count
            counts[group_id] = (members, pending)
        return counts

    async def members(
        self, group_id: int, status: MemberStatus, limit: int
    ) -> Sequence[GroupMember]:
        return (
            await self._session.scalars(
                select(GroupMember)
                .where(GroupMember.group_id == group_id, GroupMember.status == status)
                .order_by(GroupMember.id)
                .limit(limit)
            )
        ).all()

    async def requests(self, limit: int) -> Sequence[GroupMember]:
        return (
            await self._session.scalars(
                select(GroupMember)
                .where(GroupMember.status == MemberStatus.PENDING)
                .order_by(GroupMember.id)
                .limit(limit)
            )
        ).all()

    async def member_by_id(self, member_id: int) -> GroupMember | None:
        return await self._session.get(GroupMember, member_id)

    # --- mailings -----------------------------------------------------------------------

    async def add(self, mailing: Mailing) -> Mailing:
        self._session.add(mailing)
        await self._session.flush()
        return mailing

    async def delete(self, mailing: Mailing) -> None:
        await self._session.delete(mailing)

    async def get(self, mailing_id: int, *, for_update: bool = False) -> Mailing | None:
        return await self._session.get(Mailing, mailing_id, with_for_update=for_update or None)

    async def recent(self, limit: int) -> Sequence[Mailing]:
        return (
            await self._session.scalars(
                select(Mailing)
                .where(Mailing.status != MailingStatus.DRAFT)
                .order_by(Mailing.id.desc())
                .limit(limit)
            )
        ).all()

    async def due(self, now: datetime) -> Sequence[Mailing]:
        """Scheduled mailings (and plans of recurring ones) whose time has come."""
        return (
            await self._session.scalars(
                select(Mailing)
                .where(Mailing.status == MailingStatus.SCHEDULED, Mailing.send_at <= now)
                .order_by(Mailing.send_at, Mailing.id)
                .with_for_update()
            )
        ).all()

    async def sending(self) -> list[int]:
        """Mailings in progress, oldest first (after a restart: the ones to resume)."""
        return list(
            (
                await self._session.scalars(
                    select(Mailing.id)
                    .where(Mailing.status == MailingStatus.SENDING)
                    .order_by(Mailing.started_at, Mailing.id)
                )
            ).all()
        )

    async def max_reach(
        self, audience: str, *, except_user: int | None, max_mailings: bool
    ) -> tuple[int, int]:
        """People on MAX in the audience: how many a mailing reaches, and how many it leaves
        out (they did not join a reference group, or MAX mailings are off)."""
        wanted = in_audience(audience) & (User.mailings_off == false()) & (User.platform == ON_MAX)
        allowed = _consented() if max_mailings else false()
        query = select(func.count().filter(allowed), func.count().filter(~allowed)).where(wanted)
        if except_user is not None:
            query = query.where(User.id != except_user)
        reached, left_out = (await self._session.execute(query)).one()
        return int(reached or 0), int(left_out or 0)

    async def reach_on(
        self, audience: str, platform: str, *, except_user: int | None, max_mailings: bool
    ) -> int:
        """How many people on ``platform`` a mailing to ``audience`` would reach now."""
        query = (
            select(func.count())
            .select_from(User)
            .where(_wanted(audience, max_mailings), User.platform == platform)
        )
        if except_user is not None:
            query = query.where(User.id != except_user)
        return int(await self._session.scalar(query) or 0)

    async def recipients_on(self, mailing_id: int, platform: str) -> int:
        """A started mailing's recipients on ``platform``."""
        query = select(func.count()).where(
            Delivery.mailing_id == mailing_id, Delivery.platform == platform
        )
        return int(await self._session.scalar(query) or 0)

    async def paid_used(self, since: datetime, *, except_mailing: int | None = None) -> int:
        """Tenths of a Star the paid broadcasts started since ``since`` took from the month's
        budget: what a finished one spent, what one still going set aside."""
        going = Mailing.status.in_(
            (MailingStatus.SENDING, MailingStatus.PAUSED, MailingStatus.SCHEDULED)
        )
        more = Mailing.paid_reserved > Mailing.paid_spent
        taken = case((going & more, Mailing.paid_reserved), else_=Mailing.paid_spent)
        query = select(func.coalesce(func.sum(taken), 0)).where(
            Mailing.paid == true(), Mailing.started_at >= since
        )
        if except_mailing is not None:
            query = query.where(Mailing.id != except_mailing)
        return int(await self._session.scalar(query) or 0)

    async def add_paid_spent(self, mailing_id: int, tenths: int) -> None:
        await self._session.execute(
            update(Mailing)
            .where(Mailing.id == mailing_id)
            .values(paid_spent=Mailing.paid_spent + tenths)
        )

    async def choose_recipients(
        self, mailing: Mailing, *, except_user: int | None, max_mailings: bool = True
    ) -> int:
        """Write a pending delivery for everyone the audience reaches; how many."""
        chosen = select(
            literal(mailing.id),
            User.id,
            User.platform,
            User.external_id,
            User.language,
            User.accessible,
            literal(DeliveryStatus.PENDING.value),
            literal(0),
        ).where(_wanted(mailing.audience, max_mailings))
        if except_user is not None:
            chosen = chosen.where(User.id != except_user)
        chosen = chosen.order_by(User.id)  # deliveries in a stable order on every dialect
        await self._session.execute(
            insert(Delivery).from_select(
                [
                    "mailing_id",
                    "user_id",
                    "platform",
                    "chat_id",
                    "locale",
                    "plain",
                    "status",
                    "attempts",
                ],
                chosen,
            )
        )
        return await self.count(mailing.id)

    async def count(self, mailing_id: int) -> int:
        return int(
            await self._session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.mailing_id == mailing_id)
            )
            or 0
        )

    async def claim(
        self, mailing_id: int, instance: str, now: datetime, until: datetime, limit: int
    ) -> list[Delivery]:
        """Take the next recipients still to send to, in order, for ``instance`` until
        ``until``: no other instance takes them meanwhile (rows another instance is claiming
        at this moment are passed over, not waited for), and once the lease has run out
        (that instance died) anyone may."""
        free = (
            select(Delivery.id)
            .where(
                Delivery.mailing_id == mailing_id,
                Delivery.status == DeliveryStatus.PENDING,
                or_(Delivery.lease_until.is_(None), Delivery.lease_until < now),
            )
            .order_by(Delivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        taken = await self._session.scalars(
            update(Delivery)
            .where(Delivery.id.in_(free))
            .values(claimed_by=instance, lease_until=until)
            .returning(Delivery),
            execution_options={"synchronize_session": False},
        )
        return sorted(taken.all(), key=lambda delivery: delivery.id)

    async def renew(self, mailing_id: int, instance: str, until: datetime) -> None:
        """``instance`` is still sending what it claimed: its lease goes on."""
        await self._session.execute(_held(mailing_id, instance).values(lease_until=until))

    async def release(self, mailing_id: int, instance: str) -> None:
        """What ``instance`` claimed and did not send (paused, stopping) is free at once."""
        await self._session.execute(
            _held(mailing_id, instance).values(claimed_by=None, lease_until=None)
        )

    async def any_pending(self, mailing_id: int) -> bool:
        """Recipients still to send to, whoever holds them."""
        found = await self._session.scalar(
            select(Delivery.id)
            .where(Delivery.mailing_id == mailing_id, Delivery.status == DeliveryStatus.PENDING)
            .limit(1)
        )
        return found is not None

    async def status_of(self, mailing_id: int) -> MailingStatus | None:
        """A mailing's status alone (nothing else loaded): asked before each request."""
        return await self._session.scalar(select(Mailing.status).where(Mailing.id == mailing_id))

    async def still_wanted(self, audience: str, user_ids: Iterable[int]) -> set[int]:
        """Of these people, those the audience still reaches (not unsubscribed since)."""
        ids = sorted(set(user_ids))
        if not ids:
            return set()
        rows = await self._session.scalars(
            select(User.id).where(User.id.in_(ids)).where(_wanted(audience))
        )
        return set(rows.all())

    async def mark(
        self, ids: Sequence[int], status: DeliveryStatus, now: datetime | None = None
    ) -> None:
        if not ids:
            return
        await self._session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status == DeliveryStatus.PENDING)
            .values(status=status, sent_at=now, attempts=Delivery.attempts + 1)
        )

    async def tally(self, mailing_id: int) -> dict[DeliveryStatus, int]:
        rows = await self._session.execute(
            select(Delivery.status, func.count())
            .where(Delivery.mailing_id == mailing_id)
            .group_by(Delivery.status)
        )
        return {status: count for status, count in rows}

    async def delivered_to(self, mailing_id: int, user_id: int) -> bool:
        found = await self._session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.mailing_id == mailing_id, Delivery.user_id == user_id)
        )
        return bool(found)

    # --- RSVP ---------------------------------------------------------------------------

    async def rsvp(self, mailing_id: int, user_id: int) -> Rsvp | None:
        return await self._session.scalar(
            select(Rsvp).where(Rsvp.mailing_id == mailing_id, Rsvp.user_id == user_id)
        )

    async def add_rsvp(self, rsvp: Rsvp) -> None:
        self._session.add(rsvp)
        await self._session.flush()

    async def rsvp_counts(self, mailing_id: int) -> tuple[int, int]:
        """(coming, not coming)."""
        rows = await self._session.execute(
            select(Rsvp.coming, func.count())
            .where(Rsvp.mailing_id == mailing_id)
            .group_by(Rsvp.coming)
        )
        counts: dict[bool, int] = {coming: number for coming, number in rows}
        return counts.get(True, 0), counts.get(False, 0)
