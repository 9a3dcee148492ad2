"""The API's shapes (pydantic): what comes in on a query string and what goes out. spectree
turns them into the OpenAPI 3.1 document and checks every request and response against
them. The figure names are the roll-up's own (`programmes.queries.FIGURES`) and the
participant columns the monitoring report's (`grants.breakdowns.ALL_COLUMNS`), so a new
figure appears here without a second list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from smallgrants.applications.models import ApplicantKind, ApplicationStatus
from smallgrants.competitions.models import AwardKind, CompetitionStatus
from smallgrants.core.converters import INT_MAX
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.grants.models import GrantStatus
from smallgrants.programmes.labels import STAGE_LABELS
from smallgrants.programmes.queries import FIGURES

PER_PAGE = 50
MAX_PER_PAGE = 100
REGION_CODE = r"^KZ-[0-9]{2}$"

Stage = Literal[("draft", *STAGE_LABELS)]  # type: ignore[valid-type]
Received = Literal[
    tuple(s.value for s in ApplicationStatus if s != ApplicationStatus.DRAFT)  # type: ignore[valid-type]
]
Kind = Literal[tuple(k.value for k in ApplicantKind)]  # type: ignore[valid-type]


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors ---------------------------------------------------------------------------------


class FieldError(Out):
    name: str = Field(description="The query parameter (or path) at fault.")
    message: str


class Problem(Out):
    """RFC 9457 problem details, as `application/problem+json`."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


# --- what comes in --------------------------------------------------------------------------


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a mistyped parameter is an error, not ignored

    page: int = Field(1, ge=1, le=INT_MAX, description="The page, from 1.")
    per_page: int = Field(PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Items per page.")


class CompetitionQuery(PageQuery):
    organisation: int | None = Field(None, ge=1, le=INT_MAX, description="A holder's id.")
    region: str | None = Field(None, pattern=REGION_CODE, description="A region's ISO code.")
    status: Literal[tuple(s.value for s in CompetitionStatus)] | None = None  # type: ignore[valid-type]


class RegistryQuery(PageQuery):
    status: Received | None = None
    kind: Kind | None = None


class RollupQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    holder: int | None = Field(None, ge=1, le=INT_MAX, description="One holder's id.")
    region: str | None = Field(None, pattern=REGION_CODE, description="A region's ISO code.")


# --- what goes out --------------------------------------------------------------------------

Figures = create_model(
    "Figures",
    __base__=Out,
    __doc__="A competition's figures, or the sum of several (the programme's roll-up).",
    **dict.fromkeys(FIGURES, (int, ...)),
)
Participants = create_model(
    "Participants",
    __base__=Out,
    __doc__="Participants: the total and each breakdown column (gender, social status, age).",
    **dict.fromkeys(ALL_COLUMNS, (int, ...)),
)


class Page(Out):
    page: int
    per_page: int
    total: int = Field(description="Items on every page together.")
    pages: int


class Organisation(Out):
    id: int
    short_name: str
    name_kk: str
    name_ru: str
    bin: str = Field(description="The organisation's business identification number.")
    region_code: str
    url: str = Field(description="Its public page.")


class OrganisationPage(Page):
    items: list[Organisation]


class Competition(Out):
    id: int
    organisation_id: int
    organisation: str = Field(description="The holder's short name.")
    title_kk: str
    title_ru: str
    award_kind: Literal[tuple(k.value for k in AwardKind)]  # type: ignore[valid-type]
    region_code: str
    status: Literal[tuple(s.value for s in CompetitionStatus)]  # type: ignore[valid-type]
    stage: Stage
    opens_at: datetime
    closes_at: datetime
    grant_amount: int
    grant_count: int
    pool: int


class CompetitionPage(Page):
    items: list[Competition]


class Check(Out):
    group: str
    title: str
    ok: bool
    detail: str


class CompetitionFigures(Competition):
    figures: Figures  # type: ignore[valid-type]
    reports_on_time: int
    checks: list[Check]


NAMED = "An NGO's or a group's name; none for a person entering as themselves."


class RegistryEntry(Out):
    number: str
    submitted_at: datetime | None
    status: Received
    applicant_kind: Kind
    applicant: str | None = Field(description=NAMED)
    title: str
    district_code: str
    requested: int


class RegistryPage(Page):
    items: list[RegistryEntry]


class Meeting(Out):
    number: str
    held_at: datetime
    signed_at: datetime


class Winner(Out):
    number: str
    title: str
    applicant: str | None = Field(description=NAMED)
    applicant_kind: Kind
    district_code: str
    amount: int


class Decisions(Out):
    competition_id: int
    meeting: Meeting | None = Field(description="The signed meeting; none before it.")
    winners: list[Winner]
    awarded: int


class Payment(Out):
    paid_on: date
    amount: int
    tranche: int


class Grant(Out):
    id: int
    application_number: str
    title: str
    grantee: str | None = Field(description=NAMED)
    agreement_number: str
    agreement_date: date | None
    starts_on: date | None
    ends_on: date | None
    status: Literal[tuple(s.value for s in GrantStatus)]  # type: ignore[valid-type]
    awarded: int
    paid: int
    remaining: int
    payments: list[Payment]


class Prize(Out):
    """A prize of a contest's signed protocol (a contest awards prizes, not grants)."""

    application_number: str
    title: str
    winner: str | None = Field(description=NAMED)
    amount: int
    paid_on: date | None
    paid: int


class Grants(Out):
    """Money of a competition: grants and their payments, or a contest's prizes."""

    competition_id: int
    pool: int
    awarded: int
    paid: int
    remaining: int
    grants: list[Grant]
    prizes: list[Prize]


class Programme(Out):
    id: int
    name_kk: str
    name_ru: str
    starts_year: int
    ends_year: int
    holders: list[int]


class ProgrammePage(Page):
    items: list[Programme]


class HolderFigures(Out):
    organisation_id: int
    short_name: str
    figures: Figures  # type: ignore[valid-type]


class RegionFigures(Out):
    region_code: str
    figures: Figures  # type: ignore[valid-type]


class RollupCompetition(Out):
    competition_id: int
    organisation_id: int
    stage: Stage
    figures: Figures  # type: ignore[valid-type]
    failing_checks: list[Check]


class Place(Out):
    region_code: str
    district_code: str
    events: int
    participants: Participants  # type: ignore[valid-type]


class Rollup(Out):
    programme_id: int
    holder: int | None
    region: str | None
    total: Figures  # type: ignore[valid-type]
    reports_on_time: int
    by_holder: list[HolderFigures]
    by_region: list[RegionFigures]
    competitions: list[RollupCompetition]
    places: list[Place]


class Project(Out):
    id: int
    organisation_id: int
    title: str
    agreement_number: str
    starts_on: date | None
    ends_on: date | None
    grant_sum: int


class ProjectPage(Page):
    items: list[Project]


class Section4(Out):
    """Section 4 of the final report: the whole project's and the small grants' rows."""

    project_id: int
    whole_project: Participants  # type: ignore[valid-type]
    small_grants: Participants  # type: ignore[valid-type]
    checks: list[Check]
    failing: int
