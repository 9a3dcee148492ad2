"""A competition, its scoring criteria, its attachment checklist and eligible districts."""

from __future__ import annotations

import enum
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smallgrants.core import geography
from smallgrants.core.models import enum_column
from smallgrants.core.timeutil import past_deadline, utcnow, within_deadline
from smallgrants.core.types import UTCDateTime
from smallgrants.extensions import db


class BilingualTitle:
    """`title_kk` always, `title_ru` when given: shown in the reader's language."""

    def title(self, locale: str) -> str:
        return (self.title_ru if locale == "ru" else "") or self.title_kk


class CompetitionStatus(enum.StrEnum):
    """Stored states. Whether a published competition is upcoming, open or closed follows
    from its window and the clock (see `Competition.phase`), so it is never stored."""

    DRAFT = "draft"
    PUBLISHED = "published"


class EntryKind(enum.StrEnum):
    """What an entry is: a project with plan and budget, or a link to a video (contests)."""

    PROJECT = "project"
    VIDEO = "video"


class AwardKind(enum.StrEnum):
    """What the winners receive: a grant (agreement, tranches, grantee reports) or a prize
    (one payment per winner, no agreement or reports)."""

    GRANT = "grant"
    PRIZE = "prize"


# where a contest's video links may lead unless the competition names its own sites
DEFAULT_VIDEO_HOSTS = "youtube.com youtu.be instagram.com tiktok.com facebook.com fb.watch"


def host_allowed(url: str, hosts: list[str]) -> bool:
    """An https link whose host is one of `hosts` or under one (www.youtube.com, m.tiktok.com)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in hosts)


class Phase(enum.StrEnum):
    DRAFT = "draft"
    UPCOMING = "upcoming"  # published, window not yet open
    OPEN = "open"
    CLOSED = "closed"


class Competition(BilingualTitle, db.Model):
    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the grant holder that runs it: its coordinators manage it (`organisations.policies`)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[CompetitionStatus] = mapped_column(
        enum_column(CompetitionStatus, "competition_status"), default=CompetitionStatus.DRAFT
    )
    title_kk: Mapped[str] = mapped_column(String(300))
    title_ru: Mapped[str] = mapped_column(String(300), default="")
    description_kk: Mapped[str] = mapped_column(Text, default="")
    description_ru: Mapped[str] = mapped_column(Text, default="")
    direction_kk: Mapped[str] = mapped_column(String(300), default="")
    direction_ru: Mapped[str] = mapped_column(String(300), default="")
    award_kind: Mapped[AwardKind] = mapped_column(
        enum_column(AwardKind, "award_kind"),
        default=AwardKind.GRANT,
        server_default=AwardKind.GRANT.value,
    )
    entry_kind: Mapped[EntryKind] = mapped_column(
        enum_column(EntryKind, "entry_kind"),
        default=EntryKind.PROJECT,
        server_default=EntryKind.PROJECT.value,
    )
    region_code: Mapped[str] = mapped_column(String(8))
    video_hosts: Mapped[str] = mapped_column(
        String(500), default=DEFAULT_VIDEO_HOSTS, server_default=DEFAULT_VIDEO_HOSTS
    )

    grant_amount: Mapped[int] = mapped_column(Integer)  # whole tenge
    grant_count: Mapped[int] = mapped_column(Integer)
    accepts_ngo: Mapped[bool] = mapped_column(Boolean, default=True)
    accepts_group: Mapped[bool] = mapped_column(Boolean, default=True)
    accepts_individual: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # a contest may count its entries' public reactions (likes), recorded by the coordinator;
    # `reaction_weight` percent of the final score then comes from them (0: shown, not scored)
    counts_reactions: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reaction_weight: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # the age an individual entrant must have on the closing day (from their IIN), if any
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    min_group_members: Mapped[int] = mapped_column(Integer, default=3)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rules_kk: Mapped[str] = mapped_column(Text, default="")
    rules_ru: Mapped[str] = mapped_column(Text, default="")
    rules_file_name: Mapped[str | None] = mapped_column(String(255))
    rules_stored_name: Mapped[str | None] = mapped_column(String(64))
    rules_kind: Mapped[str | None] = mapped_column(String(8))
    rules_sha256: Mapped[str | None] = mapped_column(String(64))
    number_prefix: Mapped[str] = mapped_column(String(12), default="SG")

    # The last registration number handed out; raised atomically on each submission.
    last_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # the grant holder, named on the public cards (loaded with them: `queries.LISTED`)
    organisation = relationship("Organisation", lazy="select")
    # read by the pages of one competition (its form, announcement, scoring), loaded when
    # they ask: a list, a report of a hundred competitions never pays for them
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="competition",
        cascade="all, delete-orphan",
        order_by="Criterion.position",
        lazy="select",
    )
    checklist: Mapped[list[ChecklistItem]] = relationship(
        back_populates="competition",
        cascade="all, delete-orphan",
        order_by="ChecklistItem.position",
        lazy="select",
    )
    district_rows: Mapped[list[CompetitionDistrict]] = relationship(
        cascade="all, delete-orphan", lazy="select"
    )
    # prizes that differ by place (1st, 2nd, …); none: grant_count equal awards of grant_amount
    prize_places: Mapped[list[PrizePlace]] = relationship(
        cascade="all, delete-orphan", order_by="PrizePlace.place", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint("grant_amount > 0", name="grant_amount_positive"),
        CheckConstraint("grant_count > 0", name="grant_count_positive"),
        CheckConstraint("closes_at > opens_at", name="window_ordered"),
        CheckConstraint(
            "accepts_ngo OR accepts_group OR accepts_individual", name="accepts_someone"
        ),
        CheckConstraint("reaction_weight BETWEEN 0 AND 100", name="reaction_weight_range"),
        CheckConstraint(
            "(min_age IS NULL OR min_age >= 0) AND (max_age IS NULL OR max_age <= 150) AND "
            "(min_age IS NULL OR max_age IS NULL OR min_age <= max_age)",
            name="age_range",
        ),
        CheckConstraint("min_group_members >= 1", name="min_group_members_positive"),
    )

    @property
    def pool(self) -> int:
        """What may be awarded in all: the prizes by place when the competition has them,
        otherwise the number of awards times their amount."""
        if self.prize_places:
            return sum(p.amount for p in self.prize_places)
        return self.grant_amount * self.grant_count

    @property
    def awards_prizes(self) -> bool:
        return self.award_kind == AwardKind.PRIZE

    @property
    def place_amounts(self) -> list[int]:
        """The prize of each place, 1st first; empty when every award is `grant_amount`."""
        return [p.amount for p in self.prize_places]

    def accepts(self, applicant_kind: str) -> bool:
        """Whether NGOs ("ngo"), initiative groups ("group") or individuals ("individual")
        may apply."""
        return bool(getattr(self, f"accepts_{applicant_kind}", False))

    @property
    def takes_videos(self) -> bool:
        """Entries are links to videos (a video contest), not projects with plan and budget."""
        return self.entry_kind == EntryKind.VIDEO

    @property
    def video_host_list(self) -> list[str]:
        return self.video_hosts.split()

    def allows_video(self, url: str) -> bool:
        """Whether a video entry's link leads to one of the competition's sites."""
        return host_allowed(url, self.video_host_list)

    @property
    def has_age_range(self) -> bool:
        return self.min_age is not None or self.max_age is not None

    @property
    def district_codes(self) -> list[str]:
        return [row.district_code for row in self.district_rows]

    @property
    def eligible_districts(self) -> list[geography.Place]:
        """Where applicants may work: the districts the competition names, or its whole
        region when it names none. The one list the form offers and the service checks."""
        districts = geography.districts_of(self.region_code)
        chosen = set(self.district_codes)
        return [d for d in districts if d.code in chosen] if chosen else districts

    def phase_at(self, moment: datetime) -> Phase:
        if self.status == CompetitionStatus.DRAFT:
            return Phase.DRAFT
        if moment < self.opens_at:
            return Phase.UPCOMING
        if within_deadline(self.closes_at, moment):
            return Phase.OPEN
        return Phase.CLOSED

    def next_phase_change(self, moment: datetime) -> datetime | None:
        """The first moment after `moment` at which `phase_at` gives another phase (it
        opens; its deadline's last second has passed); None when it never will."""
        if self.status == CompetitionStatus.DRAFT:
            return None
        if moment < self.opens_at:
            return self.opens_at
        if within_deadline(self.closes_at, moment):
            return past_deadline(self.closes_at)
        return None

    @property
    def phase(self) -> Phase:
        return self.phase_at(utcnow())

    def text(self, field: str, locale: str) -> str:
        """A kk/ru text in the reader's language, Kazakh when no Russian is given."""
        ru = getattr(self, f"{field}_ru") if locale == "ru" else ""
        return ru or getattr(self, f"{field}_kk")


class Criterion(BilingualTitle, db.Model):
    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title_kk: Mapped[str] = mapped_column(String(300))
    title_ru: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    max_points: Mapped[int] = mapped_column(Integer)
    weight: Mapped[int] = mapped_column(Integer, default=1)

    competition: Mapped[Competition] = relationship(back_populates="criteria")

    __table_args__ = (
        CheckConstraint("max_points > 0", name="max_points_positive"),
        CheckConstraint("weight > 0", name="weight_positive"),
        UniqueConstraint("competition_id", "position"),
    )


class ChecklistItem(BilingualTitle, db.Model):
    """A document the application must (or may) carry, e.g. the charter or a budget."""

    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title_kk: Mapped[str] = mapped_column(String(300))
    title_ru: Mapped[str] = mapped_column(String(300), default="")
    required: Mapped[bool] = mapped_column(Boolean, default=True)

    competition: Mapped[Competition] = relationship(back_populates="checklist")

    __table_args__ = (UniqueConstraint("competition_id", "position"),)


class PrizePlace(db.Model):
    """The prize for one place of a contest whose prizes differ by place."""

    __tablename__ = "prize_places"

    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    place: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[int] = mapped_column(Integer)  # whole tenge

    __table_args__ = (
        CheckConstraint("place > 0", name="place_positive"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )


class CompetitionDistrict(db.Model):
    __tablename__ = "competition_districts"

    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    district_code: Mapped[str] = mapped_column(String(32), primary_key=True)


class Question(db.Model):
    """A question about a competition; its answer is published on the announcement."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author = relationship("User", foreign_keys=[author_id], lazy="joined")

    @property
    def is_answered(self) -> bool:
        return self.answer is not None


def next_change(competitions, moment: datetime) -> datetime | None:
    """The first moment after `moment` at which one of `competitions` changes phase (what a
    list of them shows is the same until then); None when none ever will."""
    changes = [c.next_phase_change(moment) for c in competitions]
    return min((m for m in changes if m is not None), default=None)
