"""The site administrator's pages: organisations (grant holders) and their coordinators."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.core import geography
from smallgrants.core.access import require
from smallgrants.core.i18n import current_locale
from smallgrants.extensions import db
from smallgrants.organisations import policies, queries, services
from smallgrants.organisations.forms import CoordinatorForm, OrganisationForm
from smallgrants.organisations.models import Organisation

bp = Blueprint("organisations", __name__, url_prefix="/admin/organisations")


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


@bp.get("")
@require(policies.can_manage_organisations)
def index():
    return render_template(
        "organisations/index.html",
        organisations=queries.all_organisations(),
        regions=dict(geography.named(geography.REGIONS, current_locale())),
    )


@bp.route("/new", methods=["GET", "POST"])
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


@bp.get("/<int:organisation_id>")
@require(policies.can_manage_organisations)
def detail(organisation_id: int):
    return _detail(_load(organisation_id))


@bp.post("/<int:organisation_id>")
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


@bp.post("/<int:organisation_id>/coordinators")
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


@bp.post("/<int:organisation_id>/coordinators/<int:user_id>/remove")
@require(policies.can_manage_organisations)
def remove_coordinator(organisation_id: int, user_id: int):
    organisation = _load(organisation_id)
    if not services.remove_coordinator(current_user, organisation, user_id):
        abort(404)
    flash(_("The coordinator no longer works for this organisation."), "info")
    return redirect(url_for("organisations.detail", organisation_id=organisation.id))
