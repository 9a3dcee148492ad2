"""Who may see and manage competitions. A coordinator manages the competitions of the
organisations they work for (`organisations.policies.works_for`), no other."""

from smallgrants.competitions.models import Competition, CompetitionStatus, Phase
from smallgrants.organisations import policies as organisation_policies


def can_manage_competitions(user) -> bool:
    """Route guard of the coordinators' pages: the coordinator role (which competitions is
    `can_manage_competition`; their lists hold only their organisations')."""
    return organisation_policies.is_coordinator(user)


def can_manage_competition(user, competition: Competition) -> bool:
    """A coordinator of the organisation that holds the competition edits it, answers its
    questions, keeps its registry, commission, grants and monitoring."""
    return organisation_policies.works_for(user, competition.organisation_id)


def can_view_competition(user, competition: Competition) -> bool:
    """Published announcements are public; a draft only for its organisation's
    coordinators."""
    return competition.status != CompetitionStatus.DRAFT or can_manage_competition(
        user, competition
    )


def can_read_competition(user, competition: Competition) -> bool:
    """A competition's records read-only (its registry, decisions, grants, monitoring): its
    coordinators, and the operators of a programme its holder is in once it is announced (a
    draft is the holder's own, as in the programme's roll-up)."""
    if can_manage_competition(user, competition):
        return True
    return competition.status != CompetitionStatus.DRAFT and organisation_policies.oversees(
        user, competition.organisation_id
    )


def can_publish_competition(user, competition: Competition) -> bool:
    """A coordinator publishes a draft announcement."""
    return can_manage_competition(user, competition) and competition.status == (
        CompetitionStatus.DRAFT
    )


def can_withdraw_competition(user, competition: Competition) -> bool:
    """A coordinator takes a published announcement back to draft until its window opens."""
    return (
        can_manage_competition(user, competition)
        and competition.status == CompetitionStatus.PUBLISHED
        and competition.phase == Phase.UPCOMING
    )
