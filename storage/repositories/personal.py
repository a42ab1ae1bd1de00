"""A citizen's personal data (152-ФЗ): everything stored about one person, its erasure, and
the log of staff access to appeals. Erasure keeps every row the statistics count (dates,
topics, departments, statuses, scores) and blanks what points to the person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AnswerRating,
    Appeal,
    AppealAnswer,
    AppealEvent,
    AppealFile,
    AppealFollower,
    AppealNote,
    Conversation,
    CorruptionReport,
    DataAccess,
    Delivery,
    DeliveryStatus,
    DiscussionComment,
    GroupMember,
    LiveCard,
    OutboxMessage,
    PollAnswer,
    PollResponse,
    Proposal,
    User,
)


class PersonalDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def appeals(self, user_id: int) -> Sequence[Appeal]:
        found = await self._session.scalars(
            select(Appeal).where(Appeal.citizen_id == user_id).order_by(Appeal.id)
        )
        return found.all()

    async def proposals(self, user_id: int) -> Sequence[Proposal]:
        found = await self._session.scalars(
            select(Proposal).where(Proposal.user_id == user_id).order_by(Proposal.id)
        )
        return found.all()

    async def comments(self, user_id: int) -> Sequence[DiscussionComment]:
        found = await self._session.scalars(
            select(DiscussionComment)
            .where(DiscussionComment.user_id == user_id)
            .order_by(DiscussionComment.id)
        )
        return found.all()

    async def poll_responses(self, user_id: int) -> int:
        found = await self._session.scalars(
            select(PollResponse.id).where(PollResponse.user_id == user_id)
        )
        return len(found.all())

    async def memberships(self, user_id: int) -> Sequence[GroupMember]:
        found = await self._session.scalars(
            select(GroupMember).where(GroupMember.user_id == user_id).order_by(GroupMember.id)
        )
        return found.all()

    async def contact_reports(self, user_id: int) -> int:
        found = await self._session.scalars(
            select(CorruptionReport.id).where(CorruptionReport.reporter_id == user_id)
        )
        return len(found.all())

    async def forget(self, user: User, marker: str) -> None:
        """Erase what identifies ``user``; the counted facts stay. Their texts are
        overwritten with ``marker`` (templates: erased-marker)."""
        uid = user.id
        mine = select(Appeal.id).where(Appeal.citizen_id == uid).scalar_subquery()
        answers = select(AppealAnswer.id).where(AppealAnswer.appeal_id.in_(mine)).scalar_subquery()
        responses = select(PollResponse.id).where(PollResponse.user_id == uid).scalar_subquery()
        statements = [
            update(Appeal)
            .where(Appeal.citizen_id == uid)
            .values(
                text=marker,
                public_text=None,
                address=None,
                latitude=None,
                longitude=None,
                chat_id="",
            ),
            delete(AppealFile).where(AppealFile.appeal_id.in_(mine)),
            # Staff questions and answers may quote the person: blanked too.
            update(AppealNote).where(AppealNote.appeal_id.in_(mine)).values(text=marker, files=[]),
            update(AppealAnswer)
            .where(AppealAnswer.appeal_id.in_(mine))
            .values(text=marker, files=[]),
            update(AnswerRating).where(AnswerRating.answer_id.in_(answers)).values(comment=None),
            update(AppealEvent).where(AppealEvent.appeal_id.in_(mine)).values(note=None),
            delete(LiveCard).where(LiveCard.appeal_id.in_(mine)),
            delete(AppealFollower).where(AppealFollower.user_id == uid),
            update(Proposal).where(Proposal.user_id == uid).values(text=marker, chat_id=""),
            update(PollResponse).where(PollResponse.user_id == uid).values(chat_id=""),
            update(PollAnswer)
            .where(PollAnswer.response_id.in_(responses), PollAnswer.text.is_not(None))
            .values(text=marker),
            update(DiscussionComment)
            .where(DiscussionComment.user_id == uid)
            .values(text=marker, chat_id=""),
            delete(GroupMember).where(GroupMember.user_id == uid),  # consent withdrawn
            update(Delivery)
            .where(Delivery.user_id == uid, Delivery.status == DeliveryStatus.PENDING)
            .values(status=DeliveryStatus.SKIPPED),
            update(Delivery).where(Delivery.user_id == uid).values(chat_id=""),
            update(CorruptionReport)
            .where(CorruptionReport.reporter_id == uid)
            .values(reporter_id=None, platform=None, chat_id=None),
            delete(Conversation).where(Conversation.user_id == uid),
            # What the bot said to them (their own words may be quoted), sent or waiting.
            delete(OutboxMessage).where(
                OutboxMessage.platform == user.platform,
                OutboxMessage.chat_id == user.external_id,
            ),
        ]
        for statement in statements:
            await self._session.execute(statement)
        # The account is let go: a later message from it starts as a new person.
        user.display_name = ""
        user.external_id = f"forgotten:{uid}"
        user.numbered = []
        user.mailings_off = True

    def log_access(self, staff_id: int, appeal_id: int, via: str, at: datetime) -> None:
        self._session.add(DataAccess(staff_id=staff_id, appeal_id=appeal_id, via=via[:48], at=at))

    async def access_log(self, appeal_id: int, limit: int = 30) -> Sequence[DataAccess]:
        found = await self._session.scalars(
            select(DataAccess)
            .where(DataAccess.appeal_id == appeal_id)
            .order_by(DataAccess.at.desc(), DataAccess.id.desc())
            .limit(limit)
        )
        return found.all()
