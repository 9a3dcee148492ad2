"""The coordinator's final report screens: projects, the report page (every part of the form,
with computed figures linked to their records), the forms that fill it in, the
reconciliation page and the Word / Excel files."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.validators import Length

from smallgrants.competitions.models import Competition
from smallgrants.core import fragments
from smallgrants.core.access import authorize, require
from smallgrants.core.downloads import document_locale, document_response
from smallgrants.core.i18n import current_locale
from smallgrants.documents.final_report import build_final_report
from smallgrants.extensions import db
from smallgrants.grants import breakdowns
from smallgrants.grants.labels import BREAKDOWN_LABELS, COLUMN_LABELS, mismatch_message
from smallgrants.organisations import policies as organisation_policies
from smallgrants.organisations import queries as organisation_queries
from smallgrants.reporting import policies, present, queries, services
from smallgrants.reporting.forms import (
    LIST_FORMS,
    ActivityForm,
    AttachForm,
    EffectsForm,
    IndicatorForm,
    ProjectForm,
    TaskForm,
    TextsForm,
)
from smallgrants.reporting.labels import (
    CHECK_GROUP_LABELS,
    EFFECT_LABELS,
    EFFECT_NUMBERS,
    EFFECT_UNITS,
    SOURCE_LABELS,
    SOURCE_NAMES,
    TASK_KIND_LABELS,
    TEXT_LABELS,
    indicator_name,
)
from smallgrants.reporting.models import (
    TEXT_FIELDS,
    EffectKey,
    Indicator,
    Project,
    ProjectActivity,
    ProjectTask,
    TaskKind,
)
from smallgrants.reporting.services import COMPUTED_EFFECT_FACTS, LIST_KINDS

bp = Blueprint("reporting", __name__)

LIST_TITLES = {
    "partners": lambda: _("Partners of the social project"),
    "proposals": lambda: _("Proposals for future projects"),
    "recommendations": lambda: _("Recommendations to state bodies"),
}
LIST_KIND = "<any(partners, proposals, recommendations):kind>"


def _refused(error: services.ProjectError) -> None:
    flash(str(error.message), "danger")


def _managed(project: Project) -> None:
    """Every object of a project is checked against the project's organisation here."""
    authorize(policies.can_manage_project(current_user, project))


def _project(project_id: int) -> Project:
    project = db.session.get(Project, project_id) or abort(404)
    _managed(project)
    return project


def _task(task_id: int) -> ProjectTask:
    task = db.session.get(ProjectTask, task_id) or abort(404)
    _managed(task.project)
    return task


def _activity(activity_id: int) -> ProjectActivity:
    activity = db.session.get(ProjectActivity, activity_id) or abort(404)
    _managed(activity.task.project)
    return activity


def _indicator(indicator_id: int) -> Indicator:
    found = db.session.get(Indicator, indicator_id) or abort(404)
    _managed(found.activity.task.project)
    return found


def _context(**extra) -> dict:
    return {
        "breakdowns": breakdowns.BREAKDOWNS,
        "breakdown_labels": BREAKDOWN_LABELS,
        "column_labels": COLUMN_LABELS,
        "text_labels": TEXT_LABELS,
        "task_kinds": TASK_KIND_LABELS,
        "check_groups": CHECK_GROUP_LABELS,
        "source_labels": SOURCE_LABELS,
        **extra,
    }


# --- projects ------------------------------------------------------------------------------


@bp.get("/manage/projects")
@require(policies.can_manage_reports)
def projects():
    return render_template(
        "reporting/projects.html",
        projects=queries.projects(organisation_policies.mine(current_user)),
    )


def _project_input(form: ProjectForm) -> services.ProjectInput:
    return services.ProjectInput(
        organisation_id=form.chosen_holder(),
        organisation=form.organisation.data or "",
        title=form.title.data or "",
        head_name=form.head_name.data or "",
        legal_address=form.legal_address.data or "",
        phone=form.phone.data or "",
        direction=form.direction.data or "",
        agreement_number=form.agreement_number.data or "",
        agreement_date=form.agreement_date.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        grant_sum=form.grant_sum.data,
    )


@bp.route("/manage/projects/new", methods=["GET", "POST"])
@require(policies.can_manage_reports)
def new_project():
    form = ProjectForm(
        holders=organisation_queries.organisations_of(current_user.id), locale=current_locale()
    )
    if form.validate_on_submit():
        try:
            project = services.create_project(current_user, _project_input(form))
        except services.ProjectError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("The project is created. Describe its tasks and activities."), "success")
            return redirect(url_for("reporting.project", project_id=project.id))
    return render_template("reporting/project_form.html", form=form, project=None)


@bp.route("/manage/projects/<int:project_id>/edit", methods=["GET", "POST"])
@require(policies.can_manage_reports)
def edit_project(project_id: int):
    project = _project(project_id)
    form = ProjectForm(obj=project)
    if form.validate_on_submit():
        try:
            services.update_project(current_user, project, _project_input(form))
        except services.ProjectError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("reporting.project", project_id=project.id))
    return render_template("reporting/project_form.html", form=form, project=project)


def _report_page(project_id: int) -> Project:
    """A project for its report pages (`queries.report_project`), checked like `_project`."""
    project = queries.report_project(project_id) or abort(404)
    _managed(project)
    return project


def _report_sources(project: Project) -> tuple[str, ...]:
    """What a final report's kept sections are read from: the project's own rows, each
    attached competition's facts, and the people a grant's kind comes from (migration 0029)."""
    attached = queries.attached_competitions(project.id)
    return (
        fragments.project(project.id),
        fragments.PEOPLE,
        *(fragments.report(competition_id) for competition_id in attached),
    )


def report_parts(project: Project, locale: str) -> dict[str, str]:
    """The report page's computed sections, rendered: the reconciliation summary, section 1,
    the effects and section 4 (kept under `_report_sources`)."""
    queries.load_activities(project)
    data = queries.rollup(project)
    found = queries.checks(data, locale)
    numbers = present.task_numbers(project.tasks)
    context = _context(
        project=project,
        data=data,
        failing=queries.failing(found),
        checks_count=len(found),
        activities=present.section1(data, locale),
        task_labels={t.id: present.task_label(t, numbers.get(t.id)) for t in project.tasks},
        effects=present.effects(data, locale),
        statistics=present.section4(data, locale),
        deviation_notes=present.deviation_notes(data, locale),
    )
    return {
        part: render_template(f"reporting/_project_{part}.html", **context)
        for part in ("summary", "activities", "effects", "statistics")
    }


@bp.get("/manage/projects/<int:project_id>")
@require(policies.can_manage_reports)
def project(project_id: int):
    project = _report_page(project_id)
    locale = current_locale()
    sources = _report_sources(project)
    # any project's attachments decide them: read each time, and the page kept per choice
    attachable = tuple((c.id, c.title(locale)) for c in queries.attachable(project.organisation_id))

    def build(_now):
        parts = fragments.kept_parts(
            sources, fragments.request_key(), lambda _now: (report_parts(project, locale), None)
        )
        attach = AttachForm(formdata=None)
        attach.competition_id.choices = list(attachable)
        body = render_template(
            "reporting/_project_body.html",
            **_context(
                project=project,
                parts=parts,
                task_form=TaskForm(formdata=None),
                attach_form=attach,
                list_forms={kind: form(formdata=None) for kind, form in LIST_FORMS.items()},
                list_titles={k: v() for k, v in LIST_TITLES.items()},
                csrf_value=fragments.CSRF_MARK,
            ),
        )
        return body, None

    body = fragments.kept(sources, fragments.request_key("page", attachable), build)
    return render_template(
        "reporting/project.html", project=project, body=fragments.with_form_token(body)
    )


@bp.route("/manage/projects/<int:project_id>/texts", methods=["GET", "POST"])
@require(policies.can_manage_reports)
def texts(project_id: int):
    project = _project(project_id)
    form = TextsForm(obj=project)
    if form.validate_on_submit():
        services.save_texts(current_user, project, {n: form[n].data for n in TEXT_FIELDS})
        flash(_("Saved."), "success")
        return redirect(url_for("reporting.project", project_id=project.id, _anchor="texts"))
    return render_template(
        "reporting/texts.html", **_context(form=form, project=project, fields=TEXT_FIELDS)
    )


# --- tasks ---------------------------------------------------------------------------------


@bp.post("/manage/projects/<int:project_id>/tasks")
@require(policies.can_manage_reports)
def add_task(project_id: int):
    project = _project(project_id)
    form = TaskForm()
    if form.validate_on_submit():
        services.add_task(current_user, project, form.title.data, TaskKind(form.kind.data))
        flash(_("The task is added."), "success")
    else:
        flash(_("Enter the task's wording."), "danger")
    return redirect(url_for("reporting.project", project_id=project.id, _anchor="section1"))


@bp.route("/manage/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@require(policies.can_manage_reports)
def edit_task(task_id: int):
    task = _task(task_id)
    form = TaskForm(obj=task)
    if request.method == "GET":
        form.kind.data = task.kind.value
    if form.validate_on_submit():
        services.update_task(current_user, task, form.title.data, TaskKind(form.kind.data))
        flash(_("Saved."), "success")
        return redirect(
            url_for("reporting.project", project_id=task.project_id, _anchor="section1")
        )
    return render_template("reporting/task_form.html", **_context(form=form, task=task))


@bp.post("/manage/tasks/<int:task_id>/delete")
@require(policies.can_manage_reports)
def delete_task(task_id: int):
    task = _task(task_id)
    project_id = task.project_id
    services.delete_task(current_user, task)
    flash(_("The task and its activities are deleted."), "success")
    return redirect(url_for("reporting.project", project_id=project_id, _anchor="section1"))


@bp.post("/manage/tasks/<int:task_id>/competition")
@require(policies.can_manage_reports)
def attach_competition(task_id: int):
    task = _task(task_id)
    form = AttachForm()
    form.competition_id.choices = [
        (c.id, c.title(current_locale())) for c in queries.attachable(task.project.organisation_id)
    ]
    if not form.validate_on_submit():
        flash(_("Choose a published competition that is not attached yet."), "danger")
    else:
        competition = db.session.get(Competition, form.competition_id.data)
        try:
            activity = services.attach_competition(
                current_user, task, competition, form.title.data or ""
            )
        except services.ProjectError as error:
            _refused(error)
        else:
            flash(_("The competition is attached; its figures are computed."), "success")
            return redirect(url_for("reporting.edit_activity", activity_id=activity.id))
    return redirect(url_for("reporting.project", project_id=task.project_id, _anchor="section1"))


# --- activities ----------------------------------------------------------------------------


def _activity_input(form: ActivityForm) -> services.ActivityInput:
    return services.ActivityInput(
        title=form.title.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        place=form.place.data or "",
        participants_note=form.participants_note.data or "",
        results=form.results.data or "",
        effectiveness=form.effectiveness.data or "",
        counted=form.counted.data,
        as_given=form.as_given.data,
        counts=form.counts(),
    )


def _activity_form(task: ProjectTask, form: ActivityForm, activity=None):
    facts = None
    if activity is not None and activity.competition is not None:
        facts = queries.competition_facts(activity.competition)
    return render_template(
        "reporting/activity_form.html",
        **_context(
            form=form,
            task=task,
            activity=activity,
            facts=facts,
            indicator_form=IndicatorForm(formdata=None),
            plan_text=present.plan_text,
            indicator_name=indicator_name,
            fact_text=present.fact_text,
            locale=current_locale(),
        ),
    )


def _save_activity(task: ProjectTask, form: ActivityForm, activity=None):
    try:
        saved = services.save_activity(current_user, task, _activity_input(form), activity)
    except services.ActivityBreakdownError as error:
        form.breakdown_errors = {m.breakdown: mismatch_message(m) for m in error.mismatches}
    except services.ProjectError as error:
        form.form_errors.append(str(error.message))
    else:
        flash(_("The activity is saved."), "success")
        return redirect(url_for("reporting.edit_activity", activity_id=saved.id))
    return _activity_form(task, form, activity)


@bp.route("/manage/tasks/<int:task_id>/activities/new", methods=["GET", "POST"])
@require(policies.can_manage_reports)
def new_activity(task_id: int):
    task = _task(task_id)
    form = ActivityForm()
    if form.validate_on_submit():
        return _save_activity(task, form)
    return _activity_form(task, form)


@bp.route("/manage/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@require(policies.can_manage_reports)
def edit_activity(activity_id: int):
    activity = _activity(activity_id)
    form = ActivityForm(obj=activity)
    if activity.competition_id is not None:  # no title: the competition's, in each language
        form.title.validators = [Length(max=2000)]
        form.title.flags.required = False
        form.title.render_kw = {
            "rows": 2,
            "placeholder": activity.competition.title(current_locale()),
        }
    if form.validate_on_submit():
        return _save_activity(activity.task, form, activity)
    return _activity_form(activity.task, form, activity)


@bp.post("/manage/activities/<int:activity_id>/delete")
@require(policies.can_manage_reports)
def delete_activity(activity_id: int):
    activity = _activity(activity_id)
    project_id = activity.task.project_id
    services.delete_activity(current_user, activity)
    flash(_("The activity is deleted."), "success")
    return redirect(url_for("reporting.project", project_id=project_id, _anchor="section1"))


# --- indicators ----------------------------------------------------------------------------


def _indicator_input(form: IndicatorForm) -> services.IndicatorInput:
    return services.IndicatorInput(
        name=form.name.data or "",
        plan=form.plan.data,
        plan_at_least=form.plan_at_least.data,
        fact=form.fact.data,
        justification=form.justification.data or "",
    )


@bp.post("/manage/activities/<int:activity_id>/indicators")
@require(policies.can_manage_reports)
def add_indicator(activity_id: int):
    activity = _activity(activity_id)
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            services.save_indicator(current_user, activity, _indicator_input(form))
        except services.ProjectError as error:
            _refused(error)
        else:
            flash(_("The indicator is added."), "success")
            return redirect(
                url_for("reporting.edit_activity", activity_id=activity.id, _anchor="indicators")
            )
    return render_template(
        "reporting/indicator_form.html", **_context(form=form, activity=activity, indicator=None)
    )


@bp.route("/manage/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@require(policies.can_manage_reports)
def edit_indicator(indicator_id: int):
    indicator = _indicator(indicator_id)
    activity = indicator.activity
    form = IndicatorForm(obj=indicator)
    if indicator.source is not None:  # no name: the source's, in each language
        form.name.validators = [Length(max=2000)]
        form.name.flags.required = False
        form.name.render_kw = {"rows": 2, "placeholder": str(SOURCE_NAMES[indicator.source])}
    if form.validate_on_submit():
        try:
            services.save_indicator(current_user, activity, _indicator_input(form), indicator)
        except services.ProjectError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("The indicator is saved."), "success")
            back = request.args.get("back")
            if back == "reconciliation":
                return redirect(
                    url_for("reporting.reconciliation", project_id=activity.task.project_id)
                )
            return redirect(
                url_for("reporting.edit_activity", activity_id=activity.id, _anchor="indicators")
            )
    facts = queries.competition_facts(activity.competition) if activity.competition else None
    return render_template(
        "reporting/indicator_form.html",
        **_context(
            form=form,
            activity=activity,
            indicator=indicator,
            computed_fact=queries.indicator_fact(indicator, facts) if indicator.source else None,
        ),
    )


@bp.post("/manage/indicators/<int:indicator_id>/delete")
@require(policies.can_manage_reports)
def delete_indicator(indicator_id: int):
    indicator = _indicator(indicator_id)
    activity_id = indicator.activity_id
    services.delete_indicator(current_user, indicator)
    flash(_("The indicator is deleted."), "success")
    return redirect(
        url_for("reporting.edit_activity", activity_id=activity_id, _anchor="indicators")
    )


# --- the effect table ----------------------------------------------------------------------


@bp.route("/manage/projects/<int:project_id>/effects", methods=["GET", "POST"])
@require(policies.can_manage_reports)
def effects(project_id: int):
    project = _project(project_id)
    form = EffectsForm()
    if request.method == "GET":
        for row in project.effects:
            form[f"plan_{row.key.value}"].data = row.plan
            form[f"fact_{row.key.value}"].data = row.fact
            form[f"justification_{row.key.value}"].data = row.justification
    elif form.validate_on_submit():
        values = {
            key: (
                form[f"plan_{key.value}"].data,
                form[f"fact_{key.value}"].data,
                form[f"justification_{key.value}"].data or "",
            )
            for key in EffectKey
        }
        try:
            services.save_effects(current_user, project, values)
        except services.ProjectError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("Saved."), "success")
            if request.args.get("back") == "reconciliation":
                return redirect(url_for("reporting.reconciliation", project_id=project.id))
            return redirect(url_for("reporting.project", project_id=project.id, _anchor="effects"))
    data = queries.rollup(project)
    return render_template(
        "reporting/effects_form.html",
        **_context(
            form=form,
            project=project,
            keys=list(EffectKey),
            labels=EFFECT_LABELS,
            units=EFFECT_UNITS,
            numbers=EFFECT_NUMBERS,
            computed=COMPUTED_EFFECT_FACTS,
            partners=queries.effect_fact(project, EffectKey.PARTNERS, None),
            section4_total=data.project_row["total"],
            small_grants_total=data.small_grants_row["total"],
            has_competitions=bool(data.competitions),
        ),
    )


# --- partners, proposals, recommendations --------------------------------------------------


def _list_row(project: Project, kind: str, row_id: int):
    model = LIST_KINDS[kind][0]
    row = db.session.get(model, row_id)
    if row is None or row.project_id != project.id:
        abort(404)
    return row


def _list_values(form, kind: str) -> dict:
    return {name: form[name].data for name in LIST_KINDS[kind][3]}


def _save_row(project: Project, kind: str, row=None):
    form = LIST_FORMS[kind](obj=row)
    if form.validate_on_submit():
        try:
            services.save_list_row(current_user, project, kind, _list_values(form, kind), row)
        except services.ProjectError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("reporting.project", project_id=project.id, _anchor=kind))
    return render_template(
        "reporting/row_form.html",
        form=form,
        project=project,
        kind=kind,
        row=row,
        title=LIST_TITLES[kind](),
    )


@bp.post(f"/manage/projects/<int:project_id>/{LIST_KIND}")
@require(policies.can_manage_reports)
def add_row(project_id: int, kind: str):
    return _save_row(_project(project_id), kind)


@bp.route(
    f"/manage/projects/<int:project_id>/{LIST_KIND}/<int:row_id>/edit", methods=["GET", "POST"]
)
@require(policies.can_manage_reports)
def edit_row(project_id: int, kind: str, row_id: int):
    project = _project(project_id)
    return _save_row(project, kind, _list_row(project, kind, row_id))


@bp.post(f"/manage/projects/<int:project_id>/{LIST_KIND}/<int:row_id>/delete")
@require(policies.can_manage_reports)
def delete_row(project_id: int, kind: str, row_id: int):
    project = _project(project_id)
    services.delete_list_row(current_user, project, kind, _list_row(project, kind, row_id))
    flash(_("Deleted."), "success")
    return redirect(url_for("reporting.project", project_id=project.id, _anchor=kind))


# --- reconciliation and the files ----------------------------------------------------------


def reconciliation_body(project: Project, locale: str) -> str:
    """The reconciliation page's body, rendered: every check by group (kept)."""
    queries.load_activities(project)
    found = queries.checks(queries.rollup(project), locale)
    groups = {key: [c for c in found if c.group == key] for key in CHECK_GROUP_LABELS}
    return render_template(
        "reporting/_reconciliation_body.html",
        **_context(project=project, groups=groups, failing=queries.failing(found)),
    )


@bp.get("/manage/projects/<int:project_id>/reconciliation")
@require(policies.can_manage_reports)
def reconciliation(project_id: int):
    project = _report_page(project_id)
    locale = current_locale()
    body = fragments.kept(
        _report_sources(project),
        fragments.request_key(),
        lambda _now: (reconciliation_body(project, locale), None),
    )
    return render_template("reporting/reconciliation.html", project=project, body=body)


@bp.get("/manage/projects/<int:project_id>/report.<any(docx, xlsx):fmt>")
@require(policies.can_manage_reports)
def report_file(project_id: int, fmt: str):
    project = _report_page(project_id)
    lang = document_locale()

    def build(_now):
        queries.load_activities(project)
        return build_final_report(project, fmt, lang)[0], None

    # kept like the page, from the same rows, per format and language
    data = fragments.kept_value(_report_sources(project), fragments.request_key(lang), build)
    return document_response(data, f"final-report-{project.id}-{lang}.{fmt}")
