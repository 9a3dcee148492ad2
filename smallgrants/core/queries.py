"""What the outbox holds, read in SQL."""

from __future__ import annotations

from sqlalchemy import false, func, or_, select, true

from smallgrants.core.models import OutboxMessage, OutboxStatus
from smallgrants.extensions import db


def _of(organisation_ids: frozenset[int] | None):
    """The messages sent for these organisations (None: every message, a site admin's)."""
    if organisation_ids is None:
        return true()
    if not organisation_ids:
        return false()
    return OutboxMessage.organisation_id.in_(sorted(organisation_ids))


def outbox_counts(organisation_ids: frozenset[int] | None) -> dict[str, int]:
    """Messages per status (every status named, 0 when none)."""
    rows = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id))
            .where(_of(organisation_ids))
            .group_by(OutboxMessage.status)
        ).all()
    )
    return {status.value: int(rows.get(status, 0)) for status in OutboxStatus}


def outbox_problems(
    organisation_ids: frozenset[int] | None, limit: int = 200
) -> list[OutboxMessage]:
    """Given up, or waiting to be tried again after an error: newest attempt first."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                _of(organisation_ids),
                or_(
                    OutboxMessage.status == OutboxStatus.FAILED,
                    (OutboxMessage.status == OutboxStatus.PENDING)
                    & OutboxMessage.last_error.is_not(None),
                ),
            )
            .order_by(OutboxMessage.last_attempt_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )
