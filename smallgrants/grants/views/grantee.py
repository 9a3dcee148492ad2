"""The grantee's pages: their grants, the agreement, the report with its events, publications,
expenses and files, submitting it, its versions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.core.access import require
from smallgrants.core.downloads import document_locale, document_response, stored_file_response
from smallgrants.documents.agreement import build_agreement_docx
from smallgrants.extensions import db
from smallgrants.grants import policies, queries, services
from smallgrants.grants.forms import (
    EventForm,
    ExpenseForm,
    FileForm,
    NarrativeForm,
    PublicationForm,
)
from smallgrants.grants.models import (
    Event,
    EventFormat,
    Expense,
    FilePurpose,
    GrantFile,
    Publication,
    Report,
)
from smallgrants.grants.views.blueprint import (
    bp,
    event_form,
    load_grant,
    load_report,
    refused,
    render_grant,
    render_report,
    report_forms,
    template_context,
)

# --- the grantee's side ---------------------------------------------------------------


@bp.app_template_global()
def my_reports_to_write():
    """The start page: the grantee's reports still to submit, by due date."""
    if not current_user.is_authenticated:
        return []
    return queries.reports_to_write(current_user.id)


@bp.get("/grants")
@require(policies.is_signed_in)
def mine():
    grants = queries.grants_of_user(current_user.id)
    return render_template(
        "grants/mine.html",
        rows=[(g, queries.reports_of(g.id)) for g in grants],
        is_overdue=queries.is_overdue,
        **template_context(),
    )


@bp.get("/grants/<int:grant_id>")
@require(policies.is_signed_in)
def grant(grant_id: int):
    return render_grant(load_grant(grant_id))


@bp.get("/grants/<int:grant_id>/agreement.docx")
@require(policies.is_signed_in)
def agreement_docx(grant_id: int):
    grant = load_grant(grant_id)
    lang = document_locale()
    return document_response(
        build_agreement_docx(grant, lang), f"agreement-{grant.agreement_number}-{lang}.docx"
    )


@bp.get("/reports/<int:report_id>")
@require(policies.is_signed_in)
def report(report_id: int):
    return render_report(load_report(report_id))


def _owned_report(report_id: int) -> Report:
    return load_report(report_id, policies.is_grantee)


def _back(report: Report, anchor: str):
    return redirect(url_for("grants.report", report_id=report.id, _anchor=anchor))


@bp.post("/reports/<int:report_id>/narrative")
@require(policies.is_signed_in)
def save_narrative(report_id: int):
    report = _owned_report(report_id)
    form = NarrativeForm()
    if not form.validate_on_submit():
        return render_report(report, 200, narrative_form=form)
    try:
        services.save_narrative(
            current_user,
            report,
            form.results.data or "",
            form.difficulties.data or "",
            form.success_story.data or "",
        )
    except services.GrantError as error:
        refused(error)
        return render_report(report, narrative_form=form)
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
    form = event_form(report, EventForm() if request.method == "POST" else None, event)
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.save_event(current_user, report, _event_input(form), event)
            except services.BreakdownError as error:  # the form checks first; belt and braces
                form.breakdown_errors = {m.breakdown: str(m) for m in error.mismatches}
            except services.GrantError as error:
                refused(error)
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
            **template_context(),
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
        refused(error)
    else:
        flash(_("The event is deleted."), "success")
    return _back(report, "events")


@bp.post("/reports/<int:report_id>/publications")
@require(policies.is_signed_in)
def add_publication(report_id: int):
    report = _owned_report(report_id)
    form = PublicationForm()
    if not form.validate_on_submit():
        return render_report(report, 200, publication_form=form)
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
        refused(error)
        form.url.errors = [error.message]
        return render_report(report, 200, publication_form=form)
    flash(_("The publication is added."), "success")
    return _back(report, "publications")


@bp.post("/publications/<int:publication_id>/delete")
@require(policies.is_signed_in)
def delete_publication(publication_id: int):
    publication, report = _owned(Publication, publication_id)
    try:
        services.delete_publication(current_user, publication)
    except services.GrantError as error:
        refused(error)
    return _back(report, "publications")


@bp.post("/reports/<int:report_id>/expenses")
@require(policies.is_signed_in)
def add_expense(report_id: int):
    report = _owned_report(report_id)
    form = report_forms(report, expense_form=ExpenseForm())["expense_form"]
    if not form.validate_on_submit():
        return render_report(report, 200, expense_form=form)
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
        refused(error)
        return render_report(report, 200, expense_form=form)
    flash(_("The expense is added."), "success")
    return _back(report, "expenses")


@bp.post("/expenses/<int:expense_id>/delete")
@require(policies.is_signed_in)
def delete_expense(expense_id: int):
    expense, report = _owned(Expense, expense_id)
    try:
        services.delete_expense(current_user, expense)
    except services.GrantError as error:
        refused(error)
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
        return render_report(report, 200, file_form=form)
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
        refused(error)
        form.file.errors = [error.message]
        return render_report(report, 200, file_form=form)
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
        refused(error)
    return _back(report, "files")


@bp.get("/grant-files/<int:file_id>")
@require(policies.is_signed_in)
def download_file(file_id: int):
    row = db.session.get(GrantFile, file_id) or abort(404)
    load_grant(row.grant_id)  # the grantee or a coordinator
    if row.visit_id is not None and not policies.can_manage_grants(current_user):
        abort(403)  # visit findings are the coordinators'
    return stored_file_response(
        row.stored_name, row.kind, row.original_name, as_attachment=not row.is_image
    )


@bp.post("/reports/<int:report_id>/submit")
@require(policies.is_signed_in)
def submit_report(report_id: int):
    report = _owned_report(report_id)
    try:
        services.submit_report(current_user, report)
    except services.GrantError as error:
        refused(error)
        return _back(report, "submit")
    flash(_("The report is submitted. The coordinator will review it."), "success")
    return _back(report, "top")


@bp.get("/reports/<int:report_id>/versions/<int:number>")
@require(policies.is_signed_in)
def version(report_id: int, number: int):
    report = load_report(report_id)
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
        **template_context(),
    )
