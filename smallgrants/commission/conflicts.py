"""Conflicts of interest: the only place that says which seat is conflicted on which
application. Every list, search, export, statistic, assignment and quorum asks `conflicted()`
(an SQL condition) or `recusals()` (the rows, for the protocol and the quorum), nothing else.

A conflict is either declared (a `ConflictDeclaration` with `conflict = true`, by the member,
the chair or the coordinator) or built in: the seat's person is the applicant. HotCRP's rule:
an author is always conflicted on their own paper, whatever they declare. Built-in conflicts
are derived from what is recorded, so they cannot be withdrawn, and they hold from the
moment the seat and the application both exist.

The seat's person is the applicant when any of these holds:
- their account made the application, or owns the applicant's profile;
- the seat's e-mail or their account's e-mail is the profile's e-mail or the e-mail of a
  member of the initiative group;
- their account owns another profile with the same BIN (the same NGO) or the same leader's
  IIN (the same person leading a group).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from smallgrants.applications.models import ApplicantProfile, Application, GroupMember
from smallgrants.auth.models import User
from smallgrants.commission.models import CommissionMember, ConflictDeclaration, ConflictGround
from smallgrants.extensions import db

BUILT_IN = "applicant"  # the ground of a built-in conflict (never stored)


def declared(member_id, application_id):
    """SQL: a conflict is declared for this seat on this application."""
    row = aliased(ConflictDeclaration)  # the outer query may read declarations too
    return exists().where(
        row.member_id == member_id,
        row.application_id == application_id,
        row.conflict.is_(True),
    )


def built_in(member_id, application_id):
    """SQL: the seat's person is the application's applicant (see the module's rules)."""
    seat = aliased(CommissionMember)
    account = aliased(User)
    application = aliased(Application)
    profile = aliased(ApplicantProfile)
    own = aliased(ApplicantProfile)
    group_member = aliased(GroupMember)
    emails = (seat.email, account.email)
    same_identity = exists().where(
        own.owner_id == seat.user_id,
        or_(
            and_(own.bin.is_not(None), own.bin == profile.bin),
            and_(own.leader_iin.is_not(None), own.leader_iin == profile.leader_iin),
        ),
    )
    in_group = exists().where(
        group_member.profile_id == profile.id,
        group_member.email != "",
        or_(*(func.lower(group_member.email) == e for e in emails)),
    )
    return (
        select(literal(1))
        .select_from(seat)
        .join(application, application.id == application_id)
        .join(profile, profile.id == application.profile_id)
        .outerjoin(account, account.id == seat.user_id)
        .where(
            seat.id == member_id,
            or_(
                application.applicant_id == seat.user_id,
                profile.owner_id == seat.user_id,
                and_(profile.email != "", or_(*(func.lower(profile.email) == e for e in emails))),
                in_group,
                same_identity,
            ),
        )
        .exists()
    )


def conflicted(member_id, application_id):
    """SQL: the seat is conflicted on the application, declared or built in. The one
    condition every query of the commission filters with."""
    return or_(declared(member_id, application_id), built_in(member_id, application_id))


def is_conflicted(member: CommissionMember, application_id: int) -> bool:
    return bool(db.session.scalar(select(conflicted(literal(member.id), literal(application_id)))))


def is_built_in(member: CommissionMember, application_id: int) -> bool:
    return bool(db.session.scalar(select(built_in(literal(member.id), literal(application_id)))))


@dataclass(frozen=True)
class Recusal:
    member_id: int
    application_id: int
    ground: ConflictGround | str  # BUILT_IN for the applicant themself
    reason: str = ""

    @property
    def is_built_in(self) -> bool:
        return self.ground == BUILT_IN


def recusals(competition_id: int, application_id: int | None = None) -> list[Recusal]:
    """Every conflict of the competition's commission (or on one of its applications),
    declared and built in, ordered by application and seat (two queries, whatever the size of
    the competition). A seat that is the applicant and also declared a conflict is listed
    once, as built in."""
    built_query = (
        select(CommissionMember.id, Application.id)
        .join(Application, Application.competition_id == CommissionMember.competition_id)
        .where(
            CommissionMember.competition_id == competition_id,
            built_in(CommissionMember.id, Application.id),
        )
    )
    declared_query = (
        select(ConflictDeclaration)
        .join(CommissionMember, CommissionMember.id == ConflictDeclaration.member_id)
        .where(
            CommissionMember.competition_id == competition_id,
            ConflictDeclaration.conflict.is_(True),
        )
    )
    if application_id is not None:
        built_query = built_query.where(Application.id == application_id)
        declared_query = declared_query.where(ConflictDeclaration.application_id == application_id)
    built = db.session.execute(built_query).all()
    found = {(m, a): Recusal(m, a, BUILT_IN) for m, a in built}
    for declaration in db.session.scalars(declared_query):
        key = (declaration.member_id, declaration.application_id)
        found.setdefault(key, Recusal(*key, declaration.ground, declaration.reason))
    return [found[key] for key in sorted(found, key=lambda k: (k[1], k[0]))]


def conflicted_seats(competition_id: int) -> dict[int, set[int]]:
    """application id → the seats conflicted on it (an application nobody is conflicted on
    is not a key): what quorums and assignments leave out."""
    seats: dict[int, set[int]] = defaultdict(set)
    for recusal in recusals(competition_id):
        seats[recusal.application_id].add(recusal.member_id)
    return seats


def conflicted_member_ids(competition_id: int, application_id: int) -> set[int]:
    return {r.member_id for r in recusals(competition_id, application_id)}
