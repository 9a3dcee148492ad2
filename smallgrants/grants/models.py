"""Grants made from a signed protocol's awards, their agreements, tranches and payments, the
grantees' monitoring reports (events, publications, expenses, files) with every submitted
version kept, and the coordinator's monitoring visits.

A grant's amount is its award (`Decision.amount`) — read through the decision, never copied.
Participants are counted only in `grant_events`' columns; every total is a SQL sum of them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smallgrants.core.models import enum_column
from smallgrants.core.timeutil import utcnow
from smallgrants.core.types import UTCDateTime
from smallgrants.extensions import db
from smallgrants.grants.breakdowns import ALL_COLUMNS, BREAKDOWNS, check_sql


class GrantTerms(db.Model):
    """What every agreement of a competition shares: the grantor, the place of signing, the
    default implementation period and the reporting duties."""

    __tablename__ = "grant_terms"

    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    grantor_name: Mapped[str] = mapped_column(String(300), default="")
    grantor_head: Mapped[str] = mapped_column(String(200), default="")
    grantor_bin: Mapped[str] = mapped_column(String(12), default="")
    grantor_address: Mapped[str] = mapped_column(String(500), default="")
    signing_place: Mapped[str] = mapped_column(String(200), default="")
    agreement_prefix: Mapped[str] = mapped_column(String(16), default="ШГ")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    duties_kk: Mapped[str] = mapped_column(Text, default="")
    duties_ru: Mapped[str] = mapped_column(Text, default="")

    tranches: Mapped[list[Tranche]] = relationship(
        primaryjoin="GrantTerms.competition_id == foreign(Tranche.competition_id)",
        order_by="Tranche.position",
        lazy="selectin",
        viewonly=True,
    )
    periods: Mapped[list[ReportPeriod]] = relationship(
        primaryjoin="GrantTerms.competition_id == foreign(ReportPeriod.competition_id)",
        order_by="ReportPeriod.position",
        lazy="selectin",
        viewonly=True,
    )

    __table_args__ = (
        CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on", name="period_order"
        ),
    )

    def duties(self, locale: str) -> str:
        return (self.duties_ru if locale == "ru" else self.duties_kk) or self.duties_kk


class TrancheCondition(enum.StrEnum):
    ON_AGREEMENT = "on_agreement"  # once the agreement is signed
    INTERIM_ACCEPTED = "interim_accepted"  # against an accepted interim report
    FINAL_ACCEPTED = "final_accepted"  # against the accepted final report


class Tranche(db.Model):
    """One payment of the competition's schedule: a share of each award and its condition."""

    __tablename__ = "tranches"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    percent: Mapped[int] = mapped_column(Integer)
    condition: Mapped[TrancheCondition] = mapped_column(
        enum_column(TrancheCondition, "tranche_condition"), default=TrancheCondition.ON_AGREEMENT
    )

    __table_args__ = (
        UniqueConstraint("competition_id", "position"),
        CheckConstraint("percent BETWEEN 1 AND 100", name="percent_range"),
    )


class PeriodKind(enum.StrEnum):
    INTERIM = "interim"
    FINAL = "final"


class ReportPeriod(db.Model):
    __tablename__ = "report_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[PeriodKind] = mapped_column(enum_column(PeriodKind, "period_kind"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("competition_id", "position"),)


class GrantStatus(enum.StrEnum):
    ACTIVE = "active"
    REPORTING = "reporting"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class Grant(db.Model):
    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="RESTRICT"), index=True
    )
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="RESTRICT"), unique=True
    )
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="RESTRICT"), unique=True
    )
    agreement_number: Mapped[str] = mapped_column(String(32))
    agreement_date: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[GrantStatus] = mapped_column(
        enum_column(GrantStatus, "grant_status"), default=GrantStatus.ACTIVE
    )
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    application = relationship("Application", lazy="joined")
    decision = relationship("Decision", lazy="joined")
    competition = relationship("Competition", lazy="joined")

    __table_args__ = (
        UniqueConstraint("competition_id", "agreement_number"),
        CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on", name="period_order"
        ),
        CheckConstraint(
            "status <> 'terminated' OR status_reason <> ''", name="termination_has_reason"
        ),
    )

    @property
    def amount(self) -> int:
        return self.decision.amount

    @property
    def grantee_id(self) -> int:
        return self.application.applicant_id

    @property
    def grantee_name(self) -> str:
        return self.application.profile.name

    @property
    def is_open(self) -> bool:
        """Reports may be written and payments made."""
        return self.status in (GrantStatus.ACTIVE, GrantStatus.REPORTING)


class PrizePayment(db.Model):
    """The one payment of a prize to its winner (a contest with prizes has no agreement,
    tranches or reports): the whole prize, once, under a unique decision."""

    __tablename__ = "prize_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="RESTRICT"), unique=True
    )
    amount: Mapped[int] = mapped_column(Integer)  # whole tenge: the decision's amount
    paid_on: Mapped[date] = mapped_column(Date)
    document_number: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)


class Payment(db.Model):
    __tablename__ = "grant_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="RESTRICT"), index=True)
    tranche_position: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)  # whole tenge
    document_number: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class Report(db.Model):
    """A grantee's report for one period. What the coordinator reviewed is kept, frozen, in
    `ReportVersion`; this row is the working copy."""

    __tablename__ = "grant_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("report_periods.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus, "report_status"), default=ReportStatus.DRAFT
    )
    results: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    success_story: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)  # submissions so far
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_comment: Mapped[str] = mapped_column(Text, default="")

    grant: Mapped[Grant] = relationship(lazy="joined")
    period: Mapped[ReportPeriod] = relationship(lazy="joined")
    events: Mapped[list[Event]] = relationship(
        cascade="all, delete-orphan", order_by="Event.position", lazy="selectin"
    )
    publications: Mapped[list[Publication]] = relationship(
        cascade="all, delete-orphan", order_by="Publication.id", lazy="selectin"
    )
    expenses: Mapped[list[Expense]] = relationship(
        cascade="all, delete-orphan", order_by="Expense.spent_on, Expense.id", lazy="selectin"
    )
    versions: Mapped[list[ReportVersion]] = relationship(
        cascade="all, delete-orphan", order_by="ReportVersion.number", lazy="selectin"
    )
    files: Mapped[list[GrantFile]] = relationship(
        primaryjoin="Report.id == foreign(GrantFile.report_id)",
        order_by="GrantFile.id",
        lazy="selectin",
        viewonly=True,
    )

    __table_args__ = (UniqueConstraint("grant_id", "period_id"),)

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and self.grant.is_open


class ReportVersion(db.Model):
    """A submitted report, frozen as JSON, with what the review said of it."""

    __tablename__ = "grant_report_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[ReportStatus | None] = mapped_column(
        enum_column(ReportStatus, "version_outcome")
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("report_id", "number"),)


class EventFormat(enum.StrEnum):
    OFFLINE = "offline"
    ONLINE = "online"


class ParticipantColumns:
    """A total and its three breakdowns (`breakdowns.ALL_COLUMNS`) as integer columns: the
    grantee's events and the grant holder's own activities count people the same way."""

    total: Mapped[int] = mapped_column(Integer, default=0)
    men: Mapped[int] = mapped_column(Integer, default=0)
    women: Mapped[int] = mapped_column(Integer, default=0)
    gender_unspecified: Mapped[int] = mapped_column(Integer, default=0)
    s_children: Mapped[int] = mapped_column(Integer, default=0)
    s_youth: Mapped[int] = mapped_column(Integer, default=0)
    s_civil_servants: Mapped[int] = mapped_column(Integer, default=0)
    s_budget_employees: Mapped[int] = mapped_column(Integer, default=0)
    s_disabled: Mapped[int] = mapped_column(Integer, default=0)
    s_elderly: Mapped[int] = mapped_column(Integer, default=0)
    s_unemployed: Mapped[int] = mapped_column(Integer, default=0)
    s_ngo: Mapped[int] = mapped_column(Integer, default=0)
    s_business: Mapped[int] = mapped_column(Integer, default=0)
    s_other: Mapped[int] = mapped_column(Integer, default=0)
    social_unspecified: Mapped[int] = mapped_column(Integer, default=0)
    a_13_16: Mapped[int] = mapped_column(Integer, default=0)
    a_17_22: Mapped[int] = mapped_column(Integer, default=0)
    a_23_27: Mapped[int] = mapped_column(Integer, default=0)
    a_28_32: Mapped[int] = mapped_column(Integer, default=0)
    a_33_45: Mapped[int] = mapped_column(Integer, default=0)
    a_46_58: Mapped[int] = mapped_column(Integer, default=0)
    a_59_plus: Mapped[int] = mapped_column(Integer, default=0)
    age_unspecified: Mapped[int] = mapped_column(Integer, default=0)

    def counts(self) -> dict[str, int]:
        return {column: getattr(self, column) for column in ALL_COLUMNS}


def _event_checks() -> tuple:
    not_negative = " AND ".join(f"{c} >= 0" for c in ALL_COLUMNS)
    return (
        CheckConstraint(not_negative, name="participants_not_negative"),
        *(CheckConstraint(check_sql(b), name=f"{b.key}_sums_to_total") for b in BREAKDOWNS),
    )


class Event(ParticipantColumns, db.Model):
    """An event of a grantee and who came: the total and three partitions of it. The
    database refuses a row whose breakdowns do not sum to its total."""

    __tablename__ = "grant_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[date] = mapped_column(Date)
    district_code: Mapped[str] = mapped_column(String(32), default="")
    settlement: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[EventFormat] = mapped_column(
        enum_column(EventFormat, "event_format"), default=EventFormat.OFFLINE
    )
    description: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = _event_checks()


class Publication(db.Model):
    __tablename__ = "grant_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    media_name: Mapped[str] = mapped_column(String(200), default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    reach: Mapped[int | None] = mapped_column(Integer)  # views / reach, when known

    __table_args__ = (CheckConstraint("reach IS NULL OR reach >= 0", name="reach_not_negative"),)


class FilePurpose(enum.StrEnum):
    PHOTO = "photo"
    EVIDENCE = "evidence"
    RECEIPT = "receipt"
    VISIT = "visit"


class GrantFile(db.Model):
    """A photo, an evidence file, a scanned receipt or a visit photo; stored like an
    application's attachments (kind from content, random name, SHA-256)."""

    __tablename__ = "grant_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True
    )
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitoring_visits.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[FilePurpose] = mapped_column(enum_column(FilePurpose, "file_purpose"))
    caption: Mapped[str] = mapped_column(String(300), default="")
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

    @property
    def is_image(self) -> bool:
        return self.kind in ("png", "jpg")


class Expense(db.Model):
    __tablename__ = "grant_expenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True
    )
    budget_line_id: Mapped[int] = mapped_column(
        ForeignKey("budget_lines.id", ondelete="RESTRICT"), index=True
    )
    spent_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(String(200))
    receipt_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant_files.id", ondelete="SET NULL")
    )

    budget_line = relationship("BudgetLine", lazy="joined")
    receipt: Mapped[GrantFile | None] = relationship(lazy="joined")

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)


class MonitoringVisit(db.Model):
    __tablename__ = "monitoring_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    visitors: Mapped[str] = mapped_column(String(300))
    findings: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    photos: Mapped[list[GrantFile]] = relationship(
        primaryjoin="MonitoringVisit.id == foreign(GrantFile.visit_id)",
        order_by="GrantFile.id",
        lazy="selectin",
        viewonly=True,
    )


class ReminderKind(enum.StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class ReportReminder(db.Model):
    """One reminder of each kind per report: the log that keeps the cron from repeating."""

    __tablename__ = "report_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind, "reminder_kind"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )

    __table_args__ = (UniqueConstraint("report_id", "kind"),)
