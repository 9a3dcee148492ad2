"""Commission screens: the member's work (declare, score), the coordinator's composition,
progress, ranking, meeting, protocol and results, and the public results page."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from smallgrants.applications import services as application_services
from smallgrants.applications.models import Application
from smallgrants.auth import services as auth_services
from smallgrants.commission import conflicts, policies, queries, services
from smallgrants.commission.forms import (
    AddendumForm,
    AssignForm,
    ConflictForm,
    DecisionForm,
    DeclarationForm,
    InvitationAccountForm,
    MeetingForm,
    MemberEditForm,
    MemberForm,
    ReopenForm,
    SettingsForm,
    SignForm,
)
from smallgrants.commission.labels import (
    GROUND_LABELS,
    MODE_LABELS,
    OUTCOME_LABELS,
    ROLE_LABELS,
    TIE_BREAK_LABELS,
)
from smallgrants.commission.models import (
    AttendanceMode,
    Commission,
    CommissionMember,
    CommissionRole,
    ConflictGround,
    Outcome,
    ScoreSheet,
    Stage,
    TieBreakRule,
)
from smallgrants.competitions.models import Competition, CompetitionStatus
from smallgrants.core import geography, uploads
from smallgrants.core.access import authorize, require
from smallgrants.core.downloads import document_locale, document_response
from smallgrants.core.forms import choices
from smallgrants.core.i18n import current_locale
from smallgrants.documents import protocols
from smallgrants.extensions import db

bp = Blueprint("commission", __name__)

LABELS = {
    "roles": ROLE_LABELS,
    "grounds": GROUND_LABELS,
    "modes": MODE_LABELS,
    "outcomes": OUTCOME_LABELS,
    "tie_rules": TIE_BREAK_LABELS,
}


@bp.app_template_global()
def results_published(competition_id: int) -> bool:
    """For pages of the contexts below (the competition's announcement)."""
    return queries.results_published(competition_id)


def _refused(error: services.CommissionError) -> None:
    flash(str(error.message), "danger")


def _competition(competition_id: int) -> Competition:
    return db.session.get(Competition, competition_id) or abort(404)


def _commission(competition_id: int) -> Commission:
    return services.commission_of(_competition(competition_id))


# --- a member's work --------------------------------------------------------------------


def _seat(competition_id: int) -> CommissionMember:
    member = queries.member_of(current_user, competition_id)
    if member is None:
        abort(403)
    return member


@bp.get("/commission")
@require(policies.is_commission_member)
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
@require(policies.is_commission_member)
def competition(competition_id: int):
    commission = _commission(competition_id)
    member = _seat(competition_id)
    q = request.args.get("q", "").strip()
    return render_template(
        "commission/member_competition.html",
        commission=commission,
        c=commission.competition,
        member=member,
        rows=queries.member_applications(member, q),
        q=q,
        submitted=queries.submitted_sheets(commission, member) if member.is_chair else [],
        labels=LABELS,
    )


def _member_application(application_id: int) -> tuple[Application, CommissionMember, Commission]:
    application = db.session.get(Application, application_id) or abort(404)
    member = _seat(application.competition_id)
    authorize(policies.can_open_application(current_user, application))
    return application, member, _commission(application.competition_id)


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
        others = next(
            (r for r in queries.ranking(commission) if r.application.id == application.id), None
        )
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
        members={m.id: m for m in commission.members},
        total=application_services.budget_total(application),
        district=geography.district(application.competition.region_code, application.district_code),
        labels=LABELS,
    )


@bp.get("/commission/applications/<int:application_id>")
@require(policies.is_commission_member)
def application(application_id: int):
    return _render_member_application(*_member_application(application_id))


@bp.post("/commission/applications/<int:application_id>/declaration")
@require(policies.is_commission_member)
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
            _refused(error)
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
@require(policies.is_commission_member)
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
            _refused(error)
        else:
            flash(_("Score sheet submitted.") if submit else _("Draft saved."), "success")
            return redirect(url_for("commission.application", application_id=application.id))
    else:
        flash(_("Please correct the fields marked below. Nothing you typed was lost."), "danger")
    raw = {c.id: request.form.get(f"points-{c.id}", "") for c in criteria}
    return _render_member_application(application, member, commission, entered=raw, errors=errors)


@bp.post("/commission/sheets/<int:sheet_id>/reopen")
@require(policies.is_commission_member)
def reopen_sheet(sheet_id: int):
    sheet = db.session.get(ScoreSheet, sheet_id) or abort(404)
    competition_id = sheet.member.competition_id
    authorize(policies.can_reopen_sheet(current_user, sheet))
    form = ReopenForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for reopening the sheet."), "danger")
    else:
        try:
            services.reopen_sheet(current_user, sheet, form.reason.data)
        except services.CommissionError as error:
            _refused(error)
        else:
            flash(_("The sheet is reopened; its member can change it."), "success")
    return redirect(
        url_for("commission.competition", competition_id=competition_id, _anchor="submitted")
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
    commission = _commission(application.competition_id)
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
            _refused(error)
        else:
            flash(
                _("Conflict of interest recorded for %(name)s.", name=member.full_name), "success"
            )
    else:
        flash(_("Choose the member and the ground."), "danger")
    if policies.can_manage_commission(current_user):
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
                _refused(error)
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
            login_user(user)
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


# --- the coordinator: composition -------------------------------------------------------


def _settings_form(commission: Commission) -> SettingsForm:
    form = SettingsForm(obj=commission) if request.method == "GET" else SettingsForm()
    if request.method == "GET":
        form.tie_break_rule.data = commission.tie_break_rule.value
    return form


def _render_manage(commission: Commission, **forms):
    return render_template(
        "commission/manage.html",
        commission=commission,
        c=commission.competition,
        settings_form=forms.get("settings_form") or _settings_form(commission),
        member_form=forms.get("member_form") or MemberForm(),
        assign_form=forms.get("assign_form") or AssignForm(k=commission.reviewers_per_application),
        edit_forms={
            m.id: MemberEditForm(job_title=m.job_title, role=m.role.value, voting=m.voting)
            for m in commission.members
        },
        labels=LABELS,
    )


@bp.get("/manage/competitions/<int:competition_id>/commission")
@require(policies.can_manage_commission)
def manage(competition_id: int):
    return _render_manage(_commission(competition_id))


@bp.post("/manage/competitions/<int:competition_id>/commission/settings")
@require(policies.can_manage_commission)
def save_settings(competition_id: int):
    commission = _commission(competition_id)
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            services.save_settings(
                current_user,
                commission,
                services.SettingsInput(
                    approval_number=(form.approval_number.data or "").strip(),
                    approval_date=form.approval_date.data,
                    approval_place=(form.approval_place.data or "").strip(),
                    quorum_numerator=form.quorum_numerator.data,
                    quorum_denominator=form.quorum_denominator.data,
                    tie_break_rule=TieBreakRule(form.tie_break_rule.data),
                    dispute_threshold=form.dispute_threshold.data,
                    show_score_in_results=form.show_score_in_results.data,
                ),
            )
        except services.CommissionError as error:
            _refused(error)
        else:
            flash(_("Commission settings saved."), "success")
            return redirect(url_for("commission.manage", competition_id=competition_id))
    return _render_manage(commission, settings_form=form)


@bp.post("/manage/competitions/<int:competition_id>/commission/members")
@require(policies.can_manage_commission)
def add_member(competition_id: int):
    commission = _commission(competition_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            member = services.add_member(
                current_user,
                commission,
                email=form.email.data,
                full_name=form.full_name.data,
                job_title=form.job_title.data or "",
                role=CommissionRole(form.role.data),
                voting=form.voting.data,
            )
        except services.CommissionError as error:
            _refused(error)
        else:
            if member.is_pending:
                flash(_("Invitation sent to %(email)s.", email=member.email), "success")
            else:
                flash(_("%(name)s is on the commission.", name=member.full_name), "success")
            return redirect(url_for("commission.manage", competition_id=competition_id))
    return _render_manage(commission, member_form=form)


def _member(member_id: int) -> CommissionMember:
    return db.session.get(CommissionMember, member_id) or abort(404)


@bp.post("/manage/commission-members/<int:member_id>")
@require(policies.can_manage_commission)
def edit_member(member_id: int):
    member = _member(member_id)
    form = MemberEditForm()
    if form.validate_on_submit():
        try:
            services.update_member(
                current_user,
                member,
                job_title=form.job_title.data or "",
                role=CommissionRole(form.role.data),
                voting=form.voting.data,
            )
        except services.CommissionError as error:
            _refused(error)
        else:
            flash(_("Saved."), "success")
    else:
        flash(_("Please correct the fields marked below. Nothing you typed was lost."), "danger")
    return redirect(url_for("commission.manage", competition_id=member.competition_id))


@bp.post("/manage/commission-members/<int:member_id>/remove")
@require(policies.can_manage_commission)
def remove_member(member_id: int):
    member = _member(member_id)
    competition_id = member.competition_id
    try:
        services.remove_member(current_user, member)
    except services.CommissionError as error:
        _refused(error)
    else:
        flash(_("Removed from the commission."), "info")
    return redirect(url_for("commission.manage", competition_id=competition_id))


@bp.post("/manage/competitions/<int:competition_id>/commission/assign")
@require(policies.can_manage_commission)
def assign(competition_id: int):
    commission = _commission(competition_id)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            made = services.assign_reviewers(current_user, commission, form.k.data)
        except services.CommissionError as error:
            _refused(error)
        else:
            if form.k.data:
                flash(_("%(n)s assignments made.", n=made), "success")
            else:
                flash(_("Every voting member scores every application."), "success")
            return redirect(url_for("commission.manage", competition_id=competition_id))
    return _render_manage(commission, assign_form=form)


@bp.get("/manage/competitions/<int:competition_id>/commission/approval.docx")
@require(policies.can_manage_commission)
def approval_docx(competition_id: int):
    commission = _commission(competition_id)
    lang = document_locale()
    return document_response(
        protocols.build_approval_docx(commission, lang),
        f"approval-{competition_id}-{lang}.docx",
    )


# --- the coordinator: progress and ranking ----------------------------------------------


@bp.get("/manage/competitions/<int:competition_id>/scoring")
@require(policies.can_manage_commission)
def progress_page(competition_id: int):
    commission = _commission(competition_id)
    return render_template(
        "commission/progress.html",
        commission=commission,
        c=commission.competition,
        p=queries.progress(commission),
        labels=LABELS,
    )


@bp.post("/manage/competitions/<int:competition_id>/scoring/<any(close, reopen):action>")
@require(policies.can_manage_commission)
def scoring_state(competition_id: int, action: str):
    commission = _commission(competition_id)
    try:
        if action == "close":
            services.close_scoring(current_user, commission)
            flash(_("Scoring is closed; members can now see each other’s scores."), "success")
        else:
            services.reopen_scoring(current_user, commission)
            flash(_("Scoring is open again."), "info")
    except services.CommissionError as error:
        _refused(error)
    return redirect(url_for("commission.progress_page", competition_id=competition_id))


@bp.post("/manage/competitions/<int:competition_id>/scoring/remind")
@require(policies.can_manage_commission)
def remind(competition_id: int):
    commission = _commission(competition_id)
    try:
        sent = services.remind(current_user, commission)
    except services.CommissionError as error:
        _refused(error)
    else:
        flash(_("Reminders sent to %(n)s members.", n=sent), "success")
    return redirect(url_for("commission.progress_page", competition_id=competition_id))


@bp.get("/manage/competitions/<int:competition_id>/ranking")
@require(policies.can_manage_commission)
def ranking(competition_id: int):
    commission = _commission(competition_id)
    rows = queries.ranking(commission)
    return render_template(
        "commission/ranking.html",
        commission=commission,
        c=commission.competition,
        rows=rows,
        hints={r.application.id: queries.tie_break_hint(commission, r, rows) for r in rows},
        members={m.id: m for m in commission.members},
        labels=LABELS,
    )


# --- the coordinator: meeting, decisions, protocol, results -----------------------------


def _render_meeting(commission: Commission, meeting_form=None, decision_forms=None):
    rows = queries.ranking(commission)
    meeting = commission.meeting
    if meeting_form is None:
        meeting_form = MeetingForm(obj=meeting) if meeting else MeetingForm()
    forms = decision_forms or {}
    for r in rows:
        if r.application.id not in forms:
            d = r.decision
            forms[r.application.id] = DecisionForm(
                prefix=f"d{r.application.id}",
                formdata=None,
                outcome=d.outcome.value if d else Outcome.AWARD.value,
                amount=d.amount if d else commission.competition.grant_amount,
                votes_for=d.votes_for if d else None,
                votes_against=d.votes_against if d else None,
                votes_abstain=d.votes_abstain if d else None,
                rationale=d.rationale if d else "",
                tie_break=d.tie_break if d else "",
            )
    total, count = queries.awarded(meeting.id if meeting else None)
    return render_template(
        "commission/meeting.html",
        commission=commission,
        c=commission.competition,
        meeting=meeting,
        meeting_form=meeting_form,
        rows=rows,
        hints={r.application.id: queries.tie_break_hint(commission, r, rows) for r in rows},
        decision_forms=forms,
        quorum=services.quorum_for(commission),
        app_quorum={
            r.application.id: services.quorum_for(commission, {m.id for m in r.recused})
            for r in rows
        },
        awarded_total=total,
        awarded_count=count,
        sign_form=SignForm(),
        addendum_form=AddendumForm(),
        seated=[m for m in commission.members if not m.is_pending],
        labels=LABELS,
    )


@bp.get("/manage/competitions/<int:competition_id>/meeting")
@require(policies.can_manage_commission)
def meeting(competition_id: int):
    return _render_meeting(_commission(competition_id))


@bp.post("/manage/competitions/<int:competition_id>/meeting")
@require(policies.can_manage_commission)
def save_meeting(competition_id: int):
    commission = _commission(competition_id)
    form = MeetingForm()
    attendance = {}
    for m in commission.members:
        value = request.form.get(f"mode-{m.id}")
        if value in {mode.value for mode in AttendanceMode}:
            attendance[m.id] = AttendanceMode(value)
    if form.validate_on_submit():
        try:
            services.save_meeting(
                current_user,
                commission,
                services.MeetingInput(
                    number=form.number.data,
                    held_at=form.held_at.data,
                    place=form.place.data or "",
                    online_link=form.online_link.data or "",
                    attendance=attendance,
                ),
            )
        except services.CommissionError as error:
            _refused(error)
        else:
            flash(_("Meeting saved."), "success")
            return redirect(url_for("commission.meeting", competition_id=competition_id))
    return _render_meeting(commission, meeting_form=form)


@bp.post("/manage/competitions/<int:competition_id>/meeting/decisions/<int:application_id>")
@require(policies.can_manage_commission)
def decide(competition_id: int, application_id: int):
    commission = _commission(competition_id)
    application = db.session.get(Application, application_id)
    if application is None or application.competition_id != competition_id:
        abort(404)
    form = DecisionForm(prefix=f"d{application_id}")
    if form.validate_on_submit():
        try:
            services.decide(
                current_user,
                commission,
                application,
                services.DecisionInput(
                    outcome=Outcome(form.outcome.data),
                    amount=form.amount.data,
                    votes_for=form.votes_for.data,
                    votes_against=form.votes_against.data,
                    votes_abstain=form.votes_abstain.data,
                    rationale=form.rationale.data or "",
                    tie_break=form.tie_break.data or "",
                ),
            )
        except services.CommissionError as error:
            _refused(error)
        else:
            flash(_("Decision on %(number)s recorded.", number=application.number), "success")
            return redirect(
                url_for(
                    "commission.meeting",
                    competition_id=competition_id,
                    _anchor=f"a{application_id}",
                )
            )
    else:
        flash(_("Please correct the fields marked below. Nothing you typed was lost."), "danger")
    return _render_meeting(commission, decision_forms={application_id: form})


@bp.get("/manage/competitions/<int:competition_id>/meeting/protocol.docx")
@require(policies.can_manage_commission)
def protocol_docx(competition_id: int):
    """The signed protocol exactly as signed; before signing, a draft in the asked language."""
    commission = _commission(competition_id)
    meeting = commission.meeting or abort(404)
    if meeting.is_signed:
        path = uploads.path_of(meeting.protocol_stored_name)
        return document_response(
            path.read_bytes(), f"protocol-{competition_id}-{meeting.protocol_locale}.docx"
        )
    lang = document_locale()
    return document_response(
        protocols.build_meeting_docx(commission, lang),
        f"protocol-{competition_id}-{lang}-draft.docx",
    )


@bp.post("/manage/competitions/<int:competition_id>/meeting/sign")
@require(policies.can_manage_commission)
def sign(competition_id: int):
    commission = _commission(competition_id)
    form = SignForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        meeting = services.sign(current_user, commission, form.locale.data)
    except services.CommissionError as error:
        _refused(error)
    else:
        flash(_("The protocol is signed. SHA-256: %(sha)s", sha=meeting.protocol_sha256), "success")
    return redirect(url_for("commission.meeting", competition_id=competition_id))


@bp.post("/manage/competitions/<int:competition_id>/meeting/addenda")
@require(policies.can_manage_commission)
def add_addendum(competition_id: int):
    commission = _commission(competition_id)
    form = AddendumForm()
    try:
        if not form.validate_on_submit():
            raise services.CommissionError(_("Write the text of the addendum."))
        services.add_addendum(current_user, commission, form.text.data)
    except services.CommissionError as error:
        _refused(error)
    else:
        flash(_("Addendum added to the protocol."), "success")
    return redirect(url_for("commission.meeting", competition_id=competition_id, _anchor="addenda"))


@bp.post("/manage/competitions/<int:competition_id>/results/publish")
@require(policies.can_manage_commission)
def publish(competition_id: int):
    commission = _commission(competition_id)
    try:
        sent = services.publish_results(current_user, commission)
    except services.CommissionError as error:
        _refused(error)
        return redirect(url_for("commission.meeting", competition_id=competition_id))
    flash(
        _(
            "Results published; e-mails to %(n)s applicants are queued (the E-mail page shows "
            "what was delivered).",
            n=sent,
        ),
        "success",
    )
    return redirect(url_for("commission.results", competition_id=competition_id))


@bp.get("/competitions/<int:competition_id>/results")
def results(competition_id: int):
    competition = _competition(competition_id)
    commission = db.session.get(Commission, competition_id)
    if (
        competition.status != CompetitionStatus.PUBLISHED
        or commission is None
        or commission.stage != Stage.PUBLISHED
    ):
        abort(404)
    winners = queries.winners(commission)
    locale = current_locale()
    return render_template(
        "commission/results.html",
        c=competition,
        commission=commission,
        winners=winners,
        total=sum(w.amount for w in winners),
        districts={d.code: d.name(locale) for d in geography.districts_of(competition.region_code)},
    )
