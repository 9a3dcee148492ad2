"""The one rule under every coordinator's right on an object: they work for the
organisation that holds it. Each context's object predicates (a competition, an
application, a grant, a project) ask this one; none compares organisation ids itself.

A programme's operator reads, never changes: `oversees` is the one rule under every
read-only right of theirs on a holder's figures."""

from __future__ import annotations

from dataclasses import dataclass

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


def can_manage_programmes(user) -> bool:
    """Site administrators make programmes, choose their holders and appoint operators."""
    return is_admin(user)


def can_read_programmes(user) -> bool:
    """Route guard of the programme pages: the operator role (given with a programme), or a
    site administrator (which programme: `can_see_programme`)."""
    return user.is_authenticated and (is_admin(user) or user.has_role(Role.OPERATOR))


def can_see_programme(user, programme_id: int) -> bool:
    """The programme's roll-up: its operators and the site administrators."""
    return user.is_authenticated and (
        is_admin(user) or programme_id in queries.programme_ids_of(user.id)
    )


def visible_programmes(user) -> frozenset[int] | None:
    """The programmes whose roll-up this person reads (None: every one, an administrator)."""
    if is_admin(user):
        return None
    return queries.programme_ids_of(user.id) if user.is_authenticated else frozenset()


def oversees(user, organisation_id: int | None) -> bool:
    """An operator of a programme this organisation is a holder of: reads its monitoring."""
    return (
        organisation_id is not None
        and user.is_authenticated
        and user.has_role(Role.OPERATOR)
        and organisation_id in queries.overseen_by(user.id)
    )


def reads(user, organisation_id: int | None) -> bool:
    """Reads an organisation's records: a coordinator of it, or an operator overseeing it
    (for an operator, drafts stay the holder's own: each context's read predicate says so)."""
    return works_for(user, organisation_id) or oversees(user, organisation_id)


@dataclass(frozen=True)
class ReadScope:
    """What a person reads, as two sets of organisations: those they work for (everything,
    drafts too) and those they oversee as a programme's operator (what is announced)."""

    own: frozenset[int]
    overseen: frozenset[int]

    @property
    def organisations(self) -> frozenset[int]:
        return self.own | self.overseen


def read_scope(user) -> ReadScope:
    """The one "what this person may read" of the API and of every list it serves."""
    overseen = (
        queries.overseen_by(user.id)
        if user.is_authenticated and user.has_role(Role.OPERATOR)
        else frozenset()
    )
    return ReadScope(own=mine(user), overseen=overseen - mine(user))
