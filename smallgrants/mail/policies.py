"""Who may watch the e-mail the product sends (the outbox itself is `core.outbox`)."""

from smallgrants.auth.models import Role


def can_watch_mail(user) -> bool:
    """Coordinators: they send the product's e-mail (results, invitations, reminders) and
    must see what did not arrive."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)
