"""Which organisations a person works for: asked once per request and remembered there."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import ColumnElement, false, select

from smallgrants.auth.models import User
from smallgrants.extensions import db
from smallgrants.organisations.models import Organisation, OrganisationMember


def ids_of(user_id: int) -> frozenset[int]:
    """The organisations the account works for (one query, remembered for the request)."""
    cache = g.setdefault("_organisation_ids", {}) if has_request_context() else {}
    if user_id not in cache:
        cache[user_id] = frozenset(
            db.session.scalars(
                select(OrganisationMember.organisation_id).where(
                    OrganisationMember.user_id == user_id
                )
            )
        )
    return cache[user_id]


def forget(user_id: int) -> None:
    """After a membership changes inside a request."""
    if has_request_context():
        g.setdefault("_organisation_ids", {}).pop(user_id, None)


def held_by(organisation_ids: frozenset[int], column) -> ColumnElement[bool]:
    """`column` (an `organisation_id`) is one of these organisations: the condition every
    coordinator's list adds, through the context's own "visible to" query."""
    return column.in_(sorted(organisation_ids)) if organisation_ids else false()


def organisations_of(user_id: int) -> list[Organisation]:
    ids = ids_of(user_id)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name_kk)
        )
    )


def all_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name_kk)))


def coordinators_of(organisation_id: int) -> list[User]:
    """Who works for the organisation, by name (the administrator's page)."""
    return list(
        db.session.scalars(
            select(User)
            .join(OrganisationMember, OrganisationMember.user_id == User.id)
            .where(OrganisationMember.organisation_id == organisation_id)
            .order_by(User.full_name, User.email)
        )
    )


def by_short_name(short_name: str) -> Organisation | None:
    return db.session.scalars(
        select(Organisation).where(Organisation.short_name == short_name.lower())
    ).first()
