"""Who may do what: roles from ADMINS (configuration) and from the staff table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.models import Role, StaffMember


@dataclass(frozen=True, slots=True)
class Access:
    admin: bool = False
    heads: frozenset[str] = frozenset()  # departments this person heads
    works_in: frozenset[str] = frozenset()  # departments whose appeals they handle
    anticorruption: bool = False

    @classmethod
    def of(cls, *, configured_admin: bool, rows: Iterable[StaffMember]) -> Access:
        rows = list(rows)
        heads = frozenset(r.department for r in rows if r.role is Role.HEAD)
        operates = frozenset(r.department for r in rows if r.role is Role.OPERATOR)
        return cls(
            admin=configured_admin or any(r.role is Role.ADMIN for r in rows),
            heads=heads,
            works_in=heads | operates,
            anticorruption=any(r.role is Role.ANTICORRUPTION for r in rows),
        )

    @property
    def is_staff(self) -> bool:
        return self.admin or bool(self.works_in) or self.anticorruption

    @property
    def handles_appeals(self) -> bool:
        return self.admin or bool(self.works_in)

    def can_work(self, department: str) -> bool:
        return self.admin or department in self.works_in

    def can_assign(self, department: str) -> bool:
        """Reassigning belongs to admins and to the head of the department that has it."""
        return self.admin or department in self.heads

    def departments(self) -> frozenset[str] | None:
        """The departments whose appeals this person sees; None: all of them."""
        return None if self.admin else self.works_in
