from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import BindParameter, Select, and_, bindparam, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Role, StaffMember


@functools.cache
def _news_readers() -> Select[StaffMember]:
    department: BindParameter[str] = bindparam("department")
    return select(StaffMember).where(
        or_(
            and_(
                StaffMember.department == department,
                StaffMember.role.in_((Role.HEAD, Role.OPERATOR)),
            ),
            and_(StaffMember.department == "", StaffMember.role == Role.ADMIN),
        )
    )


class StaffRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of(self, platform: str, external_id: str) -> Sequence[StaffMember]:
        stmt = select(StaffMember).where(
            StaffMember.platform == platform, StaffMember.external_id == external_id
        )
        return (await self._session.execute(stmt)).scalars().all()

    async def all(self) -> Sequence[StaffMember]:
        stmt = select(StaffMember).order_by(
            StaffMember.department, StaffMember.role, StaffMember.platform, StaffMember.external_id
        )
        return (await self._session.execute(stmt)).scalars().all()

    async def in_department(
        self, department: str, roles: tuple[Role, ...]
    ) -> Sequence[StaffMember]:
        stmt = select(StaffMember).where(
            StaffMember.department == department, StaffMember.role.in_(roles)
        )
        return (await self._session.execute(stmt)).scalars().all()

    async def news_readers(self, department: str) -> Sequence[StaffMember]:
        """Who hears of the department's new appeals: its heads and operators, and the
        admins. One statement, built once: it runs for every appeal filed."""
        result = await self._session.execute(_news_readers(), {"department": department})
        return result.scalars().all()

    async def put(self, member: StaffMember) -> None:
        """Add the person to the department, or change their role there."""
        stmt = select(StaffMember).where(
            StaffMember.platform == member.platform,
            StaffMember.external_id == member.external_id,
            StaffMember.department == member.department,
        )
        existing = (await self._session.execute(stmt)).scalar_one_or_none()
        if existing is None:
            self._session.add(member)
        else:
            existing.role = member.role

    async def remove(self, platform: str, external_id: str, department: str | None) -> int:
        stmt = delete(StaffMember).where(
            StaffMember.platform == platform, StaffMember.external_id == external_id
        )
        if department is not None:
            stmt = stmt.where(StaffMember.department == department)
        result = await self._session.execute(stmt)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
