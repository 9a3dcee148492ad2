"""Who may do what with accounts. Routes use these through `core.access.require`."""

from smallgrants.auth.models import Role, User


def is_signed_in(user: User) -> bool:
    """Pages of one's own (profiles, applications, the account): any signed-in person."""
    return user.is_authenticated


def is_admin(user: User) -> bool:
    """Administrators manage accounts, roles and read the audit log."""
    return user.is_authenticated and user.has_role(Role.ADMIN)


can_manage_users = is_admin
can_view_audit_log = is_admin


def can_make_api_tokens(user: User) -> bool:
    """Coordinators and programme operators make personal access tokens for the read-only
    API (a token reads what its owner may read: their organisations', their programme's)."""
    return user.is_authenticated and bool(user.roles & {Role.COORDINATOR, Role.OPERATOR})
