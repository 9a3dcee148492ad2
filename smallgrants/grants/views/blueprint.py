"""The grants' blueprint and the pages both audiences see (a grant, a report), with the loaders
that check who may see them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template
from flask_login import current_user

from smallgrants.competitions import queries as competition_queries
from smallgrants.competitions.models import Competition
from smallgrants.core import geography
from smallgrants.core.forms import choices
from smallgrants.core.i18n import current_locale, format_money
from smallgrants.extensions import db
from smallgrants.grants import breakdowns, policies, queries, services
from smallgrants.grants.forms import (
    AgreementForm,
    EventForm,
    ExpenseForm,
    FileForm,
    NarrativeForm,
    PaymentForm,
    PublicationForm,
    ReviewForm,
    StatusForm,
    VisitForm,
)
from smallgrants.grants.labels import (
    BREAKDOWN_LABELS,
    COLUMN_LABELS,
    CONDITION_LABELS,
    FORMAT_LABELS,
    GRANT_STATUS_LABELS,
    PERIOD_LABELS,
    PURPOSE_LABELS,
    REPORT_STATUS_LABELS,
)
from smallgrants.grants.models import (
    Event,
    Grant,
    MonitoringVisit,
    Report,
)

bp = Blueprint("grants", __name__)

LABELS = {
    "grant_status": GRANT_STATUS_LABELS,
    "report_status": REPORT_STATUS_LABELS,
    "periods": PERIOD_LABELS,
    "conditions": CONDITION_LABELS,
    "formats": FORMAT_LABELS,
    "purposes": PURPOSE_LABELS,
    "breakdowns": BREAKDOWN_LABELS,
    "columns": COLUMN_LABELS,
}


def refused(error: services.GrantError) -> None:
    flash(str(error.message), "danger")


def load_competition(competition_id: int, predicate=policies.can_manage_grants_of) -> Competition:
    """A competition of the coordinator's organisation (another's: 403), or one the
    predicate allows."""
    competition = competition_queries.competition_for_page(competition_id) or abort(404)
    if not predicate(current_user, competition):
        abort(403)
    return competition


def load_grant(grant_id: int, predicate=policies.can_see_grant) -> Grant:
    grant = db.session.get(Grant, grant_id) or abort(404)
    if not predicate(current_user, grant):
        abort(403)
    return grant


def load_report(report_id: int, predicate=policies.can_see_grant) -> Report:
    report = db.session.get(Report, report_id) or abort(404)
    if not predicate(current_user, report.grant):
        abort(403)
    return report


def district_name(region_code: str, code: str) -> str:
    place = geography.district(region_code, code) if code else None
    return place.name(current_locale()) if place else ""


def template_context() -> dict:
    return {
        "labels": LABELS,
        "breakdowns": breakdowns.BREAKDOWNS,
        "district_name": district_name,
    }


def tranche_table(grant: Grant) -> list[dict]:
    tranches = services.terms_of(grant.competition).tranches
    amounts = queries.tranche_amounts(grant.amount, [t.percent for t in tranches])
    return [
        {
            "tranche": t,
            "amount": amount,
            "paid": services.paid_total(grant.id, t.position),
            "due": services.tranche_is_due(grant, t),
        }
        for t, amount in zip(tranches, amounts, strict=True)
    ]


def render_grant(grant: Grant, status: int = 200, **forms):
    manage = policies.can_manage_grants(current_user)
    tranche_rows = tranche_table(grant)
    payment_form = forms.get("payment_form") or PaymentForm()
    payment_form.tranche.choices = choices(
        (str(r["tranche"].position), f"{r['tranche'].position} · {r['tranche'].percent}%")
        for r in tranche_rows
    )
    agreement_form = forms.get("agreement_form") or AgreementForm(obj=grant)
    return (
        render_template(
            "grants/grant.html",
            grant=grant,
            c=grant.competition,
            manage=manage,
            tranche_rows=tranche_rows,
            paid=services.paid_total(grant.id),
            payments=queries.payments_of(grant.id),
            reports=queries.reports_of(grant.id),
            is_overdue=queries.is_overdue,
            spend=queries.spend_by_line(grant),
            visits=grant_visits(grant),
            totals=queries.participants(
                queries.EventFilter(grant.competition_id, grant_id=grant.id)
            ),
            payment_form=payment_form,
            agreement_form=agreement_form,
            status_form=forms.get("status_form") or StatusForm(),
            visit_form=forms.get("visit_form") or VisitForm(),
            allowed_status=services.ALLOWED_STATUS[grant.status],
            **template_context(),
        ),
        status,
    )


def grant_visits(grant: Grant) -> list[MonitoringVisit]:
    return list(
        db.session.scalars(
            db.select(MonitoringVisit)
            .where(MonitoringVisit.grant_id == grant.id)
            .order_by(MonitoringVisit.visited_on, MonitoringVisit.id)
        )
    )


def event_form(report: Report, form: EventForm | None = None, event: Event | None = None):
    form = form or EventForm(obj=event)
    region = report.grant.competition.region_code
    form.district_code.choices = choices(
        [("", "—"), *geography.named(geography.districts_of(region), current_locale())]
    )
    return form


def report_forms(report: Report, **given) -> dict:
    expense_form = given.get("expense_form") or ExpenseForm()
    expense_form.budget_line_id.choices = choices(
        (str(line.id), f"{line.item} · {format_money(line.total)}")
        for line in report.grant.application.budget
    )
    return {
        "narrative_form": given.get("narrative_form") or NarrativeForm(obj=report),
        "publication_form": given.get("publication_form") or PublicationForm(),
        "expense_form": expense_form,
        "file_form": given.get("file_form") or FileForm(),
        "review_form": given.get("review_form") or ReviewForm(),
    }


def render_report(report: Report, status: int = 200, **given):
    grant = report.grant
    return (
        render_template(
            "grants/report.html",
            report=report,
            grant=grant,
            c=grant.competition,
            owner=policies.is_grantee(current_user, grant),
            manage=policies.can_manage_grants(current_user),
            totals=queries.participants_by_report(report.id),
            spend=queries.spend_by_line(grant),
            overdue=queries.is_overdue(report),
            **report_forms(report, **given),
            **template_context(),
        ),
        status,
    )
