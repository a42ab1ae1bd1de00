"""Typed SQLAlchemy models. Dialect-neutral: the same schema runs on SQLite and PostgreSQL."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    orm_insert_sentinel,
    relationship,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every dialect (SQLite keeps no zone; we store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AppealStatus(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    NEEDS_INFO = "needs_info"
    ANSWERED = "answered"
    CLOSED = "closed"


def _enum(cls: type[enum.Enum]) -> SAEnum:
    # A VARCHAR with a CHECK on both dialects, not a PostgreSQL ENUM type: new statuses
    # in later migrations stay a one-line change.
    return SAEnum(
        cls,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Role(enum.StrEnum):
    ADMIN = "admin"  # everything, in every department
    HEAD = "head"  # a department's head: its appeals, reassigning them, escalations
    OPERATOR = "operator"  # the appeals of their department
    ANTICORRUPTION = "anticorruption"  # anti-corruption reports only


class User(Base):
    """A person as one messenger knows them: (platform, platform user id)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str] = mapped_column(String(8), default="ru")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Accessible mode: no emoji, every set of buttons also a numbered list.
    accessible: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # In accessible mode, the payloads of the last buttons shown: a typed number presses one.
    numbered: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # "Не получать рассылки": no mailing reaches this person, whatever groups they are in.
    mailings_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class StaffMember(Base):
    """A person's role in a department (admins and anti-corruption officers: department '')."""

    __tablename__ = "staff_members"
    __table_args__ = (UniqueConstraint("platform", "external_id", "department"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(32), default="")
    role: Mapped[Role] = mapped_column(_enum(Role))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Conversation(Base):
    """Where a person is in a flow; kept in the database so it survives a restart."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Appeal(Base):
    """An appeal (обращение) under 59-ФЗ, answered in the chat it came from."""

    __tablename__ = "appeals"
    __table_args__ = (
        Index("ix_appeals_status_created", "status", "created_at"),
        Index("ix_appeals_status_due", "status", "due_at"),
        Index("ix_appeals_citizen_created", "citizen_id", "created_at"),
        # The reports read periods by each of these moments; the columns after the moment
        # let them count from the index alone, without visiting a million rows.
        Index("ix_appeals_period_created", "created_at", "department", "topic", "status"),
        Index("ix_appeals_period_answered", "first_answered_at", "department", "answer_seconds"),
        Index("ix_appeals_period_due", "due_at", "first_answered_at", "department"),
        Index("ix_appeals_closed", "closed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(32))
    department: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(500))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    status: Mapped[AppealStatus] = mapped_column(_enum(AppealStatus), default=AppealStatus.NEW)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first answer, kept when a reopened appeal is answered again: 59-ФЗ's deadline and
    # the reports' answer times count to it.
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # From registration to the first answer, in seconds: kept as a number (set with the
    # first answer, see below) so the reports' percentiles read it from an index rather
    # than parse two moments of each of a quarter's 100,000 appeals.
    answer_seconds: Mapped[float | None] = mapped_column(Float)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Fast track: a shorter deadline, first in the queue.
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # 59-ФЗ allows one extension of at most 30 days, and the citizen must be told why.
    extended_days: Mapped[int | None] = mapped_column(Integer)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    # When the department head was told the appeal is overdue (once per appeal).
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The text as its author agreed to publish it (the summary step), names, numbers and
    # contacts taken out; None: only the topic, status, dates and a coarse place are public.
    public_text: Mapped[str | None] = mapped_column(Text)

    citizen: Mapped[User] = relationship(foreign_keys=[citizen_id], lazy="raise")
    files: Mapped[list[AppealFile]] = relationship(
        order_by="AppealFile.position", lazy="selectin", cascade="all, delete-orphan"
    )
    followers: Mapped[list[AppealFollower]] = relationship(
        order_by="AppealFollower.id", lazy="selectin", cascade="all, delete-orphan"
    )
    # Set on a duplicate merged into another appeal.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("appeals.id"))
    notes: Mapped[list[AppealNote]] = relationship(
        order_by="AppealNote.id", lazy="selectin", cascade="all, delete-orphan"
    )
    # Every answer the appeal has had (a low rating reopens it for another), oldest first.
    answers: Mapped[list[AppealAnswer]] = relationship(
        order_by="AppealAnswer.number", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def number(self) -> str:
        """The registration number a citizen quotes: year of registration and the id."""
        return format_number(self.created_at, self.id)


def format_number(created_at: datetime, appeal_id: int) -> str:
    return f"{created_at.year}-{appeal_id:05d}"


@event.listens_for(Appeal, "before_insert")
@event.listens_for(Appeal, "before_update")
def _answer_seconds(mapper: Any, connection: Any, appeal: Appeal) -> None:
    """The answer time follows the first answer, whoever writes it."""
    if appeal.first_answered_at is None:
        appeal.answer_seconds = None
    else:
        created = appeal.created_at or utcnow()
        appeal.answer_seconds = (appeal.first_answered_at - created).total_seconds()


class AppealAnswer(Base):
    __tablename__ = "appeal_answers"
    __table_args__ = (UniqueConstraint("appeal_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # Attachment.to_dict() of each photo or document the operator sent with it.
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rating: Mapped[AnswerRating | None] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )


class AnswerRating(Base):
    """The citizen's rating of one answer: one per answer, enforced by the database."""

    __tablename__ = "answer_ratings"
    # The reports' periods, counted from the index alone.
    __table_args__ = (Index("ix_answer_ratings_period", "created_at", "score", "answer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("appeal_answers.id", ondelete="CASCADE"), unique=True
    )
    score: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoteKind(enum.StrEnum):
    QUESTION = "question"  # an operator asks the citizen
    REPLY = "reply"  # the citizen's answer to it
    ADDITION = "addition"  # the citizen adds to their appeal unasked


class AppealFollower(Base):
    """Someone who follows another's appeal (a similar one, or a merged duplicate) and gets
    its news in their own messenger."""

    __tablename__ = "appeal_followers"
    __table_args__ = (UniqueConstraint("appeal_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="selectin")


class AppealNote(Base):
    """The conversation on an appeal besides the answers: questions and the citizen's replies."""

    __tablename__ = "appeal_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NoteKind] = mapped_column(_enum(NoteKind))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    # Attachment.to_dict() of each photo or document.
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AppealFile(Base):
    """A photo or document the citizen attached: the platform's reference, type and size."""

    __tablename__ = "appeal_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    platform: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int | None] = mapped_column(Integer)


class LiveCard(Base):
    """Where the citizen's live card of an appeal is, so it can be edited as the case moves."""

    __tablename__ = "live_cards"

    appeal_id: Mapped[int] = mapped_column(
        ForeignKey("appeals.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))


class StaffPost(Base):
    """A staff message about an appeal (or the forum topic opened for it): what staff write in
    that topic, or in reply to that message, belongs to the appeal."""

    __tablename__ = "staff_posts"
    __table_args__ = (
        Index("ix_staff_posts_message", "platform", "chat_id", "message_id"),
        Index("ix_staff_posts_thread", "platform", "chat_id", "thread_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64))
    thread_id: Mapped[str | None] = mapped_column(String(64))
    # What the topic's title was last made of, so it is renamed only when that changes.
    title: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FaqOverride(Base):
    """An FAQ entry in one language added or changed by staff in the bot; it overrides the
    file's entry of the same code."""

    __tablename__ = "faq_overrides"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FaqView(Base):
    """How often an FAQ answer was opened."""

    __tablename__ = "faq_views"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)


class FaqRating(Base):
    """How useful one person found one FAQ answer (1-5); they may change their mind."""

    __tablename__ = "faq_ratings"
    __table_args__ = (UniqueConstraint("user_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32), index=True)
    score: Mapped[int] = mapped_column(Integer)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UnansweredQuestion(Base):
    """A question the FAQ had no answer to, counted by its terms: what to write next."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    terms: Mapped[str] = mapped_column(String(200), unique=True)
    text: Mapped[str] = mapped_column(String(300))
    count: Mapped[int] = mapped_column(Integer, default=1)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Proposal(Base):
    """A citizen's suggestion about the bot or the administration's openness."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="selectin")


class JobRun(Base):
    """The last slot a scheduled job ran for: a restart neither skips nor repeats it."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    # None: the row exists only as the job's lock (several instances run one job at a time).
    slot: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InboundUpdate(Base):
    """An update already handled, by its platform identity: a platform delivering it again
    (a webhook retry, a poll re-read after a crash, another instance) changes nothing twice.
    Written in the update's own transaction, so it is there exactly when its effects are."""

    __tablename__ = "inbound_updates"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class DataAccess(Base):
    """A staff member touched an appeal (152-ФЗ: who accessed a citizen's personal data, when,
    and by which command or button)."""

    __tablename__ = "data_access_log"
    __table_args__ = (Index("ix_data_access_log_appeal", "appeal_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"))
    via: Mapped[str] = mapped_column(String(48))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UsageCount(Base):
    """How often something was used on a day in a channel: a command, a button's section, a
    step of a flow. Counters only, never who: usage analytics hold no personal data."""

    __tablename__ = "usage_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    event: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CorruptionReport(Base):
    """A report of corruption (seed 002, 7.6-7.7). Anonymous unless the citizen asked to be
    contacted: then, and only then, who and where is kept."""

    __tablename__ = "corruption_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    platform: Mapped[str | None] = mapped_column(String(16))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    reporter: Mapped[User | None] = relationship(lazy="selectin")

    @property
    def number(self) -> str:
        return format_number(self.created_at, self.id)


class ReplyTemplateRow(Base):
    """A template reply added or changed from the bot; it overrides the file's one of its key."""

    __tablename__ = "reply_templates"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    topics: Mapped[list[str]] = mapped_column(JSON)
    text_ru: Mapped[str] = mapped_column(Text)
    # What staff read on its button; None: the key.
    title: Mapped[str | None] = mapped_column(String(80))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AppealEvent(Base):
    """The audit trail: who did what to an appeal, and when."""

    __tablename__ = "appeal_events"
    __table_args__ = (Index("ix_appeal_events_period", "action", "at", "appeal_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[AppealStatus | None] = mapped_column(_enum(AppealStatus))
    to_status: Mapped[AppealStatus | None] = mapped_column(_enum(AppealStatus))
    note: Mapped[str | None] = mapped_column(Text)


class PollStatus(enum.StrEnum):
    DRAFT = "draft"  # being put together by an operator
    SCHEDULED = "scheduled"  # published, opens at opens_at
    OPEN = "open"
    CLOSED = "closed"


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    SCALE5 = "scale5"
    SCALE10 = "scale10"
    TEXT = "text"


class Poll(Base):
    """A poll or a survey: questions, who is asked, and when. Its texts are in one language,
    the one its author wrote them in."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    # "all", or "topic:<code>": who is told and who may answer.
    audience: Mapped[str] = mapped_column(String(64), default="all")
    allow_change: Mapped[bool] = mapped_column(Boolean, default=False)
    share_results: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[PollStatus] = mapped_column(_enum(PollStatus), default=PollStatus.DRAFT)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the scheduler has done: each step once, whatever restarts happen in between.
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How many were asked when it opened: the base of the response rate.
    audience_size: Mapped[int] = mapped_column(Integer, default=0)
    template: Mapped[str] = mapped_column(String(32), default="")

    questions: Mapped[list[PollQuestion]] = relationship(
        order_by="PollQuestion.position", lazy="selectin", cascade="all, delete-orphan"
    )
    created_by: Mapped[User] = relationship(lazy="selectin")


class PollQuestion(Base):
    __tablename__ = "poll_questions"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[QuestionKind] = mapped_column(_enum(QuestionKind))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)


class PollResponse(Base):
    """One person's response to a poll: one per person, which the database enforces.

    For an anonymous poll the person is kept only to allow one response and to resume a
    half-finished one; results and exports never show who answered."""

    __tablename__ = "poll_responses"
    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The question (by position) the person is at.
    position: Mapped[int] = mapped_column(Integer, default=0)

    answers: Mapped[list[PollAnswer]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    user: Mapped[User] = relationship(lazy="selectin")


class PollAnswer(Base):
    __tablename__ = "poll_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("poll_responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("poll_questions.id", ondelete="CASCADE"))
    # Option numbers (from 0) for choices; the number for a scale; the text for free text.
    choices: Mapped[list[int]] = mapped_column(JSON, default=list)
    value: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)


class Discussion(Base):
    """A public discussion (общественное обсуждение) of a draft document."""

    __tablename__ = "discussions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    # The document as an attachment of the platform it was sent from.
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience: Mapped[str] = mapped_column(String(64), default="all")
    status: Mapped[PollStatus] = mapped_column(_enum(PollStatus), default=PollStatus.DRAFT)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User] = relationship(lazy="selectin")


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"
    PARTLY = "partly"
    REJECTED = "rejected"


class DiscussionComment(Base):
    """A comment or proposal on a draft, optionally on one of its sections, and what the
    administration decided about it."""

    __tablename__ = "discussion_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    discussion_id: Mapped[int] = mapped_column(
        ForeignKey("discussions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    section: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[Decision | None] = mapped_column(_enum(Decision))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="selectin")


# --- reference groups and mailings ----------------------------------------------------------


class RefGroup(Base):
    """A reference group (референтная группа): people the administration keeps informed."""

    __tablename__ = "ref_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    # Per locale: {"ru": "...", "en": "..."}.
    name: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    who: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Open: anyone joins at once; otherwise an operator approves each request.
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MemberStatus(enum.StrEnum):
    MEMBER = "member"
    PENDING = "pending"  # asked to join a group by approval


class GroupMember(Base):
    """A person in a group, with the consent to mailings that joining records."""

    __tablename__ = "group_members"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        Index("ix_group_members_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("ref_groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[MemberStatus] = mapped_column(_enum(MemberStatus))
    # "self" (the person joined), "operator" (added or imported by staff, with the consent
    # they gave the administration), and when.
    consent: Mapped[str] = mapped_column(String(16), default="self")
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="selectin")


class MailingStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # waits for send_at (a plan of a recurring mailing stays here)
    SENDING = "sending"
    PAUSED = "paused"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"  # its time passed while the bot was down, too long ago to send


class Mailing(Base):
    """A message to many: what it says, to whom, when; each run of a recurring plan is a
    mailing of its own (``plan_id``), with its own deliveries."""

    __tablename__ = "mailings"
    __table_args__ = (Index("ix_mailings_status_send_at", "status", "send_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The operator's text, or, for the bot's own announcements (a poll opening), a
    # template key with its parameters: {"key": ..., "params": {...}}.
    text: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A photo or document (an Attachment as a dict), valid on the platform it came from.
    file: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Link buttons: [{"label": ..., "url": ...}]; and a payload button for announcements.
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    action: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rsvp: Mapped[bool] = mapped_column(Boolean, default=False)
    # "subscribers", "groups:<code>,<code>", "topic:<code>" or "all" (the bot's own).
    audience: Mapped[str] = mapped_column(String(255), default="subscribers")
    status: Mapped[MailingStatus] = mapped_column(_enum(MailingStatus), default=MailingStatus.DRAFT)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "", "day", "week" or "month": a plan that makes a run at every send_at.
    repeat: Mapped[str] = mapped_column(String(8), default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("mailings.id"))
    template: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    total: Mapped[int] = mapped_column(Integer, default=0)
    # A Telegram paid broadcast (allow_paid_broadcast): in tenths of a Star, what was set
    # aside from the budgets when it started, and what its messages cost so far.
    paid: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    paid_reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    paid_spent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The author's progress message, edited in place as the mailing goes.
    progress_chat: Mapped[str] = mapped_column(String(80), default="")
    progress_message_id: Mapped[str | None] = mapped_column(String(64))

    author: Mapped[User] = relationship(lazy="selectin")


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    BLOCKED = "blocked"  # the person blocked the bot or cannot be written to
    FAILED = "failed"
    SKIPPED = "skipped"  # unsubscribed after the mailing started


class Delivery(Base):
    """One recipient of one mailing: what happened, so a crash resumes without resending."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("mailing_id", "user_id"),
        Index("ix_deliveries_mailing_id_status_id", "mailing_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8), default="ru")
    plain: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Which instance is sending it, until when: several instances never send one delivery
    # twice, and what a dead instance held is taken up again once its lease runs out.
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Rsvp(Base):
    """An answer to an invitation: "Приду" or "Не смогу"; one per person, which may change."""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("mailing_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    coming: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # to be sent: now, or at next_at after a failure
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # refused for good, or still failing past the limit
    SUPERSEDED = "superseded"  # an edit of a message whose later version went instead


class OutboxMessage(Base):
    """A message the bot will say, written in the transaction of the change that caused it
    and sent from here: it survives a crash, is retried, and is reported if it cannot go."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next_at", "status", "next_at"),
        Index("ix_outbox_chat", "platform", "chat_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    # The Outgoing (handlers.outgoing_codec): texts with their parameters, buttons, files.
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Not to be tried before this (a retry's backoff).
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the last try failed, or why it is undeliverable (the platform's words, short).
    error: Mapped[str | None] = mapped_column(String(200))
    # The instance sending it, until when (renewed while it holds it): a row is sent by one
    # instance at a time, and a dead instance's rows are taken up once the lease runs out.
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Lets SQLAlchemy write an update's messages in one INSERT … RETURNING and still tell
    # which id is whose (insertmanyvalues' sentinel): one statement, not one per message.
    _sentinel: Mapped[int | None] = orm_insert_sentinel()


class ReportDay(Base):
    """A completed day's appeals by department and topic, as the period reports count them:
    received that day, and due that day (and of those, answered in time). A day is a local
    calendar day, kept as its bounds in UTC; a report adds up its whole days from here and
    counts the rest directly. Any change to an appeal that moves these figures (a new
    department or topic, an extended deadline, a first answer, an erasure) removes the days
    it touches, which are counted again when next asked (storage/repositories/report_days.py)."""

    __tablename__ = "report_days"
    __table_args__ = (UniqueConstraint("day_start", "department", "topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day_start: Mapped[datetime] = mapped_column(UTCDateTime)
    day_end: Mapped[datetime] = mapped_column(UTCDateTime)
    department: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(64))
    received: Mapped[int] = mapped_column(Integer, default=0)
    due: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    # The answer times (seconds) of the appeals first answered that day, as packed doubles
    # (little-endian): exact medians of any run of days, without reading their appeals.
    answered: Mapped[bytes] = mapped_column(LargeBinary, default=b"")


class ReportDayCounted(Base):
    """A day whose figures are in ``report_days`` (a day with none has no rows there)."""

    __tablename__ = "report_days_counted"
    __table_args__ = (Index("ix_report_days_counted_end", "day_end"),)

    day_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    day_end: Mapped[datetime] = mapped_column(UTCDateTime)
