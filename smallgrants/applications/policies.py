"""Who may see and change profiles and applications. An applicant sees only their own."""

from smallgrants.applications.models import ApplicantProfile, Application, ApplicationStatus
from smallgrants.auth.models import Role
from smallgrants.commission import policies as commission_policies


def can_apply(user) -> bool:
    return user.is_authenticated


def owns_profile(user, profile: ApplicantProfile) -> bool:
    return user.is_authenticated and profile.owner_id == user.id


def can_view_application(user, application: Application) -> bool:
    if not user.is_authenticated:
        return False
    if application.applicant_id == user.id:
        return True
    # coordinators see what was sent to them, never someone's draft
    if user.has_role(Role.COORDINATOR) and application.status != ApplicationStatus.DRAFT:
        return True
    # a commission member after declaring no conflict on it (a conflict: never)
    return commission_policies.can_open_application(user, application)


def can_edit_application(user, application: Application) -> bool:
    return (
        user.is_authenticated
        and application.applicant_id == user.id
        and application.status == ApplicationStatus.DRAFT
    )


def can_submit_or_withdraw(user, application: Application) -> bool:
    return user.is_authenticated and application.applicant_id == user.id


def can_manage_intake(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def can_download_attachment(user, application: Application) -> bool:
    """The same people who may see the application."""
    return can_view_application(user, application)
