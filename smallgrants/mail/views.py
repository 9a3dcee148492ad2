"""The E-mail page: counts by status, the messages that did not arrive, sending one again."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.core import outbox, queries
from smallgrants.core.access import authorize, require
from smallgrants.core.models import OutboxMessage, OutboxStatus
from smallgrants.extensions import db
from smallgrants.mail import policies

bp = Blueprint("mail", __name__)


@bp.app_template_global()
def mail_failed():
    """The start page: messages given up on or waiting to be tried again (coordinators)."""
    if not policies.can_watch_mail(current_user):
        return 0
    counts = queries.outbox_counts(policies.watched(current_user))
    return counts.get("failed", 0)


@bp.get("/manage/outbox")
@require(policies.can_watch_mail)
def outbox_page():
    return render_template(
        "mail/outbox.html",
        counts=queries.outbox_counts(policies.watched(current_user)),
        problems=queries.outbox_problems(policies.watched(current_user)),
        statuses=OutboxStatus,
    )


@bp.post("/manage/outbox/<int:message_id>/retry")
@require(policies.can_watch_mail)
def retry_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    authorize(policies.can_retry_message(current_user, message))
    if outbox.requeue(message):
        g.setdefault("outbox_ids", []).append(message.id)  # sent once this response is out
        flash(_("The message is queued again and will be sent in a moment."), "success")
    else:
        flash(_("This message is not waiting to be sent again."), "info")
    return redirect(url_for("mail.outbox_page"))
