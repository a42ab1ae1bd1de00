from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FaqOverride, FaqRating, FaqView, Proposal, UnansweredQuestion


class FaqRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- entries staff added or changed in the bot --------------------------------------

    async def overrides(self) -> Sequence[FaqOverride]:
        return (await self._session.scalars(select(FaqOverride).order_by(FaqOverride.code))).all()

    async def put_override(
        self,
        code: str,
        locale: str,
        category: str,
        question: str,
        answer: str,
        *,
        by: int,
        now: datetime,
    ) -> None:
        row = await self._session.get(FaqOverride, (code, locale))
        if row is None:
            row = FaqOverride(code=code, locale=locale)
            self._session.add(row)
        row.category, row.question, row.answer = category, question, answer
        row.updated_by_id, row.updated_at = by, now

    async def delete_overrides(self, code: str) -> int:
        result = await self._session.execute(delete(FaqOverride).where(FaqOverride.code == code))
        return int(getattr(result, "rowcount", 0) or 0)

    # --- use and usefulness ---------------------------------------------------------------

    async def viewed(self, code: str) -> None:
        row = await self._session.get(FaqView, code, with_for_update=True)
        if row is None:
            self._session.add(FaqView(code=code, views=1))
        else:
            row.views += 1

    async def rate(self, user_id: int, code: str, score: int, now: datetime) -> bool:
        """Record a rating; True when it replaced the person's earlier one."""
        row = await self._session.scalar(
            select(FaqRating).where(FaqRating.user_id == user_id, FaqRating.code == code)
        )
        if row is None:
            self._session.add(FaqRating(user_id=user_id, code=code, score=score, rated_at=now))
            return False
        row.score, row.rated_at = score, now
        return True

    async def views(self) -> dict[str, int]:
        rows = await self._session.execute(select(FaqView.code, FaqView.views))
        return {code: views for code, views in rows.all()}

    async def ratings(self) -> dict[str, tuple[float, int]]:
        """code -> (average score, number of ratings)."""
        rows = await self._session.execute(
            select(FaqRating.code, func.avg(FaqRating.score), func.count()).group_by(FaqRating.code)
        )
        return {code: (float(avg), int(n)) for code, avg, n in rows.all()}

    # --- questions nobody has answered yet --------------------------------------------------

    async def unanswered(self, terms: str, text: str, now: datetime) -> None:
        row = await self._session.scalar(
            select(UnansweredQuestion).where(UnansweredQuestion.terms == terms).with_for_update()
        )
        if row is None:
            self._session.add(UnansweredQuestion(terms=terms, text=text, count=1, last_at=now))
        else:
            row.count += 1
            row.last_at = now

    async def top_unanswered(self, limit: int) -> Sequence[UnansweredQuestion]:
        return (
            await self._session.scalars(
                select(UnansweredQuestion)
                .order_by(UnansweredQuestion.count.desc(), UnansweredQuestion.last_at.desc())
                .limit(limit)
            )
        ).all()

    # --- proposals ------------------------------------------------------------------------

    async def add_proposal(self, proposal: Proposal) -> Proposal:
        self._session.add(proposal)
        await self._session.flush()
        return proposal

    async def proposal(self, proposal_id: int, *, for_update: bool = False) -> Proposal | None:
        return await self._session.get(Proposal, proposal_id, with_for_update=for_update)

    async def proposals(self, limit: int) -> Sequence[Proposal]:
        return (
            await self._session.scalars(select(Proposal).order_by(Proposal.id.desc()).limit(limit))
        ).all()
