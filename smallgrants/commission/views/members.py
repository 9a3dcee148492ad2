"""A member's pages: their seats, the applications visible to them, the declaration, the score
sheet, the chair's reopening and conflict recording, and accepting an invitation."""

from __future__ import annotations

import re

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.applications import services as application_services
from smallgrants.applications.models import Application
from smallgrants.auth import services as auth_services
from smallgrants.auth.session import sign_in
from smallgrants.commission import conflicts, policies, queries, services
from smallgrants.commission.forms import (
    ConflictForm,
    DeclarationForm,
    InvitationAccountForm,
    ReopenForm,
)
from smallgrants.commission.models import (
    Commission,
    CommissionMember,
    ConflictGround,
    ScoreSheet,
)
from smallgrants.commission.views.blueprint import LABELS, bp, kept_table, load_commission, refused
from smallgrants.competitions.models import Competition
from smallgrants.core import geography
from smallgrants.core.access import authorize, require
from smallgrants.core.forms import choices
from smallgrants.core.i18n import current_locale
from smallgrants.extensions import db

# --- a member's work --------------------------------------------------------------------


@bp.app_template_global()
def my_commission_work():
    """The start page: per scoring commission, the applications the member still has to
    declare on or score."""
    if not policies.can_work_on_commission(current_user):
        return []
    return queries.work_of(current_user)


def _seat(competition_id: int) -> CommissionMember:
    member = queries.member_of(current_user, competition_id)
    if member is None:
        abort(403)
    return member


@bp.get("/commission")
@require(policies.can_work_on_commission)
def mine():
    seats = db.session.scalars(
        db.select(CommissionMember)
        .where(CommissionMember.user_id == current_user.id)
        .order_by(CommissionMember.competition_id.desc())
    ).all()
    return render_template(
        "commission/mine.html",
        seats=[(s, db.session.get(Commission, s.competition_id)) for s in seats],
        labels=LABELS,
    )


@bp.get("/commission/competitions/<int:competition_id>")
@require(policies.can_work_on_commission)
def competition(competition_id: int):
    commission = load_commission(competition_id)
    member = _seat(competition_id)
    q = request.args.get("q", "").strip()

    def build(_now):
        rows = queries.member_applications(member, q)
        return render_template("commission/_member_list_body.html", rows=rows), None

    return render_template(
        "commission/member_competition.html",
        commission=commission,
        c=commission.competition,
        member=member,
        body=kept_table(competition_id, build, member.id),
        q=q,
        labels=LABELS,
    )


def _member_application(application_id: int) -> tuple[Application, CommissionMember, Commission]:
    application = db.session.get(Application, application_id) or abort(404)
    member = _seat(application.competition_id)
    authorize(policies.can_open_application(current_user, application))
    return application, member, load_commission(application.competition_id)


def _points_from(form, criteria) -> tuple[dict[int, int | None], dict[int, str]]:
    points, errors = {}, {}
    for criterion in criteria:
        raw = (form.get(f"points-{criterion.id}") or "").strip()
        if not raw:
            points[criterion.id] = None
        elif re.fullmatch(r"[0-9]{1,6}", raw) and int(raw) <= criterion.max_points:
            points[criterion.id] = int(raw)
        else:
            points[criterion.id] = None
            errors[criterion.id] = _("Give from 0 to %(max)s points.", max=criterion.max_points)
    return points, errors


def _render_member_application(
    application, member, commission, *, declaration_form=None, entered=None, errors=None
):
    sheet = queries.sheet_of(member, application.id)
    cleared = policies.can_read_application(current_user, application)
    others = None
    if policies.can_see_others_scores(current_user, application):
        others = queries.scores_of(commission, application.id)
    submitted = []
    if member.is_chair:
        submitted = queries.submitted_sheets(commission, member, application.id)
    conflict_form = None
    if policies.can_record_conflict_on(current_user, application):
        conflict_form = _conflict_form(commission, application)
    return render_template(
        "commission/member_application.html",
        a=application,
        member=member,
        commission=commission,
        cleared=cleared,
        sheet=sheet,
        entered=entered if entered is not None else (sheet.points_by_criterion() if sheet else {}),
        comment=request.form.get("comment")
        if entered is not None
        else (sheet.comment if sheet else ""),
        errors=errors or {},
        declaration_form=declaration_form or DeclarationForm(),
        conflict_form=conflict_form,
        reopen_form=ReopenForm(),
        others=others,
        submitted=submitted,
        members={m.id: m for m in commission.members},
        total=application_services.budget_total(application),
        district=geography.district(application.competition.region_code, application.district_code),
        labels=LABELS,
    )


@bp.get("/commission/applications/<int:application_id>")
@require(policies.can_work_on_commission)
def application(application_id: int):
    return _render_member_application(*_member_application(application_id))


@bp.post("/commission/applications/<int:application_id>/declaration")
@require(policies.can_work_on_commission)
def declare(application_id: int):
    application, member, commission = _member_application(application_id)
    form = DeclarationForm()
    if form.validate_on_submit():
        conflict = form.conflict.data == "yes"
        try:
            services.declare(
                current_user,
                member,
                application,
                conflict=conflict,
                ground=ConflictGround(form.ground.data) if form.ground.data else None,
                reason=form.reason.data or "",
            )
        except services.CommissionError as error:
            refused(error)
        else:
            if conflict:
                flash(
                    _("Your conflict of interest is recorded; the application is closed to you."),
                    "info",
                )
                return redirect(
                    url_for("commission.competition", competition_id=commission.competition_id)
                )
            flash(_("Declaration recorded."), "success")
            return redirect(url_for("commission.application", application_id=application.id))
    return _render_member_application(application, member, commission, declaration_form=form)


@bp.post("/commission/applications/<int:application_id>/sheet")
@require(policies.can_work_on_commission)
def save_sheet(application_id: int):
    application, member, commission = _member_application(application_id)
    criteria = application.competition.criteria
    points, errors = _points_from(request.form, criteria)
    submit = request.form.get("action") == "submit"
    if not errors:
        try:
            services.save_sheet(
                current_user,
                member,
                application,
                points,
                request.form.get("comment", ""),
                submit=submit,
            )
        except services.CommissionError as error:
            refused(error)
        else:
            flash(_("Score sheet submitted.") if submit else _("Draft saved."), "success")
            return redirect(url_for("commission.application", application_id=application.id))
    else:
        flash(_("Please correct the fields marked below. Nothing you typed was lost."), "danger")
    raw = {c.id: request.form.get(f"points-{c.id}", "") for c in criteria}
    return _render_member_application(application, member, commission, entered=raw, errors=errors)


@bp.post("/commission/sheets/<int:sheet_id>/reopen")
@require(policies.can_work_on_commission)
def reopen_sheet(sheet_id: int):
    sheet = db.session.get(ScoreSheet, sheet_id) or abort(404)
    authorize(policies.can_reopen_sheet(current_user, sheet))
    form = ReopenForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for reopening the sheet."), "danger")
    else:
        try:
            services.reopen_sheet(current_user, sheet, form.reason.data)
        except services.CommissionError as error:
            refused(error)
        else:
            flash(_("The sheet is reopened; its member can change it."), "success")
    return redirect(
        url_for("commission.application", application_id=sheet.application_id, _anchor="submitted")
    )


def _conflict_form(commission: Commission, application: Application) -> ConflictForm:
    form = ConflictForm()
    conflicted = conflicts.conflicted_member_ids(commission.competition_id, application.id)
    form.member_id.choices = choices(
        (m.id, m.full_name)
        for m in commission.members
        if not m.is_pending and m.id not in conflicted
    )
    return form


@bp.post("/commission/applications/<int:application_id>/conflicts")
@require(policies.may_record_conflicts)
def record_conflict(application_id: int):
    application = db.session.get(Application, application_id) or abort(404)
    commission = load_commission(application.competition_id)
    authorize(policies.can_record_conflict_on(current_user, application))
    form = _conflict_form(commission, application)
    if form.validate_on_submit():
        member = db.session.get(CommissionMember, form.member_id.data)
        try:
            services.declare(
                current_user,
                member,
                application,
                conflict=True,
                ground=ConflictGround(form.ground.data),
                reason=form.reason.data or "",
            )
        except services.CommissionError as error:
            refused(error)
        else:
            flash(
                _("Conflict of interest recorded for %(name)s.", name=member.full_name), "success"
            )
    else:
        flash(_("Choose the member and the ground."), "danger")
    if policies.can_manage_commission_of(current_user, application.competition):
        return redirect(
            url_for("commission.progress_page", competition_id=commission.competition_id)
        )
    return redirect(url_for("commission.competition", competition_id=commission.competition_id))


# --- invitations ------------------------------------------------------------------------


@bp.route("/commission/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    member = services.load_invitation(token)
    if member is None:
        flash(_("The invitation link is invalid, expired or already used."), "danger")
        return redirect(url_for("core.index"))
    existing = auth_services.find_user_by_email(member.email)
    form = InvitationAccountForm(full_name=member.full_name)
    if request.method == "POST":
        if current_user.is_authenticated or existing is not None:
            if not current_user.is_authenticated:
                flash(_("You already have an account: sign in to accept the invitation."), "info")
                return redirect(url_for("auth.login", next=request.path))
            try:
                services.accept_invitation(member, current_user)
            except services.CommissionError as error:
                refused(error)
                return redirect(url_for("core.index"))
            flash(_("Welcome to the commission."), "success")
            return redirect(url_for("commission.competition", competition_id=member.competition_id))
        if form.validate_on_submit():
            user = services.accept_invitation_new_account(
                member,
                full_name=form.full_name.data,
                password=form.password.data,
                locale=current_locale(),
            )
            sign_in(user)
            flash(_("Welcome to the commission."), "success")
            return redirect(url_for("commission.competition", competition_id=member.competition_id))
    return render_template(
        "commission/invitation.html",
        member=member,
        c=db.session.get(Competition, member.competition_id),
        form=form,
        existing=existing,
        labels=LABELS,
    )
