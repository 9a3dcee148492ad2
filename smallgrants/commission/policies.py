"""Who may do what on a commission: one predicate per permission, each stating its rule.

Routes call them (through `require` and `core.access.authorize`), templates through `can`
(`core.access`), and the services assert them again. A member's rights are per competition
and per application; a conflict, declared or built in (`conflicts`), closes the application
to them everywhere, because every predicate here starts from `queries.visible_applications`.
"""

from __future__ import annotations

from smallgrants.applications import policies as application_policies
from smallgrants.applications.models import Application
from smallgrants.auth.models import Role
from smallgrants.commission import conflicts, queries
from smallgrants.commission.models import ScoreSheet, Stage
from smallgrants.competitions import policies as competition_policies
from smallgrants.competitions.models import Competition
from smallgrants.organisations import policies as organisation_policies


def can_manage_commission(user) -> bool:
    """Route guard: coordinators compose commissions, follow scoring, run the meeting and
    publish (which commissions: `can_manage_commission_of`)."""
    return organisation_policies.is_coordinator(user)


def can_manage_commission_of(user, competition: Competition) -> bool:
    """The commission of a competition of the coordinator's organisation."""
    return competition_policies.can_manage_competition(user, competition)


def can_work_on_commission(user) -> bool:
    """Route guard of the members' pages: the account holds the commission member role
    (which seat, if any, is decided per competition by the predicates below)."""
    return user.is_authenticated and user.has_role(Role.COMMISSION_MEMBER)


def _visible_seat(user, application: Application):
    """The user's seat on the application's commission when the application is visible to
    it (`queries.visible_applications`), else None."""
    seat = queries.member_of(user, application.competition_id)
    return seat if seat is not None and queries.is_visible(seat, application.id) else None


def can_open_application(user, application: Application) -> bool:
    """A member seated on the application's competition to whom it is visible (admitted,
    not conflicted, assigned when k is set) may open its page and declare on it."""
    return _visible_seat(user, application) is not None


@application_policies.reader
def can_read_application(user, application: Application) -> bool:
    """Its content, documents and DOCX: a member who may open it and has declared
    "no conflict" on it."""
    seat = _visible_seat(user, application)
    return seat is not None and queries.has_cleared(seat, application.id)


def can_score(user, application: Application) -> bool:
    """A voting member who may read the application (so: seated, not conflicted, cleared,
    assigned) while the commission is scoring. Whether the sheet is still a draft is the
    sheet's own state (`services.move_sheet`)."""
    seat = _visible_seat(user, application)
    commission = queries.commission_of_id(application.competition_id)
    return (
        seat is not None
        and seat.voting
        and commission is not None
        and commission.stage == Stage.SCORING
        and queries.has_cleared(seat, application.id)
    )


def can_see_others_scores(user, application: Application) -> bool:
    """A member sees the other members' sheets on an application only once scoring is
    closed and after submitting their own sheet on it (never when conflicted)."""
    seat = _visible_seat(user, application)
    if seat is None or not queries.has_cleared(seat, application.id):
        return False
    commission = queries.commission_of_id(application.competition_id)
    if commission is None or commission.scoring_closed_at is None:
        return False
    sheet = queries.sheet_of(seat, application.id)
    return sheet is not None and sheet.is_submitted


def can_record_conflict_on(user, application: Application) -> bool:
    """The same people, on an application of the competition; the chair only on one they
    are not conflicted on themselves."""
    if can_manage_commission_of(user, application.competition):
        return True
    seat = queries.member_of(user, application.competition_id)
    return seat is not None and seat.is_chair and can_open_application(user, application)


def may_record_conflicts(user) -> bool:
    """Route guard: a coordinator or a member (the chair check is per competition,
    `can_record_conflict_on`)."""
    return can_manage_commission(user) or can_work_on_commission(user)


def can_reopen_sheet(user, sheet: ScoreSheet) -> bool:
    """The chair of the sheet's commission, on an application they are not conflicted on."""
    seat = queries.member_of(user, sheet.member.competition_id)
    return (
        seat is not None
        and seat.is_chair
        and not conflicts.is_conflicted(seat, sheet.application_id)
    )
