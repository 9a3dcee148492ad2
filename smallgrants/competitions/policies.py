"""Who may see and manage competitions."""

from smallgrants.auth.models import Role
from smallgrants.competitions.models import Competition, CompetitionStatus, Phase


def can_manage_competitions(user) -> bool:
    """Coordinators create, edit, publish and close competitions and answer questions."""
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def can_view_competition(user, competition: Competition) -> bool:
    """Published announcements are public; drafts only for coordinators."""
    return competition.status != CompetitionStatus.DRAFT or can_manage_competitions(user)


def can_publish_competition(user, competition: Competition) -> bool:
    """A coordinator publishes a draft announcement."""
    return can_manage_competitions(user) and competition.status == CompetitionStatus.DRAFT


def can_withdraw_competition(user, competition: Competition) -> bool:
    """A coordinator takes a published announcement back to draft until its window opens."""
    return (
        can_manage_competitions(user)
        and competition.status == CompetitionStatus.PUBLISHED
        and competition.phase == Phase.UPCOMING
    )
