"""Who may see and manage competitions."""

from smallgrants.auth.models import Role
from smallgrants.competitions.models import Competition, CompetitionStatus


def can_manage_competitions(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def can_view_competition(user, competition: Competition) -> bool:
    """Published announcements are public; drafts only for coordinators."""
    return competition.status != CompetitionStatus.DRAFT or can_manage_competitions(user)
