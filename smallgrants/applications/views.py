"""Applicant profiles and applications: load → check access → call a service → render."""

from __future__ import annotations

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
from flask_login import current_user

from smallgrants.applications import policies, queries, services
from smallgrants.applications.forms import ApplicationForm, ProfileForm
from smallgrants.applications.labels import STATUS_BADGES, kind_label, kind_labels, status_labels
from smallgrants.applications.models import (
    ApplicantKind,
    ApplicantProfile,
    Application,
    ApplicationStatus,
    Attachment,
)
from smallgrants.auth import policies as auth_policies
from smallgrants.competitions import policies as competition_policies
from smallgrants.competitions.models import Competition
from smallgrants.core import fragments, geography
from smallgrants.core.access import authorize, require
from smallgrants.core.converters import db_id
from smallgrants.core.downloads import document_response, stored_file_response
from smallgrants.core.i18n import current_locale, quoted
from smallgrants.documents.application import build_application_docx
from smallgrants.documents.registry import build_registry_xlsx
from smallgrants.extensions import db
from smallgrants.organisations import policies as organisation_policies

bp = Blueprint("applications", __name__)

bp.add_app_template_global(kind_label, "applicant_kind")  # "NGO", "Initiative group", …
bp.add_app_template_global(kind_labels, "applicant_kinds")  # all of them, for a long list
bp.add_app_template_global(status_labels, "application_statuses")
bp.add_app_template_global(STATUS_BADGES, "status_badges")


@bp.app_template_global()
def my_applications_now():
    """The start page: the signed-in person's drafts (with their deadlines) and submitted
    applications (with their status)."""
    if not current_user.is_authenticated:
        return []
    return queries.applications_of_user(current_user.id)


@bp.app_template_global()
def applications_to_screen():
    """The start page: submitted applications waiting for screening (coordinators)."""
    if not policies.can_manage_intake(current_user):
        return []
    return queries.to_screen(organisation_policies.mine(current_user))


@bp.app_template_global()
def entries_of_current_user(competition) -> tuple[list, list]:
    """For the competition's announcement (a page of the competitions context, which sits
    below this one): the signed-in user's applications to it and the profiles it accepts."""
    if not current_user.is_authenticated:
        return [], []
    applications = queries.applications_of_user_in(current_user.id, competition.id)
    applied = {a.profile_id for a in applications if a.status != ApplicationStatus.WITHDRAWN}
    return (
        applications,
        [
            p
            for p in queries.profiles_of(current_user.id)
            if competition.accepts(p.kind) and p.id not in applied
        ],
    )


def _text(field) -> str:
    return (field.data or "").strip()


# --- profiles ---------------------------------------------------------------------------


@bp.get("/profiles")
@require(auth_policies.is_signed_in)
def profiles():
    return render_template(
        "applications/profiles.html", profiles=queries.profiles_of(current_user.id)
    )


def _profile_input(form: ProfileForm, kind: ApplicantKind) -> services.ProfileInput:
    return services.ProfileInput(
        kind=kind,
        name=_text(form.name),
        bin=form.bin.data or None,
        leader_iin=form.leader_iin.data or None,
        head_name=_text(form.head_name),
        legal_address=_text(form.legal_address),
        phone=form.phone.e164,
        email=_text(form.email).lower(),
        members=[
            services.MemberInput(_text(row.full_name), row.phone.e164, _text(row.email).lower())
            for row in (entry.form for entry in form.members)
            if not row.is_blank
        ],
    )


def _profile_form_page(form: ProfileForm, kind: ApplicantKind, profile=None):
    if request.method == "POST" and "add_member" in request.form:
        # one more member row, everything typed kept; nothing saved yet (works without JS)
        form.members.append_entry()
        return render_template(
            "applications/profile_form.html", form=form, kind=kind.value, profile=profile
        )
    if form.validate_on_submit():
        try:
            saved = services.save_profile(current_user, _profile_input(form, kind), profile)
        except services.ApplicationError as error:
            flash(str(error.message), "danger")
        else:
            flash(_("Profile of %(name)s saved.", name=quoted(saved.name)), "success")
            competition_id = request.args.get("next_competition", type=db_id)
            if competition_id:
                return redirect(
                    url_for(
                        "competitions.announcement", competition_id=competition_id, _anchor="apply"
                    )
                )
            return redirect(url_for("applications.profiles"))
    return render_template(
        "applications/profile_form.html", form=form, kind=kind.value, profile=profile
    )


@bp.route("/profiles/new/<any(ngo, group, individual):kind>", methods=["GET", "POST"])
@require(auth_policies.is_signed_in)
def new_profile(kind: str):
    form = ProfileForm(kind=kind)
    return _profile_form_page(form, ApplicantKind(kind))


@bp.route("/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
@require(auth_policies.is_signed_in)
def edit_profile(profile_id: int):
    profile = db.session.get(ApplicantProfile, profile_id) or abort(404)
    if not policies.owns_profile(current_user, profile):
        abort(403)
    if request.method == "GET":
        form = ProfileForm(obj=profile, kind=profile.kind.value)
        form.add_spare_rows()
    else:
        form = ProfileForm(kind=profile.kind.value)
    return _profile_form_page(form, profile.kind, profile)


# --- applications -----------------------------------------------------------------------


def _load_application(application_id: int, allowed) -> Application:
    application = db.session.get(Application, application_id) or abort(404)
    if not allowed(current_user, application):
        abort(403)
    return application


@bp.get("/applications")
@require(auth_policies.is_signed_in)
def my_applications():
    return render_template(
        "applications/mine.html", applications=queries.applications_of(current_user.id)
    )


@bp.post("/competitions/<int:competition_id>/apply")
@require(policies.can_apply)
def start(competition_id: int):
    competition = db.session.get(Competition, competition_id) or abort(404)
    profile = db.session.get(ApplicantProfile, request.form.get("profile_id", type=db_id) or 0)
    if profile is None:
        abort(400)
    if not policies.owns_profile(current_user, profile):
        abort(403)
    try:
        application = services.start_application(current_user, competition, profile)
    except services.ApplicationError as error:
        flash(str(error.message), "danger")
        return redirect(url_for("competitions.announcement", competition_id=competition_id))
    return redirect(url_for("applications.edit", application_id=application.id))


def _districts(application: Application):
    locale = current_locale()
    return geography.named(application.competition.eligible_districts, locale)


def _application_input(form: ApplicationForm) -> services.ApplicationInput:
    return services.ApplicationInput(
        title=_text(form.title),
        district_code=form.district_code.data or "",
        settlement=_text(form.settlement),
        problem=_text(form.problem),
        goal=_text(form.goal),
        tasks=_text(form.tasks),
        target_group=_text(form.target_group),
        planned_participants=form.planned_participants.data,
        sustainability=_text(form.sustainability),
        video_url=_text(form.video_url),
        team=_text(form.team),
        activities=[
            services.ActivityInput(
                _text(r.activity), _text(r.dates), _text(r.place), r.planned_participants.data
            )
            for r in (e.form for e in form.activities)
            if not r.is_blank
        ],
        budget=[
            services.BudgetInput(_text(r.item), _text(r.unit), r.quantity.data, r.unit_cost.data)
            for r in (e.form for e in form.budget)
            if not r.is_blank
        ],
        results=[
            services.ResultInput(_text(r.result), _text(r.indicator), _text(r.planned_value))
            for r in (e.form for e in form.results)
            if not r.is_blank
        ],
    )


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@require(auth_policies.is_signed_in)
def edit(application_id: int):
    application = _load_application(application_id, policies.can_edit_application)
    if request.method == "GET":
        form = ApplicationForm(
            obj=application, districts=_districts(application), competition=application.competition
        )
        form.add_spare_rows()
    else:
        form = ApplicationForm(
            districts=_districts(application), competition=application.competition
        )
    if form.validate_on_submit():
        try:
            services.save_draft(current_user, application, _application_input(form))
        except services.ApplicationError as error:
            flash(str(error.message), "danger")
        else:
            flash(_("Draft saved."), "success")
            return redirect(url_for("applications.view", application_id=application.id))
    return render_template("applications/form.html", form=form, application=application)


@bp.get("/applications/<int:application_id>")
@require(auth_policies.is_signed_in)
def view(application_id: int):
    application = _load_application(application_id, policies.can_view_application)
    return render_template(
        "applications/view.html",
        a=application,
        missing=services.missing_sections(application),
        total=services.budget_total(application),
        district=geography.district(application.competition.region_code, application.district_code),
    )


@bp.post("/applications/<int:application_id>/submit")
@require(auth_policies.is_signed_in)
def submit(application_id: int):
    application = _load_application(application_id, policies.is_applicant)
    try:
        number = services.submit(current_user, application)
    except services.ApplicationError as error:
        flash(str(error.message), "danger")
    else:
        flash(
            _(
                "Application submitted. Its number is %(number)s; a receipt is on its way "
                "to your e-mail.",
                number=number,
            ),
            "success",
        )
    return redirect(url_for("applications.view", application_id=application.id))


@bp.post("/applications/<int:application_id>/withdraw")
@require(auth_policies.is_signed_in)
def withdraw(application_id: int):
    application = _load_application(application_id, policies.is_applicant)
    try:
        services.withdraw(current_user, application)
    except services.ApplicationError as error:
        flash(str(error.message), "danger")
    else:
        flash(_("The application is withdrawn."), "info")
    return redirect(url_for("applications.view", application_id=application.id))


# --- the coordinator: registry, screening, export ---------------------------------------


def _managed_competition(competition_id: int) -> Competition:
    """A competition of one of the coordinator's organisations (another's: 403)."""
    competition = db.session.get(Competition, competition_id) or abort(404)
    authorize(competition_policies.can_manage_competition(current_user, competition))
    return competition


def _registry_filter() -> queries.RegistryFilter:
    return queries.RegistryFilter.from_args(request.args)


def _registry_sources(competition_id: int) -> tuple[str, str]:
    """What a registry (page and XLSX) is kept under: the competition, its received
    applications and their budget lines (migration 0029), and their applicants."""
    return fragments.intake(competition_id), fragments.PEOPLE


@bp.get("/manage/competitions/<int:competition_id>/applications")
@require(policies.can_manage_intake)
def registry(competition_id: int):
    competition = _managed_competition(competition_id)

    def build(_now):
        f = _registry_filter()
        locale = current_locale()
        districts = geography.named(geography.districts_of(competition.region_code), locale)
        html = render_template(
            "applications/_registry_body.html",
            c=competition,
            f=f,
            rows=queries.registry_rows(competition.id, f),
            counts=queries.intake_counts(competition.id),
            districts=dict(districts),
        )
        return html, None

    # per filter, sort and language (the address)
    body = fragments.kept(_registry_sources(competition.id), fragments.request_key(), build)
    return render_template("applications/registry.html", body=body)


@bp.get("/manage/competitions/<int:competition_id>/applications.xlsx")
@require(policies.can_manage_intake)
def registry_xlsx(competition_id: int):
    competition = _managed_competition(competition_id)

    def build(_now):
        rows = queries.registry_rows(competition.id, _registry_filter())
        return build_registry_xlsx(competition, rows, current_locale()), None

    # kept like the registry page, from the same rows, per filter, sort and language
    data = fragments.kept_value(_registry_sources(competition.id), fragments.request_key(), build)
    return document_response(data, f"registry-{competition.id}.xlsx")


@bp.post("/manage/applications/<int:application_id>/screening")
@require(policies.can_manage_intake)
def screening(application_id: int):
    application = _load_application(application_id, policies.can_screen)
    decision = request.form.get("decision")
    if decision not in ("admissible", "inadmissible"):
        abort(400)
    try:
        services.screen(
            current_user, application, decision == "admissible", request.form.get("reason", "")
        )
    except services.ApplicationError as error:
        flash(str(error.message), "danger")
    else:
        flash(_("Screening result saved; the applicant is informed."), "success")
    return redirect(url_for("applications.view", application_id=application.id))


# --- attachments ------------------------------------------------------------------------


@bp.post("/applications/<int:application_id>/attachments")
@require(auth_policies.is_signed_in)
def upload(application_id: int):
    application = _load_application(application_id, policies.can_edit_application)
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose a file to attach."), "danger")
    else:
        item_id = request.form.get("checklist_item_id", type=db_id)
        try:
            services.add_attachment(current_user, application, file.stream, file.filename, item_id)
        except services.ApplicationError as error:
            flash(str(error.message), "danger")
        else:
            flash(_("File “%(name)s” attached.", name=file.filename), "success")
    return redirect(
        url_for("applications.view", application_id=application.id, _anchor="attachments")
    )


@bp.post("/applications/<int:application_id>/attachments/<int:attachment_id>/delete")
@require(auth_policies.is_signed_in)
def delete_attachment(application_id: int, attachment_id: int):
    application = _load_application(application_id, policies.can_edit_application)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.application_id != application.id:
        abort(404)
    try:
        services.delete_attachment(current_user, attachment)
    except services.ApplicationError as error:
        flash(str(error.message), "danger")
    return redirect(
        url_for("applications.view", application_id=application.id, _anchor="attachments")
    )


@bp.get("/attachments/<int:attachment_id>")
@require(auth_policies.is_signed_in)
def download(attachment_id: int):
    attachment = db.session.get(Attachment, attachment_id) or abort(404)
    application = db.session.get(Application, attachment.application_id)
    if not policies.can_download_attachment(current_user, application):
        abort(403)
    return stored_file_response(attachment.stored_name, attachment.kind, attachment.original_name)


@bp.get("/applications/<int:application_id>.docx")
@require(auth_policies.is_signed_in)
def download_docx(application_id: int):
    application = _load_application(application_id, policies.can_view_application)
    if application.snapshot is None:
        abort(404)  # a draft has no frozen copy yet
    data = build_application_docx(
        application,
        current_locale(),
        personal=policies.can_see_personal_data(current_user, application),
    )
    return document_response(data, f"{application.number}.docx")
