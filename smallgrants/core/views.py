"""Home page, language switch, health check, the e-mail outbox."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from smallgrants.auth import services as auth_services
from smallgrants.core import outbox, policies, queries
from smallgrants.core.access import require
from smallgrants.core.forms import LanguageForm
from smallgrants.core.models import OutboxMessage, OutboxStatus
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


@bp.get("/manage/outbox")
@require(policies.can_watch_mail)
def outbox_page():
    return render_template(
        "core/outbox.html",
        counts=queries.outbox_counts(),
        problems=queries.outbox_problems(),
        statuses=OutboxStatus,
    )


@bp.post("/manage/outbox/<int:message_id>/retry")
@require(policies.can_watch_mail)
def retry_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    if outbox.requeue(message):
        g.setdefault("outbox_ids", []).append(message.id)  # sent once this response is out
        flash(_("The message is queued again and will be sent in a moment."), "success")
    else:
        flash(_("This message is not waiting to be sent again."), "info")
    return redirect(url_for("core.outbox_page"))
