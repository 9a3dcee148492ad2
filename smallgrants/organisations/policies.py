"""The one rule under every coordinator's right on an object: they work for the
organisation that holds it. Each context's object predicates (a competition, an
application, a grant, a project) ask this one; none compares organisation ids itself."""

from __future__ import annotations

from smallgrants.auth.models import Role
from smallgrants.auth.policies import is_admin
from smallgrants.organisations import queries


def is_coordinator(user) -> bool:
    """The coordinator role: pages of coordinators' kind (their lists are their
    organisations'; an object of another organisation is refused by `works_for`)."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def works_for(user, organisation_id: int | None) -> bool:
    """A coordinator of this organisation."""
    return (
        organisation_id is not None
        and is_coordinator(user)
        and organisation_id in queries.ids_of(user.id)
    )


def mine(user) -> frozenset[int]:
    """The organisations whose objects this person may manage (none unless a coordinator)."""
    return queries.ids_of(user.id) if is_coordinator(user) else frozenset()


def can_manage_organisations(user) -> bool:
    """Site administrators create organisations and appoint their coordinators."""
    return is_admin(user)


def holder_for(user, organisation_id: int | None) -> int | None:
    """The organisation a new competition or project of this coordinator belongs to: the
    one chosen, if they work for it; their only one when none is chosen; else None (the
    service refuses)."""
    organisations = mine(user)
    if organisation_id is None and len(organisations) == 1:
        return next(iter(organisations))
    return organisation_id if works_for(user, organisation_id) else None
