"""Who may see and change profiles and applications: one predicate per permission.

An applicant sees only their own. Contexts above this one (the commission) add who else may
read an application by registering a predicate with `reader`; this module never imports
them, so the layers stay in order.
"""

from __future__ import annotations

from collections.abc import Callable

from smallgrants.applications.models import ApplicantProfile, Application, ApplicationStatus
from smallgrants.competitions import policies as competition_policies
from smallgrants.competitions.models import Phase
from smallgrants.organisations import policies as organisation_policies

SCREENABLE = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.ADMISSIBLE, ApplicationStatus.INADMISSIBLE}
)
_readers: list[Callable[..., bool]] = []


def reader(predicate: Callable[..., bool]) -> Callable[..., bool]:
    """Register another context's "may read this application" predicate (the commission's
    `can_read_application`: a seated member who declared no conflict)."""
    if predicate not in _readers:
        _readers.append(predicate)
    return predicate


def can_apply(user) -> bool:
    """Anyone signed in may start an application."""
    return user.is_authenticated


def owns_profile(user, profile: ApplicantProfile) -> bool:
    """A profile is its owner's alone."""
    return user.is_authenticated and profile.owner_id == user.id


def is_applicant(user, application: Application) -> bool:
    """The person whose account made the application."""
    return user.is_authenticated and application.applicant_id == user.id


def can_manage_intake(user) -> bool:
    """Route guard: coordinators keep the registries of their organisations'
    competitions (which one is `can_coordinate`)."""
    return organisation_policies.is_coordinator(user)


def can_coordinate(user, application: Application) -> bool:
    """A coordinator of the organisation whose competition the application was made to."""
    return competition_policies.can_manage_competition(user, application.competition)


def can_view_application(user, application: Application) -> bool:
    """The applicant; a coordinator once it is submitted (never someone's draft); and whoever
    a reader registered above allows (a member of the commission after declaring no
    conflict: never when conflicted)."""
    if not user.is_authenticated:
        return False
    if is_applicant(user, application):
        return True
    if application.status != ApplicationStatus.DRAFT and can_coordinate(user, application):
        return True
    return any(predicate(user, application) for predicate in _readers)


def can_edit_application(user, application: Application) -> bool:
    """The applicant, while it is a draft (its documents too)."""
    return is_applicant(user, application) and application.status == ApplicationStatus.DRAFT


def can_withdraw_application(user, application: Application) -> bool:
    """The applicant withdraws a submitted application while the competition is open."""
    return (
        is_applicant(user, application)
        and application.status == ApplicationStatus.SUBMITTED
        and application.competition.phase == Phase.OPEN
    )


def can_screen(user, application: Application) -> bool:
    """A coordinator screens a submitted application for admissibility (and may change the
    result) — never their own."""
    return (
        can_coordinate(user, application)
        and not is_applicant(user, application)
        and application.status
        in (
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.ADMISSIBLE,
            ApplicationStatus.INADMISSIBLE,
        )
    )


def can_see_personal_data(user, application: Application) -> bool:
    """The leader's IIN, phones and e-mails of an application: the applicant and
    its competition's coordinators (who contact applicants); a commission member scores
    without them."""
    return is_applicant(user, application) or (
        application.status != ApplicationStatus.DRAFT and can_coordinate(user, application)
    )


def can_download_attachment(user, application: Application) -> bool:
    """The same people who may see the application."""
    return can_view_application(user, application)
