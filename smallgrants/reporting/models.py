"""The grant holder's own project and its final report (Appendix 8 to the grant agreement).

A project has tasks («міндет»); a task has activities, each with dates, place, participants
(a total and the three breakdowns of section 4, as grantee events have), results, and
indicators with plan and fact. An activity may be a competition the project ran: then its
indicators' facts (applications, members, grantees…) and its small-grant participants are
computed from the competition's records, never typed (`reporting.queries`).

Everything else in the form — the social and economic effect table, the narrative sections,
partners, proposals, recommendations — is entered here once.
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smallgrants.competitions.models import Competition
from smallgrants.core.models import enum_column
from smallgrants.core.timeutil import utcnow
from smallgrants.core.types import UTCDateTime
from smallgrants.extensions import db
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.grants.models import ParticipantColumns

# The narrative sections of the form, in its order.
TEXT_FIELDS = (
    "goal",
    "results_summary",
    "deviations",
    "goal_achievement",
    "changes",
    "success_stories",
    "long_term_effect",
    "sustainability",
    "socio_economic_effect",
    "partners_analysis",
)


class Project(db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the grant holder whose final report this is: its coordinators compile it
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    organisation: Mapped[str] = mapped_column(String(300))  # the name the report prints
    head_name: Mapped[str] = mapped_column(String(200), default="")
    legal_address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    title: Mapped[str] = mapped_column(String(300))
    direction: Mapped[str] = mapped_column(String(300), default="")
    agreement_number: Mapped[str] = mapped_column(String(32), default="")
    agreement_date: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    grant_sum: Mapped[int] = mapped_column(Integer, default=0)  # whole tenge
    goal: Mapped[str] = mapped_column(Text, default="")
    results_summary: Mapped[str] = mapped_column(Text, default="")
    deviations: Mapped[str] = mapped_column(Text, default="")
    goal_achievement: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[str] = mapped_column(Text, default="")
    success_stories: Mapped[str] = mapped_column(Text, default="")
    long_term_effect: Mapped[str] = mapped_column(Text, default="")
    sustainability: Mapped[str] = mapped_column(Text, default="")
    socio_economic_effect: Mapped[str] = mapped_column(Text, default="")
    partners_analysis: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    tasks: Mapped[list[ProjectTask]] = relationship(
        back_populates="project",
        cascade="all, delete-orphan",
        order_by="ProjectTask.position",
        lazy="selectin",
    )
    effects: Mapped[list[EffectRow]] = relationship(
        cascade="all, delete-orphan", order_by="EffectRow.position", lazy="selectin"
    )
    partners: Mapped[list[Partner]] = relationship(
        cascade="all, delete-orphan", order_by="Partner.position", lazy="selectin"
    )
    proposals: Mapped[list[Proposal]] = relationship(
        cascade="all, delete-orphan", order_by="Proposal.position", lazy="selectin"
    )
    recommendations: Mapped[list[Recommendation]] = relationship(
        cascade="all, delete-orphan", order_by="Recommendation.position", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint("grant_sum >= 0", name="grant_sum_not_negative"),
        CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on", name="period_order"
        ),
    )

    @property
    def activities(self) -> list[ProjectActivity]:
        return [a for t in self.tasks for a in t.activities]


class TaskKind(enum.StrEnum):
    TASK = "task"  # «N міндет», numbered
    CONTRACTUAL = "contractual"  # a block the agreement requires (final presentation…)


class ProjectTask(db.Model):
    __tablename__ = "project_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[TaskKind] = mapped_column(
        enum_column(TaskKind, "task_kind"), default=TaskKind.TASK
    )
    title: Mapped[str] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="tasks")
    activities: Mapped[list[ProjectActivity]] = relationship(
        back_populates="task",
        cascade="all, delete-orphan",
        order_by="ProjectActivity.position",
        lazy="selectin",
    )


def _activity_checks() -> tuple:
    # Unlike grantee events, a breakdown may be recorded as a source document gives it
    # (`as_given`); the reconciliation then names it. Negative counts are never allowed.
    not_negative = " AND ".join(f"{c} >= 0" for c in ALL_COLUMNS)
    return (
        CheckConstraint(not_negative, name="participants_not_negative"),
        CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on", name="dates_order"
        ),
    )


class ProjectActivity(ParticipantColumns, db.Model):
    """One row of section 1. `counted`: its participants are the project's direct
    beneficiaries (section 4); a working group or a media campaign's reach is not."""

    __tablename__ = "project_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("project_tasks.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    competition_id: Mapped[int | None] = mapped_column(
        ForeignKey("competitions.id", ondelete="RESTRICT"), unique=True
    )
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(Text, default="")
    participants_note: Mapped[str] = mapped_column(Text, default="")  # "students learned…"
    results: Mapped[str] = mapped_column(Text, default="")  # short-term results
    effectiveness: Mapped[str] = mapped_column(Text, default="")
    counted: Mapped[bool] = mapped_column(Boolean, default=True)
    as_given: Mapped[bool] = mapped_column(Boolean, default=False)

    task: Mapped[ProjectTask] = relationship(back_populates="activities")
    competition: Mapped[Competition | None] = relationship(lazy="joined")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="Indicator.position",
        lazy="selectin",
    )

    __table_args__ = _activity_checks()

    def display_title(self, locale: str) -> str:
        """Its own title, or its competition's in `locale` when it has none."""
        if self.title or self.competition is None:
            return self.title
        return self.competition.title(locale)


class IndicatorSource(enum.StrEnum):
    """Where a competition activity's indicator takes its fact from."""

    RULES = "rules"
    ANNOUNCEMENT = "announcement"
    OUTREACH = "outreach"  # public questions answered
    APPLICATIONS = "applications"
    APPROVAL_PROTOCOL = "approval_protocol"
    MEMBERS = "members"
    MEETING_PROTOCOL = "meeting_protocol"
    GRANTEES = "grantees"
    MONITORING_REPORT = "monitoring_report"
    PRIZES = "prizes"  # a contest: prizes paid to its winners


class Indicator(db.Model):
    """A quantitative indicator of an activity: plan ("at least" or exact) and fact. A fact
    below plan needs a justification. A computed indicator (`source`) has no typed fact."""

    __tablename__ = "project_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("project_activities.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[IndicatorSource | None] = mapped_column(
        enum_column(IndicatorSource, "indicator_source")
    )
    plan: Mapped[int | None] = mapped_column(Integer)
    plan_at_least: Mapped[bool] = mapped_column(Boolean, default=False)
    fact: Mapped[int | None] = mapped_column(Integer)
    justification: Mapped[str] = mapped_column(Text, default="")

    activity: Mapped[ProjectActivity] = relationship(back_populates="indicators")

    __table_args__ = (
        CheckConstraint("plan IS NULL OR plan >= 0", name="plan_not_negative"),
        CheckConstraint("fact IS NULL OR fact >= 0", name="fact_not_negative"),
        CheckConstraint("source IS NULL OR fact IS NULL", name="computed_fact_not_typed"),
    )


class EffectKey(enum.StrEnum):
    """The rows of the social and economic effect table, in the form's order."""

    DIRECT = "direct"
    DIRECT_VULNERABLE = "direct_vulnerable"
    INDIRECT = "indirect"
    STAFF = "staff"
    SPECIALISTS = "specialists"
    SPECIALISTS_VULNERABLE = "specialists_vulnerable"
    NGOS = "ngos"
    PAYROLL = "payroll"
    TAXES = "taxes"
    PURCHASES = "purchases"
    PARTNERS = "partners"


class EffectRow(db.Model):
    """Plan and fact of one effect indicator. The direct beneficiaries' fact is the
    project's own count (the small grants' participants are computed beside it); the
    partners' fact is the partners table's length, so it has no typed fact."""

    __tablename__ = "project_effects"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[EffectKey] = mapped_column(enum_column(EffectKey, "effect_key"))
    plan: Mapped[int | None] = mapped_column(Integer)
    fact: Mapped[int | None] = mapped_column(Integer)
    justification: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("project_id", "key"),
        CheckConstraint("plan IS NULL OR plan >= 0", name="plan_not_negative"),
        CheckConstraint("fact IS NULL OR fact >= 0", name="fact_not_negative"),
    )


class Partner(db.Model):
    __tablename__ = "project_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Proposal(db.Model):
    """A future project that could continue this one."""

    __tablename__ = "project_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    sphere: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[int | None] = mapped_column(Integer)  # whole tenge
    grant_type: Mapped[str] = mapped_column(String(100), default="")
    expected_results: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),)


class Recommendation(db.Model):
    """A practical recommendation to a state body, and the letter it was sent with."""

    __tablename__ = "project_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(Text, default="")
    letter: Mapped[str] = mapped_column(String(200), default="")
