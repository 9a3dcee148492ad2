"""Read side: public lists by phase (in SQL, against the clock), the coordinator's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from smallgrants.competitions.models import Competition, CompetitionStatus, Question
from smallgrants.core import geography
from smallgrants.core.timeutil import deadline_second
from smallgrants.extensions import db
from smallgrants.organisations.models import Organisation
from smallgrants.organisations.queries import held_by

PAST_PER_PAGE = 20  # a national programme closes hundreds of competitions a year
MANAGE_PER_PAGE = 50

# What a row of a list of competitions shows (the cards, the coordinator's table): no
# descriptions, rules or settings; reading any other column from a listed row raises, so a
# template that needs one more fails its test instead of loading it row by row.
LISTED = (
    load_only(
        Competition.id,
        Competition.status,
        Competition.organisation_id,
        Competition.title_kk,
        Competition.title_ru,
        Competition.award_kind,
        Competition.region_code,
        Competition.grant_amount,
        Competition.grant_count,
        Competition.opens_at,
        Competition.closes_at,
        raiseload=True,
    ),
    joinedload(Competition.organisation).load_only(
        Organisation.short_name, Organisation.name_kk, Organisation.name_ru, raiseload=True
    ),
)


@dataclass(frozen=True)
class PublicFilter:
    """The public list's filters: a region's code, an organisation's short name."""

    region: str = ""
    holder: str = ""

    @classmethod
    def from_args(cls, args) -> PublicFilter:
        region = (args.get("region") or "")[:8]
        holder = (args.get("holder") or "")[:40].lower()
        return cls(region if geography.region(region) else "", holder)

    def conditions(self) -> list:
        found = []
        if self.region:
            found.append(Competition.region_code == self.region)
        if self.holder:
            found.append(
                Competition.organisation_id.in_(
                    select(Organisation.id).where(Organisation.short_name == self.holder)
                )
            )
        return found


@dataclass
class PublicListing:
    open: list[Competition]
    upcoming: list[Competition]
    past: Pagination | None  # a page of them, latest first; None where not shown


def competition_for_page(competition_id: int) -> Competition | None:
    """One competition for a page about it: its prize places (the pool) in the same
    statement."""
    return db.session.get(
        Competition, competition_id, options=[joinedload(Competition.prize_places)]
    )


def public_listing(
    now: datetime, past_page: int | None = 1, only: PublicFilter | None = None
) -> PublicListing:
    """Open and upcoming competitions, and one page of the past ones (`past_page`; None for
    the start page, which does not show them); of a region or a grant holder (`only`)."""
    published = (
        select(Competition)
        .options(*LISTED)
        .where(
            Competition.status == CompetitionStatus.PUBLISHED,
            *(only.conditions() if only else ()),
        )
    )
    second = deadline_second(now)  # a deadline holds through its last second
    return PublicListing(
        open=list(
            db.session.scalars(
                published.where(
                    Competition.opens_at <= now, Competition.closes_at >= second
                ).order_by(Competition.closes_at)
            )
        ),
        upcoming=list(
            db.session.scalars(
                published.where(Competition.opens_at > now).order_by(Competition.opens_at)
            )
        ),
        past=None
        if past_page is None
        else db.paginate(
            published.where(Competition.closes_at < second).order_by(
                Competition.closes_at.desc(), Competition.id.desc()
            ),
            page=past_page,
            per_page=PAST_PER_PAGE,
            error_out=False,
        ),
    )


def all_competitions(organisation_ids: frozenset[int], page: int = 1) -> Pagination:
    """The coordinator's list: their organisations' competitions, latest first, a page at a
    time."""
    return db.paginate(
        select(Competition)
        .options(*LISTED)
        .where(held_by(organisation_ids, Competition.organisation_id))
        .order_by(Competition.opens_at.desc(), Competition.id.desc()),
        page=page,
        per_page=MANAGE_PER_PAGE,
        error_out=False,
    )


@dataclass(frozen=True)
class ReadFilter:
    """The API's filters on the competitions a person reads."""

    organisation_id: int | None = None
    region: str = ""
    status: str = ""


def readable_competitions(own: frozenset[int], overseen: frozenset[int], f: ReadFilter):
    """The competitions a person reads (`organisations.policies.read_scope`): every one of
    the organisations they work for, the announced ones of those they oversee; oldest
    first, as a statement to page."""
    query = select(Competition).where(
        or_(
            held_by(own, Competition.organisation_id),
            and_(
                held_by(overseen, Competition.organisation_id),
                Competition.status != CompetitionStatus.DRAFT,
            ),
        )
    )
    if f.organisation_id is not None:
        query = query.where(Competition.organisation_id == f.organisation_id)
    if f.region:
        query = query.where(Competition.region_code == f.region)
    if f.status:
        query = query.where(Competition.status == f.status)
    return query.options(*LISTED, selectinload(Competition.prize_places)).order_by(
        Competition.opens_at, Competition.id
    )


def published_answers(competition_id: int) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.competition_id == competition_id, Question.answer.is_not(None))
            .order_by(Question.asked_at)
        )
    )


def questions_for_coordinator(competition_id: int) -> list[Question]:
    """Unanswered first, oldest first."""
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.competition_id == competition_id)
            .order_by(Question.answer.is_not(None), Question.asked_at)
        )
    )


def questions_of(author_id: int, competition_id: int) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.competition_id == competition_id, Question.author_id == author_id)
            .order_by(Question.asked_at)
        )
    )


def unanswered_questions(organisation_ids: frozenset[int]) -> list[tuple[Competition, int]]:
    """(competition, questions waiting for an answer), for the coordinator's start page:
    the competitions of their organisations."""
    rows = db.session.execute(
        select(Competition, func.count(Question.id))
        .join(Question, Question.competition_id == Competition.id)
        .where(Question.answer.is_(None), held_by(organisation_ids, Competition.organisation_id))
        .group_by(Competition.id)
        .order_by(Competition.id)
    ).all()
    return [(competition, n) for competition, n in rows]
