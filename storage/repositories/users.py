from __future__ import annotations

import functools
from typing import NamedTuple

from sqlalchemy import BindParameter, Select, and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation, StaffMember, User
from storage.repositories.staff import StaffRepository


class Arrival(NamedTuple):
    """Who sent an update: their row, their conversation so far, their staff roles."""

    user: User
    conversation: Conversation | None
    staff: list[StaffMember]


@functools.cache
def _arrival() -> Select[User, Conversation, StaffMember]:
    """The sender, their conversation and their roles, by ``platform`` and ``external_id``.
    Built once: composing it anew cost as much as running it."""
    platform: BindParameter[str] = bindparam("platform")
    external_id: BindParameter[str] = bindparam("external_id")
    return (
        select(User, Conversation, StaffMember)
        .outerjoin(Conversation, Conversation.user_id == User.id)
        .outerjoin(
            StaffMember,
            and_(StaffMember.platform == platform, StaffMember.external_id == external_id),
        )
        .where(User.platform == platform, User.external_id == external_id)
        .with_for_update(of=User)
    )


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def many(self, ids: set[int]) -> dict[int, User]:
        if not ids:
            return {}
        stmt = select(User).where(User.id.in_(sorted(ids)))
        return {user.id: user for user in (await self._session.execute(stmt)).scalars()}

    async def find(self, platform: str, external_id: str, *, lock: bool = False) -> User | None:
        stmt = select(User).where(User.platform == platform, User.external_id == external_id)
        if lock:
            stmt = stmt.with_for_update()
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def arrive(
        self, platform: str, external_id: str, *, display_name: str, language: str
    ) -> Arrival:
        """The sender of an update, created on first contact, their row locked to the commit
        (PostgreSQL): one person's updates reaching two instances at once take turns. One
        query for the person, the conversation and the roles: this runs for every update."""
        params = {"platform": platform, "external_id": external_id}
        rows = (await self._session.execute(_arrival(), params)).all()
        if not rows:
            user = await self.get_or_create(
                platform, external_id, display_name=display_name, language=language, lock=True
            )
            staff = await StaffRepository(self._session).of(platform, external_id)
            return Arrival(user, await self._session.get(Conversation, user.id), list(staff))
        user = rows[0][0]
        self._rename(user, display_name)
        return Arrival(user, rows[0][1], [row[2] for row in rows if row[2] is not None])

    def _rename(self, user: User, display_name: str) -> None:
        if display_name and user.display_name != display_name[:255]:
            user.display_name = display_name[:255]

    async def get_or_create(
        self,
        platform: str,
        external_id: str,
        *,
        display_name: str,
        language: str,
        lock: bool = False,
    ) -> User:
        user = await self.find(platform, external_id, lock=lock)
        if user is None:
            user = User(
                platform=platform,
                external_id=external_id,
                display_name=display_name[:255],
                language=language,
            )
            self._session.add(user)
            await self._session.flush()
        else:
            self._rename(user, display_name)
        return user
