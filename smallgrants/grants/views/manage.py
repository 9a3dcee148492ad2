"""The coordinator's pages: grant terms, tranches and reporting periods, agreements, payments,
status, monitoring visits, report reviews, the monitoring pages and report, reminders."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.commission.models import Commission, Decision
from smallgrants.competitions.models import Competition
from smallgrants.core import fragments
from smallgrants.core.access import require
from smallgrants.core.converters import db_id
from smallgrants.core.downloads import document_locale, document_response
from smallgrants.core.forms import choices
from smallgrants.documents.monitoring import build_monitoring_docx, build_monitoring_xlsx
from smallgrants.extensions import db
from smallgrants.grants import policies, queries, services
from smallgrants.grants.forms import (
    AgreementForm,
    DueForm,
    PaymentForm,
    PeriodForm,
    PrizePaymentForm,
    ReviewForm,
    StatusForm,
    TermsForm,
    TranchesForm,
    VisitForm,
)
from smallgrants.grants.models import (
    GrantStatus,
    PeriodKind,
    ReportPeriod,
    TrancheCondition,
)
from smallgrants.grants.views.blueprint import (
    bp,
    load_competition,
    load_grant,
    load_report,
    refused,
    render_grant,
    render_report,
    template_context,
)
from smallgrants.organisations import policies as organisation_policies

# --- the coordinator's side -----------------------------------------------------------


@bp.app_template_global()
def reviews_waiting():
    """The start page: submitted reports waiting for review (coordinators)."""
    return (
        queries.reviews_waiting(organisation_policies.mine(current_user))
        if policies.can_manage_grants(current_user)
        else 0
    )


@bp.app_template_global()
def overdue_reports():
    """The start page: reports past their due date, per competition (coordinators)."""
    return (
        queries.overdue_reports(organisation_policies.mine(current_user))
        if policies.can_manage_grants(current_user)
        else []
    )


@bp.app_template_global()
def payments_due():
    """The start page: tranches that may be paid now and are not paid in full (coordinators)."""
    return (
        queries.payments_due(organisation_policies.mine(current_user))
        if policies.can_manage_grants(current_user)
        else []
    )


def _manage_page(competition: Competition, status: int = 200, **forms):
    terms = services.terms_of(competition)
    tranches_form = forms.get("tranches_form")
    if tranches_form is None:
        tranches_form = TranchesForm()
        for i, t in enumerate(terms.tranches, 1):
            getattr(tranches_form, f"percent_{i}").data = t.percent
            getattr(tranches_form, f"condition_{i}").data = t.condition.value
    commission = db.session.get(Commission, competition.id)
    return (
        render_template(
            "grants/manage.html",
            c=competition,
            terms=terms,
            ledger=queries.ledger(competition, by_name=request.args.get("sort") == "name"),
            signed=bool(commission and commission.meeting and commission.meeting.is_signed),
            terms_form=forms.get("terms_form") or TermsForm(obj=terms),
            tranches_form=tranches_form,
            period_form=forms.get("period_form") or PeriodForm(),
            due_forms={p.id: DueForm(obj=p) for p in terms.periods},
            kinds=queries.kind_counts(competition.id),
            **template_context(),
        ),
        status,
    )


@bp.get("/manage/competitions/<int:competition_id>/prizes")
@require(policies.can_manage_grants)
def prizes(competition_id: int):
    """A contest's winners and the payment of each prize."""
    return _prizes_page(load_competition(competition_id))


def _prizes_page(competition: Competition, status: int = 200, forms=None):
    rows = queries.prize_winners(competition.id)
    forms = forms or {}
    return (
        render_template(
            "grants/prizes.html",
            c=competition,
            rows=rows,
            forms={r.decision.id: forms.get(r.decision.id) or PrizePaymentForm() for r in rows},
            paid=sum(r.payment.amount for r in rows if r.payment),
            awarded=sum(r.decision.amount or 0 for r in rows),
        ),
        status,
    )


@bp.post("/manage/competitions/<int:competition_id>/prizes/<int:decision_id>")
@require(policies.can_manage_grants)
def pay_prize(competition_id: int, decision_id: int):
    competition = load_competition(competition_id)
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.application.competition_id != competition.id:
        abort(404)
    form = PrizePaymentForm()
    if not form.validate_on_submit():
        return _prizes_page(competition, 400, {decision.id: form})
    try:
        services.record_prize_payment(
            current_user, decision, form.paid_on.data, form.document_number.data
        )
    except services.GrantError as error:
        flash(str(error.message), "danger")
        return redirect(url_for("grants.prizes", competition_id=competition.id))
    flash(_("The prize payment is recorded."), "success")
    return redirect(url_for("grants.prizes", competition_id=competition.id))


@bp.get("/manage/competitions/<int:competition_id>/grants")
@require(policies.can_manage_grants)
def manage(competition_id: int):
    return _manage_page(load_competition(competition_id))


@bp.post("/manage/competitions/<int:competition_id>/grants")
@require(policies.can_manage_grants)
def create_grants(competition_id: int):
    competition = load_competition(competition_id)
    try:
        made = services.create_grants(current_user, competition)
    except services.GrantError as error:
        refused(error)
    else:
        flash(_("Grants made from the protocol: %(n)s.", n=len(made)), "success")
    return redirect(url_for("grants.manage", competition_id=competition.id))


@bp.post("/manage/competitions/<int:competition_id>/grant-terms")
@require(policies.can_manage_grants)
def save_terms(competition_id: int):
    competition = load_competition(competition_id)
    terms = services.terms_of(competition)
    form = TermsForm()
    if not form.validate_on_submit():
        return _manage_page(competition, 200, terms_form=form)
    data = services.TermsInput(
        **{name: getattr(form, name).data or None for name in ("starts_on", "ends_on")},
        **{
            name: getattr(form, name).data or ""
            for name in (
                "grantor_name",
                "grantor_head",
                "grantor_bin",
                "grantor_address",
                "signing_place",
                "agreement_prefix",
                "duties_kk",
                "duties_ru",
            )
        },
    )
    try:
        services.save_terms(current_user, terms, data)
    except services.GrantError as error:
        refused(error)
        form.ends_on.errors = [error.message]
        return _manage_page(competition, 200, terms_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.manage", competition_id=competition.id, _anchor="terms"))


@bp.post("/manage/competitions/<int:competition_id>/tranches")
@require(policies.can_manage_grants)
def save_tranches(competition_id: int):
    competition = load_competition(competition_id)
    terms = services.terms_of(competition)
    form = TranchesForm()
    if not form.validate_on_submit():
        return _manage_page(competition, 200, tranches_form=form)
    schedule = [(p, TrancheCondition(c)) for p, c in form.schedule()]
    try:
        services.save_tranches(current_user, terms, schedule)
    except services.GrantError as error:
        refused(error)
        form.percent_1.errors = [error.message]
        return _manage_page(competition, 200, tranches_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.manage", competition_id=competition.id, _anchor="tranches"))


@bp.post("/manage/competitions/<int:competition_id>/periods")
@require(policies.can_manage_grants)
def add_period(competition_id: int):
    competition = load_competition(competition_id)
    terms = services.terms_of(competition)
    form = PeriodForm()
    if not form.validate_on_submit():
        return _manage_page(competition, 200, period_form=form)
    try:
        services.add_period(current_user, terms, PeriodKind(form.kind.data), form.due_at.data)
    except services.GrantError as error:
        refused(error)
        form.kind.errors = [error.message]
        return _manage_page(competition, 200, period_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.manage", competition_id=competition.id, _anchor="periods"))


@bp.post("/manage/report-periods/<int:period_id>")
@require(policies.can_manage_grants)
def edit_period(period_id: int):
    period = db.session.get(ReportPeriod, period_id) or abort(404)
    load_competition(period.competition_id)
    back = redirect(
        url_for("grants.manage", competition_id=period.competition_id, _anchor="periods")
    )
    try:
        if request.form.get("action") == "delete":
            services.remove_period(current_user, period)
            flash(_("The report period is removed."), "success")
            return back
        form = DueForm()
        if not form.validate_on_submit():
            flash(_("Enter a date and time, for example 2023-09-30 23:59."), "danger")
            return back
        services.update_period(current_user, period, form.due_at.data)
    except services.GrantError as error:
        refused(error)
        return back
    flash(_("Saved."), "success")
    return back


@bp.post("/manage/grants/<int:grant_id>/agreement")
@require(policies.can_manage_grants)
def save_agreement(grant_id: int):
    grant = load_grant(grant_id, policies.can_manage_grant)
    form = AgreementForm()
    if not form.validate_on_submit():
        return render_grant(grant, 200, agreement_form=form)
    try:
        services.update_agreement(
            current_user,
            grant,
            services.AgreementInput(
                form.agreement_number.data,
                form.agreement_date.data,
                form.starts_on.data,
                form.ends_on.data,
            ),
        )
    except services.GrantError as error:
        refused(error)
        form.agreement_number.errors = [error.message]
        return render_grant(grant, 200, agreement_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.grant", grant_id=grant.id))


@bp.post("/manage/grants/<int:grant_id>/payments")
@require(policies.can_manage_grants)
def record_payment(grant_id: int):
    grant = load_grant(grant_id, policies.can_manage_grant)
    form = PaymentForm()
    form.tranche.choices = choices(
        (str(t.position), str(t.position)) for t in services.terms_of(grant.competition).tranches
    )
    if not form.validate_on_submit():
        return render_grant(grant, 200, payment_form=form)
    try:
        services.record_payment(
            current_user,
            grant,
            services.PaymentInput(
                form.tranche.data, form.paid_on.data, form.amount.data, form.document_number.data
            ),
        )
    except services.GrantError as error:
        refused(error)
        form.amount.errors = [error.message]
        return render_grant(grant, 200, payment_form=form)
    flash(_("The payment is recorded."), "success")
    return redirect(url_for("grants.grant", grant_id=grant.id, _anchor="payments"))


@bp.post("/manage/grants/<int:grant_id>/status")
@require(policies.can_manage_grants)
def change_status(grant_id: int):
    grant = load_grant(grant_id, policies.can_manage_grant)
    form = StatusForm()
    if not form.validate_on_submit():
        return render_grant(grant, 200, status_form=form)
    try:
        services.change_status(
            current_user, grant, GrantStatus(form.status.data), form.reason.data or ""
        )
    except services.GrantError as error:
        refused(error)
        form.status.errors = [error.message]
        return render_grant(grant, 200, status_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.grant", grant_id=grant.id))


@bp.post("/manage/grants/<int:grant_id>/visits")
@require(policies.can_manage_grants)
def add_visit(grant_id: int):
    grant = load_grant(grant_id, policies.can_manage_grant)
    form = VisitForm()
    if not form.validate_on_submit():
        return render_grant(grant, 200, visit_form=form)
    photos = [(f.stream, f.filename) for f in request.files.getlist("photos") if f.filename]
    try:
        services.add_visit(
            current_user,
            grant,
            form.visited_on.data,
            form.visitors.data,
            form.findings.data,
            photos,
        )
    except services.GrantError as error:
        refused(error)
        form.photos.errors = [error.message]
        return render_grant(grant, 200, visit_form=form)
    flash(_("The visit is recorded."), "success")
    return redirect(url_for("grants.grant", grant_id=grant.id, _anchor="visits"))


@bp.post("/manage/reports/<int:report_id>/review")
@require(policies.can_manage_grants)
def review(report_id: int):
    report = load_report(report_id, policies.can_manage_grant)
    form = ReviewForm()
    if not form.validate_on_submit():
        return render_report(report, 200, review_form=form)
    try:
        services.review_report(
            current_user, report, form.decision.data == "accept", form.comment.data or ""
        )
    except services.GrantError as error:
        refused(error)
        form.comment.errors = [error.message]
        return render_report(report, 200, review_form=form)
    flash(_("The review is saved and the grantee is told."), "success")
    return redirect(url_for("grants.report", report_id=report.id))


@bp.get("/manage/competitions/<int:competition_id>/monitoring")
@require(policies.can_read_monitoring)
def monitoring(competition_id: int):
    competition = load_competition(competition_id, policies.can_see_monitoring)
    manages = policies.can_manage_grants_of(current_user, competition)

    def build(now):
        flt = queries.EventFilter(competition.id)
        totals = queries.participants(flt)
        pending = queries.participants(queries.EventFilter(competition.id, accepted_only=False))
        html = render_template(
            "grants/_monitoring_body.html",
            c=competition,
            manages=manages,
            flt=flt,
            totals=totals,
            pending_total=pending["total"] - totals["total"],
            by_grant=queries.participants_by_grant(competition.id),
            by_district=queries.participants_by_district(competition.id),
            grants=queries.grants_of(competition.id),
            statuses=queries.status_counts(competition.id),
            reports=queries.report_counts(competition.id, now),
            awaiting=queries.awaiting_review(competition.id),
            spend=queries.spend_by_grant(competition.id),
            publications=queries.publications_summary(competition.id),
            ledger=queries.ledger(competition),
            csrf_value=fragments.CSRF_MARK,
            **template_context(),
        )
        return html, queries.next_due_change(competition.id, now)

    # kept while the competition's grants, reports, events, money and grantees are unchanged
    # (migration 0029) and until a report next falls overdue, per language and rights
    sources = (fragments.report(competition.id), fragments.PEOPLE)
    body = fragments.kept(sources, fragments.request_key(manages), build)
    return render_template(
        "grants/monitoring.html", c=competition, body=fragments.with_form_token(body)
    )


@bp.get("/manage/competitions/<int:competition_id>/monitoring/events")
@require(policies.can_read_monitoring)
def events(competition_id: int):
    competition = load_competition(competition_id, policies.can_see_monitoring)
    flt = queries.EventFilter(
        competition.id,
        grant_id=request.args.get("grant", type=db_id),
        district_code=request.args.get("district"),
        report_id=request.args.get("report", type=db_id),
        accepted_only=not request.args.get("all"),
    )
    manages = policies.can_manage_grants_of(current_user, competition)

    def build(_now):
        html = render_template(
            "grants/_events_body.html",
            c=competition,
            flt=flt,
            manages=manages,
            rows=queries.events(flt),
            totals=queries.participants(flt),
            **template_context(),
        )
        return html, None

    # kept while the competition's grants, reports and events are unchanged (migration
    # 0029), per filter, language and whether the reader may open the reports
    sources = (fragments.report(competition.id),)
    body = fragments.kept(sources, fragments.request_key(manages), build)
    return render_template("grants/events.html", c=competition, body=body)


@bp.get("/manage/competitions/<int:competition_id>/monitoring.<any(docx, xlsx):fmt>")
@require(policies.can_read_monitoring)
def monitoring_report(competition_id: int, fmt: str):
    competition = load_competition(competition_id, policies.can_see_monitoring)
    lang = document_locale()
    build = build_monitoring_docx if fmt == "docx" else build_monitoring_xlsx
    return document_response(build(competition, lang), f"monitoring-{competition.id}-{lang}.{fmt}")


@bp.post("/manage/competitions/<int:competition_id>/reminders")
@require(policies.can_manage_grants)
def send_reminders(competition_id: int):
    competition = load_competition(competition_id)
    sent = services.send_reminders(competition_id=competition.id)

    flash(_("Reminders sent: %(n)s.", n=sent), "success")
    return redirect(url_for("grants.monitoring", competition_id=competition.id))
