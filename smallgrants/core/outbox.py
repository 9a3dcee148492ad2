"""Delivery of queued e-mail: after a request's commit, and by `flask outbox send`.

This is the outbox worker, not a domain service: it commits its own bookkeeping
(one commit per message), because sending happens outside any request's transaction.
A message that fails stays pending with its error and attempt count, and is given up
(status failed) only after OUTBOX_MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import click
from flask import current_app
from flask_mail import Message
from sqlalchemy import select

from smallgrants.core.models import OutboxMessage, OutboxStatus
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db, mail

log = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


def _transport(message: OutboxMessage) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "console":
        click.echo(
            f"--- e-mail to {message.recipient} ({message.locale}) ---\n"
            f"Subject: {message.subject}\n\n{message.body_text}\n--- end ---"
        )
        return
    if backend != "smtp":
        raise RuntimeError(f"unknown MAIL_BACKEND {backend!r}")
    mail.send(
        Message(
            subject=message.subject,
            recipients=[message.recipient],
            body=message.body_text,
            html=message.body_html,
            sender=current_app.config["MAIL_DEFAULT_SENDER"],
            charset="utf-8",
        )
    )


def _next_pending(ids: Iterable[int] | None, after_id: int) -> OutboxMessage | None:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.id > after_id)
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    return db.session.scalars(query).first()


def deliver(ids: Iterable[int] | None = None, limit: int = 500) -> DeliveryResult:
    """Send pending messages (all, or just `ids`), committing the outcome of each."""
    result = DeliveryResult()
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    ids = None if ids is None else list(ids)
    last_id = 0
    for _ in range(limit):
        message = _next_pending(ids, last_id)
        if message is None:
            break
        last_id = message.id
        message.attempts += 1
        message.last_attempt_at = utcnow()
        try:
            _transport(message)
        except Exception as exc:
            log.warning("e-mail %s to %s failed: %s", message.id, message.recipient, exc)
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= max_attempts:
                message.status = OutboxStatus.FAILED
            result.failed += 1
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            result.sent += 1
        db.session.commit()
    return result
