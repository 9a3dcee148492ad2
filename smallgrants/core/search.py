"""Case-insensitive text search in SQL, Kazakh and Russian letters included (lower() folds
them on PostgreSQL and, through the function core.db installs, on SQLite)."""

from __future__ import annotations

from sqlalchemy import func, or_


def contains_text(text: str, *columns):
    """A WHERE clause: any of `columns` contains `text`, ignoring case; % and _ are literal."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    needle = f"%{escaped}%"
    return or_(*(func.lower(column).like(needle, escape="\\") for column in columns))
