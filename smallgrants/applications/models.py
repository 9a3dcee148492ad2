"""Applicant profiles, applications and their rows (activities, budget, expected results)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    cast,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smallgrants.core.models import enum_column
from smallgrants.core.timeutil import utcnow
from smallgrants.core.types import UTCDateTime
from smallgrants.extensions import db


class ApplicantKind(enum.StrEnum):
    NGO = "ngo"
    GROUP = "group"  # initiative group: citizens without a legal entity
    INDIVIDUAL = "individual"  # a person entering as themselves (contests)


# who is identified by a person's IIN (`leader_iin`): the group's leader, or the person
BY_IIN = frozenset({ApplicantKind.GROUP, ApplicantKind.INDIVIDUAL})


class ApplicantProfile(db.Model):
    """Who applies: an NGO (with a BIN), an initiative group (its leader's IIN) or a person
    entering as themselves (their own IIN in `leader_iin`, their full name in `name`)."""

    __tablename__ = "applicant_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ApplicantKind] = mapped_column(enum_column(ApplicantKind, "applicant_kind"))
    name: Mapped[str] = mapped_column(String(300))
    bin: Mapped[str | None] = mapped_column(String(12))
    leader_iin: Mapped[str | None] = mapped_column(String(12))
    head_name: Mapped[str] = mapped_column(String(200), default="")
    legal_address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    members: Mapped[list[GroupMember]] = relationship(
        cascade="all, delete-orphan", order_by="GroupMember.position", lazy="select"
    )

    __table_args__ = (
        CheckConstraint(
            "(kind = 'ngo' AND bin IS NOT NULL) OR "
            "(kind IN ('group', 'individual') AND leader_iin IS NOT NULL)",
            name="identifier_for_kind",
        ),
    )

    @property
    def identity_key(self) -> str:
        """What makes two applications to one competition "the same applicant"."""
        return f"bin:{self.bin}" if self.kind == ApplicantKind.NGO else f"iin:{self.leader_iin}"


class GroupMember(db.Model):
    __tablename__ = "group_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("applicant_profiles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(16))
    # optional; a member of the group seated on a commission is conflicted on its application
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ADMISSIBLE = "admissible"
    INADMISSIBLE = "inadmissible"


class Application(db.Model):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="RESTRICT"), index=True
    )
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("applicant_profiles.id", ondelete="RESTRICT"), index=True
    )
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "application_status"), default=ApplicationStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    district_code: Mapped[str] = mapped_column(String(32), default="")
    settlement: Mapped[str] = mapped_column(String(200), default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(Text, default="")
    planned_participants: Mapped[int | None] = mapped_column(Integer)
    video_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    sustainability: Mapped[str] = mapped_column(Text, default="")

    team: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Set on submission and kept for good (a withdrawn number is not reused: no gaps).
    seq: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(32))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "bin:…"/"iin:…" while the application is in the competition; NULL as a draft or
    # after withdrawal, so one applicant holds at most one live application per competition.
    identity_key: Mapped[str | None] = mapped_column(String(20))
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    screening_reason: Mapped[str | None] = mapped_column(Text)

    # the rows of one application, loaded when its page or document reads them: a list of
    # applications (a registry, a ranking, a ledger) never pays for them
    activities: Mapped[list[ActivityRow]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityRow.position", lazy="select"
    )
    budget: Mapped[list[BudgetLine]] = relationship(
        cascade="all, delete-orphan", order_by="BudgetLine.position", lazy="select"
    )
    results: Mapped[list[ResultRow]] = relationship(
        cascade="all, delete-orphan", order_by="ResultRow.position", lazy="select"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        cascade="all, delete-orphan", order_by="Attachment.id", lazy="select"
    )
    profile: Mapped[ApplicantProfile] = relationship(lazy="joined")
    applicant = relationship("User", lazy="select")
    competition = relationship("Competition", lazy="joined")

    __table_args__ = (
        UniqueConstraint("competition_id", "seq"),
        UniqueConstraint("competition_id", "number"),
        UniqueConstraint("competition_id", "identity_key"),
        # "submitted, not screened yet" across every competition (the coordinator's start
        # page) without reading the whole table
        Index("ix_applications_status_competition_id", "status", "competition_id"),
        CheckConstraint(
            "planned_participants IS NULL OR planned_participants >= 0",
            name="participants_not_negative",
        ),
    )


class ActivityRow(db.Model):
    __tablename__ = "application_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(String(500))
    dates: Mapped[str] = mapped_column(String(100), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    planned_participants: Mapped[int | None] = mapped_column(Integer)


class BudgetLine(db.Model):
    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(50), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[int] = mapped_column(Integer)  # whole tenge

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_cost >= 0", name="unit_cost_not_negative"),
    )

    @hybrid_property
    def total(self) -> int:
        return self.quantity * self.unit_cost

    @total.inplace.expression
    @classmethod
    def _total_expression(cls):
        """In SQL, in 64 bits: two 32-bit columns multiply past 2 147 483 647 (PostgreSQL
        would refuse the integer, SQLite would not)."""
        return cast(cls.quantity, BigInteger) * cls.unit_cost


class ResultRow(db.Model):
    __tablename__ = "application_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(500))
    indicator: Mapped[str] = mapped_column(String(300), default="")
    planned_value: Mapped[str] = mapped_column(String(100), default="")


class Attachment(db.Model):
    """A file attached to an application, answering a checklist item (or none: "other")."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    checklist_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("checklist_items.id", ondelete="SET NULL")
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        CheckConstraint("kind IN ('pdf', 'png', 'jpg', 'docx', 'xlsx')", name="kind_allowed"),
        CheckConstraint("size > 0", name="size_positive"),
    )
