"""Operations every context uses: write the audit log, queue an e-mail.

Both only add rows to the current transaction (flush, never commit): the request's single
commit makes them durable together with the change they describe, or not at all.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, render_template, request
from flask_babel import force_locale

from smallgrants.core.models import AuditLog, OutboxMessage
from smallgrants.extensions import db


class ServiceError(Exception):
    """A rule of the domain was broken; `message` is a (lazy) translated text for people.

    A refusal refuses the whole request by itself: raised during a request, it marks the
    request's transaction to be rolled back (`core.db`), whatever page the view then shows
    with the message — so nothing a service flushed before refusing is ever committed, and
    no view has to remember to roll back."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
        if has_request_context():
            g.abandon_transaction = True


# Personal data the audit log keeps only as "changed": who and what stays, the value goes.
PERSONAL_FIELDS = frozenset({"phone", "email", "iin", "leader_iin", "recipient", "password"})
WITHHELD = "changed"


def _withhold(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: WITHHELD if k in PERSONAL_FIELDS else _withhold(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_withhold(v) for v in value]
    return value


def record_audit(
    actor: Any | None,
    action: str,
    obj: Any | None = None,
    payload: dict[str, Any] | None = None,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
) -> AuditLog:
    """Append an audit entry. `obj` is any model with an `id`; its table names the type.
    Values of PERSONAL_FIELDS in the payload are recorded as "changed", never themselves."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = obj.id
    entry = AuditLog(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        payload=_withhold(payload or {}),
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def queue_email(
    recipient: str,
    locale: str,
    template: str,
    subject: Any,
    *,
    organisation_id: int | None = None,
    **context: Any,
) -> OutboxMessage:
    """Render `templates/emails/<template>.txt|.html` in the recipient's language and queue it.

    `subject` is a lazy string (`_l`), rendered here under the recipient's locale.
    `organisation_id`: the grant holder on whose behalf it goes (its coordinators watch it
    on the E-mail page); None for an account's own messages (sign-up, password).
    """
    with force_locale(locale):
        subject_text = str(subject)
        context.setdefault("subject", subject_text)
        body_text = render_template(f"emails/{template}.txt", **context)
        body_html = render_template(f"emails/{template}.html", **context)
    message = OutboxMessage(
        recipient=recipient,
        locale=locale,
        template=template,
        subject=subject_text,
        body_text=body_text,
        body_html=body_html,
        organisation_id=organisation_id,
    )
    db.session.add(message)
    db.session.flush()
    if has_request_context():
        g.setdefault("outbox_ids", []).append(message.id)
    return message
