"""Time rules: UTC in the database, Asia/Almaty (the configured TIMEZONE) for people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_local(value: datetime) -> datetime:
    """An aware UTC datetime shown in the configured zone."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: store and pass UTC-aware values")
    return value.astimezone(local_zone())


def local_to_utc(value: datetime) -> datetime:
    """A wall-clock time typed by a person in Almaty, as aware UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    return value.astimezone(UTC)


# --- deadlines: one rule for every deadline of the product --------------------------------
# A deadline is kept to the second (people type minutes; a closing "23:59" is stored as
# 23:59:59). It holds through the whole of its last second: 23:59:59.999999 Almaty is still
# in time, 00:00:00 is not. In SQL the same rule reads `deadline >= deadline_second(now)`.


def deadline_second(moment: datetime) -> datetime:
    """The whole second a moment falls in (what a deadline is compared with)."""
    return moment.replace(microsecond=0)


def past_deadline(deadline: datetime) -> datetime:
    """The first moment no longer within `deadline` (its last second is over)."""
    return deadline.replace(microsecond=0) + timedelta(seconds=1)


def within_deadline(deadline: datetime, moment: datetime | None = None) -> bool:
    """Whether `moment` (now by default) is still in time for `deadline`: before the first
    moment past it (`past_deadline`; in SQL, `deadline >= deadline_second(now)`)."""
    return (moment or utcnow()) < past_deadline(deadline)
