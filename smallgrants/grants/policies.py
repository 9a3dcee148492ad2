"""Who may see and do what with grants. A grantee sees only their own grants and reports;
monitoring data is the coordinators' (a commission member sees none unless also one)."""

from smallgrants.competitions import policies as competition_policies
from smallgrants.competitions.models import Competition
from smallgrants.grants.models import Grant, Report, ReportStatus
from smallgrants.organisations import policies as organisation_policies


def can_manage_grants(user) -> bool:
    """Route guard: coordinators keep agreements, tranches, reporting periods and
    monitoring (of which competitions: `can_manage_grants_of`)."""
    return organisation_policies.is_coordinator(user)


def can_manage_grants_of(user, competition: Competition) -> bool:
    """The grants, prizes, periods and monitoring of a competition of the coordinator's
    organisation."""
    return competition_policies.can_manage_competition(user, competition)


def can_read_monitoring(user) -> bool:
    """Route guard of the monitoring pages: coordinators, and the operators of a programme
    (read-only; which competitions: `can_see_monitoring`)."""
    return can_manage_grants(user) or organisation_policies.can_read_programmes(user)


def can_see_monitoring(user, competition: Competition) -> bool:
    """A competition's monitoring (figures, events, the monitoring report): whoever reads its
    records (`competitions.policies.can_read_competition`)."""
    return competition_policies.can_read_competition(user, competition)


def can_manage_grant(user, grant: Grant) -> bool:
    """A grant of a competition of the coordinator's organisation."""
    return can_manage_grants_of(user, grant.competition)


def is_signed_in(user) -> bool:
    """Route guard of the grantee's pages (which grant is theirs is `is_grantee`)."""
    return user.is_authenticated


def is_grantee(user, grant: Grant) -> bool:
    """The grantee is the applicant whose application won the grant."""
    return user.is_authenticated and grant.application.applicant_id == user.id


def can_see_grant(user, grant: Grant) -> bool:
    """Its competition's coordinators and the grantee see a grant, its agreement and its
    reports."""
    return can_manage_grant(user, grant) or is_grantee(user, grant)


def can_edit_report(user, report: Report) -> bool:
    """The grantee writes and submits a report while it is a draft or returned and the
    grant is open (active or reporting)."""
    return is_grantee(user, report.grant) and report.is_editable


def can_review_report(user, report: Report) -> bool:
    """A coordinator accepts or returns a submitted report."""
    return can_manage_grant(user, report.grant) and report.status == ReportStatus.SUBMITTED
