"""Which organisations a person works for: asked once per request and remembered there."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import ColumnElement, bindparam, false, select

from smallgrants.auth.models import User
from smallgrants.extensions import db
from smallgrants.organisations.models import (
    Organisation,
    OrganisationMember,
    Programme,
    ProgrammeHolder,
    ProgrammeOperator,
)

# built once (asked on most requests): no statement to build, their cache keys kept
_WORKS_FOR = select(OrganisationMember.organisation_id).where(
    OrganisationMember.user_id == bindparam("user_id")
)
_OPERATES = select(ProgrammeOperator.programme_id).where(
    ProgrammeOperator.user_id == bindparam("user_id")
)
_OVERSEES = (
    select(ProgrammeHolder.organisation_id)
    .join(ProgrammeOperator, ProgrammeOperator.programme_id == ProgrammeHolder.programme_id)
    .where(ProgrammeOperator.user_id == bindparam("user_id"))
    .distinct()
)


def _remembered(name: str, user_id: int, statement) -> frozenset[int]:
    """The ids the statement selects (for `:user_id`), asked once per request and remembered
    in `g`."""
    cache = g.setdefault(name, {}) if has_request_context() else {}
    if user_id not in cache:
        cache[user_id] = frozenset(db.session.scalars(statement, {"user_id": user_id}))
    return cache[user_id]


def ids_of(user_id: int) -> frozenset[int]:
    """The organisations the account works for (one query, remembered for the request)."""
    return _remembered(
        "_organisation_ids",
        user_id,
        _WORKS_FOR,
    )


def programme_ids_of(user_id: int) -> frozenset[int]:
    """The programmes the account operates (one query, remembered for the request)."""
    return _remembered(
        "_programme_ids",
        user_id,
        _OPERATES,
    )


def overseen_by(user_id: int) -> frozenset[int]:
    """The organisations that are holders of a programme the account operates."""
    return _remembered(
        "_overseen_ids",
        user_id,
        _OVERSEES,
    )


def forget(user_id: int) -> None:
    """After a membership (of an organisation or a programme) changes inside a request."""
    if has_request_context():
        for name in ("_organisation_ids", "_programme_ids", "_overseen_ids"):
            g.setdefault(name, {}).pop(user_id, None)


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


def organisations_in(organisation_ids: frozenset[int]):
    """These organisations by id (a statement: the API pages it)."""
    return (
        select(Organisation)
        .where(held_by(organisation_ids, Organisation.id))
        .order_by(Organisation.id)
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


def holder_ids(programme_id: int) -> frozenset[int]:
    return frozenset(
        db.session.scalars(
            select(ProgrammeHolder.organisation_id).where(
                ProgrammeHolder.programme_id == programme_id
            )
        )
    )


def holder_ids_of(programme_ids: list[int]) -> dict[int, list[int]]:
    """`holder_ids` of each of these programmes (sorted), in one query."""
    found: dict[int, list[int]] = {pid: [] for pid in programme_ids}
    if programme_ids:
        for pid, oid in db.session.execute(
            select(ProgrammeHolder.programme_id, ProgrammeHolder.organisation_id)
            .where(ProgrammeHolder.programme_id.in_(programme_ids))
            .order_by(ProgrammeHolder.organisation_id)
        ):
            found[pid].append(oid)
    return found


def holders_of(programme_id: int) -> list[Organisation]:
    """The programme's grant holders, by name."""
    return list(
        db.session.scalars(
            select(Organisation)
            .join(ProgrammeHolder, ProgrammeHolder.organisation_id == Organisation.id)
            .where(ProgrammeHolder.programme_id == programme_id)
            .order_by(Organisation.name_kk)
        )
    )


def operators_of(programme_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(ProgrammeOperator, ProgrammeOperator.user_id == User.id)
            .where(ProgrammeOperator.programme_id == programme_id)
            .order_by(User.full_name, User.email)
        )
    )


def programmes_by_id(programme_ids: frozenset[int] | None) -> list[Programme]:
    """These programmes (None: every programme), newest first."""
    query = select(Programme).order_by(Programme.starts_year.desc(), Programme.name_kk)
    if programme_ids is not None:
        if not programme_ids:
            return []
        query = query.where(Programme.id.in_(sorted(programme_ids)))
    return list(db.session.scalars(query))
