"""Delivery of queued e-mail: after a request's response, and by `flask outbox send`.

This is the outbox worker, not a domain service: it commits its own bookkeeping, because
sending happens outside any request's transaction. Each message is first claimed (one
conditional UPDATE to `sending`, committed) so that two senders never send it twice; a
claim left by a crashed sender expires after CLAIM_LEASE. A message that fails goes back to
pending with its error and waits (1, 2, 4 … minutes, at most a day) before the next try; it
is given up (status failed) only after OUTBOX_MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app
from flask_mail import Message
from sqlalchemy import and_, or_, select, update

from smallgrants.core.models import OutboxMessage, OutboxStatus
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db, mail

log = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Claimed:
    """What a sender needs of a message it claimed, read before SMTP so that no database
    transaction (on SQLite: the write lock) stays open while the mail server is slow."""

    id: int
    token: str
    attempts: int
    recipient: str
    locale: str
    subject: str
    body_text: str
    body_html: str | None


def _transport(message: Claimed) -> None:
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


CLAIM_LEASE = timedelta(minutes=10)  # a claim older than this was left by a crashed sender
MAX_BACKOFF = timedelta(days=1)


def backoff(attempts: int) -> timedelta:
    """How long a message waits after its n-th failed attempt: 1, 2, 4 … minutes, at most a
    day, so an outage of hours or days loses nothing to the retry loop."""
    return min(timedelta(minutes=2 ** min(attempts - 1, 20)), MAX_BACKOFF)


def _due(now: datetime):
    """Pending and past its back-off, or claimed by a sender that never finished."""
    return or_(
        and_(
            OutboxMessage.status == OutboxStatus.PENDING,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        ),
        and_(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < now - CLAIM_LEASE,
        ),
    )


def _claim(ids: list[int] | None, after_id: int, now: datetime) -> Claimed | None:
    """Claim the next due message with one conditional UPDATE, committed before anyone talks
    to SMTP: of two senders (or a request and `flask outbox send`) only one gets a message,
    on SQLite as on PostgreSQL."""
    while True:
        query = select(OutboxMessage.id).where(_due(now), OutboxMessage.id > after_id)
        if ids is not None:
            query = query.where(OutboxMessage.id.in_(ids))
        candidate = db.session.scalar(query.order_by(OutboxMessage.id).limit(1))
        if candidate is None:
            db.session.commit()
            return None
        token = secrets.token_hex(16)
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == candidate, _due(now))
            .values(
                status=OutboxStatus.SENDING,
                claim_token=token,
                claimed_at=now,
                attempts=OutboxMessage.attempts + 1,
                last_attempt_at=now,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed == 1:
            row = db.session.execute(
                select(
                    OutboxMessage.attempts,
                    OutboxMessage.recipient,
                    OutboxMessage.locale,
                    OutboxMessage.subject,
                    OutboxMessage.body_text,
                    OutboxMessage.body_html,
                ).where(OutboxMessage.id == candidate)
            ).one()
            db.session.commit()  # the claim is on record, and no transaction stays open
            return Claimed(candidate, token, *row)
        db.session.commit()
        after_id = candidate  # another sender was first: look further


def _finish(message_id: int, token: str, **values) -> None:
    """Record the outcome, if the claim is still ours (an expired claim may have been taken
    over; then the other sender records it)."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(claim_token=None, claimed_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def deliver(
    ids: Iterable[int] | None = None, limit: int = 500, now: datetime | None = None
) -> DeliveryResult:
    """Send due messages (all, or just `ids`), each claimed first and its outcome committed."""
    result = DeliveryResult()
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    ids = None if ids is None else list(ids)
    last_id = 0
    for _ in range(limit):
        moment = now or utcnow()
        claimed = _claim(ids, last_id, moment)
        if claimed is None:
            break
        message = claimed
        last_id = message.id
        try:
            _transport(message)
        except Exception as exc:
            log.warning("e-mail %s failed: %s", message.id, type(exc).__name__)
            given_up = message.attempts >= max_attempts
            _finish(
                message.id,
                message.token,
                status=OutboxStatus.FAILED if given_up else OutboxStatus.PENDING,
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
                next_attempt_at=None if given_up else moment + backoff(message.attempts),
            )
            result.failed += 1
        else:
            _finish(
                message.id,
                message.token,
                status=OutboxStatus.SENT,
                sent_at=utcnow(),
                last_error=None,
                next_attempt_at=None,
                # delivered: its links (reset, confirmation, invitation) leave the database;
                # the row, its recipient, subject and status stay
                body_text="",
                body_html=None,
            )
            result.sent += 1
    return result


REQUEUEABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED)


def requeue(message: OutboxMessage) -> bool:
    """A failed or waiting message back in the queue, due now, its tries counted afresh (the
    coordinator's retry button and `flask outbox retry`). False, and nothing changed, for a
    message that is sent or being sent."""
    if message.status not in REQUEUEABLE:
        return False
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = None
    message.claim_token = None
    message.claimed_at = None
    return True
