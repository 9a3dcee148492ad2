"""Administration pages: users and roles, the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.admin import queries
from smallgrants.admin.forms import AuditFilterForm, RoleChangeForm, UserSearchForm
from smallgrants.auth import policies, services
from smallgrants.auth.models import GRANTABLE_ROLES, Role, User
from smallgrants.core.access import require
from smallgrants.core.forms import choices
from smallgrants.core.i18n import ROLE_LABELS
from smallgrants.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


def _role_choices():
    return choices([("", _("All roles")), *((r.value, ROLE_LABELS[r.value]) for r in Role)])


@bp.get("/users")
@require(policies.can_manage_users)
def users():
    form = UserSearchForm(request.args)
    form.role.choices = _role_choices()
    form.validate()
    page = db.paginate(
        queries.users_query(form.q.data or "", form.role.data or ""),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("admin/users.html", form=form, page=page)


@bp.get("/users/<int:user_id>")
@require(policies.can_manage_users)
def user_detail(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    return render_template(
        "admin/user_detail.html", user=user, grantable=GRANTABLE_ROLES, form=RoleChangeForm()
    )


@bp.post("/users/<int:user_id>/roles")
@require(policies.can_manage_users)
def change_role(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RoleChangeForm()
    if not form.validate_on_submit():
        abort(400)
    role = Role(form.role.data)
    label = ROLE_LABELS[role.value]
    try:
        if form.action.data == "grant":
            services.grant_role(user, role, actor=current_user)
            flash(
                _("Role “%(role)s” granted to %(email)s.", role=label, email=user.email), "success"
            )
        else:
            services.revoke_role(user, role, actor=current_user)
            flash(
                _("Role “%(role)s” taken from %(email)s.", role=label, email=user.email), "success"
            )
    except services.AccountError as error:
        flash(str(error.message), "danger")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.get("/audit")
@require(policies.can_view_audit_log)
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = choices(
        [("", _("All actions")), *((a, a) for a in queries.audit_actions())]
    )
    form.object_type.choices = choices(
        [("", _("All types")), *((t, t) for t in queries.audit_object_types())]
    )
    form.validate()
    filters = queries.AuditFilter(
        action=form.action.data or "",
        actor=form.actor.data or "",
        object_type=form.object_type.data or "",
        object_id=(form.object_id.data or "").strip(),
        since=None if form.since.errors else form.since.data,
        until=None if form.until.errors else form.until.data,
    )
    page = db.paginate(queries.audit_query(filters), per_page=PER_PAGE, error_out=False)
    actors = queries.actors_by_id({e.actor_id for e in page.items if e.actor_id})
    return render_template("admin/audit.html", form=form, page=page, actors=actors)
