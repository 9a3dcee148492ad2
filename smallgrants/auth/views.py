"""Sign-up, sign-in, e-mail confirmation, password reset, profile."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.auth import policies, services
from smallgrants.auth.consent import CONSENT_VERSION
from smallgrants.auth.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    EmailOnlyForm,
    EraseForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from smallgrants.auth.session import sign_in, sign_out
from smallgrants.core.access import require
from smallgrants.core.downloads import document_response
from smallgrants.core.forms import LanguageForm
from smallgrants.core.i18n import current_locale
from smallgrants.core.phone import format_phone
from smallgrants.core.security import safe_next
from smallgrants.core.timeutil import utcnow
from smallgrants.documents.personal_data import build_personal_data_xlsx
from smallgrants.extensions import limiter

bp = Blueprint("auth", __name__)


def _login_limit_ip() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def _login_limit_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _email_limit() -> str:
    return current_app.config["EMAIL_LIMIT_PER_IP"]


def _account_key() -> str:
    """The account and the address trying it: five wrong passwords from one place lock that
    place out of that account, never the owner signing in from elsewhere."""
    email = services.normalize_email(request.form.get("email", ""))
    return f"account:{email}@{request.remote_addr}"


def _failed(response) -> bool:
    """Only failed sign-ins count: success redirects (302), failure re-renders the form."""
    return response.status_code != 302


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit(_email_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        services.register(
            form.email.data,
            form.password.data,
            form.full_name.data,
            current_locale(),
            consent_version=CONSENT_VERSION,
        )
        flash(
            _(
                "We sent a confirmation link to %(email)s. Open it to activate the account.",
                email=services.normalize_email(form.email.data),
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.get("/auth/confirm/<token>")
def confirm_email(token: str):
    user = services.confirm_email(token)
    if user is None:
        flash(_("The confirmation link is invalid or has expired. Request a new one."), "danger")
        return redirect(url_for("auth.resend_confirmation"))
    flash(_("Your e-mail is confirmed. You can sign in now."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    return redirect(url_for("auth.login"))


@bp.route("/auth/confirm", methods=["GET", "POST"])
@limiter.limit(_email_limit, methods=["POST"])
def resend_confirmation():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None:
            services.send_confirmation(user)
        flash(_("If an unconfirmed account uses this address, a new link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/resend_confirmation.html", form=form)


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(_login_limit_ip, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit_account, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors = [_("Wrong e-mail or password.")]
        elif not user.active:
            form.email.errors = [_("This account is blocked. Contact the coordinator.")]
        elif not user.email_confirmed:
            form.email.errors = [_("Confirm your e-mail first: open the link we sent you.")]
            return render_template("auth/login.html", form=form, show_resend=True)
        else:
            sign_in(user, remember=form.remember.data)
            # a language chosen before signing in stays; the account's applies otherwise
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, show_resend=False)


@bp.post("/auth/logout")
@require(policies.is_signed_in)
def logout():
    services.record_logout(current_user)
    sign_out()
    flash(_("You have signed out."), "info")
    return redirect(url_for("core.index"))


@bp.route("/auth/reset", methods=["GET", "POST"])
@limiter.limit(_email_limit, methods=["POST"])
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _("If an account uses this address, we sent it a link to set a new password."), "info"
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if services.user_for_reset_token(token) is None:
        flash(_("The link is invalid or has expired. Request a new one."), "danger")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        flash(_("Your password is changed. Sign in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.post("/account/sessions/end")
@require(policies.is_signed_in)
def sign_out_everywhere():
    ended = services.sign_out_everywhere(current_user)
    flash(_("Signed out on every other device (%(n)s).", n=ended), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/account/profile", methods=["GET", "POST"])
@require(policies.is_signed_in)
def profile():
    form = ProfileForm(obj=current_user)
    if request.method == "GET" and current_user.phone:
        form.phone.data = format_phone(current_user.phone)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            full_name=form.full_name.data,
            phone=form.phone.e164,
            locale=form.locale.data,
        )
        session["locale"] = form.locale.data
        flash(_("Profile saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@require(policies.is_signed_in)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            form.current_password.errors = [error.message]
        else:
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/tokens", methods=["GET", "POST"])
@require(policies.can_make_api_tokens)
def api_tokens():
    """Personal access tokens for the API: a new one is shown on this one response only."""
    form = ApiTokenForm()
    new_token, status = None, 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                _row, new_token = services.create_api_token(
                    current_user, form.name.data, int(form.days.data)
                )
            except services.AccountError as error:
                form.name.errors = [error.message]
            else:
                status, form = 200, ApiTokenForm(formdata=None)
    response = make_response(
        render_template(
            "auth/api_tokens.html",
            form=form,
            new_token=new_token,
            tokens=services.api_tokens_of(current_user.id),
            now=utcnow(),
        ),
        status,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/account/tokens/<int:token_id>/revoke")
@require(policies.can_make_api_tokens)
def revoke_api_token(token_id: int):
    if not services.revoke_api_token(current_user, token_id):
        abort(404)
    flash(_("The token is revoked: it opens nothing any more."), "info")
    return redirect(url_for("auth.api_tokens"))


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        return redirect(safe_next(request.form.get("next")))
    # this browser's choice; the account's language (its e-mail) changes on the profile only
    session["locale"] = form.locale.data
    return redirect(safe_next(form.next.data))


@bp.get("/privacy")
def privacy():
    return render_template("auth/privacy.html", version=CONSENT_VERSION)


@bp.get("/account/data")
@require(policies.is_signed_in)
def my_data():
    data = services.personal_data(current_user)
    return render_template(
        "auth/my_data.html",
        counts={name: len(rows) for name, rows in data.items()},
        form=EraseForm(),
    )


@bp.get("/account/data.<any(json, xlsx):fmt>")
@require(policies.is_signed_in)
def my_data_file(fmt: str):
    data = services.personal_data(current_user)
    if fmt == "xlsx":
        return document_response(build_personal_data_xlsx(data), "my-data.xlsx")
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": "attachment; filename=my-data.json",
            "Cache-Control": "private, no-store",
        },
    )
    return response


@bp.post("/account/erase")
@require(policies.is_signed_in)
def erase():
    form = EraseForm()
    if form.validate_on_submit():
        try:
            services.erase_account(current_user, form.password.data)
        except services.AccountError as error:
            form.password.errors = [error.message]
        else:
            sign_out(delete=False)  # the sign-in rows are gone already
            flash(_("Your account is erased. Thank you for taking part."), "info")
            return redirect(url_for("core.index"))
    data = services.personal_data(current_user)
    return render_template(
        "auth/my_data.html", counts={name: len(rows) for name, rows in data.items()}, form=form
    )
