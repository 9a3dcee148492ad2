"""Who may see and change the final report: the project's coordinators. A commission member
or a grantee sees none of it; an administrator manages accounts, not reports."""

from smallgrants.auth.models import Role


def can_manage_reports(user) -> bool:
    """Coordinators compile, check and download the final report."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)
