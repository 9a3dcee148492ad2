"""Names of the commission's enumerations for people (lazy, so each reader gets their
language): forms, pages, e-mails and the protocols use these."""

from flask_babel import lazy_gettext as _l

from smallgrants.commission.models import (
    AttendanceMode,
    CommissionRole,
    ConflictGround,
    Outcome,
    Stage,
    TieBreakRule,
)

ROLE_LABELS = {
    CommissionRole.CHAIR: _l("Chair"),
    CommissionRole.SECRETARY: _l("Secretary"),
    CommissionRole.MEMBER: _l("Member"),
}
GROUND_LABELS = {
    ConflictGround.MEMBER_OR_FOUNDER: _l("I am a member or founder of the applicant"),
    ConflictGround.HEAD_OR_BOARD: _l("I am its head or on its board"),
    ConflictGround.PAID_LAST_YEAR: _l("It paid me within the last year"),
    ConflictGround.RELATIVE: _l("A close relative of mine works there or is in the group"),
    ConflictGround.OTHER: _l("Other (describe)"),
}
MODE_LABELS = {
    AttendanceMode.IN_PERSON: _l("In person"),
    AttendanceMode.ONLINE: _l("Online"),
    AttendanceMode.ABSENT: _l("Absent"),
}
STAGE_LABELS = {
    Stage.COMPOSITION: _l("Forming the commission"),
    Stage.SCORING: _l("Scoring"),
    Stage.SCORING_CLOSED: _l("Scoring closed: meeting"),
    Stage.SIGNED: _l("Protocol signed"),
    Stage.PUBLISHED: _l("Results published"),
}
OUTCOME_LABELS = {
    Outcome.AWARD: _l("Award a grant"),
    Outcome.RESERVE: _l("Reserve list"),
    Outcome.REJECT: _l("Not supported"),
}
PRIZE_OUTCOME_LABELS = {**OUTCOME_LABELS, Outcome.AWARD: _l("Award a prize")}


def outcome_labels(prizes: bool) -> dict:
    """The decisions as a competition names them: a grant or a prize is awarded."""
    return PRIZE_OUTCOME_LABELS if prizes else OUTCOME_LABELS


TIE_BREAK_LABELS = {
    TieBreakRule.VOTE: _l("A vote of the meeting"),
    TieBreakRule.HEAVIEST_CRITERION: _l("Higher mean score on the heaviest criterion"),
}

BUILT_IN_LABEL = _l("Is the applicant or in its group (built-in conflict)")


def recusal_label(recusal) -> str:
    """The ground of a recusal (`conflicts.Recusal`) for people."""
    return str(BUILT_IN_LABEL if recusal.is_built_in else GROUND_LABELS[recusal.ground])
