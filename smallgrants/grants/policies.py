"""Who may see and do what with grants. A grantee sees only their own grants and reports;
monitoring data is the coordinators' (a commission member sees none unless also one)."""

from smallgrants.auth.models import Role
from smallgrants.grants.models import Grant


def can_manage_grants(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def is_signed_in(user) -> bool:
    return user.is_authenticated


def is_grantee(user, grant: Grant) -> bool:
    return user.is_authenticated and grant.application.applicant_id == user.id


def can_see_grant(user, grant: Grant) -> bool:
    return can_manage_grants(user) or is_grantee(user, grant)
