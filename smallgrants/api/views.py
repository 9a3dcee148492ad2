"""The read-only JSON API, `/api/v1`. Every route but the document and its reference page
wants a personal access token (`Authorization: Bearer sg_…`), which reads as its owner:
`can_use_api` guards every route, `organisations.policies.read_scope` is what a list holds,
and each object's own read predicate (`can_read_competition`, `can_see_programme`,
`can_read_project`) answers 403 on another's. The figures are the pages' own queries
(`programmes.queries`, `reporting.queries`, `grants.queries`, `commission.queries`)."""

from __future__ import annotations

import copy
import hashlib
import math

from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from spectree.models import SecureType
from werkzeug.exceptions import Unauthorized

from smallgrants.api import policies, queries, schemas
from smallgrants.api.labels import OPERATION_LABELS
from smallgrants.applications import queries as application_queries
from smallgrants.applications.models import ApplicantKind
from smallgrants.auth.services import user_for_token
from smallgrants.commission import queries as commission_queries
from smallgrants.competitions import policies as competition_policies
from smallgrants.competitions import queries as competition_queries
from smallgrants.competitions.models import Competition
from smallgrants.core.access import authorize
from smallgrants.core.errors import PROBLEM, problem
from smallgrants.core.i18n import current_locale
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db, limiter
from smallgrants.grants import queries as grant_queries
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.organisations import policies as organisation_policies
from smallgrants.organisations import queries as organisation_queries
from smallgrants.organisations.models import Organisation, Programme
from smallgrants.programmes import queries as programme_queries
from smallgrants.programmes.queries import Filter
from smallgrants.reporting import policies as reporting_policies
from smallgrants.reporting import queries as reporting_queries
from smallgrants.reporting.models import Project

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_ENDPOINTS = {"api.openapi", "api.reference"}


def _invalid(req, resp, req_validation_error, instance, model_adapter=None) -> None:
    """spectree's hook before a view: a query string it refused answers 400 as problem
    details naming each parameter at fault, in the reader's language."""
    if req_validation_error is None or resp is None:
        return
    errors = [
        {"name": ".".join(str(p) for p in e["loc"]) or "query", "message": _field_message(e)}
        for e in req_validation_error.errors()
    ]
    body = problem(400, _("A query parameter is not valid."), errors)
    resp.set_data(body.get_data())
    resp.mimetype = PROBLEM
    resp.headers["Cache-Control"] = "no-store"


def _field_message(error: dict) -> str:
    """pydantic's complaint about one parameter, said in the reader's language."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must be at least %(n)s.", n=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("Must be at most %(n)s.", n=ctx.get("le", ctx.get("lt")))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Must be a whole number.")
    if kind == "literal_error":
        return _("Must be one of: %(values)s.", values=ctx.get("expected", ""))
    if kind == "extra_forbidden":
        return _("Not a parameter of this operation.")
    if kind == "string_pattern_mismatch":
        return _("Not in the expected form (%(pattern)s).", pattern=ctx.get("pattern", ""))
    return _("Not a valid value.")


spec = SpecTree(
    "flask",
    mode="strict",
    title="smallgrants API",
    version="1",
    description=(
        "Read-only figures of small-grants competitions: organisations, competitions, the "
        "registry, decisions, grants and payments, monitoring aggregates, programme roll-ups "
        "and section 4 of the final report. Authenticate with a personal access token "
        "(Authorization: Bearer sg_…) made on the account page; it reads what its owner reads."
    ),
    page_templates={},
    annotations=True,
    validation_error_status=400,
    before=_invalid,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda parent, child: child,
    security_schemes=[
        SecurityScheme(
            name="token",
            data=SecuritySchemeData(
                type=SecureType.HTTP,
                scheme="bearer",
                description="A personal access token (sg_…) from the account page.",
            ),
        ),
    ],
    security={"token": []},
)

ERRORS = {f"HTTP_{code}": schemas.Problem for code in (400, 401, 403, 429)}
ERRORS_404 = {**ERRORS, "HTTP_404": schemas.Problem}


def _token_key() -> str:
    """Throttling counts per token (a hash of it), else per address (and per address always,
    below)."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return "api-address:" + (request.remote_addr or "")


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_token_key)(bp)
# and per address, whatever the token: made-up tokens do not each get a fresh allowance
limiter.limit(
    lambda: current_app.config["API_ADDRESS_RATE_LIMIT"],
    key_func=lambda: "api-address:" + (request.remote_addr or ""),
)(bp)


@bp.before_request
def authenticate():
    """The token's owner is the request's user (no session, no cookie); the route guard."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise Unauthorized(www_authenticate=None)
    g._login_user = user  # what Flask-Login's current_user reads
    if not policies.can_use_api(user):
        abort(403)
    return None


@bp.after_request
def no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="smallgrants"'
    return response


# --- the document -------------------------------------------------------------------------


def document() -> dict:
    """The OpenAPI 3.1 document spectree builds from the routes below; errors are
    declared as `application/problem+json`, as they are sent."""
    found = copy.deepcopy(spec.spec)
    found["servers"] = [{"url": "/"}]
    for path in found["paths"].values():
        for operation in path.values():
            for code, response in operation["responses"].items():
                content = response.get("content", {})
                if int(code) >= 400 and "application/json" in content:
                    content[PROBLEM] = content.pop("application/json")
    return found


@bp.get("/openapi.json")
def openapi():
    response = jsonify(document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/docs")
def reference():
    example = url_for("api.competitions", per_page=10, _external=True)
    return render_template(
        "api/reference.html",
        document=document(),
        operation_labels=OPERATION_LABELS,
        curl=f'curl -H "Authorization: Bearer sg_…" {example}',
    )


# --- helpers ------------------------------------------------------------------------------


def _page(statement, query: schemas.PageQuery, *, rows: bool = False) -> tuple[list, dict]:
    """One page of a statement (entities, or whole rows), and the page's numbers."""
    items, total = queries.page_of(statement, query.page, query.per_page, rows=rows)
    return items, _numbers(total, query)


def _numbers(total: int, query: schemas.PageQuery) -> dict:
    return {
        "page": query.page,
        "per_page": query.per_page,
        "total": total,
        "pages": math.ceil(total / query.per_page),
    }


def _page_of(listed: list, query: schemas.PageQuery) -> tuple[list, dict]:
    """`_page` of a list already in memory (a person's few programmes or projects)."""
    start = (query.page - 1) * query.per_page
    return listed[start : start + query.per_page], _numbers(len(listed), query)


def _competition(competition_id: int) -> Competition:
    competition = db.session.get(Competition, competition_id) or abort(404)
    authorize(competition_policies.can_read_competition(current_user, competition))
    return competition


def _competition_out(c: Competition, stage: str) -> dict:
    return {
        "id": c.id,
        "organisation_id": c.organisation_id,
        "organisation": c.organisation.short_name,
        "title_kk": c.title_kk,
        "title_ru": c.title_ru,
        "award_kind": c.award_kind.value,
        "region_code": c.region_code,
        "status": c.status.value,
        "stage": stage,
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "grant_amount": c.grant_amount,
        "grant_count": c.grant_count,
        "pool": c.pool,
    }


def _check(check: reporting_queries.Check) -> dict:
    return {"group": check.group, "title": check.title, "ok": check.ok, "detail": check.detail}


def _shown_name(kind: ApplicantKind, name: str) -> str | None:
    """The API names NGOs and groups; a person entering as themselves is never named (the
    registry, the winners, the grantees and the prize winners alike)."""
    return None if kind == ApplicantKind.INDIVIDUAL else name


# --- organisations and competitions ------------------------------------------------------


@bp.get("/organisations")
@spec.validate(
    resp=Response(HTTP_200=schemas.OrganisationPage, **ERRORS), operation_id="organisations"
)
def organisations(query: schemas.PageQuery):
    """The grant holders the token reads: those its owner works for or oversees."""
    scope = organisation_policies.read_scope(current_user)
    items, numbers = _page(organisation_queries.organisations_in(scope.organisations), query)
    return schemas.OrganisationPage(
        items=[
            schemas.Organisation(
                id=o.id,
                short_name=o.short_name,
                name_kk=o.name_kk,
                name_ru=o.name_ru,
                bin=o.bin,
                region_code=o.region_code,
                url=url_for("competitions.holder", short_name=o.short_name, _external=True),
            )
            for o in items
        ],
        **numbers,
    )


@bp.get("/competitions")
@spec.validate(
    resp=Response(HTTP_200=schemas.CompetitionPage, **ERRORS), operation_id="competitions"
)
def competitions(query: schemas.CompetitionQuery):
    """Competitions the token reads, oldest first, with their stage; filter by holder,
    region and status."""
    scope = organisation_policies.read_scope(current_user)
    flt = competition_queries.ReadFilter(
        organisation_id=query.organisation, region=query.region or "", status=query.status or ""
    )
    items, numbers = _page(
        competition_queries.readable_competitions(scope.own, scope.overseen, flt), query
    )
    stages = commission_queries.stages_of([c.id for c in items]) if items else {}
    now = utcnow()
    return schemas.CompetitionPage(
        items=[
            _competition_out(c, programme_queries.stage(c, stages.get(c.id), now)) for c in items
        ],
        **numbers,
    )


@bp.get("/competitions/<int:competition_id>")
@spec.validate(
    resp=Response(HTTP_200=schemas.CompetitionFigures, **ERRORS_404), operation_id="competition"
)
def competition(competition_id: int):
    """A competition with its monitoring figures (the programme roll-up's, for one
    competition) and the final report's checks on it."""
    c = _competition(competition_id)
    holder = db.session.get(Organisation, c.organisation_id)
    (row,) = programme_queries.competition_rows([c], {holder.id: holder}, current_locale())
    return schemas.CompetitionFigures(
        **_competition_out(c, row.stage),
        figures=row.figures.values,
        reports_on_time=row.figures.reports_on_time,
        checks=[_check(check) for check in row.checks],
    )


@bp.get("/competitions/<int:competition_id>/applications")
@spec.validate(resp=Response(HTTP_200=schemas.RegistryPage, **ERRORS_404), operation_id="registry")
def registry(competition_id: int, query: schemas.RegistryQuery):
    """The registry of received applications, by registration number: no IIN, BIN, phone,
    e-mail or address, and no person's name."""
    c = _competition(competition_id)
    flt = application_queries.RegistryFilter(status=query.status or "", kind=query.kind or "")
    rows, numbers = _page(application_queries.registry_query(c.id, flt), query, rows=True)
    return schemas.RegistryPage(
        items=[
            schemas.RegistryEntry(
                number=application.number,
                submitted_at=application.submitted_at,
                status=application.status.value,
                applicant_kind=profile.kind.value,
                applicant=_shown_name(profile.kind, profile.name),
                title=application.title,
                district_code=application.district_code or "",
                requested=int(requested),
            )
            for application, profile, requested in rows
        ],
        **numbers,
    )


@bp.get("/competitions/<int:competition_id>/decisions")
@spec.validate(resp=Response(HTTP_200=schemas.Decisions, **ERRORS_404), operation_id="decisions")
def decisions(competition_id: int):
    """The commission's awards once its meeting is signed: winners by registration number."""
    c = _competition(competition_id)
    commission = commission_queries.commission_of_id(c.id)
    meeting = commission.meeting if commission is not None else None
    if meeting is None or meeting.signed_at is None:
        return schemas.Decisions(competition_id=c.id, meeting=None, winners=[], awarded=0)
    winners = commission_queries.winners(commission)
    return schemas.Decisions(
        competition_id=c.id,
        meeting=schemas.Meeting(
            number=meeting.number, held_at=meeting.held_at, signed_at=meeting.signed_at
        ),
        winners=[
            schemas.Winner(
                number=w.number,
                title=w.title,
                applicant=_shown_name(ApplicantKind(w.kind), w.applicant),
                applicant_kind=w.kind,
                district_code=w.district_code or "",
                amount=w.amount,
            )
            for w in winners
        ],
        awarded=sum(w.amount for w in winners),
    )


@bp.get("/competitions/<int:competition_id>/grants")
@spec.validate(resp=Response(HTTP_200=schemas.Grants, **ERRORS_404), operation_id="grants")
def grants(competition_id: int):
    """Grants with their payments: pool → awarded → paid → remaining, per grant and in all
    (the ledger of the grants page); a contest's prizes with their payment."""
    c = _competition(competition_id)
    ledger = grant_queries.ledger(c)
    payments = grant_queries.payments_by_grant([r.grant.id for r in ledger.rows])
    prizes = grant_queries.prize_winners(c.id) if c.awards_prizes else []
    awarded = ledger.awarded + sum(p.decision.amount for p in prizes)
    paid = ledger.paid + sum(p.payment.amount for p in prizes if p.payment)
    return schemas.Grants(
        competition_id=c.id,
        pool=ledger.pool,
        awarded=awarded,
        paid=paid,
        remaining=awarded - paid,
        grants=[
            schemas.Grant(
                id=r.grant.id,
                application_number=r.grant.application.number,
                title=r.grant.application.title,
                grantee=_shown_name(
                    r.grant.application.profile.kind, r.grant.application.profile.name
                ),
                agreement_number=r.grant.agreement_number,
                agreement_date=r.grant.agreement_date,
                starts_on=r.grant.starts_on,
                ends_on=r.grant.ends_on,
                status=r.grant.status.value,
                awarded=r.awarded,
                paid=r.paid,
                remaining=r.remaining,
                payments=[
                    schemas.Payment(paid_on=p.paid_on, amount=p.amount, tranche=p.tranche_position)
                    for p in payments[r.grant.id]
                ],
            )
            for r in ledger.rows
        ],
        prizes=[
            schemas.Prize(
                application_number=p.application.number,
                title=p.application.title,
                winner=_shown_name(p.application.profile.kind, p.application.profile.name),
                amount=p.decision.amount,
                paid_on=p.payment.paid_on if p.payment else None,
                paid=p.payment.amount if p.payment else 0,
            )
            for p in prizes
        ],
    )


# --- programmes ---------------------------------------------------------------------------


@bp.get("/programmes")
@spec.validate(resp=Response(HTTP_200=schemas.ProgrammePage, **ERRORS), operation_id="programmes")
def programmes(query: schemas.PageQuery):
    """The programmes whose roll-up the token reads (its owner operates them)."""
    visible = organisation_policies.visible_programmes(current_user)
    items, numbers = _page_of(organisation_queries.programmes_by_id(visible), query)
    holders = organisation_queries.holder_ids_of([p.id for p in items])
    return schemas.ProgrammePage(
        items=[
            schemas.Programme(
                id=p.id,
                name_kk=p.name_kk,
                name_ru=p.name_ru,
                starts_year=p.starts_year,
                ends_year=p.ends_year,
                holders=holders[p.id],
            )
            for p in items
        ],
        **numbers,
    )


@bp.get("/programmes/<int:programme_id>/rollup")
@spec.validate(resp=Response(HTTP_200=schemas.Rollup, **ERRORS_404), operation_id="rollup")
def rollup(programme_id: int, query: schemas.RollupQuery):
    """The programme's roll-up — the figures of its page and workbook: in all, by holder,
    by region, by competition (with its failing checks) and participants by district."""
    programme = db.session.get(Programme, programme_id) or abort(404)
    authorize(organisation_policies.can_see_programme(current_user, programme.id))
    data = programme_queries.rollup(
        programme, Filter(holder_id=query.holder, region_code=query.region), current_locale()
    )
    return schemas.Rollup(
        programme_id=programme.id,
        holder=query.holder,
        region=query.region,
        total=data.total.values,
        reports_on_time=data.total.reports_on_time,
        by_holder=[
            schemas.HolderFigures(organisation_id=o.id, short_name=o.short_name, figures=f.values)
            for o, f in data.by_holder
        ],
        by_region=[
            schemas.RegionFigures(region_code=code, figures=f.values) for code, f in data.by_region
        ],
        competitions=[
            schemas.RollupCompetition(
                competition_id=row.competition.id,
                organisation_id=row.holder.id,
                stage=row.stage,
                figures=row.figures.values,
                failing_checks=[_check(check) for check in row.checks if not check.ok],
            )
            for row in data.rows
        ],
        places=[
            schemas.Place(
                region_code=place["region_code"],
                district_code=place["district_code"] or "",
                events=place["events"],
                participants={c: place[c] for c in ALL_COLUMNS},
            )
            for place in data.places
        ],
    )


# --- final reports ------------------------------------------------------------------------


@bp.get("/projects")
@spec.validate(resp=Response(HTTP_200=schemas.ProjectPage, **ERRORS), operation_id="projects")
def projects(query: schemas.PageQuery):
    """The projects (final reports to the donor) of the organisations the token reads."""
    scope = organisation_policies.read_scope(current_user)
    items, numbers = _page_of(reporting_queries.projects(scope.organisations), query)
    return schemas.ProjectPage(
        items=[schemas.Project.model_validate(p, from_attributes=True) for p in items],
        **numbers,
    )


@bp.get("/projects/<int:project_id>/section4")
@spec.validate(resp=Response(HTTP_200=schemas.Section4, **ERRORS_404), operation_id="section4")
def section4(project_id: int):
    """Section 4 of the final report (participants of the whole project and of the small
    grants, by gender, social status and age) with every check of the report."""
    project = db.session.get(Project, project_id) or abort(404)
    authorize(reporting_policies.can_read_project(current_user, project))
    data = reporting_queries.rollup(project)
    found = reporting_queries.checks(data, current_locale())
    return schemas.Section4(
        project_id=project.id,
        whole_project={c: data.project_row[c] for c in ALL_COLUMNS},
        small_grants={c: data.small_grants_row[c] for c in ALL_COLUMNS},
        checks=[_check(check) for check in found],
        failing=len(reporting_queries.failing(found)),
    )
