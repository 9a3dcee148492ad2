"""Home page, language switch, health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import text

from smallgrants.auth import services as auth_services
from smallgrants.core.forms import LanguageForm
from smallgrants.core.security import safe_next
from smallgrants.extensions import csrf, db, limiter

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    return render_template("core/index.html")


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        return redirect(safe_next(request.form.get("next")))
    session["locale"] = form.locale.data
    if current_user.is_authenticated:
        auth_services.set_locale(current_user, form.locale.data)
    return redirect(safe_next(form.next.data))


@bp.get("/healthz")
@csrf.exempt
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # report, never raise: this is what operators poll
        current_app.logger.error("health check: database unavailable: %s", exc)
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok", dialect=db.engine.dialect.name)
