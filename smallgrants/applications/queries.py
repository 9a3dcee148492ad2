"""Read side of applications."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Bundle

from smallgrants.applications.models import (
    ApplicantKind,
    ApplicantProfile,
    Application,
    ApplicationStatus,
    BudgetLine,
)
from smallgrants.competitions.models import Competition
from smallgrants.core.collation import collate
from smallgrants.core.search import contains_text
from smallgrants.extensions import db
from smallgrants.organisations.queries import held_by


def profiles_of(user_id: int) -> list[ApplicantProfile]:
    return list(
        db.session.scalars(
            select(ApplicantProfile)
            .where(ApplicantProfile.owner_id == user_id)
            .order_by(ApplicantProfile.created_at)
        )
    )


def applications_of(user_id: int) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.applicant_id == user_id)
            .order_by(Application.created_at.desc())
        )
    )


def applications_of_user_in(user_id: int, competition_id: int) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(
                Application.applicant_id == user_id, Application.competition_id == competition_id
            )
            .order_by(Application.created_at)
        )
    )


# --- the coordinator's registry ---------------------------------------------------------

RECEIVED_STATUSES = frozenset(s.value for s in ApplicationStatus if s != ApplicationStatus.DRAFT)
SORTS = {
    "number": (Application.seq,),
    "received": (Application.submitted_at, Application.seq),
    "amount": ("requested", Application.seq),
    "title": (Application.title, Application.seq),
    "name": (ApplicantProfile.name, Application.seq),
}
ALPHABETICAL = frozenset({"title", "name"})  # in the page's alphabet (`core.collation`)


@dataclass
class RegistryFilter:
    status: str = ""
    kind: str = ""
    district: str = ""
    q: str = ""
    sort: str = "number"
    descending: bool = False

    @classmethod
    def from_args(cls, args) -> RegistryFilter:
        """From a query string: a value the registry does not know (a status, kind or sort
        typed into the address) is ignored, never passed to the database."""
        status = args.get("status", "")
        kind = args.get("kind", "")
        sort = args.get("sort", "number")
        return cls(
            status=status if status in RECEIVED_STATUSES else "",
            kind=kind if kind in {k.value for k in ApplicantKind} else "",
            district=args.get("district", "")[:64],
            q=args.get("q", "").strip()[:200],
            sort=sort if sort in SORTS else "number",
            descending=args.get("dir") == "desc",
        )


def requested_amounts(competition_id: int):
    """Budget total per application of a competition, summed in SQL: the one place it is
    computed (only that competition's lines: a national database has millions)."""
    return (
        select(
            BudgetLine.application_id,
            func.coalesce(func.sum(BudgetLine.total), 0).label("requested"),
        )
        .join(Application, Application.id == BudgetLine.application_id)
        .where(Application.competition_id == competition_id)
        .group_by(BudgetLine.application_id)
        .subquery()
    )


# what a row of the registry (page, XLSX, API) reads: columns, not entities — a thousand
# rows of (application, applicant, requested) with attributes, and no ORM objects to build
REGISTRY_APPLICATION = Bundle(
    "application",
    Application.id,
    Application.number,
    Application.submitted_at,
    Application.status,
    Application.title,
    Application.district_code,
    Application.video_url,
    Application.screening_reason,
)
REGISTRY_APPLICANT = Bundle("applicant", ApplicantProfile.kind, ApplicantProfile.name)


def registry_query(competition_id: int, f: RegistryFilter):
    amounts = requested_amounts(competition_id)
    requested = func.coalesce(amounts.c.requested, 0).label("requested")
    query = (
        select(REGISTRY_APPLICATION, REGISTRY_APPLICANT, requested)
        .select_from(Application)
        .join(ApplicantProfile, Application.profile_id == ApplicantProfile.id)
        .outerjoin(amounts, amounts.c.application_id == Application.id)
        .where(
            Application.competition_id == competition_id,
            Application.status != ApplicationStatus.DRAFT,
        )
    )
    if f.status:
        query = query.where(Application.status == f.status)
    if f.kind:
        query = query.where(ApplicantProfile.kind == f.kind)
    if f.district:
        query = query.where(Application.district_code == f.district)
    if f.q:
        query = query.where(
            contains_text(f.q, Application.title, ApplicantProfile.name, Application.number)
        )
    order = [requested if col == "requested" else col for col in SORTS.get(f.sort, SORTS["number"])]
    if f.sort in ALPHABETICAL:
        order[0] = collate(order[0])
    if f.descending:
        order = [o.desc() for o in order]
    return query.order_by(*order)


def registry_rows(competition_id: int, f: RegistryFilter) -> list[tuple]:
    return list(db.session.execute(registry_query(competition_id, f)).all())


@dataclass
class IntakeCounts:
    by_status: dict[str, int]
    by_kind: dict[str, int]
    by_district: dict[str, int]
    total: int
    requested_total: int


def intake_counts(competition_id: int) -> IntakeCounts:
    """The dashboard's numbers, each a GROUP BY over the received applications."""
    received = (
        Application.competition_id == competition_id,
        Application.status != ApplicationStatus.DRAFT,
    )
    by_status = dict(
        db.session.execute(
            select(Application.status, func.count()).where(*received).group_by(Application.status)
        ).all()
    )
    by_kind = dict(
        db.session.execute(
            select(ApplicantProfile.kind, func.count())
            .join(Application, Application.profile_id == ApplicantProfile.id)
            .where(*received)
            .group_by(ApplicantProfile.kind)
        ).all()
    )
    by_district = dict(
        db.session.execute(
            select(Application.district_code, func.count())
            .where(*received)
            .group_by(Application.district_code)
        ).all()
    )
    amounts = requested_amounts(competition_id)
    requested_total = (
        db.session.scalar(
            select(func.coalesce(func.sum(amounts.c.requested), 0))
            .join(Application, Application.id == amounts.c.application_id)
            .where(*received, Application.status != ApplicationStatus.WITHDRAWN)
        )
        or 0
    )
    return IntakeCounts(
        by_status={str(k): v for k, v in by_status.items()},  # StrEnum: str() is the value
        by_kind={str(k): v for k, v in by_kind.items()},
        by_district=by_district,
        total=sum(by_status.values()),
        requested_total=int(requested_total),
    )


def to_screen(organisation_ids: frozenset[int]) -> list[tuple[Competition, int]]:
    """(competition, submitted applications not screened yet), for coordinators: their
    organisations' competitions."""
    rows = db.session.execute(
        select(Competition, func.count(Application.id))
        .join(Application, Application.competition_id == Competition.id)
        .where(
            Application.status == ApplicationStatus.SUBMITTED,
            held_by(organisation_ids, Competition.organisation_id),
        )
        .group_by(Competition.id)
        .order_by(Competition.id)
    ).all()
    return [(competition, n) for competition, n in rows]


def applications_of_user(user_id: int) -> list[Application]:
    """Every application of the person but the withdrawn ones, newest competition first."""
    return list(
        db.session.scalars(
            select(Application)
            .where(
                Application.applicant_id == user_id,
                Application.status != ApplicationStatus.WITHDRAWN,
            )
            .order_by(Application.competition_id.desc(), Application.id)
        )
    )
