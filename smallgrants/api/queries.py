"""The API's one query of its own: a page of any statement the contexts' "what this person
may read" queries return (entities, or whole rows), with the number of them all."""

from __future__ import annotations

from sqlalchemy import func, select

from smallgrants.extensions import db


def page_of(statement, page: int, per_page: int, *, rows: bool = False) -> tuple[list, int]:
    """(the page's items, how many on every page together): a COUNT and a LIMIT/OFFSET."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    paged = statement.limit(per_page).offset((page - 1) * per_page)
    items = list(db.session.execute(paged).all() if rows else db.session.scalars(paged))
    return items, int(total or 0)
