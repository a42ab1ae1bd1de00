"""Unit of work: one session and one transaction per update; only it commits."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories.appeals import AppealRepository
from storage.repositories.cards import LiveCardRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.corruption import CorruptionReportRepository
from storage.repositories.faq import FaqRepository
from storage.repositories.inbound import InboundRepository
from storage.repositories.jobs import JobRunRepository
from storage.repositories.mailings import MailingRepository
from storage.repositories.opendata import OpenDataRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.personal import PersonalDataRepository
from storage.repositories.polls import PollRepository
from storage.repositories.posts import StaffPostRepository
from storage.repositories.replies import ReplyTemplateRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.staff import StaffRepository
from storage.repositories.usage import UsageRepository
from storage.repositories.users import UserRepository


class UnitOfWork:
    session: AsyncSession
    users: UserRepository
    conversations: ConversationRepository
    appeals: AppealRepository
    staff: StaffRepository
    jobs: JobRunRepository
    inbound: InboundRepository
    replies: ReplyTemplateRepository
    corruption: CorruptionReportRepository
    cards: LiveCardRepository
    posts: StaffPostRepository
    faq: FaqRepository
    polls: PollRepository
    mailings: MailingRepository
    reports: ReportRepository
    usage: UsageRepository
    opendata: OpenDataRepository
    personal: PersonalDataRepository
    outbox: OutboxRepository

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.users = UserRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        self.appeals = AppealRepository(self.session)
        self.staff = StaffRepository(self.session)
        self.jobs = JobRunRepository(self.session)
        self.inbound = InboundRepository(self.session)
        self.replies = ReplyTemplateRepository(self.session)
        self.corruption = CorruptionReportRepository(self.session)
        self.cards = LiveCardRepository(self.session)
        self.posts = StaffPostRepository(self.session)
        self.faq = FaqRepository(self.session)
        self.polls = PollRepository(self.session)
        self.mailings = MailingRepository(self.session)
        self.reports = ReportRepository(self.session)
        self.usage = UsageRepository(self.session)
        self.opendata = OpenDataRepository(self.session)
        self.personal = PersonalDataRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is not None or self.session.in_transaction():
                # Whatever was not committed explicitly is not kept.
                await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()

    async def relaxed_commit(self) -> None:
        """This transaction's commit need not wait for the disk (PostgreSQL): for records whose
        loss in a crash of the database server costs a repeat, never a loss (what the outbox
        sent). SQLite cannot relax one transaction; it commits as always."""
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            await connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")

    async def rollback(self) -> None:
        await self.session.rollback()
