"""Read side: public lists by phase (in SQL, against the clock), the coordinator's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from smallgrants.competitions.models import Competition, CompetitionStatus
from smallgrants.extensions import db


@dataclass
class PublicListing:
    open: list[Competition]
    upcoming: list[Competition]
    past: list[Competition]


def public_listing(now: datetime) -> PublicListing:
    published = select(Competition).where(Competition.status == CompetitionStatus.PUBLISHED)
    return PublicListing(
        open=list(
            db.session.scalars(
                published.where(Competition.opens_at <= now, Competition.closes_at >= now).order_by(
                    Competition.closes_at
                )
            )
        ),
        upcoming=list(
            db.session.scalars(
                published.where(Competition.opens_at > now).order_by(Competition.opens_at)
            )
        ),
        past=list(
            db.session.scalars(
                published.where(Competition.closes_at < now).order_by(Competition.closes_at.desc())
            )
        ),
    )


def all_competitions() -> list[Competition]:
    return list(
        db.session.scalars(
            select(Competition).order_by(Competition.opens_at.desc(), Competition.id.desc())
        )
    )
