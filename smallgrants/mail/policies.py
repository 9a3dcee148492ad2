"""Who may watch the e-mail the product sends (the outbox itself is `core.outbox`)."""

from smallgrants.auth.policies import is_admin
from smallgrants.core.models import OutboxMessage
from smallgrants.organisations import policies as organisation_policies


def can_watch_mail(user) -> bool:
    """Coordinators, for their organisations' messages (results, invitations, reminders:
    they must see what did not arrive), and site administrators, for every message (an
    account's own, sign-up and password, too)."""
    return organisation_policies.is_coordinator(user) or is_admin(user)


def watched(user) -> frozenset[int] | None:
    """The organisations whose messages the person watches; None: every message."""
    if is_admin(user):
        return None
    return organisation_policies.mine(user)


def can_retry_message(user, message: OutboxMessage) -> bool:
    """Send again a message one watches."""
    organisations = watched(user)
    return can_watch_mail(user) and (
        organisations is None or message.organisation_id in organisations
    )
