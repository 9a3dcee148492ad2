"""Grants and monitoring screens: the grantee's grants and reports (events, publications,
expenses, files, submission), the coordinator's grants list with the ledger, terms, payments,
review, visits, the monitoring dashboard and the event rows behind every figure."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.competitions.models import Competition
from smallgrants.core import geography, uploads
from smallgrants.core.access import require
from smallgrants.core.converters import db_id
from smallgrants.core.downloads import document_locale, document_response
from smallgrants.core.forms import choices
from smallgrants.core.i18n import current_locale, format_money
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db
from smallgrants.grants import breakdowns, policies, queries, services
from smallgrants.grants.forms import (
    AgreementForm,
    DueForm,
    EventForm,
    ExpenseForm,
    FileForm,
    NarrativeForm,
    PaymentForm,
    PeriodForm,
    PublicationForm,
    ReviewForm,
    StatusForm,
    TermsForm,
    TranchesForm,
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
    EventFormat,
    Expense,
    FilePurpose,
    Grant,
    GrantFile,
    GrantStatus,
    MonitoringVisit,
    PeriodKind,
    Publication,
    Report,
    ReportPeriod,
    TrancheCondition,
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


def _refused(error: services.GrantError) -> None:
    flash(str(error.message), "danger")


def _competition(competition_id: int) -> Competition:
    return db.session.get(Competition, competition_id) or abort(404)


def _grant(grant_id: int, predicate=policies.can_see_grant) -> Grant:
    grant = db.session.get(Grant, grant_id) or abort(404)
    if not predicate(current_user, grant):
        abort(403)
    return grant


def _report(report_id: int, predicate=policies.can_see_grant) -> Report:
    report = db.session.get(Report, report_id) or abort(404)
    if not predicate(current_user, report.grant):
        abort(403)
    return report


def _district_name(region_code: str, code: str) -> str:
    place = geography.district(region_code, code) if code else None
    return place.name(current_locale()) if place else ""


def _template_context() -> dict:
    return {
        "labels": LABELS,
        "breakdowns": breakdowns.BREAKDOWNS,
        "district_name": _district_name,
    }


# --- the grantee's side ---------------------------------------------------------------


@bp.get("/grants")
@require(policies.is_signed_in)
def mine():
    grants = queries.grants_of_user(current_user.id)
    return render_template(
        "grants/mine.html",
        rows=[(g, queries.reports_of(g.id)) for g in grants],
        is_overdue=queries.is_overdue,
        **_template_context(),
    )


def _tranche_rows(grant: Grant) -> list[dict]:
    tranches = services.terms_of(grant.competition).tranches
    amounts = services.tranche_amounts(grant.amount, [t.percent for t in tranches])
    return [
        {
            "tranche": t,
            "amount": amount,
            "paid": services.paid_total(grant.id, t.position),
            "due": services.tranche_is_due(grant, t),
        }
        for t, amount in zip(tranches, amounts, strict=True)
    ]


def _render_grant(grant: Grant, status: int = 200, **forms):
    manage = policies.can_manage_grants(current_user)
    tranche_rows = _tranche_rows(grant)
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
            visits=_visits(grant),
            totals=queries.participants(
                queries.EventFilter(grant.competition_id, grant_id=grant.id)
            ),
            payment_form=payment_form,
            agreement_form=agreement_form,
            status_form=forms.get("status_form") or StatusForm(),
            visit_form=forms.get("visit_form") or VisitForm(),
            allowed_status=services.ALLOWED_STATUS[grant.status],
            **_template_context(),
        ),
        status,
    )


def _visits(grant: Grant) -> list[MonitoringVisit]:
    return list(
        db.session.scalars(
            db.select(MonitoringVisit)
            .where(MonitoringVisit.grant_id == grant.id)
            .order_by(MonitoringVisit.visited_on, MonitoringVisit.id)
        )
    )


@bp.get("/grants/<int:grant_id>")
@require(policies.is_signed_in)
def grant(grant_id: int):
    return _render_grant(_grant(grant_id))


@bp.get("/grants/<int:grant_id>/agreement.docx")
@require(policies.is_signed_in)
def agreement_docx(grant_id: int):
    from smallgrants.documents.agreement import build_agreement_docx

    grant = _grant(grant_id)
    lang = document_locale()
    return document_response(
        build_agreement_docx(grant, lang), f"agreement-{grant.agreement_number}-{lang}.docx"
    )


def _event_form(report: Report, form: EventForm | None = None, event: Event | None = None):
    form = form or EventForm(obj=event)
    region = report.grant.competition.region_code
    form.district_code.choices = choices(
        [("", "—"), *((d.code, d.name(current_locale())) for d in geography.districts_of(region))]
    )
    return form


def _report_forms(report: Report, **given) -> dict:
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


def _render_report(report: Report, status: int = 200, **given):
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
            **_report_forms(report, **given),
            **_template_context(),
        ),
        status,
    )


@bp.get("/reports/<int:report_id>")
@require(policies.is_signed_in)
def report(report_id: int):
    return _render_report(_report(report_id))


def _owned_report(report_id: int) -> Report:
    return _report(report_id, policies.is_grantee)


def _back(report: Report, anchor: str):
    return redirect(url_for("grants.report", report_id=report.id, _anchor=anchor))


@bp.post("/reports/<int:report_id>/narrative")
@require(policies.is_signed_in)
def save_narrative(report_id: int):
    report = _owned_report(report_id)
    form = NarrativeForm()
    if not form.validate_on_submit():
        return _render_report(report, 200, narrative_form=form)
    try:
        services.save_narrative(
            current_user,
            report,
            form.results.data or "",
            form.difficulties.data or "",
            form.success_story.data or "",
        )
    except services.GrantError as error:
        _refused(error)
        return _render_report(report, narrative_form=form)
    flash(_("Saved."), "success")
    return _back(report, "narrative")


def _event_input(form: EventForm) -> services.EventInput:
    return services.EventInput(
        title=form.title.data or "",
        held_on=form.held_on.data,
        district_code=form.district_code.data or "",
        settlement=form.settlement.data or "",
        format=EventFormat(form.format.data),
        description=form.description.data or "",
        counts=form.counts(),
    )


def _save_event_view(report: Report, event: Event | None):
    form = _event_form(report, EventForm() if request.method == "POST" else None, event)
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.save_event(current_user, report, _event_input(form), event)
            except services.BreakdownError as error:  # the form checks first; belt and braces
                form.breakdown_errors = {m.breakdown: str(m) for m in error.mismatches}
            except services.GrantError as error:
                _refused(error)
            else:
                flash(_("The event is saved."), "success")
                return _back(report, "events")
        status = 200
    else:
        form.breakdown_errors = {}
        status = 200
    return (
        render_template(
            "grants/event_form.html",
            report=report,
            grant=report.grant,
            event=event,
            form=form,
            **_template_context(),
        ),
        status,
    )


@bp.route("/reports/<int:report_id>/events/new", methods=["GET", "POST"])
@require(policies.is_signed_in)
def new_event(report_id: int):
    report = _owned_report(report_id)
    if not report.is_editable:
        flash(_("A submitted report cannot be changed."), "danger")
        return _back(report, "events")
    return _save_event_view(report, None)


def _owned(model, object_id: int):
    row = db.session.get(model, object_id) or abort(404)
    report = _owned_report(row.report_id)
    return row, report


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@require(policies.is_signed_in)
def edit_event(event_id: int):
    event, report = _owned(Event, event_id)
    if not report.is_editable:
        flash(_("A submitted report cannot be changed."), "danger")
        return _back(report, "events")
    return _save_event_view(report, event)


@bp.post("/events/<int:event_id>/delete")
@require(policies.is_signed_in)
def delete_event(event_id: int):
    event, report = _owned(Event, event_id)
    try:
        services.delete_event(current_user, event)
    except services.GrantError as error:
        _refused(error)
    else:
        flash(_("The event is deleted."), "success")
    return _back(report, "events")


@bp.post("/reports/<int:report_id>/publications")
@require(policies.is_signed_in)
def add_publication(report_id: int):
    report = _owned_report(report_id)
    form = PublicationForm()
    if not form.validate_on_submit():
        return _render_report(report, 200, publication_form=form)
    try:
        services.add_publication(
            current_user,
            report,
            form.url.data,
            form.media_name.data or "",
            form.published_on.data,
            form.reach.data,
        )
    except services.GrantError as error:
        _refused(error)
        form.url.errors = [error.message]
        return _render_report(report, 200, publication_form=form)
    flash(_("The publication is added."), "success")
    return _back(report, "publications")


@bp.post("/publications/<int:publication_id>/delete")
@require(policies.is_signed_in)
def delete_publication(publication_id: int):
    publication, report = _owned(Publication, publication_id)
    try:
        services.delete_publication(current_user, publication)
    except services.GrantError as error:
        _refused(error)
    return _back(report, "publications")


@bp.post("/reports/<int:report_id>/expenses")
@require(policies.is_signed_in)
def add_expense(report_id: int):
    report = _owned_report(report_id)
    form = _report_forms(report, expense_form=ExpenseForm())["expense_form"]
    if not form.validate_on_submit():
        return _render_report(report, 200, expense_form=form)
    receipt = request.files.get("receipt")
    has_receipt = receipt is not None and bool(receipt.filename)
    try:
        services.add_expense(
            current_user,
            report,
            services.ExpenseInput(
                form.budget_line_id.data, form.spent_on.data, form.amount.data, form.document.data
            ),
            receipt.stream if has_receipt else None,
            receipt.filename if has_receipt else "",
        )
    except services.GrantError as error:
        _refused(error)
        return _render_report(report, 200, expense_form=form)
    flash(_("The expense is added."), "success")
    return _back(report, "expenses")


@bp.post("/expenses/<int:expense_id>/delete")
@require(policies.is_signed_in)
def delete_expense(expense_id: int):
    expense, report = _owned(Expense, expense_id)
    try:
        services.delete_expense(current_user, expense)
    except services.GrantError as error:
        _refused(error)
    return _back(report, "expenses")


@bp.post("/reports/<int:report_id>/files")
@require(policies.is_signed_in)
def add_file(report_id: int):
    report = _owned_report(report_id)
    form = FileForm()
    file = request.files.get("file")
    if not form.validate_on_submit() or file is None or not file.filename:
        if file is None or not file.filename:
            form.file.errors = [_("Choose a file to attach.")]
        return _render_report(report, 200, file_form=form)
    try:
        services.add_report_file(
            current_user,
            report,
            file.stream,
            file.filename,
            FilePurpose(form.purpose.data),
            form.caption.data or "",
        )
    except services.GrantError as error:
        _refused(error)
        form.file.errors = [error.message]
        return _render_report(report, 200, file_form=form)
    flash(_("File “%(name)s” attached.", name=file.filename), "success")
    return _back(report, "files")


@bp.post("/grant-files/<int:file_id>/delete")
@require(policies.is_signed_in)
def delete_file(file_id: int):
    row = db.session.get(GrantFile, file_id) or abort(404)
    if row.report_id is None:
        abort(404)  # visit photos stay with the visit
    report = _owned_report(row.report_id)
    try:
        services.delete_file(current_user, row)
    except services.GrantError as error:
        _refused(error)
    return _back(report, "files")


@bp.get("/grant-files/<int:file_id>")
@require(policies.is_signed_in)
def download_file(file_id: int):
    row = db.session.get(GrantFile, file_id) or abort(404)
    _grant(row.grant_id)  # the grantee or a coordinator
    if row.visit_id is not None and not policies.can_manage_grants(current_user):
        abort(403)  # visit findings are the coordinators'
    response = send_file(
        uploads.path_of(row.stored_name),
        mimetype=uploads.MIME[row.kind],
        as_attachment=not row.is_image,
        download_name=row.original_name,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/reports/<int:report_id>/submit")
@require(policies.is_signed_in)
def submit_report(report_id: int):
    report = _owned_report(report_id)
    try:
        services.submit_report(current_user, report)
    except services.GrantError as error:
        _refused(error)
        return _back(report, "submit")
    flash(_("The report is submitted. The coordinator will review it."), "success")
    return _back(report, "top")


@bp.get("/reports/<int:report_id>/versions/<int:number>")
@require(policies.is_signed_in)
def version(report_id: int, number: int):
    report = _report(report_id)
    found = [v for v in report.versions if v.number == number]
    if not found:
        abort(404)
    lines = {line.item: line for line in report.grant.application.budget}
    return render_template(
        "grants/version.html",
        report=report,
        grant=report.grant,
        v=found[0],
        s=found[0].snapshot,
        lines=lines,
        **_template_context(),
    )


# --- the coordinator's side -----------------------------------------------------------


def _manage_page(competition: Competition, status: int = 200, **forms):
    terms = services.terms_of(competition)
    tranches_form = forms.get("tranches_form")
    if tranches_form is None:
        tranches_form = TranchesForm()
        for i, t in enumerate(terms.tranches, 1):
            getattr(tranches_form, f"percent_{i}").data = t.percent
            getattr(tranches_form, f"condition_{i}").data = t.condition.value
    from smallgrants.commission.models import Commission

    commission = db.session.get(Commission, competition.id)
    return (
        render_template(
            "grants/manage.html",
            c=competition,
            terms=terms,
            ledger=queries.ledger(competition),
            signed=bool(commission and commission.meeting and commission.meeting.is_signed),
            terms_form=forms.get("terms_form") or TermsForm(obj=terms),
            tranches_form=tranches_form,
            period_form=forms.get("period_form") or PeriodForm(),
            due_forms={p.id: DueForm(obj=p) for p in terms.periods},
            kinds=queries.kind_counts(competition.id),
            **_template_context(),
        ),
        status,
    )


@bp.get("/manage/competitions/<int:competition_id>/grants")
@require(policies.can_manage_grants)
def manage(competition_id: int):
    return _manage_page(_competition(competition_id))


@bp.post("/manage/competitions/<int:competition_id>/grants")
@require(policies.can_manage_grants)
def create_grants(competition_id: int):
    competition = _competition(competition_id)
    try:
        made = services.create_grants(current_user, competition)
    except services.GrantError as error:
        _refused(error)
    else:
        flash(_("Grants made from the protocol: %(n)s.", n=len(made)), "success")
    return redirect(url_for("grants.manage", competition_id=competition.id))


@bp.post("/manage/competitions/<int:competition_id>/grant-terms")
@require(policies.can_manage_grants)
def save_terms(competition_id: int):
    competition = _competition(competition_id)
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
        _refused(error)
        form.ends_on.errors = [error.message]
        return _manage_page(competition, 200, terms_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.manage", competition_id=competition.id, _anchor="terms"))


@bp.post("/manage/competitions/<int:competition_id>/tranches")
@require(policies.can_manage_grants)
def save_tranches(competition_id: int):
    competition = _competition(competition_id)
    terms = services.terms_of(competition)
    form = TranchesForm()
    if not form.validate_on_submit():
        return _manage_page(competition, 200, tranches_form=form)
    schedule = [(p, TrancheCondition(c)) for p, c in form.schedule()]
    try:
        services.save_tranches(current_user, terms, schedule)
    except services.GrantError as error:
        _refused(error)
        form.percent_1.errors = [error.message]
        return _manage_page(competition, 200, tranches_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.manage", competition_id=competition.id, _anchor="tranches"))


@bp.post("/manage/competitions/<int:competition_id>/periods")
@require(policies.can_manage_grants)
def add_period(competition_id: int):
    competition = _competition(competition_id)
    terms = services.terms_of(competition)
    form = PeriodForm()
    if not form.validate_on_submit():
        return _manage_page(competition, 200, period_form=form)
    try:
        services.add_period(current_user, terms, PeriodKind(form.kind.data), form.due_at.data)
    except services.GrantError as error:
        _refused(error)
        form.kind.errors = [error.message]
        return _manage_page(competition, 200, period_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.manage", competition_id=competition.id, _anchor="periods"))


@bp.post("/manage/report-periods/<int:period_id>")
@require(policies.can_manage_grants)
def edit_period(period_id: int):
    period = db.session.get(ReportPeriod, period_id) or abort(404)
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
        _refused(error)
        return back
    flash(_("Saved."), "success")
    return back


@bp.post("/manage/grants/<int:grant_id>/agreement")
@require(policies.can_manage_grants)
def save_agreement(grant_id: int):
    grant = _grant(grant_id)
    form = AgreementForm()
    if not form.validate_on_submit():
        return _render_grant(grant, 200, agreement_form=form)
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
        _refused(error)
        form.agreement_number.errors = [error.message]
        return _render_grant(grant, 200, agreement_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.grant", grant_id=grant.id))


@bp.post("/manage/grants/<int:grant_id>/payments")
@require(policies.can_manage_grants)
def record_payment(grant_id: int):
    grant = _grant(grant_id)
    form = PaymentForm()
    form.tranche.choices = choices(
        (str(t.position), str(t.position)) for t in services.terms_of(grant.competition).tranches
    )
    if not form.validate_on_submit():
        return _render_grant(grant, 200, payment_form=form)
    try:
        services.record_payment(
            current_user,
            grant,
            services.PaymentInput(
                form.tranche.data, form.paid_on.data, form.amount.data, form.document_number.data
            ),
        )
    except services.GrantError as error:
        _refused(error)
        form.amount.errors = [error.message]
        return _render_grant(grant, 200, payment_form=form)
    flash(_("The payment is recorded."), "success")
    return redirect(url_for("grants.grant", grant_id=grant.id, _anchor="payments"))


@bp.post("/manage/grants/<int:grant_id>/status")
@require(policies.can_manage_grants)
def change_status(grant_id: int):
    grant = _grant(grant_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _render_grant(grant, 200, status_form=form)
    try:
        services.change_status(
            current_user, grant, GrantStatus(form.status.data), form.reason.data or ""
        )
    except services.GrantError as error:
        _refused(error)
        form.status.errors = [error.message]
        return _render_grant(grant, 200, status_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("grants.grant", grant_id=grant.id))


@bp.post("/manage/grants/<int:grant_id>/visits")
@require(policies.can_manage_grants)
def add_visit(grant_id: int):
    grant = _grant(grant_id)
    form = VisitForm()
    if not form.validate_on_submit():
        return _render_grant(grant, 200, visit_form=form)
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
        _refused(error)
        form.photos.errors = [error.message]
        return _render_grant(grant, 200, visit_form=form)
    flash(_("The visit is recorded."), "success")
    return redirect(url_for("grants.grant", grant_id=grant.id, _anchor="visits"))


@bp.post("/manage/reports/<int:report_id>/review")
@require(policies.can_manage_grants)
def review(report_id: int):
    report = _report(report_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _render_report(report, 200, review_form=form)
    try:
        services.review_report(
            current_user, report, form.decision.data == "accept", form.comment.data or ""
        )
    except services.GrantError as error:
        _refused(error)
        form.comment.errors = [error.message]
        return _render_report(report, 200, review_form=form)
    flash(_("The review is saved and the grantee is told."), "success")
    return redirect(url_for("grants.report", report_id=report.id))


@bp.get("/manage/competitions/<int:competition_id>/monitoring")
@require(policies.can_manage_grants)
def monitoring(competition_id: int):
    competition = _competition(competition_id)
    flt = queries.EventFilter(competition.id)
    totals = queries.participants(flt)
    pending = queries.participants(queries.EventFilter(competition.id, accepted_only=False))
    return render_template(
        "grants/monitoring.html",
        c=competition,
        flt=flt,
        totals=totals,
        pending_total=pending["total"] - totals["total"],
        by_grant=queries.participants_by_grant(competition.id),
        by_district=queries.participants_by_district(competition.id),
        grants=queries.grants_of(competition.id),
        statuses=queries.status_counts(competition.id),
        reports=queries.report_counts(competition.id),
        awaiting=queries.awaiting_review(competition.id),
        spend=queries.spend_by_grant(competition.id),
        publications=queries.publications_summary(competition.id),
        ledger=queries.ledger(competition),
        now=utcnow(),
        **_template_context(),
    )


@bp.get("/manage/competitions/<int:competition_id>/monitoring/events")
@require(policies.can_manage_grants)
def events(competition_id: int):
    competition = _competition(competition_id)
    flt = queries.EventFilter(
        competition.id,
        grant_id=request.args.get("grant", type=db_id),
        district_code=request.args.get("district"),
        report_id=request.args.get("report", type=db_id),
        accepted_only=not request.args.get("all"),
    )
    return render_template(
        "grants/events.html",
        c=competition,
        flt=flt,
        rows=queries.events(flt),
        totals=queries.participants(flt),
        **_template_context(),
    )


@bp.get("/manage/competitions/<int:competition_id>/monitoring.<any(docx, xlsx):fmt>")
@require(policies.can_manage_grants)
def monitoring_report(competition_id: int, fmt: str):
    from smallgrants.documents.monitoring import build_monitoring_docx, build_monitoring_xlsx

    competition = _competition(competition_id)
    lang = document_locale()
    build = build_monitoring_docx if fmt == "docx" else build_monitoring_xlsx
    return document_response(build(competition, lang), f"monitoring-{competition.id}-{lang}.{fmt}")


@bp.post("/manage/competitions/<int:competition_id>/reminders")
@require(policies.can_manage_grants)
def send_reminders(competition_id: int):
    competition = _competition(competition_id)
    sent = services.send_reminders(competition_id=competition.id)

    flash(_("Reminders sent: %(n)s.", n=sent), "success")
    return redirect(url_for("grants.monitoring", competition_id=competition.id))
