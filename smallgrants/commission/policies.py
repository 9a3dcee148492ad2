"""Who may do what on a commission. A member's rights are per competition and per
application: a declared conflict closes the application to them everywhere."""

from smallgrants.applications.models import Application, ApplicationStatus
from smallgrants.auth.models import Role
from smallgrants.commission import services
from smallgrants.commission.models import CommissionMember


def can_manage_commission(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def is_commission_member(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COMMISSION_MEMBER)


def can_open_application(user, application: Application) -> bool:
    """A seated member who declared "no conflict" on an admitted application."""
    if application.status != ApplicationStatus.ADMISSIBLE:
        return False
    member = services.member_of(user, application.competition_id)
    return member is not None and services.has_cleared(member, application.id)


def can_record_conflict(user, member: CommissionMember | None) -> bool:
    """The coordinator, or the chair of that commission."""
    return can_manage_commission(user) or (member is not None and member.is_chair)


def may_record_conflicts(user) -> bool:
    """Route guard; the chair check per competition is in the view."""
    return can_manage_commission(user) or is_commission_member(user)
