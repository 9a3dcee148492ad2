"""The site administrator's pages: organisations (grant holders) and their coordinators,
programmes, their holders and their operators."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.core import geography
from smallgrants.core.access import require
from smallgrants.core.i18n import current_locale
from smallgrants.extensions import db
from smallgrants.organisations import policies, queries, services
from smallgrants.organisations.forms import (
    CoordinatorForm,
    HolderForm,
    OperatorForm,
    OrganisationForm,
    ProgrammeForm,
)
from smallgrants.organisations.models import Organisation, Programme

bp = Blueprint("organisations", __name__, url_prefix="/admin")


def _input(form: OrganisationForm) -> services.OrganisationInput:
    return services.OrganisationInput(
        short_name=form.short_name.data or "",
        name_kk=form.name_kk.data or "",
        name_ru=form.name_ru.data or "",
        bin=form.bin.data or "",
        head_name=form.head_name.data or "",
        address=form.address.data or "",
        phone=form.phone.data or "",
        region_code=form.region_code.data or "",
    )


def _load(organisation_id: int) -> Organisation:
    return db.session.get(Organisation, organisation_id) or abort(404)


@bp.get("/organisations")
@require(policies.can_manage_organisations)
def index():
    return render_template(
        "organisations/index.html",
        organisations=queries.all_organisations(),
        regions=dict(geography.named(geography.REGIONS, current_locale())),
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@require(policies.can_manage_organisations)
def create():
    form = OrganisationForm(locale=current_locale())
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(current_user, _input(form))
        except services.OrganisationError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("The organisation is created. Add its coordinators."), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    status = 400 if request.method == "POST" else 200
    return render_template("organisations/form.html", form=form, organisation=None), status


def _detail(organisation: Organisation, form=None, coordinator_form=None, status: int = 200):
    return (
        render_template(
            "organisations/detail.html",
            organisation=organisation,
            form=form or OrganisationForm(obj=organisation, locale=current_locale()),
            coordinator_form=coordinator_form or CoordinatorForm(),
            members=queries.coordinators_of(organisation.id),
        ),
        status,
    )


@bp.get("/organisations/<int:organisation_id>")
@require(policies.can_manage_organisations)
def detail(organisation_id: int):
    return _detail(_load(organisation_id))


@bp.post("/organisations/<int:organisation_id>")
@require(policies.can_manage_organisations)
def update(organisation_id: int):
    organisation = _load(organisation_id)
    form = OrganisationForm(locale=current_locale())
    if form.validate_on_submit():
        try:
            services.update_organisation(current_user, organisation, _input(form))
        except services.OrganisationError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return _detail(organisation, form=form, status=400)


@bp.post("/organisations/<int:organisation_id>/coordinators")
@require(policies.can_manage_organisations)
def add_coordinator(organisation_id: int):
    organisation = _load(organisation_id)
    form = CoordinatorForm()
    if form.validate_on_submit():
        try:
            user = services.add_coordinator(current_user, organisation, form.email.data)
        except services.OrganisationError as error:
            form.email.errors = [str(error.message)]
        else:
            flash(_("%(email)s now works for this organisation.", email=user.email), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return _detail(organisation, coordinator_form=form, status=400)


@bp.post("/organisations/<int:organisation_id>/coordinators/<int:user_id>/remove")
@require(policies.can_manage_organisations)
def remove_coordinator(organisation_id: int, user_id: int):
    organisation = _load(organisation_id)
    if not services.remove_coordinator(current_user, organisation, user_id):
        abort(404)
    flash(_("The coordinator no longer works for this organisation."), "info")
    return redirect(url_for("organisations.detail", organisation_id=organisation.id))


# --- programmes ----------------------------------------------------------------------------


def _programme_input(form: ProgrammeForm) -> services.ProgrammeInput:
    return services.ProgrammeInput(
        name_kk=form.name_kk.data or "",
        name_ru=form.name_ru.data or "",
        starts_year=form.starts_year.data,
        ends_year=form.ends_year.data,
    )


def _load_programme(programme_id: int) -> Programme:
    return db.session.get(Programme, programme_id) or abort(404)


def _holder_form(programme: Programme, **kwargs) -> HolderForm:
    held = queries.holder_ids(programme.id)
    offered = [o for o in queries.all_organisations() if o.id not in held]
    return HolderForm(organisations=offered, locale=current_locale(), **kwargs)


@bp.get("/programmes")
@require(policies.can_manage_programmes)
def programmes():
    return render_template(
        "organisations/programmes.html", programmes=queries.programmes_by_id(None)
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@require(policies.can_manage_programmes)
def create_programme():
    form = ProgrammeForm()
    if form.validate_on_submit():
        try:
            programme = services.create_programme(current_user, _programme_input(form))
        except services.OrganisationError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("The programme is created. Add its grant holders and operators."), "success")
            return redirect(url_for("organisations.programme", programme_id=programme.id))
    status = 400 if request.method == "POST" else 200
    return render_template("organisations/programme_form.html", form=form), status


def _programme_page(programme: Programme, status: int = 200, **forms):
    return (
        render_template(
            "organisations/programme.html",
            programme=programme,
            form=forms.get("form") or ProgrammeForm(obj=programme),
            holder_form=forms.get("holder_form") or _holder_form(programme),
            operator_form=forms.get("operator_form") or OperatorForm(),
            holders=queries.holders_of(programme.id),
            operators=queries.operators_of(programme.id),
        ),
        status,
    )


@bp.get("/programmes/<int:programme_id>")
@require(policies.can_manage_programmes)
def programme(programme_id: int):
    return _programme_page(_load_programme(programme_id))


@bp.post("/programmes/<int:programme_id>")
@require(policies.can_manage_programmes)
def update_programme(programme_id: int):
    programme = _load_programme(programme_id)
    form = ProgrammeForm()
    if form.validate_on_submit():
        try:
            services.update_programme(current_user, programme, _programme_input(form))
        except services.OrganisationError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("organisations.programme", programme_id=programme.id))
    return _programme_page(programme, 400, form=form)


@bp.post("/programmes/<int:programme_id>/holders")
@require(policies.can_manage_programmes)
def add_holder(programme_id: int):
    programme = _load_programme(programme_id)
    form = _holder_form(programme)
    if form.validate_on_submit():
        organisation = _load(int(form.organisation_id.data))
        services.add_holder(current_user, programme, organisation)
        name = organisation.name(current_locale())
        flash(_("%(name)s is a grant holder of the programme.", name=name), "success")
        return redirect(url_for("organisations.programme", programme_id=programme.id))
    return _programme_page(programme, 400, holder_form=form)


@bp.post("/programmes/<int:programme_id>/holders/<int:organisation_id>/remove")
@require(policies.can_manage_programmes)
def remove_holder(programme_id: int, organisation_id: int):
    programme = _load_programme(programme_id)
    if not services.remove_holder(current_user, programme, organisation_id):
        abort(404)
    flash(_("The organisation is no longer a grant holder of the programme."), "info")
    return redirect(url_for("organisations.programme", programme_id=programme.id))


@bp.post("/programmes/<int:programme_id>/operators")
@require(policies.can_manage_programmes)
def add_operator(programme_id: int):
    programme = _load_programme(programme_id)
    form = OperatorForm()
    if form.validate_on_submit():
        try:
            user = services.add_operator(current_user, programme, form.email.data)
        except services.OrganisationError as error:
            form.email.errors = [str(error.message)]
        else:
            flash(_("%(email)s now reads the programme's figures.", email=user.email), "success")
            return redirect(url_for("organisations.programme", programme_id=programme.id))
    return _programme_page(programme, 400, operator_form=form)


@bp.post("/programmes/<int:programme_id>/operators/<int:user_id>/remove")
@require(policies.can_manage_programmes)
def remove_operator(programme_id: int, user_id: int):
    programme = _load_programme(programme_id)
    if not services.remove_operator(current_user, programme, user_id):
        abort(404)
    flash(_("The person no longer operates the programme."), "info")
    return redirect(url_for("organisations.programme", programme_id=programme.id))
