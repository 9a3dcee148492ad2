"""What the outbox holds, read in SQL."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from smallgrants.core.models import OutboxMessage, OutboxStatus
from smallgrants.extensions import db


def outbox_counts() -> dict[str, int]:
    """Messages per status (every status named, 0 when none)."""
    rows = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(
                OutboxMessage.status
            )
        ).all()
    )
    return {status.value: int(rows.get(status, 0)) for status in OutboxStatus}


def outbox_problems(limit: int = 200) -> list[OutboxMessage]:
    """Given up, or waiting to be tried again after an error: newest attempt first."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                or_(
                    OutboxMessage.status == OutboxStatus.FAILED,
                    (OutboxMessage.status == OutboxStatus.PENDING)
                    & OutboxMessage.last_error.is_not(None),
                )
            )
            .order_by(OutboxMessage.last_attempt_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )
