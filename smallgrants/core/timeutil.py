"""Time rules: UTC in the database, Asia/Almaty (the configured TIMEZONE) for people."""

from __future__ import annotations

from datetime import UTC, datetime
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
