"""Who may see and change the final report: the coordinators of the organisation whose
project it is. A commission member or a grantee sees none of it; an administrator manages
accounts, not reports."""

from smallgrants.organisations import policies as organisation_policies
from smallgrants.reporting.models import Project


def can_manage_reports(user) -> bool:
    """Route guard: coordinators compile, check and download final reports (of which
    projects: `can_manage_project`)."""
    return organisation_policies.is_coordinator(user)


def can_manage_project(user, project: Project) -> bool:
    """A project of the coordinator's organisation: its tasks, activities, indicators,
    texts, reconciliation and documents."""
    return organisation_policies.works_for(user, project.organisation_id)


def can_read_project(user, project: Project) -> bool:
    """A project's final report read-only (section 4 and its checks, through the API): its
    organisation's coordinators and the operators of a programme it is a holder of."""
    return organisation_policies.reads(user, project.organisation_id)
