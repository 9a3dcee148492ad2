"""The commission of a competition: its members, their conflict declarations and score
sheets, the meeting with attendance and decisions, and the signed protocol's addenda.

The stage of the commission's work is read from what is recorded (`Commission.stage`), so
it is never stored twice.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smallgrants.core.collation import collate
from smallgrants.core.models import enum_column
from smallgrants.core.timeutil import utcnow
from smallgrants.core.types import UTCDateTime
from smallgrants.extensions import db


class CommissionRole(enum.StrEnum):
    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"


class TieBreakRule(enum.StrEnum):
    VOTE = "vote"  # the meeting votes and records the vote
    HEAVIEST_CRITERION = "heaviest_criterion"  # higher mean on the heaviest criterion


class Stage(enum.StrEnum):
    COMPOSITION = "composition"
    SCORING = "scoring"
    SCORING_CLOSED = "scoring_closed"
    SIGNED = "signed"
    PUBLISHED = "published"


def stage_of(*, published: bool, signed: bool, scoring_closed: bool, approved: bool) -> Stage:
    """Where a commission is, from the furthest step it has taken (`Commission.stage`, and
    `queries.stages_of` for many commissions from their columns)."""
    if published:
        return Stage.PUBLISHED
    if signed:
        return Stage.SIGNED
    if scoring_closed:
        return Stage.SCORING_CLOSED
    if approved:
        return Stage.SCORING
    return Stage.COMPOSITION


class Commission(db.Model):
    """One per competition: the approval protocol and the rules the meeting follows."""

    __tablename__ = "commissions"

    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    approval_number: Mapped[str] = mapped_column(String(32), default="")
    approval_date: Mapped[date | None] = mapped_column(Date)
    approval_place: Mapped[str] = mapped_column(String(200), default="")
    quorum_numerator: Mapped[int] = mapped_column(Integer, default=2)
    quorum_denominator: Mapped[int] = mapped_column(Integer, default=3)
    tie_break_rule: Mapped[TieBreakRule] = mapped_column(
        enum_column(TieBreakRule, "tie_break_rule"), default=TieBreakRule.VOTE
    )
    dispute_threshold: Mapped[int] = mapped_column(Integer, default=25)  # points of 100
    reviewers_per_application: Mapped[int | None] = mapped_column(Integer)  # None: everyone
    show_score_in_results: Mapped[bool] = mapped_column(Boolean, default=False)
    scoring_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    competition = relationship("Competition", lazy="joined")
    # the chair, the secretary, then the members, each group in the Kazakh alphabet: the
    # order of the composition page and of both protocols
    members: Mapped[list[CommissionMember]] = relationship(
        primaryjoin="Commission.competition_id == foreign(CommissionMember.competition_id)",
        order_by=lambda: [
            case(
                (CommissionMember.role == CommissionRole.CHAIR, 0),
                (CommissionMember.role == CommissionRole.SECRETARY, 1),
                else_=2,
            ),
            collate(CommissionMember.full_name, "kk"),
            CommissionMember.position,
        ],
        lazy="selectin",
        viewonly=True,
    )
    meeting: Mapped[Meeting | None] = relationship(
        primaryjoin="Commission.competition_id == foreign(Meeting.competition_id)",
        lazy="selectin",
        viewonly=True,
        uselist=False,
    )

    __table_args__ = (
        CheckConstraint(
            "quorum_numerator > 0 AND quorum_numerator <= quorum_denominator",
            name="quorum_fraction",
        ),
        CheckConstraint("dispute_threshold BETWEEN 1 AND 100", name="dispute_threshold_range"),
        CheckConstraint(
            "reviewers_per_application IS NULL OR reviewers_per_application > 0",
            name="reviewers_positive",
        ),
    )

    @hybrid_property
    def is_approved(self) -> bool:
        return bool(self.approval_number) and self.approval_date is not None

    @is_approved.inplace.expression
    @classmethod
    def _is_approved_expression(cls):
        return and_(cls.approval_number != "", cls.approval_date.is_not(None))

    @property
    def voting_members(self) -> list[CommissionMember]:
        return [m for m in self.members if m.voting and m.user_id is not None]

    @property
    def stage(self) -> Stage:
        return stage_of(
            published=self.results_published_at is not None,
            signed=self.meeting is not None and self.meeting.signed_at is not None,
            scoring_closed=self.scoring_closed_at is not None,
            approved=self.is_approved,
        )


class CommissionMember(db.Model):
    """A seat on a commission. `user_id` is empty while an invitation waits for its answer."""

    __tablename__ = "commission_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[CommissionRole] = mapped_column(
        enum_column(CommissionRole, "commission_role"), default=CommissionRole.MEMBER
    )
    voting: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User", lazy="joined")

    __table_args__ = (
        UniqueConstraint("competition_id", "email"),
        UniqueConstraint("competition_id", "user_id"),
    )

    @property
    def is_pending(self) -> bool:
        return self.user_id is None

    @property
    def is_chair(self) -> bool:
        return self.role == CommissionRole.CHAIR


class ConflictGround(enum.StrEnum):
    """The usual grounds (GLOSSARY: older operator rules), and "other" with a reason."""

    MEMBER_OR_FOUNDER = "member_or_founder"
    HEAD_OR_BOARD = "head_or_board"
    PAID_LAST_YEAR = "paid_last_year"
    RELATIVE = "relative"
    OTHER = "other"


class ConflictDeclaration(db.Model):
    __tablename__ = "conflict_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("commission_members.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    conflict: Mapped[bool] = mapped_column(Boolean)
    ground: Mapped[ConflictGround | None] = mapped_column(
        enum_column(ConflictGround, "conflict_ground")
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[CommissionMember] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("member_id", "application_id"),
        CheckConstraint("NOT conflict OR ground IS NOT NULL", name="conflict_has_ground"),
    )


class Assignment(db.Model):
    """Who scores what, when the coordinator assigns k members per application."""

    __tablename__ = "reviewer_assignments"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("commission_members.id", ondelete="CASCADE"), primary_key=True
    )
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )


class SheetStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ScoreSheet(db.Model):
    __tablename__ = "score_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("commission_members.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[SheetStatus] = mapped_column(
        enum_column(SheetStatus, "sheet_status"), default=SheetStatus.DRAFT
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[CommissionMember] = relationship(lazy="joined")
    points: Mapped[list[ScorePoint]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (UniqueConstraint("member_id", "application_id"),)

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetStatus.SUBMITTED

    def points_by_criterion(self) -> dict[int, int]:
        return {p.criterion_id: p.points for p in self.points}


class ScorePoint(db.Model):
    __tablename__ = "score_points"

    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("score_sheets.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criteria.id", ondelete="CASCADE"), primary_key=True
    )
    points: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("points >= 0", name="points_not_negative"),)


class Reaction(db.Model):
    """An entry's public reactions (likes) as the coordinator counted them on a day; the
    latest count is the one that scores."""

    __tablename__ = "entry_reactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    counted_on: Mapped[date] = mapped_column(Date)
    likes: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        UniqueConstraint("application_id", "counted_on"),
        CheckConstraint("likes >= 0", name="likes_not_negative"),
    )


class AttendanceMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    ABSENT = "absent"


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), unique=True
    )
    number: Mapped[str] = mapped_column(String(32))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    protocol_locale: Mapped[str | None] = mapped_column(String(5))
    protocol_stored_name: Mapped[str | None] = mapped_column(String(64))
    protocol_sha256: Mapped[str | None] = mapped_column(String(64))

    # loaded when read, not with every load of a commission: one meeting's pages read them (the
    # meeting page, its protocol), the ranking, scoring and lists never do
    attendance: Mapped[list[Attendance]] = relationship(cascade="all, delete-orphan", lazy="select")
    # read by queries that ask for them (the ranking, the winners), never with every load of
    # a commission: a published meeting has a thousand
    decisions: Mapped[list[Decision]] = relationship(cascade="all, delete-orphan", lazy="select")
    addenda: Mapped[list[Addendum]] = relationship(
        cascade="all, delete-orphan", order_by="Addendum.number", lazy="select"
    )
    signed_protocols: Mapped[list[SignedProtocol]] = relationship(
        cascade="all, delete-orphan", order_by="SignedProtocol.locale", lazy="select"
    )

    @hybrid_property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @is_signed.inplace.expression
    @classmethod
    def _is_signed_expression(cls):
        return cls.signed_at.is_not(None)

    def signed_protocol(self, locale: str) -> SignedProtocol | None:
        """The protocol signed in this language (every language is signed at once)."""
        return next((p for p in self.signed_protocols if p.locale == locale), None)

    def mode_of(self, member_id: int) -> AttendanceMode | None:
        for row in self.attendance:
            if row.member_id == member_id:
                return row.mode
        return None


class SignedProtocol(db.Model):
    """The signed protocol in one language: built once at signing, stored with its SHA-256."""

    __tablename__ = "signed_protocols"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(5), primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))


class Attendance(db.Model):
    __tablename__ = "meeting_attendance"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("commission_members.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[AttendanceMode] = mapped_column(enum_column(AttendanceMode, "attendance_mode"))


class Outcome(enum.StrEnum):
    AWARD = "award"
    RESERVE = "reserve"
    REJECT = "reject"


class Decision(db.Model):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="RESTRICT"), unique=True
    )
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "decision_outcome"))
    amount: Mapped[int | None] = mapped_column(Integer)  # whole tenge, awards only
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstain: Mapped[int | None] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text, default="")
    tie_break: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    application = relationship("Application", lazy="select")

    __table_args__ = (
        CheckConstraint(
            "(outcome = 'award' AND amount > 0) OR (outcome <> 'award' AND amount IS NULL)",
            name="amount_for_awards",
        ),
        CheckConstraint(
            "(votes_for IS NULL OR votes_for >= 0) AND (votes_against IS NULL OR "
            "votes_against >= 0) AND (votes_abstain IS NULL OR votes_abstain >= 0)",
            name="votes_not_negative",
        ),
    )


class Addendum(db.Model):
    """A correction to a signed protocol: the protocol itself never changes."""

    __tablename__ = "meeting_addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("meeting_id", "number"),)
