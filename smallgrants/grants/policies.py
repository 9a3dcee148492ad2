"""Who may see and do what with grants. A grantee sees only their own grants and reports;
monitoring data is the coordinators' (a commission member sees none unless also one)."""

from smallgrants.auth.models import Role
from smallgrants.grants.models import Grant, Report, ReportStatus


def can_manage_grants(user) -> bool:
    """Coordinators keep agreements, tranches, reporting periods and monitoring."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def is_signed_in(user) -> bool:
    """Route guard of the grantee's pages (which grant is theirs is `is_grantee`)."""
    return user.is_authenticated


def is_grantee(user, grant: Grant) -> bool:
    """The grantee is the applicant whose application won the grant."""
    return user.is_authenticated and grant.application.applicant_id == user.id


def can_see_grant(user, grant: Grant) -> bool:
    """Coordinators and the grantee see a grant, its agreement and its reports."""
    return can_manage_grants(user) or is_grantee(user, grant)


def can_edit_report(user, report: Report) -> bool:
    """The grantee writes and submits a report while it is a draft or returned and the
    grant is open (active or reporting)."""
    return is_grantee(user, report.grant) and report.is_editable


def can_review_report(user, report: Report) -> bool:
    """A coordinator accepts or returns a submitted report."""
    return can_manage_grants(user) and report.status == ReportStatus.SUBMITTED
