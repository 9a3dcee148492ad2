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
