from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User


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
        elif display_name and user.display_name != display_name[:255]:
            user.display_name = display_name[:255]
        return user
