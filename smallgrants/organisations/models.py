"""An organisation (a grant holder) and who coordinates for it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smallgrants.core.timeutil import utcnow
from smallgrants.core.types import UTCDateTime
from smallgrants.extensions import db

SHORT_NAME_PATTERN = "^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$"  # its address: /o/<short name>


class Organisation(db.Model):
    """A grant holder: an NGO that runs its own competitions under a grant agreement."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    short_name: Mapped[str] = mapped_column(String(40), unique=True)
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300), default="")
    bin: Mapped[str] = mapped_column(String(12), default="")  # checked by the form
    head_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    region_code: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        CheckConstraint("short_name = lower(short_name)", name="short_name_lowercase"),
    )

    def name(self, locale: str) -> str:
        return (self.name_ru if locale == "ru" else "") or self.name_kk

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.short_name}>"


class OrganisationMember(db.Model):
    """A coordinator works for an organisation (one person may work for several)."""

    __tablename__ = "organisation_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)


class Programme(db.Model):
    """A regranting programme: several grant holders run small grants under it (for example
    «Birgemiz 2024», 8 holders). Its operators read every holder's figures, change nothing."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300), default="")
    starts_year: Mapped[int] = mapped_column()
    ends_year: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        CheckConstraint(
            "starts_year BETWEEN 2000 AND 2100 AND ends_year BETWEEN starts_year AND 2100",
            name="years_in_order",
        ),
    )

    def name(self, locale: str) -> str:
        return (self.name_ru if locale == "ru" else "") or self.name_kk

    def __repr__(self) -> str:
        return f"<Programme {self.id}>"


class ProgrammeHolder(db.Model):
    """A grant holder of the programme (an organisation may be in several programmes)."""

    __tablename__ = "programme_holders"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = (UniqueConstraint("programme_id", "organisation_id"),)


class ProgrammeOperator(db.Model):
    """A person of the programme's operator: reads the programme's roll-up."""

    __tablename__ = "programme_operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("programme_id", "user_id"),)
